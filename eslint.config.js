// One type-checked ESLint config for every package (create-t3-turbo style).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/generated/**", "**/src/gql/**", "**/*.config.*", "**/*.mjs", "**/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration from env.ts only." }],
    },
  },
  {
    // The owner-role system client bypasses RLS. Only identity, platform plumbing (mail, rate
    // limits, platform audit, health/dev routes) and tests may touch it (docs/security/tenancy.md).
    files: ["apps/api/src/**/*.ts"],
    ignores: [
      "apps/api/src/modules/identity/**",
      "apps/api/src/modules/platform-admin/**",
      "apps/api/src/cli.ts",
      "apps/api/src/platform/**",
      "apps/api/src/services.ts",
      "apps/api/src/**/*.test.ts",
      "apps/api/src/test/**",
    ],
    rules: {
      "no-restricted-syntax": ["error", { selector: "MemberExpression[property.name='system']", message: "The system client is for identity and platform code only; use db.tenant()." }],
    },
  },
  {
    files: ["**/env.ts", "**/*.test.ts", "**/*.resilience.ts", "**/testing.ts", "**/jest.global-setup.ts", "**/test/**", "bench/**", "apps/e2e/**", "packages/db/src/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
