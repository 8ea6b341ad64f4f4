// Build-output check (issue 15): the JavaScript a browser fetches before the sign-in form is
// interactive — index.html's entry script and every chunk it preloads or imports statically —
// must be at most 250 KB compressed (brotli, as served), and every such file of 1 KB or more must
// have its precompressed copies. Also: the sign-in form's own code is among those files (so the
// budget measures what it claims), and no built script or style sheet points at a source map
// (`sourcemap: "hidden"`; the server refuses *.map as well). Prints the figures; exits 1 when a
// check fails.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET_KB = 250;
// The build output: dist/ unless a directory is given (scripts/build.mjs --out-dir).
const dist = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const initial = new Set();
for (const m of html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g))
  initial.add(m[1]);
// A marker of the sign-in form's own markup (features/auth/sign-in-form.tsx): if the form were
// split into a lazy chunk, these files would not be what the browser needs before it.
const SIGN_IN_MARKER = "New to Atrium?";
let signInInitial = false;
// Static imports of those chunks (the bundler lists most as modulepreload already).
const queue = [...initial];
while (queue.length) {
  const file = queue.pop();
  const code = readFileSync(path.join(dist, file), "utf8");
  if (code.includes(SIGN_IN_MARKER)) signInInitial = true;
  for (const m of code.matchAll(/(?:^|[;\s])import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    const dep = path.posix.join(path.posix.dirname(file), m[1]);
    if (!initial.has(dep)) {
      initial.add(dep);
      queue.push(dep);
    }
  }
}
let raw = 0;
let br = 0;
let gz = 0;
const missing = [];
for (const f of initial) {
  const file = path.join(dist, f);
  const size = statSync(file).size;
  raw += size;
  // precompress() skips files under 1 KB (not worth a round of decompression).
  if (size >= 1024 && (!existsSync(`${file}.br`) || !existsSync(`${file}.gz`))) missing.push(f);
  br += existsSync(`${file}.br`) ? statSync(`${file}.br`).size : statSync(file).size;
  gz += existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : statSync(file).size;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `JavaScript before the sign-in form: ${initial.size} files, ${kb(raw)} KB raw, ${kb(br)} KB brotli, ${kb(gz)} KB gzip (budget ${BUDGET_KB} KB compressed)`,
);
for (const f of [...initial].sort()) console.log(`  ${f}`);
if (missing.length) {
  console.error(`missing precompressed copies: ${missing.join(", ")}`);
  process.exitCode = 1;
}
if (br / 1024 > BUDGET_KB) {
  console.error(`over budget: ${kb(br)} KB > ${BUDGET_KB} KB`);
  process.exitCode = 1;
}

if (!signInInitial) {
  console.error(
    `the sign-in form ("${SIGN_IN_MARKER}") is not in the JavaScript loaded before it: the budget would not measure it`,
  );
  process.exitCode = 1;
}
const pointing = readdirSync(dist, { recursive: true })
  .map(String)
  .filter(
    (f) =>
      /\.(js|css)$/.test(f) &&
      /(?:\/\/|\/\*)[#@]\s*sourceMappingURL\s*=/.test(readFileSync(path.join(dist, f), "utf8")),
  );
if (pointing.length) {
  console.error(`built files that point at a source map: ${pointing.join(", ")}`);
  process.exitCode = 1;
}
console.log(
  `sign-in form in the initial files: ${signInInitial ? "yes" : "no"}; built files pointing at a source map: ${pointing.length}`,
);
