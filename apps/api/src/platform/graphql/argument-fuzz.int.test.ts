// Bad-input fuzz over the committed schema (issue 9). Generated from apps/api/schema.graphql: for
// every Query and Mutation field, every String/ID position — top-level arguments, input-object
// fields at any depth, list elements — gets NUL, a lone surrogate, a 1 MB string and wrong types
// (number, object, list), plus the longest string the boundary accepts, with valid values in every
// other argument, as a workspace owner who is also a platform admin (and, where a probe reaches
// the resolvers, again with an API key). A new operation is covered the day it is added.
//
// Every answer must be a typed client error (or a success): never INTERNAL_SERVER_ERROR, never a
// 5xx. The text probes must be refused with BAD_USER_INPUT naming the field.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";

import { repoRoot } from "@atrium/db";
import { POLICY_CATALOG } from "@atrium/policies";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { addMember, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { ErrorCode } from "../errors.ts";
import { ID_MAX_LENGTH, TEXT_MAX_LENGTH } from "../text-input.ts";

const schema = buildSchema(readFileSync(path.join(repoRoot, "apps/api/schema.graphql"), "utf8"));
const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR));

type PathStep = string | number;
interface Slot {
  /** Path from the argument name down to the String/ID value (numbers: list elements). */
  path: PathStep[];
  scalar: "String" | "ID";
}
interface Probe {
  name: string;
  value: (slot: Slot) => unknown;
  /** NUL, surrogate, 1 MB: refused at the boundary, naming the field. */
  text: boolean;
  /** Reaches resolvers (accepted by coercion and the text rule): also tried with an API key. */
  reachesResolvers: boolean;
}

const PROBES: Probe[] = [
  { name: "NUL", value: () => "a\u0000b", text: true, reachesResolvers: false },
  { name: "lone surrogate", value: () => "w\ud800", text: true, reachesResolvers: false },
  { name: "1 MB string", value: () => "a".repeat(1_000_000), text: true, reachesResolvers: false },
  { name: "number", value: () => 12345, text: false, reachesResolvers: true }, // an ID accepts it ("12345")
  { name: "object", value: () => ({ x: "y" }), text: false, reachesResolvers: false },
  { name: "list", value: () => ["a", "b"], text: false, reachesResolvers: false },
  {
    name: "longest accepted",
    value: (s) => "a".repeat(s.scalar === "ID" ? ID_MAX_LENGTH : TEXT_MAX_LENGTH),
    text: false,
    reachesResolvers: true,
  },
];

/** Every String/ID position reachable from an argument type (recursion-safe). */
function slotsOf(type: GraphQLInputType, at: PathStep[], depth = 0): Slot[] {
  if (depth > 6) return [];
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) return slotsOf(t.ofType, [...at, 0], depth + 1);
  if (isInputObjectType(t))
    return Object.values(t.getFields()).flatMap((f) => slotsOf(f.type, [...at, f.name], depth + 1));
  if (isScalarType(t) && (t.name === "String" || t.name === "ID")) return [{ path: at, scalar: t.name }];
  return [];
}

/** The field key the server must name: the path through objects, without list indexes. */
const fieldKey = (slot: Slot) => slot.path.filter((s): s is string => typeof s === "string").join(".");

interface Seeds {
  workspaceId: string;
  workspaceSlug: string;
  memberUserId: string;
  conversationId: string;
}

/** A plausible value for a string named `name` (only the probed position carries bad input). */
function validString(name: string): string {
  const byName: Record<string, string> = {
    email: "fuzz-target@example.com",
    password: "correct horse battery staple",
    name: "Fuzz",
    agentName: "Ava",
    agentRole: "Receptionist",
    tone: "FRIENDLY",
    token: "not-a-token",
    // Never the real slug: a probe must not be able to confirm a deletion.
    confirmSlug: "not-the-slug",
    action: "read",
    subject: "Workspace",
    from: "2026-01-01",
    to: "2026-01-31",
    body: "Hello",
    message: "Hello",
    url: "http://127.0.0.1:9/hook",
  };
  return byName[name] ?? "fuzz";
}

