// `pnpm manifest`: regenerates the trusted-documents manifest from the web app's operations
// (GraphQL Code Generator, persisted documents) and writes the committed copy the API loads.
import { spawnSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync("pnpm", ["--filter", "@atrium/web", "codegen"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
copyFileSync(
  path.join(root, "apps/web/src/gql/persisted-documents.json"),
  path.join(root, "apps/api/trusted-documents.json"),
);
console.log("wrote apps/api/trusted-documents.json");
