// The public REST API (issue 51, decision 0046), against the real server and database:
// - its OpenAPI document is the committed openapi.json, validates with an independent validator
//   (Redocly's, OpenAPI 3.1 rules), and the client types (openapi-typescript) are generated from it;
// - a client built from it (openapi-fetch) runs every operation, with the effects GraphQL has
//   (audit rows naming the key);
// - every route answers another workspace's ids with 404 and the message GraphQL gives, and a key
//   without the scope with 403 exactly where GraphQL answers FORBIDDEN;
// - the key's rate limit is GraphQL's (one budget for both), answered as a 429 problem;
// - bad input is a 400 problem (RFC 9457) naming the field, never a 500;
// - the reference page works offline under its CSP.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import createClient from "openapi-fetch";
import openapiTS, { astToString } from "openapi-typescript";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { apiDir } from "../../test/built.ts";
import {
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { DOCS_PATH, OPENAPI_PATH } from "./api-docs.routes.ts";
import { API_V1_OPERATIONS, API_V1_PREFIX, type ApiOperation } from "./api-v1.routes.ts";
import type { paths } from "./generated/api-v1.d.ts";

const ALL_SCOPES = [...new Set(API_V1_OPERATIONS.flatMap((op) => op.scopes))];
const KEY_LIMIT = 150;
/** A valid scope that grants none of the API's operations. */
const UNRELATED_SCOPE = "audit.read";

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  reason?: string;
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
}

interface Seeds {
  lead: string;
  contact: string;
  /** In HUMAN mode (manual replies allowed). */
  conversation: string;
  /** In AI mode. */
  aiConversation: string;
  endpoint: string;
}

/** A valid body for each operation that takes one. */
const BODIES: Record<string, unknown> = {
  createLead: { name: "Probe Lead" },
  updateLeadStatus: { status: "QUALIFIED" },
  createContact: { name: "Probe Contact" },
  updateContact: { name: "Probe Contact" },
  sendMessage: { body: "Probe reply" },
  createWebhookEndpoint: { url: "http://127.0.0.1:9/hook", events: ["lead.created"] },
};