function validValue(
  type: GraphQLInputType,
  name: string,
  seeds: Seeds,
  opName: string,
  hasWorkspaceArg: boolean,
): unknown {
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) {
    if (name === "scopes") return ["lead.read"];
    if (name === "policies") return [];
    return [validValue(t.ofType, name, seeds, opName, hasWorkspaceArg)];
  }
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined)
        out[f.name] = validValue(f.type, f.name, seeds, opName, hasWorkspaceArg);
    }
    return out;
  }
  if (isEnumType(t)) return t.getValues()[0]!.name;
  if (isScalarType(t)) {
    switch (t.name) {
      case "ID":
        if (name === "workspaceId" || (name === "id" && !hasWorkspaceArg)) return seeds.workspaceId;
        if (name === "userId") return seeds.memberUserId;
        if (name === "conversationId") return seeds.conversationId;
        return randomUUID();
      case "String":
        return name === "slug" ? seeds.workspaceSlug : validString(name);
      case "Int":
        return 1;
      case "Float":
        return 1;
      case "Boolean":
        return false;
      case "DateTimeISO":
        return new Date(Date.now() + 86_400_000).toISOString();
      default:
        return "x";
    }
  }
  return null;
}

/**
 * Fills, along `path`, every nested input object the value lacks with its valid value, so a probe
 * deep inside an optional member (e.g. setIntegration's input.twilio.authToken) arrives beside
 * that member's required fields and reaches the boundary instead of failing coercion.
 */
function fillAlong(
  type: GraphQLInputType,
  value: unknown,
  path: PathStep[],
  seeds: Seeds,
  opName: string,
  hasWorkspaceArg: boolean,
): unknown {
  const t = isNonNullType(type) ? type.ofType : type;
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (isListType(t)) {
    const list = Array.isArray(value) && value.length > 0 ? [...(value as unknown[])] : [undefined];
    list[0] = fillAlong(t.ofType, list[0], rest, seeds, opName, hasWorkspaceArg);
    return list;
  }
  if (isInputObjectType(t) && typeof head === "string") {
    const obj =
      value && typeof value === "object" && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
    const f = t.getFields()[head];
    if (!f) return obj;
    const inner = isNonNullType(f.type) ? f.type.ofType : f.type;
    if (obj[head] === undefined && isInputObjectType(inner))
      obj[head] = validValue(f.type, head, seeds, opName, hasWorkspaceArg);
    obj[head] = fillAlong(f.type, obj[head], rest, seeds, opName, hasWorkspaceArg);
    return obj;
  }
  return value;
}

/** Copies `value` and puts `probe` at `at` (creating objects / one-element lists on the way). */
function withProbe(value: unknown, at: PathStep[], probe: unknown): unknown {
  if (at.length === 0) return probe;
  const [head, ...rest] = at;
  if (typeof head === "number") {
    const list = Array.isArray(value) && value.length > 0 ? [...(value as unknown[])] : [undefined];
    list[0] = withProbe(list[0], rest, probe);
    return list;
  }
  const obj =
    value && typeof value === "object" && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  obj[head!] = withProbe(obj[head!], rest, probe);
  return obj;
}

interface Case {
  op: string;
  kind: "query" | "mutation";
  document: string;
  variables: Record<string, unknown>;
  slot: Slot;
  probe: Probe;
}

