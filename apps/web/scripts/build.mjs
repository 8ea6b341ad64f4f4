// `pnpm build` (and so `npm start`): the production web app, then the budget check on it.
// Always production, whatever the caller's NODE_ENV (issue 45): Vite takes an already-set
// NODE_ENV over `mode`, so NODE_ENV=development (the documented default of the API's variable)
// produced React's development bundle and failed the budget. Development mode is `pnpm dev`.
// Set here rather than as `NODE_ENV=production vite build`, which a Windows shell does not run.
// `--out-dir <dir>` builds elsewhere than dist/ (src/production-build.test.ts).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

process.env.NODE_ENV = "production";
// Vite reads this (from .env files) as the bundle's NODE_ENV when NODE_ENV is set: not here.
delete process.env.VITE_USER_NODE_ENV;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const i = process.argv.indexOf("--out-dir");
const outDir = i === -1 ? path.join(root, "dist") : path.resolve(process.argv[i + 1]);

// Imported after NODE_ENV is set: plugins may read it when they load.
const { build } = await import("vite");
await build({ root, mode: "production", build: { outDir, emptyOutDir: true } });
const check = spawnSync(process.execPath, [path.join(root, "scripts/check-budget.mjs"), outDir], { stdio: "inherit" });
process.exitCode = check.status ?? 1;
