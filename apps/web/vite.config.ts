import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// In `pnpm dev` the API runs on its own port; everything that is not the SPA goes there.
const apiOrigin = "http://localhost:4000";
// Regexps, not prefixes: "/dev/mailbox" must not swallow the SPA page "/dev/mailbox-view".
const apiPaths = ["^/graphql", "^/dev/mailbox(\\?|$)", "^/healthz", "^/readyz", "^/forms(/|$)"];

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiOrigin, changeOrigin: false }])),
  },
  build: { outDir: "dist", sourcemap: true },
  test: { include: ["src/**/*.test.{ts,tsx}"], environment: "node" },
});
