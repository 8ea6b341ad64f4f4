// Issue 45, item 4: documented page sizes fit under the cost limit. Generated from the schema
// (every paged root list at its maximum page with its richest selection) and from the web app's
// own operations (the trusted-documents manifest); a range violation is reported as such before
// any cost; a cost refusal says "cost" and carries the figures.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  getNamedType,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  parse,
  validate,
  type GraphQLNamedType,
} from "graphql";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { getSchema } from "../../schema.ts";
import { codeOf, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { call, OPS } from "../../test/operations.ts";
import { costLimitRule } from "./cost-limit.ts";
import { MAX_PAGE } from "./cursor.ts";

const schema = await getSchema();
const LIMIT = 5000;

/** Every field that needs no argument, objects followed to `depth` (a type is not re-entered). */
function richest(type: GraphQLNamedType, depth: number, seen: readonly string[] = []): string {
  if (!isObjectType(type) && !isInterfaceType(type)) return "";
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => a.type.toString().endsWith("!") && a.defaultValue === undefined)) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner) || isEnumType(inner)) parts.push(field.name);
    else if (depth > 0 && !seen.includes(inner.name)) {
      const sub = richest(inner, depth - 1, [...seen, type.name]);
      if (sub) parts.push(`${field.name} { ${sub} }`);
    }
  }
  return parts.join(" ");
}

const PAGED = OPS.filter((op) => op.kind === "query" && op.field.args.some((a) => a.name === "first"));
const manifest = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../trusted-documents.json"), "utf8"),
) as Record<string, string>;

describe("the cost limit", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let ids: Record<string, string>;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Costs");
    const contact = (
      await ownerSql<{ id: string }>(api, `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'C') RETURNING id`, [
        ws.id,
      ])
    )[0]!.id;
    const conversationId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    const leadId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source) VALUES ($1, $2, 'L', 'FORM') RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    const endpointId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://example.com/hook', '{lead.created}', 'x') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    ids = { conversationId, leadId, endpointId, contactId: contact };
  });
  afterAll(async () => api.close());

  it("finds the paged lists and the web app's operations", () => {
    expect(PAGED.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        "Query.leads",
        "Query.contacts",
        "Query.conversations",
        "Query.messages",
        "Query.auditEvents",
      ]),
    );
    expect(Object.keys(manifest).length).toBeGreaterThanOrEqual(20);
  });

  it.each(PAGED.map((op) => [op.name, op] as const))(
    "%s answers its maximum page with its richest selection",
    async (_name, op) => {
      const selection = richest(getNamedType(op.field.type), 4);
      const { document, variables } = call(op, { workspaceId: ws.id, slug: ws.slug, ids });
      // The page size as a literal (what the web app's variable stands for), the richest selection.
      const doc = document
        .replace(/(, )?\$first: Int(, )?/, (_m, before?: string, after?: string) => (before && after ? ", " : ""))
        .replace("first: $first", `first: ${MAX_PAGE}`)
        .replace(/ \{ __typename \} \}$/, ` { ${selection} } }`);
      const r = await api.gql(doc, variables, { token: owner.token });
      expect(r.errors, doc).toBeUndefined();
    },
  );

  it("passes every operation of the web app, page-size variables counted at their maximum", () => {
    const refused = Object.entries(manifest).flatMap(([hash, text]) =>
      validate(schema, parse(text), [costLimitRule(LIMIT)]).map((e) => `${hash}: ${e.message}`),
    );
    expect(refused).toEqual([]);
  });

  it("reports a page size out of range as such, before any cost", async () => {
    for (const first of [100000, 101, 0, -1]) {
      const r = await api.gql(
        `query($w: ID!) { leads(workspaceId: $w, first: ${first}) { edges { node { id contact { id } } } } }`,
        { w: ws.id },
        { token: owner.token },
      );
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]!.message).toBe(`first must be between 1 and ${MAX_PAGE}.`);
      expect(r.errors![0]!.extensions).toMatchObject({ fields: { first: "out of range" } });
    }
  });

  it("refuses an operation over the limit with its cost and the limit, never as a syntax error", async () => {
    const page = `leads(workspaceId: $w, first: 100) { ...Page }`;
    const doc = `query($w: ID!) { ${Array.from({ length: 10 }, (_, i) => `a${i}: ${page}`).join(" ")} } fragment Page on LeadConnection { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name contact { id name } qualificationAnswers { question } } } }`;
    const r = await api.gql(doc, { w: ws.id }, { token: owner.token });
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    const e = r.errors![0]!;
    expect(e.message).toMatch(/cost/);
    expect(e.message).not.toMatch(/Syntax Error/);
    expect(e.extensions).toMatchObject({ reason: "COST_LIMIT", limit: LIMIT });
    expect(e.extensions!.cost as number).toBeGreaterThan(LIMIT);
    // The same page once is well within it.
    const once = await api.gql(
      `query($w: ID!) { a0: ${page} } fragment Page on LeadConnection { totalCount edges { node { id contact { id } } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(once.errors).toBeUndefined();
  });

  it("counts a page-size variable at the maximum page, so a variable cannot dodge the limit", () => {
    const many = (first: string) =>
      `query($w: ID!, $n: Int) { ${Array.from({ length: 10 }, (_, i) => `a${i}: leads(workspaceId: $w, first: ${first}) { pageInfo { hasNextPage } edges { node { id contact { id } qualificationAnswers { question } } } }`).join(" ")} }`;
    const cost = (text: string) =>
      validate(schema, parse(text), [costLimitRule(LIMIT)]).map(
        (e) => (e.originalError as { extensions?: { cost?: number } } | undefined)?.extensions?.cost,
      );
    expect(cost(many("$n"))).toEqual(cost(many("100")));
    expect(cost(many("$n"))[0]).toBeGreaterThan(LIMIT);
  });
});
