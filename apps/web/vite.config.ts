import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import react from "@vitejs/plugin-react";
import { parse } from "graphql";
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
      const files = (await readdir(outDir, { recursive: true })).filter((f) =>
        /\.(js|css|html|svg|json|txt|wasm)$/.test(f),
      );
      await Promise.all(
        files.map(async (f) => {
          const file = path.join(outDir, f);
          const data = await readFile(file);
          if (data.length < 1024) return;
          const [br, gzipped] = await Promise.all([
            brotli(data, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
            }),
            gz(data, { level: 9 }),
          ]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
        }),
      );
    },
  };
}

/**
 * `graphql(\`query Me { … }\`)` (the client preset's src/gql/gql.ts) becomes an import of that one
 * document (`MeDocument` of src/gql/graphql.ts, as a virtual module of its own), as the preset's
 * Babel plugin does (plugin-react 6 has no Babel). gql.ts looks documents up in one map of all of
 * them, so every document of the app was in the entry chunk: 428 KB of objects built before the
 * first render, 21 KB brotli of the sign-in budget (decision 0044). One module per document puts
 * each in the chunk that uses it (graphql.ts imported as a whole would be one chunk of them all).
 * The same objects, so the requests and their persisted-document hashes do not change. The
 * replacement keeps every line where it was, so the hidden source maps stay right to the line.
 */
function graphqlDocuments(): Plugin {
  const generated = path.resolve(import.meta.dirname, "src/gql/graphql.ts");
  const prefix = "\0atrium-document:";
  // name → the document's JSON, from the lines `export const MeDocument = {…} as unknown as DocumentNode<…>;`
  let documents: Promise<Map<string, string>> | undefined;
  const read = () =>
    (documents ??= readFile(generated, "utf8").then(
      (text) =>
        new Map(
          [...text.matchAll(/^export const (\w+) = (\{.*\}) as unknown as DocumentNode<[^;]*>;$/gm)].map((m) => [
            m[1]!,
            m[2]!,
          ]),
        ),
    ));
  return {
    name: "atrium-graphql-documents",
    enforce: "pre",
    resolveId: (id) => (id.startsWith(prefix) ? id : null),
    async load(id) {
      if (!id.startsWith(prefix)) return null;
      const json = (await read()).get(id.slice(prefix.length));
      return json === undefined ? null : `export default ${json};`;
    },
    async transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.includes(`${path.sep}gql${path.sep}`) || !code.includes("graphql(`")) return null;
      const names = await read();
      const used = new Set<string>();
      const replaced = code.replace(/\bgraphql\(\s*`([^`]*)`\s*\)/g, (call: string, source: string) => {
        const definition = parse(source).definitions[0];
        const base =
          definition?.kind === "OperationDefinition" || definition?.kind === "FragmentDefinition"
            ? definition.name?.value
            : undefined;
        const suffix = definition?.kind === "FragmentDefinition" ? "FragmentDoc" : "Document";
        const name =
          base === undefined
            ? undefined
            : [`${base}${suffix}`, `${base[0]!.toUpperCase()}${base.slice(1)}${suffix}`].find((n) => names.has(n));
        if (name === undefined)
          this.error(
            `${id}: no document in src/gql/graphql.ts for graphql(\`${source.trim().split("\n")[0]}…\`); run pnpm codegen`,
          );
        used.add(name);
        return `__document_${name}${"\n".repeat(call.split("\n").length - 1)}`;
      });
      const imports = [...used]
        .map((name) => `import __document_${name} from ${JSON.stringify(prefix + name)};`)
        .join(" ");
      return { code: `${imports}${replaced}`, map: null };
    },
  };
}

// In `pnpm dev` the API runs on its own port; everything that is not the SPA goes there.
const apiOrigin = "http://localhost:4000";
// Regexps, not prefixes: "/dev/mailbox" must not swallow the SPA page "/dev/mailbox-view".
const apiPaths = ["^/graphql", "^/api/", "^/dev/mailbox(\\?|$)", "^/healthz", "^/readyz", "^/forms(/|$)"];

export default defineConfig({
  plugins: [graphqlDocuments(), react(), precompress()],
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
        chunkFileNames: (chunk) =>
          chunk.name.startsWith("vendor~") ? "assets/vendor-[hash].js" : "assets/[name]-[hash].js",
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
