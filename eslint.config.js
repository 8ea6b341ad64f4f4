// One type-checked ESLint config for every package (create-t3-turbo style).
import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/generated/**",
      "**/src/gql/**",
      "**/*.config.*",
      "**/*.mjs",
      "**/*.js",
      "turbo/generators/**",
    ],
  }, // turbo/generators: run and checked by pnpm check:generator
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from env.ts only." },
      ],
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
      // The composition root (server, principal resolution, scheduler, key rotation across
      // features) and the two platform jobs
      // that live with their feature: the public form's workspace look-up, the nightly sweep.
      "apps/api/src/services.ts",
      "apps/api/src/server.ts",
      "apps/api/src/principal.ts",
      "apps/api/src/scheduler.ts",
      "apps/api/src/credentials-rotation.ts",
      "apps/api/src/modules/leads/public-form.routes.ts",
      "apps/api/src/modules/retention/retention-sweep.ts",
      // Issue 50: an erasure destroys the person's audit keys, which the app role may not delete.
      "apps/api/src/modules/privacy/privacy-audit-erasure.ts",
      // Issue 50: the audit chain's export (one snapshot as the owner: the CLI, the checkpoint job).
      "apps/api/src/modules/audit/audit-chain.service.ts",
      // Platform-level data these features own: a user's second factors (like identity), the
      // platform's plans and the monthly release across workspaces, the denial/probe counters.
      "apps/api/src/modules/step-up/**",
      "apps/api/src/modules/usage/usage.service.ts",
      "apps/api/src/modules/access-explainer/access-explainer.service.ts",
      // The daily notification digest finds its recipients across workspaces (issue 47).
      "apps/api/src/modules/operators/notification-digest.ts",
      // The audit streams' minute sweep restarts every enabled stream's pump across workspaces (issue 50).
      "apps/api/src/modules/audit/audit-stream-sweep.ts",
      // The audit checkpoint job signs every workspace's moved hash chain (issue 50, decision 0053).
      "apps/api/src/modules/audit/audit-checkpoint-sweep.ts",
      // Single sign-on's sign-in (issue 49) routes an e-mail domain to its workspace before any
      // tenant context exists, like identity's sign-in by e-mail.
      "apps/api/src/modules/sso/sso-sign-in.ts",
      "apps/api/src/modules/sso/sso-sign-in.repository.ts",
      // The platform's own single sign-on settings (platform rows, like platform-admin's).
      "apps/api/src/modules/sso/platform-sso.service.ts",
      "apps/api/src/**/*.test.ts",
      "apps/api/src/test/**",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name='system']",
          message: "The system client is for identity and platform code only; use db.tenant().",
        },
        // Issue 53: one idiom for a row check that refuses. (ability.can stays for decisions that do not throw.)
        {
          selector:
            "IfStatement[test.operator='!'][test.argument.type='CallExpression'][test.argument.callee.property.name='can'][test.argument.arguments.1.type='CallExpression'][consequent.type='ThrowStatement']",
          message:
            "A row check that refuses is authorizeRow(ability, action, subject, row) (platform/authz/accessible.ts).",
        },
        {
          // The same with the throw in a block.
          selector:
            "IfStatement[test.operator='!'][test.argument.type='CallExpression'][test.argument.callee.property.name='can'][test.argument.arguments.1.type='CallExpression'][consequent.type='BlockStatement'][consequent.body.0.type='ThrowStatement']",
          message:
            "A row check that refuses is authorizeRow(ability, action, subject, row, message) (platform/authz/accessible.ts).",
        },
      ],
    },
  },
  {
    // Issue 53: features call the data API (platform/data.ts: inWorkspace, readInWorkspace,
    // inTenant, writeBatched, asJob, afterAnswer), never Db's own methods, and never see the
    // request's scope: it travels inside the access, actor or caller they hand on.
    files: ["apps/api/src/modules/**/*.ts"],
    ignores: ["apps/api/src/**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from env.ts only." },
        ...["tenant", "tenantRead", "tenantWrite", "tenantWriteBatched"].map((property) => ({
          property,
          message:
            "Features use the data API (platform/data.ts): inWorkspace, readInWorkspace, inTenant, writeBatched, asJob or afterAnswer.",
        })),
        { object: "db", property: "read", message: "Features use readInWorkspace (platform/data.ts)." },
        {
          property: "scope",
          message:
            "The request's scope is the data layer's business: hand on the access, actor or caller you were given.",
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@atrium/db",
              importNames: ["RequestScope", "RequestDeadline", "runScope", "witnessScope", "TenantContext"],
              message: "The request's scope is the data layer's business (platform/data.ts).",
            },
          ],
          patterns: [
            {
              group: ["**/platform/http/rest-errors*"],
              importNames: ["requestScope"],
              message: "A route hands on callerOf(req) or actorOf(req).",
            },
          ],
        },
      ],
    },
  },
  {
    // Layers (issue 10): platform/ is the framework the features stand on; it never imports a
    // feature. Features register at the composition root (src/schema.ts, src/server.ts,
    // src/services.ts, src/scheduler.ts), which is the only code that knows them all.
    files: ["apps/api/src/platform/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/modules/**"],
              message:
                "platform/ must not import a feature (modules/); register it at the composition root (src/*.ts) instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // Issue 48: every string the web app shows comes from a translation (src/i18n, English and
    // Spanish). Text in JSX and the attributes a person reads or hears (label, placeholder, title,
    // aria-*) must be t("…"); technical attributes are listed as exempt.
    files: ["apps/web/src/**/*.tsx"],
    ignores: ["**/*.test.tsx", "apps/web/src/platform/testing/**"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            exclude: [
              "className",
              "style",
              "type",
              "key",
              "id",
              "width",
              "height",
              "href",
              "to",
              "src",
              "rel",
              "target",
              "role",
              "name",
              "value",
              "defaultValue",
              "htmlFor",
              "autoComplete",
              "inputMode",
              "pattern",
              "method",
              "action",
              "accept",
              "lang",
              "dir",
              "side",
              "align",
              "variant",
              "size",
              "tone",
              "icon",
              "as",
              "mode",
              "kind",
              "state",
              "status",
              "viewBox",
              "d",
              "fill",
              "stroke",
              "strokeWidth",
              "xmlns",
              "data-.*",
              "aria-controls",
              "aria-describedby",
              "aria-labelledby",
              "aria-current",
              "aria-live",
              "aria-haspopup",
              "aria-sort",
              "aria-orientation",
              "aria-expanded",
              "aria-hidden",
              "aria-invalid",
              "aria-pressed",
              "aria-checked",
              "aria-selected",
              "aria-modal",
              "aria-busy",
              "aria-atomic",
              "aria-relevant",
              "aria-autocomplete",
              "aria-owns",
              "aria-activedescendant",
              "dataKey",
              "stroke.*",
              "fill.*",
              "x.*",
              "y.*",
              "orientation",
              "layout",
              "tickFormatter",
              "loading",
              "decoding",
              "enterKeyHint",
              "spellCheck",
              "wrap",
              "shortcut",
              "keys",
              "testId",
              "field",
              "column",
              "path",
              "route",
              "format",
              "sort",
              "scope",
              "scheme",
              "theme",
              "color",
              "capture",
              "download",
              "form",
              "list",
              "min",
              "max",
              "step",
              "crossOrigin",
              "referrerPolicy",
              "sandbox",
              "allow",
              "frameBorder",
            ],
          },
          words: {
            exclude: [
              "[0-9!-/:-@[-`{-~]+",
              "[A-Z_-]+",
              "Atrium",
              "Twilio",
              "Vapi",
              "Cal\\.com",
              "OpenAI",
              "WhatsApp",
              "GraphQL",
              "CSV",
              "SSO",
              "API",
              "URL",
              "ID",
              "OK",
              "⌘K",
              "·",
              "—",
              "–",
              "×",
              "→",
              "←",
              "…",
            ],
          },
        },
      ],
    },
  },
  {
    // Issue 53: features build their controls from the kit (platform/ui): Button, TextField,
    // Select, and Input / SelectInput / Checkbox / Radio where the page lays out the label itself,
    // so type="button" by default, the label/hint/error wiring and loading state live in one place.
    // A raw element that no kit component fits is allowed with
    // `// eslint-disable-next-line no-restricted-syntax -- <why>`.
    // The whole app but the kit itself (platform/ui), which draws the raw elements.
    files: ["apps/web/src/**/*.tsx"],
    ignores: ["**/*.test.tsx", "apps/web/src/platform/ui/**", "apps/web/src/platform/testing/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "JSXOpeningElement[name.name='button']", message: "Use the kit's Button (platform/ui)." },
        {
          selector: "JSXOpeningElement[name.name='input']",
          message: "Use the kit's TextField, or Input / Checkbox / Radio (platform/ui).",
        },
        {
          selector: "JSXOpeningElement[name.name='select']",
          message: "Use the kit's Select, or SelectInput (platform/ui).",
        },
      ],
    },
  },
  {
    files: [
      "**/env.ts",
      "**/*.test.ts",
      "**/*.resilience.ts",
      "**/testing.ts",
      "**/jest.global-setup.ts",
      "**/test/**",
      "bench/**",
      "apps/e2e/**",
      "packages/db/src/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);
