import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Precompressed copies next to every text asset over 1 KB (issue 15): `x.js.br` and `x.js.gz`,
 * served by the API (@fastify/static `preCompressed`) to clients that accept them, so no request
 * pays for compression and brotli can use its best (slowest) level once, at build time.
 */
function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "atrium-precompress",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => /\.(js|css|html|svg|json|txt|wasm)$/.test(f));
      await Promise.all(
        files.map(async (f) => {
          const file = path.join(outDir, f);
          const data = await readFile(file);
          if (data.length < 1024) return;
          const [br, gzipped] = await Promise.all([brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }), gz(data, { level: 9 })]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
        }),
      );
    },
  };
}

// In `pnpm dev` the API runs on its own port; everything that is not the SPA goes there.
const apiOrigin = "http://localhost:4000";
// Regexps, not prefixes: "/dev/mailbox" must not swallow the SPA page "/dev/mailbox-view".
const apiPaths = ["^/graphql", "^/api/", "^/dev/mailbox(\\?|$)", "^/healthz", "^/readyz", "^/forms(/|$)"];

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiOrigin, changeOrigin: false }])),
  },
  build: {
    outDir: "dist",
    // Maps for error reports, without the sourceMappingURL comment; the API never serves them in
    // production (and precompress() skips them).
    sourcemap: "hidden",
    rolldownOptions: {
      // @atrium/validation is schemas and pure functions, and re2js (its safety-rule matcher) a
      // library without top-level effects, but neither package.json says so ("sideEffects":
      // false). Without this every module of both is kept wherever one schema is imported — the
      // sign-in form's — which put re2js (~39 KB brotli) before the sign-in form, over the budget.
      // With it, re2js is bundled with the page that matches rules (safety rules).
      treeshake: { moduleSideEffects: [{ test: /[\\/](re2js|packages[\\/]validation)[\\/]/, sideEffects: false }] },
      output: {
        // Vendor code changes less often than the app: separate chunks stay cached across deploys.
        // `entriesAware` keeps vendor code used only by a lazy route (the playground's GraphiQL and
        // Monaco) in that route's own vendor chunk instead of the one every page loads.
        // A vendor chunk shared by several routes is named after all of them by default (100+
        // characters); every lazy route's import lists the files it needs by name in the entry
        // chunk, so those names were kilobytes before the sign-in form (decision 0044).
        chunkFileNames: (chunk) => (chunk.name.startsWith("vendor~") ? "assets/vendor-[hash].js" : "assets/[name]-[hash].js"),
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
            { name: "graphql", test: /node_modules[\\/](@apollo|graphql|rxjs|@wry|optimism)[\\/]/ },
            { name: "vendor", test: /node_modules[\\/]/, entriesAware: true },
          ],
        },
      },
    },
  },
});
