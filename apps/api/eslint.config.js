// The repository's one config. Its path-scoped rules name files from the repository root
// ("apps/api/src/…"); `pnpm lint` runs ESLint here, where paths are relative to apps/api, so
// those patterns are re-rooted — without this, the layer and system-client rules matched nothing.
import root from "../../eslint.config.js";

const PREFIX = "apps/api/";
const reroot = (patterns) => patterns?.map((p) => (typeof p === "string" && p.startsWith(PREFIX) ? p.slice(PREFIX.length) : p));

export default root.map((config) => ({
  ...config,
  ...(config.files ? { files: reroot(config.files) } : {}),
  ...(config.ignores ? { ignores: reroot(config.ignores) } : {}),
}));
