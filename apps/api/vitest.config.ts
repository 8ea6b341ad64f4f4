import { defineConfig } from "vitest/config";

export default defineConfig({
  // Node resolves `graphql` to its CommonJS build (no "exports" map); Vite would pick the ESM
  // "module" build for our files while type-graphql requires the CJS one: two realms. Match Node.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    globalSetup: ["../../packages/db/src/vitest.global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database and server; two at a time suits the 2-core machines.
    maxWorkers: 2,
  },
});