function casesFor(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>, seeds: Seeds): Case[] {
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isAbstractType(named) ? " { __typename }" : "";
  const args: readonly GraphQLArgument[] = field.args;
  const varDefs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const argList = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const document = `${kind} Fuzz${varDefs ? `(${varDefs})` : ""} { ${field.name}${argList ? `(${argList})` : ""}${selection} }`;
  const hasWorkspaceArg = args.some((a) => a.name === "workspaceId");
  const baseline: Record<string, unknown> = {};
  for (const a of args) {
    if (isNonNullType(a.type) && a.defaultValue === undefined)
      baseline[a.name] = validValue(a.type, a.name, seeds, field.name, hasWorkspaceArg);
  }
  const cases: Case[] = [];
  for (const a of args) {
    for (const slot of slotsOf(a.type, [a.name])) {
      for (const probe of PROBES) {
        const [argName, ...inner] = slot.path as [string, ...PathStep[]];
        const start = fillAlong(
          a.type,
          baseline[argName] ??
            (inner.length ? validValue(a.type, a.name, seeds, field.name, hasWorkspaceArg) : undefined),
          inner,
          seeds,
          field.name,
          hasWorkspaceArg,
        );
        cases.push({
          op: field.name,
          kind,
          document,
          variables: { ...baseline, [argName]: withProbe(start, inner, probe.value(slot)) },
          slot,
          probe,
        });
      }
    }
  }
  return cases;
}

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string; fields?: Record<string, string> } }[];
  };
}

