// selectedFields and selectsField read the resolver's real GraphQLResolveInfo: here graphql-js
// executes documents against a small connection schema and the resolver records what they report.
import { buildSchema, graphql, type GraphQLResolveInfo } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { selectedFields, selectsField } from "./selection.ts";

const schema = buildSchema(`
  type Contact { id: ID! email: String phone: String }
  type Lead { id: ID! name: String! email: String createdAt: String! contact: Contact! }
  type LeadEdge { cursor: String! node: Lead! }
  type LeadConnection { totalCount: Int! edges: [LeadEdge!]! }
  type Query { leads: LeadConnection! }
`);

async function seen(document: string, variables: Record<string, unknown> = {}) {
  let info: GraphQLResolveInfo | undefined;
  const result = await graphql({
    schema,
    source: document,
    variableValues: variables,
    rootValue: {
      leads: (_args: unknown, _ctx: unknown, i: GraphQLResolveInfo) => {
        info = i;
        return { totalCount: 0, edges: [] };
      },
    },
  });
  expect(result.errors).toBeUndefined();
  const sorted = (s: ReadonlySet<string> | undefined) => s && [...s].sort();
  return {
    node: sorted(selectedFields(info!, ["edges", "node"])),
    contact: sorted(selectedFields(info!, ["edges", "node", "contact"])),
    total: selectsField(info!, "totalCount"),
  };
}

describe("selectedFields", () => {
  it("names the fields at a path, by their schema names whatever the aliases", async () => {
    expect(await seen(`{ leads { edges { node { id who: name contact { phone } } } } }`)).toEqual({
      node: ["contact", "id", "name"],
      contact: ["phone"],
      total: false,
    });
  });

  it("reads through named and inline fragments, at every level of the path, and merges repeated fields", async () => {
    const doc = `
      fragment L on Lead { email contact { ...C } }
      fragment C on Contact { email }
      fragment E on LeadConnection { edges { node { createdAt } } }
      { leads { totalCount ...E edges { ... on LeadEdge { node { ...L ... { id } } } } edges { node { contact { id } } } } }`;
    expect(await seen(doc)).toEqual({
      node: ["contact", "createdAt", "email", "id"],
      contact: ["email", "id"],
      total: true,
    });
  });

  it("counts a field under @skip or @include whatever the variable (more columns, never fewer)", async () => {
    const doc = `query($s: Boolean!) { leads { edges { node { id email @skip(if: $s) name @include(if: $s) } } } }`;
    for (const s of [true, false]) expect((await seen(doc, { s })).node).toEqual(["email", "id", "name"]);
  });

  it("follows a path through aliased fields", async () => {
    expect(await seen(`{ leads { all: edges { lead: node { n: name c: contact { e: email } } } } }`)).toEqual({
      node: ["contact", "name"],
      contact: ["email"],
      total: false,
    });
  });

  it("is empty when nothing at the path is selected", async () => {
    expect(await seen(`{ leads { totalCount } }`)).toEqual({ node: [], contact: [], total: true });
  });
});