/** Each operation's GraphQL twin, called with the same key, workspace and id. */
const GRAPHQL: Record<string, string> = {
  createLead: `mutation { submitLead(input: { name: "Probe Lead" }) { id } }`,
  listLeads: `query($w: ID!) { leads(workspaceId: $w) { edges { node { id } } } }`,
  getLead: `query($w: ID!, $id: ID!) { lead(workspaceId: $w, id: $id) { id } }`,
  updateLeadStatus: `mutation($w: ID!, $id: ID!) { updateLeadStatus(workspaceId: $w, id: $id, status: QUALIFIED) { id } }`,
  createContact: `mutation($w: ID!) { createContact(workspaceId: $w, input: { name: "Probe Contact" }) { id } }`,
  listContacts: `query($w: ID!) { contacts(workspaceId: $w) { edges { node { id } } } }`,
  getContact: `query($w: ID!, $id: ID!) { contact(workspaceId: $w, id: $id) { id } }`,
  updateContact: `mutation($w: ID!, $id: ID!) { updateContact(workspaceId: $w, id: $id, input: { name: "Probe Contact" }) { id } }`,
  listConversations: `query($w: ID!) { conversations(workspaceId: $w) { edges { node { id } } } }`,
  getConversation: `query($w: ID!, $id: ID!) { conversation(workspaceId: $w, id: $id) { id } }`,
  listMessages: `query($w: ID!, $id: ID!) { messages(workspaceId: $w, conversationId: $id) { edges { node { id } } } }`,
  sendMessage: `mutation($w: ID!, $id: ID!) { sendManualReply(workspaceId: $w, conversationId: $id, input: { body: "Probe reply" }) { id } }`,
  listWebhookEndpoints: `query($w: ID!) { webhookEndpoints(workspaceId: $w) { id } }`,
  createWebhookEndpoint: `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/hook", events: ["lead.created"] }) { secret } }`,
  deleteWebhookEndpoint: `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
};

/** The id an operation's path takes, from a workspace's seeds. */
function idFor(op: ApiOperation, seeds: Seeds): string | undefined {
  if (!op.path.includes(":id")) return undefined;
  if (op.path.startsWith("/leads")) return seeds.lead;
  if (op.path.startsWith("/contacts")) return seeds.contact;
  if (op.path.startsWith("/conversations")) return seeds.conversation;
  return seeds.endpoint;
}

describe("public REST API /api/v1", () => {
  let api: TestApi;
  let owner: TestUser;
  let wsA: { id: string; slug: string };
  let wsB: { id: string; slug: string };
  let keyA: { secret: string; id: string };
  let keyB: { secret: string; id: string };
  let seedsA: Seeds;
  let seedsB: Seeds;

  async function createKey(workspaceId: string, scopes: string[]): Promise<{ secret: string; id: string }> {
    const r = await api.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      `mutation($w: ID!, $s: [String!]!) { createApiKey(workspaceId: $w, input: { name: "rest", scopes: $s }) { secret apiKey { id } } }`,
      { w: workspaceId, s: scopes },
      { token: owner.token },
    );
    if (!r.data) throw new Error(`createApiKey failed: ${JSON.stringify(r.errors)}`);
    return { secret: r.data.createApiKey.secret, id: r.data.createApiKey.apiKey.id };
  }

  async function seed(workspaceId: string, key: string): Promise<Seeds> {
    const gql = async <T>(query: string, variables: Record<string, unknown>) =>
      (await api.gql<T>(query, variables, { token: key })).data!;
    const lead = (
      await gql<{ submitLead: { id: string } }>(
        `mutation { submitLead(input: { name: "Seed Lead", email: "seed@example.com" }) { id } }`,
        {},
      )
    ).submitLead.id;
    const contact = (
      await gql<{ createContact: { id: string } }>(
        `mutation($w: ID!) { createContact(workspaceId: $w, input: { name: "Seed Contact", phone: "+14155550100" }) { id } }`,
        { w: workspaceId },
      )
    ).createContact.id;
    // The contact wrote within the day: WhatsApp's window for free text is open (issue 56).
    await ownerSql(api, `UPDATE contacts SET last_inbound_at = now() WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      contact,
    ]);
    const conversation = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, human_takeover) VALUES ($1, $2, true) RETURNING id`,
        [workspaceId, contact],
      )
    )[0]!.id;
    const aiConversation = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [workspaceId, contact],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'Hello there', 'RECEIVED', now() - interval '1 minute'), ($1, $2, 'INBOUND', 'CONTACT', 'Anyone?', 'RECEIVED', now())`,
      [workspaceId, conversation],
    );
    const endpoint = await newEndpoint(workspaceId);
    return { lead, contact, conversation, aiConversation, endpoint };
  }

  async function newEndpoint(workspaceId: string): Promise<string> {
    const r = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/seed", events: ["lead.created"] }) { endpoint { id } } }`,
      { w: workspaceId },
      { token: owner.token },
    );
    return r.data!.createWebhookEndpoint.endpoint.id;
  }

  /** A raw request to an operation (the probes send what no typed client would). */
  async function call(
    op: ApiOperation,
    key: string | null,
    opts: { id?: string; body?: unknown; rawBody?: string; query?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; contentType: string; body: unknown }> {
    const url = `${api.url}${API_V1_PREFIX}${op.path.replace(":id", encodeURIComponent(opts.id ?? ""))}${opts.query ?? ""}`;
    const body =
      opts.rawBody ??
      (opts.body !== undefined
        ? JSON.stringify(opts.body)
        : BODIES[op.operationId] !== undefined
          ? JSON.stringify(BODIES[op.operationId])
          : undefined);
    const res = await fetch(url, {
      method: op.method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...opts.headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get("content-type") ?? "",
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }

  const graphqlTwin = (op: ApiOperation, key: string, workspaceId: string, id?: string): Promise<GqlResult> =>
    api.gql(GRAPHQL[op.operationId]!, { w: workspaceId, ...(id ? { id } : {}) }, { token: key });

  const expectProblem = (
    r: { status: number; contentType: string; body: unknown },
    status: number,
    code: string,
  ): Problem => {
    expect({ status: r.status, contentType: r.contentType.split(";")[0] }).toEqual({
      status,
      contentType: "application/problem+json",
    });
    const p = r.body as Problem;
    expect(p).toEqual(
      expect.objectContaining({
        type: `urn:atrium:problem:${code}`,
        status,
        code,
        title: expect.any(String),
        detail: expect.any(String),
        requestId: expect.any(String),
      }),
    );
    return p;
  };

  beforeAll(async () => {
    // A per-key budget the probes stay well under, small enough to exhaust in the rate-limit test.
    api = await startTestApi({ rateLimits: { apiKeyPerMinute: KEY_LIMIT } });
    owner = await api.user("REST Owner");
    wsA = await createWorkspace(api, owner, "Rest A Co");
    wsB = await createWorkspace(api, owner, "Rest B Co");
    [keyA, keyB] = await Promise.all([createKey(wsA.id, ALL_SCOPES), createKey(wsB.id, ALL_SCOPES)]);
    [seedsA, seedsB] = await Promise.all([seed(wsA.id, keyA.secret), seed(wsB.id, keyB.secret)]);
  });
  afterAll(async () => api?.close());

  it("serves the committed OpenAPI 3.1 document, which an independent validator accepts, and the client types are generated from it", async () => {
    const res = await fetch(`${api.url}${OPENAPI_PATH}`);
    expect(res.status).toBe(200);
    const served = await res.text();
    const committed = readFileSync(path.join(apiDir, "openapi.json"), "utf8");
    // Stale? `pnpm --filter @atrium/api emit-openapi`.
    expect(JSON.parse(served)).toEqual(JSON.parse(committed));
    const doc = JSON.parse(served) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(
      Object.values(doc.paths)
        .flatMap((p) => Object.values(p).map((o) => o.operationId))
        .sort(),
    ).toEqual(API_V1_OPERATIONS.map((op) => op.operationId).sort());

    // Redocly's OpenAPI 3.1 rules (structure and the strict recommended set); the product has no
    // license to name, so that one rule is off.
    const config = await createConfig({ extends: ["recommended-strict"], rules: { "info-license": "off" } } as never);
    const problems = await lintFromString({ source: served, absoluteRef: "openapi.json", config });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`)).toEqual([]);
    // The validator would notice a broken document (so the check above means something).
    const broken = JSON.parse(served) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    delete broken.paths["/leads"]!.get!.responses;
    expect(
      (await lintFromString({ source: JSON.stringify(broken), absoluteRef: "broken.json", config })).length,
    ).toBeGreaterThan(0);

    // The types the client below is checked against: openapi-typescript's output for this document
    // (`pnpm --filter @atrium/api codegen`).
    const generated = astToString(await openapiTS(served));
    const onDisk = readFileSync(path.join(apiDir, "src/modules/public-api/generated/api-v1.d.ts"), "utf8");
    expect(onDisk.replace(/^\/\*\*[\s\S]*?\*\/\s*/, "")).toBe(generated.replace(/^\/\*\*[\s\S]*?\*\/\s*/, ""));
  });

  it("a client generated from the document runs every operation, with GraphQL's effects", async () => {
    const client = createClient<paths>({
      baseUrl: `${api.url}${API_V1_PREFIX}`,
      headers: { authorization: `Bearer ${keyA.secret}` },
    });
    const ran = new Set<string>();
    const ok = <T extends { response: Response; data?: unknown; error?: unknown }>(
      operationId: string,
      r: T,
      status: number,
    ): NonNullable<T["data"]> => {
      expect({ operationId, status: r.response.status, error: r.error }).toEqual({
        operationId,
        status,
        error: undefined,
      });
      ran.add(operationId);
      return r.data as NonNullable<T["data"]>;
    };

    // Leads.
    const lead = ok(
      "createLead",
      await client.POST("/leads", {
        body: { name: "Ada Lovelace", email: "Ada@Example.com", phone: "+1 415 555 0123", message: "Call me" },
      }),
      201,
    );
    expect(lead).toEqual(
      expect.objectContaining({
        name: "Ada Lovelace",
        email: "ada@example.com",
        phone: "+14155550123",
        source: "API",
        status: "NEW",
      }),
    );
    expect(lead.contact).toEqual(expect.objectContaining({ name: "Ada Lovelace", email: "ada@example.com" }));
    const first = ok("listLeads", await client.GET("/leads", { params: { query: { limit: 1 } } }), 200);
    expect(first.data.map((l) => l.id)).toEqual([lead.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(
      "listLeads",
      await client.GET("/leads", { params: { query: { limit: 1, cursor: first.pageInfo.nextCursor! } } }),
      200,
    );
    expect(second.data.map((l) => l.id)).toEqual([seedsA.lead]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, nextCursor: null });
    expect(ok("getLead", await client.GET("/leads/{id}", { params: { path: { id: lead.id } } }), 200).id).toBe(lead.id);
    const qualified = ok(
      "updateLeadStatus",
      await client.PATCH("/leads/{id}", { params: { path: { id: lead.id } }, body: { status: "QUALIFIED" } }),
      200,
    );
    expect(qualified.status).toBe("QUALIFIED");
    expect(
      ok("listLeads", await client.GET("/leads", { params: { query: { status: "QUALIFIED" } } }), 200).data.map(
        (l) => l.id,
      ),
    ).toEqual([lead.id]);
    // The audit trail names the key, as for GraphQL.
    const audit = await ownerSql<{ action: string; actor_api_key_id: string }>(
      api,
      `SELECT action, actor_api_key_id FROM audit_events WHERE workspace_id = $1 AND target_id = $2 ORDER BY created_at`,
      [wsA.id, lead.id],
    );
    expect(audit.map((a) => a.action)).toContain("lead.status_changed");
    expect(audit.find((a) => a.action === "lead.status_changed")?.actor_api_key_id).toBe(keyA.id);

    // Contacts.
    const contact = ok(
      "createContact",
      await client.POST("/contacts", { body: { name: "Grace Hopper", email: "grace@example.com", tags: ["VIP"] } }),
      201,
    );
    expect(contact).toEqual(
      expect.objectContaining({ name: "Grace Hopper", email: "grace@example.com", tags: ["vip"] }),
    );
    const contacts = ok("listContacts", await client.GET("/contacts", { params: { query: { search: "grace" } } }), 200);
    expect(contacts.data.map((c) => c.id)).toEqual([contact.id]);
    expect(
      ok("getContact", await client.GET("/contacts/{id}", { params: { path: { id: contact.id } } }), 200).name,
    ).toBe("Grace Hopper");
    const renamed = ok(
      "updateContact",
      await client.PUT("/contacts/{id}", {
        params: { path: { id: contact.id } },
        body: { name: "Rear Admiral Hopper", email: "grace@example.com", phone: null, tags: [] },
      }),
      200,
    );
    expect(renamed).toEqual(expect.objectContaining({ name: "Rear Admiral Hopper", tags: [] }));
    // The service's duplicate rule, as GraphQL: 409 naming the field.
    const dup = await client.POST("/contacts", { body: { name: "Other", email: "grace@example.com" } });
    expect({ status: dup.response.status, code: dup.error?.code }).toEqual({ status: 409, code: "CONFLICT" });

    // Conversations and manual replies.
    const conversations = ok("listConversations", await client.GET("/conversations", {}), 200);
    expect(conversations.data.map((c) => c.id).sort()).toEqual([seedsA.conversation, seedsA.aiConversation].sort());
    const conversation = ok(
      "getConversation",
      await client.GET("/conversations/{id}", { params: { path: { id: seedsA.conversation }, query: { limit: 1 } } }),
      200,
    );
    expect(conversation).toEqual(
      expect.objectContaining({ id: seedsA.conversation, mode: "HUMAN", channel: "WHATSAPP" }),
    );
    expect(conversation.messages.data.map((m) => m.body)).toEqual(["Hello there"]);
    const rest = ok(
      "listMessages",
      await client.GET("/conversations/{id}/messages", {
        params: { path: { id: seedsA.conversation }, query: { cursor: conversation.messages.pageInfo.nextCursor! } },
      }),
      200,
    );
    expect(rest.data.map((m) => m.body)).toEqual(["Anyone?"]);
    const sent = ok(
      "sendMessage",
      await client.POST("/conversations/{id}/messages", {
        params: { path: { id: seedsA.conversation } },
        body: { body: "A human here" },
      }),
      201,
    );
    expect(sent).toEqual(expect.objectContaining({ direction: "OUTBOUND", sender: "MEMBER", body: "A human here" }));
    // In AI mode the service refuses it, with GraphQL's words.
    const inAiMode = await client.POST("/conversations/{id}/messages", {
      params: { path: { id: seedsA.aiConversation } },
      body: { body: "Too early" },
    });
    expect({ status: inAiMode.response.status, code: inAiMode.error?.code }).toEqual({
      status: 403,
      code: "FORBIDDEN",
    });
    const gqlAi = await api.gql(GRAPHQL.sendMessage!, { w: wsA.id, id: seedsA.aiConversation }, { token: keyA.secret });
    expect(codeOf(gqlAi)).toBe("FORBIDDEN");
    expect(inAiMode.error?.detail).toBe(gqlAi.errors![0]!.message);

    // Webhook endpoints.
    const created = ok(
      "createWebhookEndpoint",
      await client.POST("/webhook-endpoints", {
        body: { url: "http://127.0.0.1:9/rest", events: ["lead.created", "message.received"] },
      }),
      201,
    );
    expect(created.secret).toMatch(/^whsec_/);
    expect(ok("listWebhookEndpoints", await client.GET("/webhook-endpoints", {}), 200).data.map((e) => e.id)).toEqual(
      expect.arrayContaining([created.endpoint.id, seedsA.endpoint]),
    );
    ok(
      "deleteWebhookEndpoint",
      await client.DELETE("/webhook-endpoints/{id}", { params: { path: { id: created.endpoint.id } } }),
      204,
    );
    expect(
      ok("listWebhookEndpoints", await client.GET("/webhook-endpoints", {}), 200).data.map((e) => e.id),
    ).not.toContain(created.endpoint.id);

    expect([...ran].sort()).toEqual(API_V1_OPERATIONS.map((op) => op.operationId).sort());
  });

  it("answers another workspace's ids with 404 on every route, with GraphQL's NOT_FOUND message, and changes nothing there", async () => {
    const withId = API_V1_OPERATIONS.filter((op) => op.path.includes(":id"));
    expect(withId.length).toBeGreaterThanOrEqual(8);
    for (const op of withId) {
      const foreign = idFor(op, seedsA)!;
      const rest = await call(op, keyB.secret, { id: foreign });
      const p = expectProblem(rest, 404, "NOT_FOUND");
      const gql = await graphqlTwin(op, keyB.secret, wsB.id, foreign);
      expect({ op: op.operationId, graphql: codeOf(gql) }).toEqual({ op: op.operationId, graphql: "NOT_FOUND" });
      expect({ op: op.operationId, detail: p.detail }).toEqual({ op: op.operationId, detail: gql.errors![0]!.message });
      // A malformed or unknown id reads the same.
      expectProblem(await call(op, keyB.secret, { id: "not-a-uuid" }), 404, "NOT_FOUND");
      expectProblem(await call(op, keyB.secret, { id: "00000000-0000-4000-8000-000000000000" }), 404, "NOT_FOUND");
    }
    // The lists and creates act in the key's workspace only.
    const leads = (await call(API_V1_OPERATIONS.find((op) => op.operationId === "listLeads")!, keyB.secret)).body as {
      data: { id: string }[];
    };
    expect(leads.data.map((l) => l.id)).not.toContain(seedsA.lead);
    const a = await ownerSql<{ status: string }>(api, `SELECT status FROM leads WHERE workspace_id = $1 AND id = $2`, [
      wsA.id,
      seedsA.lead,
    ]);
    expect(a).toEqual([{ status: "NEW" }]);
    expect(
      await ownerSql(api, `SELECT id FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2`, [
        wsA.id,
        seedsA.endpoint,
      ]),
    ).toHaveLength(1);
  });

  it("answers a key without the operation's scope with 403 wherever GraphQL answers FORBIDDEN, and a key with just that scope is let through", async () => {
    const unrelated = await createKey(wsB.id, [UNRELATED_SCOPE]);
    for (const op of API_V1_OPERATIONS) {
      const id = op.operationId === "deleteWebhookEndpoint" ? await newEndpoint(wsB.id) : idFor(op, seedsB);
      expectProblem(await call(op, unrelated.secret, { id }), 403, "FORBIDDEN");
      expect({ op: op.operationId, graphql: codeOf(await graphqlTwin(op, unrelated.secret, wsB.id, id)) }).toEqual({
        op: op.operationId,
        graphql: "FORBIDDEN",
      });
      const exact = await createKey(wsB.id, [...op.scopes]);
      const r = await call(op, exact.secret, { id });
      expect({ op: op.operationId, status: r.status }).toEqual({ op: op.operationId, status: op.status });
    }
    // The refusals are in the denial log, as GraphQL's (which shares its per-key budget: the
    // first DENIALS_PER_WINDOW of REST and GraphQL together are recorded).
    const denials = await ownerSql<{ operation: string; key: string }>(
      api,
      `SELECT data->>'operation' AS operation, actor_api_key_id::text AS key FROM audit_events WHERE workspace_id = $1 AND action = 'access.denied' AND data->>'operation' LIKE '% /api/v1/%'`,
      [wsB.id],
    );
    expect(denials.map((d) => d.operation)).toEqual(
      expect.arrayContaining(["POST /api/v1/leads", "GET /api/v1/leads", "PATCH /api/v1/leads/:id"]),
    );
    expect(new Set(denials.map((d) => d.key))).toEqual(new Set([unrelated.id]));
  });

  it("refuses callers without a key: 401 with WWW-Authenticate, a user's token 403, a malformed key 401", async () => {
    const listLeads = API_V1_OPERATIONS.find((op) => op.operationId === "listLeads")!;
    const none = await fetch(`${api.url}${API_V1_PREFIX}/leads`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expectProblem(
      { status: none.status, contentType: none.headers.get("content-type") ?? "", body: await none.json() },
      401,
      "UNAUTHENTICATED",
    );
    expect(expectProblem(await call(listLeads, "atr_test_nope_nope"), 401, "UNAUTHENTICATED").reason).toBe(
      "API_KEY_INVALID",
    );
    expectProblem(await call(listLeads, owner.token), 403, "FORBIDDEN");
    // An unknown path under the prefix is a problem too.
    const missing = await fetch(`${api.url}${API_V1_PREFIX}/nothing-here`, {
      headers: { authorization: `Bearer ${keyA.secret}` },
    });
    expect({ status: missing.status, type: missing.headers.get("content-type")?.split(";")[0] }).toEqual({
      status: 404,
      type: "application/problem+json",
    });
  });

  it("applies the key's rate limit, shared with GraphQL: 429 problem with Retry-After", async () => {
    const key = await createKey(wsA.id, ["lead.read"]);
    const listLeads = API_V1_OPERATIONS.find((op) => op.operationId === "listLeads")!;
    // Half the budget through GraphQL, the rest through REST: one limiter for both.
    for (let i = 0; i < KEY_LIMIT / 2; i++)
      expect(codeOf(await graphqlTwin(listLeads, key.secret, wsA.id))).toBeUndefined();
    for (let i = 0; i < KEY_LIMIT / 2 - 1; i++) expect((await call(listLeads, key.secret)).status).toBe(200);
    // The last admitted request states the window, as every API-key answer does (IETF RateLimit fields).
    const lastAdmitted = await fetch(`${api.url}${API_V1_PREFIX}/leads`, {
      headers: { authorization: `Bearer ${key.secret}` },
    });
    expect(lastAdmitted.status).toBe(200);
    expect(lastAdmitted.headers.get("ratelimit-policy")).toBe(`"apikey";q=${KEY_LIMIT};w=60`);
    expect(lastAdmitted.headers.get("ratelimit")).toMatch(/^"apikey";r=0;t=\d+$/);
    const res = await fetch(`${api.url}${API_V1_PREFIX}/leads`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(res.headers.get("ratelimit")).toBe(`"apikey";r=0;t=${res.headers.get("retry-after")}`);
    const p = expectProblem(
      { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.json() },
      429,
      "RATE_LIMITED",
    );
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(p.retryAfterSeconds).toBe(Number(res.headers.get("retry-after")));
    expect(codeOf(await graphqlTwin(listLeads, key.secret, wsA.id))).toBe("RATE_LIMITED");
  });

  it("answers bad input with a 400 problem naming the field, never a 500", async () => {
    const op = (id: string) => API_V1_OPERATIONS.find((o) => o.operationId === id)!;
    const cases: { op: string; opts: Parameters<typeof call>[2]; field: string }[] = [
      { op: "createLead", opts: { body: { name: "" } }, field: "name" },
      { op: "createLead", opts: { body: { name: "   " } }, field: "name" },
      { op: "createLead", opts: { body: { name: 42 } }, field: "name" },
      { op: "createLead", opts: { body: { name: "X", email: "a".repeat(300) } }, field: "email" },
      { op: "createLead", opts: { body: { name: "X", website: "spam" } }, field: "website" },
      { op: "createLead", opts: { body: ["not", "an", "object"] }, field: "body" },
      { op: "listLeads", opts: { query: "?limit=0" }, field: "limit" },
      { op: "listLeads", opts: { query: "?limit=101" }, field: "limit" },
      { op: "listLeads", opts: { query: "?limit=ten" }, field: "limit" },
      { op: "listLeads", opts: { query: "?status=WON" }, field: "status" },
      { op: "listLeads", opts: { query: "?cursor=Zm9yZ2Vk" }, field: "cursor" },
      { op: "updateLeadStatus", opts: { id: seedsA.lead, body: { status: "WON" } }, field: "status" },
      { op: "updateLeadStatus", opts: { id: seedsA.lead, body: {} }, field: "status" },
      {
        op: "createContact",
        opts: { body: { name: "X", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } },
        field: "tags",
      },
      { op: "createContact", opts: { body: { name: "X", phone: "not a phone" } }, field: "phone" },
      { op: "sendMessage", opts: { id: seedsA.conversation, body: { body: "x".repeat(5000) } }, field: "body" },
      { op: "createWebhookEndpoint", opts: { body: { url: "http://127.0.0.1:9/x", events: [] } }, field: "events" },
      {
        op: "createWebhookEndpoint",
        opts: { body: { url: "http://127.0.0.1:9/x", events: ["lead.exploded"] } },
        field: "events.0",
      },
      { op: "listConversations", opts: { query: "?cursor=%00" }, field: "cursor" },
    ];
    for (const c of cases) {
      const r = await call(op(c.op), keyA.secret, c.opts);
      const p = expectProblem(r, 400, "BAD_USER_INPUT");
      expect({ case: `${c.op} ${JSON.stringify(c.opts)}`, field: Object.keys(p.fields ?? {}) }).toEqual({
        case: `${c.op} ${JSON.stringify(c.opts)}`,
        field: expect.arrayContaining([c.field]),
      });
    }
    // Malformed JSON and a wrong media type: Fastify's refusals, as problems.
    expectProblem(await call(op("createLead"), keyA.secret, { rawBody: "{not json" }), 400, "BAD_USER_INPUT");
    expectProblem(
      await call(op("createLead"), keyA.secret, { rawBody: "name=x", headers: { "content-type": "text/csv" } }),
      415,
      "BAD_USER_INPUT",
    );
  });

  it("serves an offline reference page that works under its CSP", async () => {
    const res = await fetch(`${api.url}${DOCS_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    const page = await res.text();
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    // No inline script (CSP allows none), every source on this origin.
    expect(scripts.map((s) => s[2])).toEqual(scripts.map(() => ""));
    const sources = scripts.map((s) => /src="([^"]+)"/.exec(s[1]!)?.[1]);
    expect(sources.every((s) => s?.startsWith(`${API_V1_PREFIX}/`))).toBe(true);
    for (const src of sources) {
      const js = await fetch(`${api.url}${src}`);
      expect({ src, status: js.status, type: js.headers.get("content-type")?.split(";")[0] }).toEqual({
        src,
        status: 200,
        type: "text/javascript",
      });
      expect((await js.text()).length).toBeGreaterThan(50);
    }
  });
});
