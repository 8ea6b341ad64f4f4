// Jest 30 for every package (decision 0009): TypeScript compiled by @swc/jest to native ES
// modules, run with `node --experimental-vm-modules` (Jest's ESM mode). The swc options mirror
// tsconfig.base.json: legacy decorators with metadata (type-graphql) and class fields assigned
// in the constructor (useDefineForClassFields: false).
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Jest's module system cannot `require()` an ES module before Node 24.9 (Node itself can since
 * 20.19). A few CommonJS dependencies require ESM-only packages: `@fastify/static` requires
 * `content-disposition` 3, `light-my-request` (Fastify's inject) requires `cookie` 2. For each
 * such pair, that exact file is compiled to CommonJS once by swc (the transform we use anyway)
 * into node_modules/.cache, and jest.resolver.cjs answers the copy wherever the original file
 * would be resolved (another version of the same package, e.g. cookie 1, is left alone).
 *
 * @param {string} rootDir
 * @param {readonly { requiredBy: readonly string[]; module: string }[]} pairs `requiredBy`: the
 *   chain of packages from this one to the CommonJS requirer (each resolved from the previous).
 */
function writeCommonJsCopies(rootDir, pairs) {
  const fromPackage = createRequire(path.join(rootDir, "package.json"));
  const swc = fromPackage("@swc/core");
  const cache = path.join(root, "node_modules/.cache/atrium-jest");
  mkdirSync(cache, { recursive: true });
  /** @type {Record<string, string>} */
  const copies = {};
  for (const { requiredBy, module } of pairs) {
    let requirer = fromPackage;
    for (const name of requiredBy) requirer = createRequire(requirer.resolve(name));
    const source = realpathSync(requirer.resolve(module));
    const { code } = swc.transformSync(readFileSync(source, "utf8"), {
      filename: source,
      jsc: { parser: { syntax: "ecmascript" }, target: "es2022" },
      module: { type: "commonjs" },
    });
    const target = path.join(
      cache,
      `${path.basename(path.dirname(path.dirname(source)))}-${module.replace(/[^a-z0-9-]/gi, "_")}.cjs`,
    );
    writeFileSync(target, code);
    copies[source] = target;
  }
  const manifest = path.join(cache, `copies-${path.basename(rootDir)}.json`);
  writeFileSync(manifest, JSON.stringify(copies));
  return manifest;
}

/**
 * Hands the manifest to jest.resolver.cjs through the environment (Jest spawns its workers after
 * reading the configuration, so they inherit it). Returns no configuration of its own.
 *
 * @param {string} manifest
 */
function withCopiesManifest(manifest) {
  process.env["ATRIUM_JEST_COMMONJS_COPIES"] = manifest;
  return {};
}

/**
 * Turns the request-scope witness on for the test workers (packages/db/src/clients.ts): every
 * unit of work run inside a request must carry that request's scope. Returns no configuration.
 */
function withScopeWitness() {
  process.env["ATRIUM_SCOPE_WITNESS"] = "1";
  return {};
}

/**
 * @param {{ rootDir: string; database?: boolean; tsx?: boolean; testTimeout?: number; maxWorkers?: number; esmOnlyRequired?: readonly { requiredBy: readonly string[]; module: string }[]; testMatch?: string[] }} options
 * @returns {import("jest").Config}
 */
export function jestConfig({
  rootDir,
  database = false,
  tsx = false,
  testTimeout = 60_000,
  maxWorkers = 2,
  esmOnlyRequired = [],
  testMatch = ["<rootDir>/src/**/*.test.ts", "<rootDir>/src/**/*.test.tsx"],
}) {
  return {
    ...(esmOnlyRequired.length > 0
      ? {
          resolver: path.join(root, "jest.resolver.cjs"),
          ...withCopiesManifest(writeCommonJsCopies(rootDir, esmOnlyRequired)),
        }
      : {}),
    rootDir,
    testEnvironment: "node",
    testMatch,
    testPathIgnorePatterns: ["/node_modules/", "/dist/"],
    extensionsToTreatAsEsm: tsx ? [".ts", ".tsx"] : [".ts"],
    transform: {
      "^.+\\.tsx?$": [
        "@swc/jest",
        {
          jsc: {
            parser: { syntax: "typescript", tsx, decorators: true },
            target: "es2022",
            keepClassNames: true,
            // Keep `with { type: "json" }` on JSON imports (Node's ESM needs it).
            experimental: { keepImportAttributes: true },
            transform: {
              legacyDecorator: true,
              decoratorMetadata: true,
              useDefineForClassFields: false,
              ...(tsx ? { react: { runtime: "automatic" } } : {}),
            },
          },
          module: { type: "es6" },
          sourceMaps: "inline",
        },
      ],
    },
    ...(database
      ? {
          globalSetup: path.join(root, "packages/db/src/jest.global-setup.ts"),
          globalTeardown: path.join(root, "packages/db/src/jest.global-teardown.ts"),
          // The request-scope witness (packages/db/README.md, "The request scope"): workers inherit
          // the switch.
          ...withScopeWitness(),
          setupFilesAfterEnv: [path.join(root, "packages/db/src/jest.scope-witness.ts")],
        }
      : {}),
    testTimeout,
    maxWorkers,
    // Jest's ESM mode (vm modules) keeps every test file's module graph alive until its worker
    // ends: the API's two workers grew to 3.5 GB each over the suite, near V8's heap limit, where
    // they spent their time collecting garbage. A worker over this much after a file is replaced
    // by a fresh one.
    workerIdleMemoryLimit: "1200MB",
    coverageProvider: "v8",
    coverageDirectory: "<rootDir>/coverage",
    collectCoverageFrom: [
      "<rootDir>/src/**/*.{ts,tsx}",
      "!<rootDir>/src/**/*.test.{ts,tsx}",
      "!<rootDir>/src/generated/**",
      "!<rootDir>/src/gql/**",
    ],
    coverageReporters: ["text-summary", "lcov"],
    ci: true,
  };
}
