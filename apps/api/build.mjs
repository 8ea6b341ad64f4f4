// Bundles the API (and the workspace packages it imports as TypeScript source) into
// dist/main.js; npm dependencies stay external and load from node_modules.
// `--outdir <dir>`: elsewhere than dist/ (tests that spawn the product: src/test/built.ts). The
// directory must sit beside dist/ (apps/api/<dir>): paths are resolved from the bundle's place.
import { build } from "esbuild";

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
