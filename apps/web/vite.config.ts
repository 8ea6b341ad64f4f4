import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

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
  build: {
    outDir: "dist",
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Vendor code changes less often than the app: separate chunks stay cached across deploys.
        // `entriesAware` keeps vendor code used only by a lazy route (the playground's GraphiQL and
        // Monaco) in that route's own vendor chunk instead of the one every page loads.
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
