// Issue 45 (1): the web app `npm start` serves is the production build whatever the caller's
// NODE_ENV is (`development` is its documented default; development mode is `pnpm dev`), and
// the start never fails on it. Runs the package's real `build` script (vite build + budget check)
// twice, into temporary directories: with NODE_ENV=development and with NODE_ENV unset. Both
// must pass the budget check and produce the same files, byte for byte, with no trace of React's
// development build. Two full builds: minutes on a 2-core machine.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "@atrium/test-kit";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** `node scripts/build.mjs --out-dir <tmp>` with NODE_ENV as given (undefined: unset). */
async function build(nodeEnv: string | undefined): Promise<{ code: number | null; output: string; outDir: string }> {
  const outDir = await mkdtemp(path.join(tmpdir(), "atrium-web-build-"));
  dirs.push(outDir);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_ENV; // Jest sets it to "test"
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  const child = spawn(process.execPath, ["scripts/build.mjs", "--out-dir", outDir], { cwd: webDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output, outDir };
}

const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.[a-z0-9]+$/i.test(f)).sort();
/** Markers of React's development build in the served scripts (absent from the production one). */
const DEV_MARKERS = ["jsxDEV", "react-dom-client.development", "react.development", "The above error occurred"];

describe("the web build `npm start` serves", () => {
  it("is the same production bundle with NODE_ENV=development as with it unset, within budget", async () => {
    const dev = await build("development");
    const unset = await build(undefined);
    for (const run of [dev, unset]) {
      expect(run.code, run.output.slice(-3000)).toBe(0);
      expect(run.output).toMatch(/JavaScript before the sign-in form: .* KB brotli/); // the budget check ran
      expect(run.output).not.toContain("over budget");
    }
    const names = files(dev.outDir);
    expect(names).toContain("index.html");
    expect(names).toEqual(files(unset.outDir));
    // Same hashed entry, same bytes (maps too: both outDirs sit at the same depth).
    const entry = /<script type="module" crossorigin src="\/(assets\/index-[^"]+\.js)"/.exec(readFileSync(path.join(dev.outDir, "index.html"), "utf8"))?.[1];
    expect(entry).toBeDefined();
    const differing = names.filter((f) => !readFileSync(path.join(dev.outDir, f)).equals(readFileSync(path.join(unset.outDir, f))));
    expect(differing).toEqual([]);
    const served = names.filter((f) => /\.(js|html)$/.test(f));
    const marked = served.flatMap((f) => DEV_MARKERS.filter((m) => readFileSync(path.join(dev.outDir, f), "utf8").includes(m)).map((m) => `${f}: ${m}`));
    expect(marked).toEqual([]);
  }, 600_000);

  it("`pnpm build` runs this script", () => {
    const pkg = JSON.parse(readFileSync(path.join(webDir, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe("node scripts/build.mjs");
  });
});
