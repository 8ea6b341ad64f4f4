// The repository's one config, its path-scoped rules re-rooted: they name files from the
// repository root ("apps/web/src/…"), and `pnpm lint` runs ESLint here, where paths are relative
// to apps/web — without this, the translation and raw-element rules matched nothing (as in
// apps/api/eslint.config.js).
import root from "../../eslint.config.js";

const PREFIX = "apps/web/";
const reroot = (patterns) =>
  patterns?.map((p) => (typeof p === "string" && p.startsWith(PREFIX) ? p.slice(PREFIX.length) : p));

export default root.map((config) => ({
  ...config,
  ...(config.files ? { files: reroot(config.files) } : {}),
  ...(config.ignores ? { ignores: reroot(config.ignores) } : {}),
}));
