// Makes a fresh clone runnable with only Node 20 and npm: installs pnpm 10 when missing,
// installs dependencies from the lockfile and generates the Prisma client. Idempotent and quick
// when everything is already in place; `npm start` and `npm test` run it first.
import { execSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`[bootstrap] \`${cmd} ${args.join(" ")}\` failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
};

const major = Number(process.versions.node.split(".")[0]);
const minor = Number(process.versions.node.split(".")[1]);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`[bootstrap] Atrium needs Node 20.19 or newer; this is ${process.version}.`);
  process.exit(1);
}

let havePnpm = false;
try {
  havePnpm = execSync("pnpm --version", { stdio: ["ignore", "pipe", "ignore"] })
    .toString()
    .startsWith("10.");
} catch {
  havePnpm = false;
}
if (!havePnpm) {
  // Corepack's signature check fails on these machines; a global npm install works everywhere.
  console.log("[bootstrap] installing pnpm 10 with npm");
  run("npm", ["install", "--global", "pnpm@10"]);
}

const installed = existsSync(path.join(root, "node_modules/.modules.yaml"));
run("pnpm", ["install", "--frozen-lockfile", ...(installed ? ["--prefer-offline"] : []), "--reporter=append-only"]);
run("pnpm", ["--filter", "@atrium/db", "db:generate"]);
