// `pnpm build` (and so `npm start`): the production web app, then the budget check on it.
// Always production, whatever the caller's NODE_ENV (issue 45): Vite takes an already-set
// NODE_ENV over `mode`, so NODE_ENV=development (the documented default of the API's variable)
// produced React's development bundle and failed the budget. Development mode is `pnpm dev`.
// Set here rather than as `NODE_ENV=production vite build`, which a Windows shell does not run.
// `--out-dir <dir>` builds elsewhere than dist/ (src/production-build.test.ts).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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

// Every build proves it is the production one: no trace of React's development build in what is
// served (the test builds with NODE_ENV=development; `pnpm build` in CI and `npm start` without it).
const DEV_MARKERS = ["jsxDEV", "react-dom-client.development", "react.development", "The above error occurred"];
const served = readdirSync(outDir, { recursive: true })
  .map(String)
  .filter((f) => /\.(js|html)$/.test(f));
const marked = served.flatMap((f) =>
  DEV_MARKERS.filter((m) => readFileSync(path.join(outDir, f), "utf8").includes(m)).map((m) => `${f}: ${m}`),
);
if (marked.length > 0) {
  console.error(`[build] not a production bundle (React's development build is in it):\n  ${marked.join("\n  ")}`);
  process.exit(1);
}
console.log(`[build] production bundle: ${served.length} served files, no development markers`);

const check = spawnSync(process.execPath, [path.join(root, "scripts/check-budget.mjs"), outDir], { stdio: "inherit" });
process.exitCode = check.status ?? 1;
