// The repository's one config. Its path-scoped rules name files from the repository root
// ("apps/api/src/…"); `pnpm lint` runs ESLint here, where paths are relative to apps/api, so
// those patterns are re-rooted — without this, the layer and system-client rules matched nothing.
import root from "../../eslint.config.js";

const PREFIX = "apps/api/";
const reroot = (patterns) =>
  patterns?.map((p) => (typeof p === "string" && p.startsWith(PREFIX) ? p.slice(PREFIX.length) : p));

const rerooted = root.map((config) => ({
  ...config,
  ...(config.files ? { files: reroot(config.files) } : {}),
  ...(config.ignores ? { ignores: reroot(config.ignores) } : {}),
}));

// Issue 10: a feature's data access lives in its `<feature>.repository.ts`, the only file of the
// feature that calls Prisma; services hold the rules. Without type information a model call is
// told from a service call (`ctx.services.members.update`) or a map (`caches.apiKeys.delete`) by
// its receiver: `<client>.<model>.<method>(…)` on a client named like one (tx, system, db.system…).
const PRISMA_METHODS =
  "findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy";
const REPOSITORY_ONLY =
  "Prisma is called from the feature's <feature>.repository.ts only: add a repository function there and call it from here.";
const modelCall = `CallExpression[callee.type='MemberExpression'][callee.property.name=/^(${PRISMA_METHODS})$/][callee.object.type='MemberExpression'][callee.object.computed=false]`;
const repositoryOnly = [
  {
    selector: `${modelCall}[callee.object.object.type='Identifier'][callee.object.object.name=/^(tx|trx|system|prisma|client|db)$/]`,
    message: REPOSITORY_ONLY,
  },
  {
    selector: `${modelCall}[callee.object.object.type='MemberExpression'][callee.object.object.property.name=/^(system|prisma)$/]`,
    message: REPOSITORY_ONLY,
  },
  {
    selector: "CallExpression[callee.property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/]",
    message: REPOSITORY_ONLY,
  },
  { selector: "TaggedTemplateExpression[tag.property.name=/^\\$(queryRaw|executeRaw)$/]", message: REPOSITORY_ONLY },
];
const features = { files: ["src/modules/**/*.ts"], ignores: ["src/modules/**/*.repository.ts", "src/**/*.test.ts"] };
// A later config replaces a rule's options instead of adding to them: where the system-client
// rule (root config) also applies, the feature files get both lists.
const systemClient = rerooted.find((config) => config.rules?.["no-restricted-syntax"]);
const [, ...systemClientSelectors] = systemClient.rules["no-restricted-syntax"];

export default [
  ...rerooted,
  { ...features, rules: { "no-restricted-syntax": ["error", ...repositoryOnly] } },
  {
    ...features,
    ignores: [...features.ignores, ...systemClient.ignores],
    rules: { "no-restricted-syntax": ["error", ...systemClientSelectors, ...repositoryOnly] },
  },
];
