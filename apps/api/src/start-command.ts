// What apps/api's `start` script runs (`npm start`, `pnpm --filter @atrium/api start`): its
// environment assignments and its node flags, read from package.json, so that the benches and the
// browser suite start the product exactly as production does, with one place to change them
// (decision 0055, "memory": the young generation, the heap's growth and glibc's mmap threshold).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface StartCommand {
  /** The script's leading `NAME=value` assignments (the product's process environment). */
  env: Record<string, string>;
  /** `node`'s flags, before the entry point. */
  nodeArgs: string[];
  /** The entry point, relative to apps/api (dist/main.js). */
  entry: string;
}

/** Parses a `start` script of the form `[NAME=value …] node [--flag …] <entry>.js`. */
export function parseStartScript(script: string): StartCommand {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Z_][A-Z0-9_]*=\S*$/.test(words[i]!); i++) {
    const [name, ...value] = words[i]!.split("=");
    env[name!] = value.join("=");
  }
  if (words[i] !== "node") throw new Error(`apps/api's start script does not run node: ${script}`);
  const nodeArgs: string[] = [];
  for (i++; i < words.length && words[i]!.startsWith("--"); i++) nodeArgs.push(words[i]!);
  const entry = words[i];
  if (!entry?.endsWith(".js") || i !== words.length - 1)
    throw new Error(`apps/api's start script is not "[NAME=value …] node [--flag …] <entry>.js": ${script}`);
  return { env, nodeArgs, entry };
}

/** apps/api's `start` script, parsed. */
export function startCommand(): StartCommand {
  const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../package.json");
  const scripts = (JSON.parse(readFileSync(pkg, "utf8")) as { scripts: Record<string, string> }).scripts;
  return parseStartScript(scripts.start ?? "");
}
