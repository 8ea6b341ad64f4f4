// Issue 45 (1): the web app `npm start` serves is the production build whatever the caller's
// NODE_ENV is (`development` is its documented default; development mode is `pnpm dev`), and
// the start never fails on it. Runs the package's real `build` script (vite build, the
// production check, the budget check) into a temporary directory with NODE_ENV=development: it
// must pass the budget and hold no trace of React's development build. The build script itself
// refuses a bundle with such a trace, so every other build — CI's `pnpm build` and `npm start`,
// NODE_ENV unset — proves the same (it used to be built twice here and compared: a minute more).
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
  const child = spawn(process.execPath, ["scripts/build.mjs", "--out-dir", outDir], {
    cwd: webDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output, outDir };
}

const files = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.[a-z0-9]+$/i.test(f))
    .sort();
/** Markers of React's development build in the served scripts (absent from the production one). */
const DEV_MARKERS = ["jsxDEV", "react-dom-client.development", "react.development", "The above error occurred"];

describe("the web build `npm start` serves", () => {
  it("is the production bundle with NODE_ENV=development, within budget", async () => {
    const dev = await build("development");
    expect(dev.code, dev.output.slice(-3000)).toBe(0);
    expect(dev.output).toMatch(/JavaScript before the sign-in form: .* KB brotli/); // the budget check ran
    expect(dev.output).not.toContain("over budget");
    expect(dev.output).toMatch(/\[build\] production bundle: \d+ served files, no development markers/); // the script's own check ran
    const names = files(dev.outDir);
    expect(names).toContain("index.html");
    const entry = /<script type="module" crossorigin src="\/(assets\/index-[^"]+\.js)"/.exec(
      readFileSync(path.join(dev.outDir, "index.html"), "utf8"),
    )?.[1];
    expect(entry).toBeDefined();
    const served = names.filter((f) => /\.(js|html)$/.test(f));
    const marked = served.flatMap((f) =>
      DEV_MARKERS.filter((m) => readFileSync(path.join(dev.outDir, f), "utf8").includes(m)).map((m) => `${f}: ${m}`),
    );
    expect(marked).toEqual([]);
  }, 600_000);

  it("`pnpm build` runs this script", () => {
    const pkg = JSON.parse(readFileSync(path.join(webDir, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toBe("node scripts/build.mjs");
  });
});
