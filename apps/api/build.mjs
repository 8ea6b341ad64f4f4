// Bundles the API (and the workspace packages it imports as TypeScript source) into
// dist/main.js; npm dependencies stay external and load from node_modules.
// `--outdir <dir>`: elsewhere than dist/ (tests that spawn the product: src/test/built.ts). The
// directory must sit beside dist/ (apps/api/<dir>): paths are resolved from the bundle's place.
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

// Prisma's generated client loads its query compiler's WebAssembly from a module whose one export
// is the binary as base64 (4.6 MB): imported, that module keeps both its source text and the
// string for the life of the process — 9.2 MB of every process's heap (decision 0055, addendum
// "Prisma's WebAssembly"). The generated loader is rewritten at bundling to read the same file,
// decode it and drop both. The build fails if the generated code no longer has that shape.
// ATRIUM_BUILD_KEEP_WASM_MODULE=1 builds the loader as generated (to measure the difference).
const PRISMA_WASM_IMPORT =
  /const \{ wasm \} = await import\(("@prisma\/client\/runtime\/[\w.]+\.wasm-base64\.mjs")\)\s*return await decodeBase64AsWasm\(wasm\)/;
const prismaWasmOnce = {
  name: "prisma-wasm-not-kept-as-base64",
  setup(b) {
    b.onLoad({ filter: /[\\/]generated[\\/]internal[\\/]class\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!PRISMA_WASM_IMPORT.test(source))
        throw new Error(`${args.path}: Prisma's WebAssembly loader has changed shape; see apps/api/build.mjs`);
      return {
        loader: "ts",
        contents:
          source.replace(
            PRISMA_WASM_IMPORT,
            (_, specifier) => `return await decodeBase64AsWasm(await __atriumBase64Of(${specifier}))`,
          ) +
          `
/** The base64 literal of a generated \`export { wasm }\` module, read from its file (not imported: nothing keeps it). */
async function __atriumBase64Of(specifier: string): Promise<string> {
  const { readFileSync } = await import("node:fs");
  // (The bundle's require, from its banner: resolved as the import was, but imported by nothing.
  // Read synchronously, once at start: no thread of libuv's pool is started for it.)
  const text = readFileSync(require.resolve(specifier), "latin1");
  const start = text.indexOf('"');
  const end = text.lastIndexOf('"');
  if (start < 0 || end <= start) throw new Error(\`\${specifier}: no base64 literal\`);
  return text.slice(start + 1, end);
}
`,
      };
    });
  },
};

const i = process.argv.indexOf("--outdir");
await build({
  entryPoints: ["src/main.ts", "src/cli.ts"],
  outdir: i === -1 ? "dist" : process.argv[i + 1],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  tsconfig: "tsconfig.json",
  banner: {
    js: "import { createRequire as __atriumCreateRequire } from 'node:module'; const require = __atriumCreateRequire(import.meta.url);",
  },
  plugins: [
    ...(process.env.ATRIUM_BUILD_KEEP_WASM_MODULE === "1" ? [] : [prismaWasmOnce]),
    {
      name: "externalise-npm-dependencies",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@atrium/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
