// The API as `npm start` runs it — the esbuild bundle of build.mjs — for tests that spawn the
// product or its CLI many times: a bundle starts in a fraction of what `tsx src/main.ts` takes
// (tsx transforms and loads some 300 modules on every start). Built once per test file into
// apps/api/.dist-test-<pid>-<n> (beside dist/: the bundle finds the repository from its own
// place), removed by `remove()`.
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
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