async function runAll<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe("bad-input fuzz over every operation in schema.graphql", () => {
  let api: TestApi;
  let owner: TestUser;
  let apiKey: string;
  let seeds: Seeds;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Fuzz Owner");
    const member = await api.user("Fuzz Member");
    const ws = await createWorkspace(api, owner, "Fuzz Co");
    await addMember(api, ws.id, member, "AGENT");
    // Platform admin too, so the admin-only operations reach their services.
    await ownerSql(api, `UPDATE users SET global_role = 'ADMIN' WHERE id = $1`, [owner.id]);
    const contact = (
      await ownerSql<{ id: string }>(api, `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'C') RETURNING id`, [
        ws.id,
      ])
    )[0]!.id;
    const conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, human_takeover) VALUES ($1, $2, true) RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    seeds = { workspaceId: ws.id, workspaceSlug: ws.slug, memberUserId: member.id, conversationId: conv };
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!, $s: [String!]!) { createApiKey(workspaceId: $w, input: { name: "fuzz", scopes: $s }) { secret } }`,
      { w: ws.id, s: POLICY_CATALOG.map((p) => p.key) },
      { token: owner.token },
    );
    if (!key.data) throw new Error(JSON.stringify(key.errors));
    apiKey = key.data.createApiKey.secret;
  });
  afterAll(async () => api?.close());

  const send = async (c: Case, token: string): Promise<Answer> => {
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: c.document, variables: c.variables }),
    });
    const text = await res.text();
    let body: Answer["body"];
    try {
      body = JSON.parse(text) as Answer["body"];
    } catch {
      body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    return { status: res.status, body };
  };

  /** What is wrong with an answer (empty: a typed client error or a success). */
  function problems(c: Case, a: Answer): string[] {
    const where = `${c.op}(${c.slot.path.join(".")}) ← ${c.probe.name}`;
    const out: string[] = [];
    if (a.status >= 500) out.push(`${where}: HTTP ${a.status}`);
    const errors = a.body.errors ?? [];
    if (errors.length === 0 && a.body.data === undefined) out.push(`${where}: neither data nor errors`);
    for (const e of errors) {
      const code = e.extensions?.code;
      if (!code || !CONTRACT_CODES.has(code))
        out.push(`${where}: code ${code ?? "(none)"} — ${e.message.slice(0, 120)}`);
    }
    if (c.probe.text) {
      const first = errors[0];
      if (
        a.status !== 400 ||
        first?.extensions?.code !== "BAD_USER_INPUT" ||
        !first.extensions.fields?.[fieldKey(c.slot)]
      ) {
        out.push(
          `${where}: expected 400 BAD_USER_INPUT naming ${fieldKey(c.slot)}, got ${a.status} ${JSON.stringify(first?.extensions ?? {})}`,
        );
      }
    }
    return out;
  }

  it("generates cases for every Query and Mutation field with a String or ID position", () => {
    const ops = [
      ...Object.values(schema.getQueryType()!.getFields()),
      ...Object.values(schema.getMutationType()!.getFields()),
    ];
    const withSlots = ops.filter((f) => f.args.some((a) => slotsOf(a.type, [a.name]).length > 0));
    // The Contract's operations with string arguments are all here (and anything added later).
    for (const name of [
      "workspace",
      "createWorkspace",
      "updateWorkspace",
      "deleteWorkspace",
      "inviteMember",
      "removeMember",
      "submitLead",
      "updateAgentPersona",
      "signUp",
    ]) {
      expect(withSlots.map((f) => f.name)).toContain(name);
    }
    expect(withSlots.length).toBeGreaterThan(40);
  });

  it("answers every probe with a typed client error or a success, never INTERNAL_SERVER_ERROR or 5xx", async () => {
    const cases = [
      ...Object.values(schema.getQueryType()!.getFields()).flatMap((f) => casesFor("query", f, seeds)),
      ...Object.values(schema.getMutationType()!.getFields()).flatMap((f) => casesFor("mutation", f, seeds)),
    ];
    expect(cases.length).toBeGreaterThan(300);
    const asOwner = await runAll(cases, 6, (c) => send(c, owner.token));
    const reaching = cases.filter((c) => c.probe.reachesResolvers);
    const asKey = await runAll(reaching, 6, (c) => send(c, apiKey));

    const found = [
      ...cases.map((c, i) => problems(c, asOwner[i]!)),
      ...reaching.map((c, i) => problems(c, asKey[i]!)),
    ].flat();
    expect(found).toEqual([]);

    // The probes reached their targets: the text probes were all refused by the boundary, and
    // the resolver-reaching ones produced more than guard refusals (NOT_FOUND, validation, success).
    const refusedAtBoundary = cases.filter((c, i) => c.probe.text && asOwner[i]!.body.errors?.[0]?.extensions?.fields);
    expect(refusedAtBoundary.length).toBe(cases.filter((c) => c.probe.text).length);
    const outcomes = new Set(reaching.map((c, i) => asOwner[i]!.body.errors?.[0]?.extensions?.code ?? "success"));
    expect([...outcomes]).toEqual(expect.arrayContaining(["success", "NOT_FOUND", "BAD_USER_INPUT"]));
  }, 240_000);

  it("applies the same rule to inline literals, fragments and nested list elements", async () => {
    const inline = await api.gql(`query { workspace(slug: "a\\u0000b") { id } }`, undefined, { token: owner.token });
    expect(inline.status).toBe(400);
    expect(inline.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: { slug: expect.stringContaining("NUL") as unknown },
    });

    const viaFragment = await api.gql(
      `query Q($s: String!) { ...F } fragment F on Query { workspace(slug: $s) { id } }`,
      { s: "w\ud800" },
      { token: owner.token },
    );
    expect(viaFragment.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: { slug: expect.stringContaining("surrogate") as unknown },
    });

    const persona = await api.gql(
      `mutation($w: ID!, $i: AgentPersonaInput!) { updateAgentPersona(workspaceId: $w, input: $i) { id } }`,
      {
        w: seeds.workspaceId,
        i: {
          agentName: "Ava",
          agentRole: "Receptionist",
          tone: "FRIENDLY",
          qualificationQuestions: ["Budget?", "When?\ud800"],
        },
      },
      { token: owner.token },
    );
    expect(persona.status).toBe(400);
    expect(persona.errors?.[0]?.extensions?.fields).toEqual({
      "input.qualificationQuestions": expect.stringMatching(/^Item 2: .*surrogate/) as unknown,
    });

    // A valid surrogate pair (an emoji) is text like any other.
    const emoji = await api.gql(
      `mutation($w: ID!, $i: UpdateWorkspaceInput!) { updateWorkspace(id: $w, input: $i) { description } }`,
      { w: seeds.workspaceId, i: { description: "Open 🎉" } },
      { token: owner.token },
    );
    expect(emoji.data).toEqual({ updateWorkspace: { description: "Open 🎉" } });
  });
});
