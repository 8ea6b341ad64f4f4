// `pnpm turbo gen workspace-feature` (or `pnpm gen:feature <name>`): a workspace-scoped feature
// that works and is tested the day it is generated — table (enable_tenant_rls), Prisma model,
// repository, service, resolver, registration in the composition root, and an int test. It follows
// docs/guides/adding-a-workspace-feature.md step by step; `pnpm check:generator` generates one into
// a scratch worktree and runs its checks (scripts/check-generator.mjs).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PlopTypes } from "@turbo/gen";

const NAME = /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/;
const RESERVED = new Set([
  "template",
  "lead",
  "contact",
  "campaign",
  "member",
  "workspace",
  "webhook",
  "booking",
  "conversation",
  "message",
]);

/** The names of a feature, from its singular kebab-case noun ("project-note"). */
export function namesOf(name: string) {
  const words = name.split("-");
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  const Pascal = words.map(cap).join("");
  const camel = Pascal[0]!.toLowerCase() + Pascal.slice(1);
  return {
    kebab: name,
    kebabPlural: `${name}s`,
    snakePlural: `${words.join("_")}s`,
    Pascal,
    PascalPlural: `${Pascal}s`,
    camel,
    camelPlural: `${camel}s`,
    human: words.join(" "),
    humanPlural: `${words.join(" ")}s`,
    Human: cap(words.join(" ")),
    audit: words.join("_"),
    CONST: words.join("_").toUpperCase(),
  };
}

/** A migration name after every existing one (YYYYMMDDHHMMSS, UTC): now, or a minute after the last. */
export function nextMigrationStamp(root: string, now = new Date()): string {
  const fmt = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const last = readdirSync(path.join(root, "prisma/migrations"))
    .filter((d) => /^\d{14}_/.test(d))
    .sort()
    .at(-1)
    ?.slice(0, 14);
  if (!last || fmt(now) > last) return fmt(now);
  const t = new Date(
    Date.UTC(
      +last.slice(0, 4),
      +last.slice(4, 6) - 1,
      +last.slice(6, 8),
      +last.slice(8, 10),
      +last.slice(10, 12),
      +last.slice(12, 14),
    ),
  );
  return fmt(new Date(t.getTime() + 60_000));
}

/** An edit of an existing file that fails when its anchor is gone (plop's "modify" would pass silently). */
function edit(
  plop: PlopTypes.NodePlopAPI,
  file: string,
  pattern: RegExp,
  template: string,
): PlopTypes.CustomActionFunction {
  return (answers) => {
    const text = readFileSync(file, "utf8");
    if (!pattern.test(text))
      throw new Error(
        `${file}: the anchor ${String(pattern)} is not there any more; update turbo/generators/config.ts`,
      );
    writeFileSync(file, text.replace(pattern, plop.renderString(template, answers)));
    return `${path.relative(process.cwd(), file)} (edited)`;
  };
}

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  plop.setGenerator("workspace-feature", {
    description:
      "A workspace-scoped feature: table with tenant RLS, model, repository, service, resolver, registration, int test",
    prompts: [
      {
        type: "input",
        name: "name",
        message: "The feature's noun, singular, kebab-case (e.g. project-note):",
        validate: (v: string) =>
          NAME.test(v) && !RESERVED.has(v)
            ? true
            : "lower-case words joined by '-', starting with a letter, not an existing feature's noun",
      },
    ],
    actions: (answers) => {
      const a = answers as { name: string; turbo: { paths: { root: string } } };
      if (!NAME.test(a.name)) throw new Error(`workspace-feature: "${a.name}" is not a kebab-case noun`);
      const root = a.turbo.paths.root;
      const n = namesOf(a.name);
      Object.assign(answers, { n, migration: `${nextMigrationStamp(root)}_${n.snakePlural}` });
      const mod = `${root}/apps/api/src/modules/${n.kebabPlural}`;
      const tpl = (f: string) => `templates/${f}.hbs`;
      return [
        {
          type: "add",
          path: `${root}/prisma/migrations/{{migration}}/migration.sql`,
          templateFile: tpl("migration.sql"),
        },
        { type: "append", path: `${root}/prisma/schema.prisma`, templateFile: tpl("model.prisma") },
        // The Workspace model's side of the relation: after its last field, before its first @@ line.
        edit(
          plop,
          `${root}/prisma/schema.prisma`,
          /(model Workspace \{\n(?:(?!\n\})[\s\S])*?\n)(\n {2}@@)/,
          "$1  {{n.camelPlural}} {{n.Pascal}}[]\n$2",
        ),
        { type: "add", path: `${mod}/${n.kebabPlural}.types.ts`, templateFile: tpl("types.ts") },
        { type: "add", path: `${mod}/${n.kebabPlural}.repository.ts`, templateFile: tpl("repository.ts") },
        { type: "add", path: `${mod}/${n.kebabPlural}.service.ts`, templateFile: tpl("service.ts") },
        { type: "add", path: `${mod}/${n.kebabPlural}.resolver.ts`, templateFile: tpl("resolver.ts") },
        { type: "add", path: `${mod}/${n.kebabPlural}.int.test.ts`, templateFile: tpl("int.test.ts") },
        // Registration in the composition root: the service graph and the schema's resolvers.
        edit(
          plop,
          `${root}/apps/api/src/services.ts`,
          /((?:^import [^\n]*\n)+)/m,
          '$1import { create{{n.PascalPlural}}Service } from "./modules/{{n.kebabPlural}}/{{n.kebabPlural}}.service.ts";\n',
        ),
        edit(
          plop,
          `${root}/apps/api/src/services.ts`,
          /(\n {2}return \{\n)/,
          "$1    {{n.camelPlural}}: create{{n.PascalPlural}}Service({ db }),\n",
        ),
        edit(
          plop,
          `${root}/apps/api/src/schema.ts`,
          /((?:^import [^\n]*\n)+)/m,
          '$1import { {{n.PascalPlural}}Resolver } from "./modules/{{n.kebabPlural}}/{{n.kebabPlural}}.resolver.ts";\n',
        ),
        edit(
          plop,
          `${root}/apps/api/src/schema.ts`,
          /(export const resolvers = \[[^\]]*)(\] as const;)/,
          "$1, {{n.PascalPlural}}Resolver$2",
        ),
        // The house format (prettier, with sorted imports), as `pnpm lint` checks it.
        () => {
          execFileSync(
            "npx",
            ["prettier", "--write", mod, `${root}/apps/api/src/services.ts`, `${root}/apps/api/src/schema.ts`],
            { cwd: root, stdio: "ignore" },
          );
          return "formatted with prettier";
        },
        () =>
          [
            `${n.humanPlural}: generated. Next (docs/guides/adding-a-workspace-feature.md):`,
            "  pnpm db:generate && pnpm emit-schema   # Prisma client, committed schema.graphql",
            "  the permission snapshot: apps/api src/schema-contract.test.ts with -u, then review its diff",
            `  cd apps/api && node --experimental-vm-modules ./node_modules/jest/bin/jest.js src/modules/${n.kebabPlural}`,
            "  then: fields, validation rules (packages/validation), a policy of its own if it needs one, the web page, pnpm manifest.",
          ].join("\n"),
      ];
    },
  });
}
