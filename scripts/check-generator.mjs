// pnpm check:generator — the "adding a workspace feature" guide, checked: generates a feature with
// `turbo/generators/config.ts` (the @turbo/gen generator `turbo gen workspace-feature` runs) into a
// scratch copy of HEAD (plus the tracked changes not committed yet), then does there what
// the guide says and what CI would check:
//   install (offline, from the pnpm store) · generate · db:generate · emit-schema · API codegen ·
//   typecheck @atrium/api · eslint on the generated and edited files · packages/db schema-rules and
//   drift (the new table is a tenant table like the others) · the generated int test · the schema
//   contract and description tests.
// Not part of `pnpm test` (it takes minutes: a fresh install and a whole-API typecheck).
// `--keep` leaves the scratch copy for a look; `--name <noun>` picks the feature (default probe-note).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const name = args.includes("--name") ? args[args.indexOf("--name") + 1] : "probe-note";
const plural = `${name}s`;
const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-gen-"));
const JEST_ENV = ["--experimental-vm-modules", "--disable-warning=ExperimentalWarning"];

function step(label, cmd, argv, cwd = dir) {
  const t0 = Date.now();
  process.stdout.write(`[check:generator] ${label} … `);
  const r = spawnSync(cmd, argv, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", CI: "1" },
  });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.log(`FAILED (${s} s)`);
    console.log(`$ ${cmd} ${argv.join(" ")}  (in ${cwd})\n${r.stdout}\n${r.stderr}`);
    throw new Error(`${label} failed`);
  }
  console.log(`ok (${s} s)`);
  return r.stdout;
}

let failed = false;
const started = Date.now();
try {
  // A copy of HEAD (git archive: the repository's own .git is left alone), a repository of its
  // own so that `git status` shows what the generator changed.
  step("scratch copy of HEAD", "sh", ["-c", `git archive HEAD | tar -x -C '${dir}'`], root);
  const diff = execFileSync("git", ["diff", "HEAD", "--binary"], { cwd: root, maxBuffer: 64 << 20 });
  if (diff.length > 0) {
    const r = spawnSync("git", ["apply", "--whitespace=nowarn"], { cwd: dir, input: diff });
    if (r.status !== 0) throw new Error(`applying the uncommitted changes failed: ${r.stderr}`);
    console.log("[check:generator] with the tracked changes not committed yet (untracked files are not included)");
  }
  step("git init", "sh", [
    "-c",
    "git init -q && git add -A && git -c user.name=check -c user.email=check@atrium.local commit -qm base",
  ]);
  step("install (offline)", "pnpm", ["install", "--offline", "--frozen-lockfile"]);
  step(`generate "${name}"`, "pnpm", ["exec", "gen", "run", "workspace-feature", "--args", name]);
  step("db:generate", "pnpm", ["db:generate"]);
  step("emit-schema", "pnpm", ["emit-schema"]);
  step("API codegen (OpenAPI types)", "pnpm", ["--filter", "@atrium/api", "codegen"]);
  console.log(step("what the generator changed", "git", ["status", "--short"]).trimEnd());
  step("typecheck @atrium/api", "pnpm", ["--filter", "@atrium/api", "typecheck"]);
  step("eslint (generated and edited files)", "npx", [
    "eslint",
    `apps/api/src/modules/${plural}`,
    "apps/api/src/services.ts",
    "apps/api/src/schema.ts",
  ]);
  step("prettier --check (generated and edited files)", "npx", [
    "prettier",
    "--check",
    `apps/api/src/modules/${plural}`,
    "apps/api/src/services.ts",
    "apps/api/src/schema.ts",
  ]);
  step(
    "packages/db: schema-rules, drift",
    "node",
    [
      ...JEST_ENV,
      "../../node_modules/.pnpm/node_modules/jest/bin/jest.js",
      "--runInBand",
      "src/__tests__/schema-rules.int.test.ts",
      "src/__tests__/drift.int.test.ts",
    ],
    path.join(dir, "packages/db"),
  );
  // The permission snapshot is reviewed by hand for a new operation (guide, step 5): updated here,
  // and the update must only add the new feature's operations.
  const api = path.join(dir, "apps/api");
  step(
    "permission snapshot updated (schema-contract -u)",
    "node",
    [...JEST_ENV, "./node_modules/jest/bin/jest.js", "--runInBand", "--ci=false", "-u", "src/schema-contract.test.ts"],
    api,
  );
  const pascal = name
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
  const changed = step("what the snapshot update changed", "git", [
    "diff",
    "-U0",
    "--",
    "apps/api/src/schema-contract.test.ts",
  ])
    .split("\n")
    .filter((l) => /^[+-](?![+-])/.test(l));
  const foreign = changed.filter(
    (l) => !l.startsWith("+") || !new RegExp(`"(Query|Mutation)\\.\\w*${pascal}s?":`, "i").test(l),
  );
  if (changed.length === 0 || foreign.length > 0)
    throw new Error(
      `the permission snapshot changed beyond the new operations:\n${(foreign.length ? foreign : ["(nothing changed)"]).join("\n")}`,
    );
  console.log(changed.join("\n"));
  step(
    "apps/api: the generated int test, schema contract and descriptions",
    "node",
    [
      ...JEST_ENV,
      "./node_modules/jest/bin/jest.js",
      "--runInBand",
      `src/modules/${plural}`,
      "src/schema-contract.test.ts",
      "src/schema-descriptions.test.ts",
    ],
    api,
  );
} catch (err) {
  failed = true;
  console.error(`[check:generator] ${err instanceof Error ? err.message : String(err)}`);
} finally {
  if (keep) console.log(`[check:generator] kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(`[check:generator] ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
