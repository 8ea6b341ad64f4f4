// The API as `npm start` runs it — the esbuild bundle of build.mjs — for tests that spawn the
// product or its CLI many times: a bundle starts in a fraction of what `tsx src/main.ts` takes
// (tsx transforms and loads some 300 modules on every start). Built once per test file into
// apps/api/.dist-test-<pid>-<n> (beside dist/: the bundle finds the repository from its own
// place), removed by `remove()`.
import { spawn, spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let n = 0;

export interface BuiltApi {
  /** `node` arguments that run the product (`npm start`). */
  main: string[];
  /** `node` arguments that run the CLI (`pnpm atrium …`), before its own arguments. */
  cli: string[];
  remove(): Promise<void>;
}

export function buildApi(): BuiltApi {
  const dir = `.dist-test-${process.pid}-${n++}`;
  const r = spawnSync(process.execPath, ["build.mjs", "--outdir", dir], {
    cwd: apiDir,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`build.mjs failed (${r.status ?? r.signal}): ${r.stderr}`);
  const out = path.join(apiDir, dir);
  return {
    main: [path.join(out, "main.js")],
    cli: [path.join(out, "cli.js")],
    remove: () => rm(out, { recursive: true, force: true }),
  };
}

/**
 * The environment of a built product on a test database (`freshTestDatabase`) at 127.0.0.1:`port`,
 * NODE_ENV=test, with `extra` on top.
 */
export function productEnv(
  db: { ownerUrl: string; appUrl: string },
  port: number,
  extra: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: db.ownerUrl,
    APP_DATABASE_URL: db.appUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    ...extra,
  };
}

export interface RunningProduct {
  /** Everything the product printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` (a built product) in apps/api with `env`, and resolves once it prints
 * "[atrium] ready on"; throws with its output when it exits first or is not ready in `readyWithinMs`.
 */
export async function startProduct(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyWithinMs = 240_000,
): Promise<RunningProduct> {
  const child = spawn(process.execPath, args, { cwd: apiDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!running()) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000)]);
    if (running()) child.kill("SIGKILL");
  };
  const began = Date.now();
  for (;;) {
    if (!running()) throw new Error(`Atrium exited before it was ready:\n${output}`);
    if (output.includes("[atrium] ready on")) return { output: () => output, stop };
    if (Date.now() - began > readyWithinMs) {
      await stop();
      throw new Error(`Atrium was not ready within ${readyWithinMs / 1000} s:\n${output}`);
    }
    await sleep(100);
  }
}
