// Anonymous client mistakes at the request level (variables, operation type, operation name) are
// client errors with a code — never INTERNAL_SERVER_ERROR, never a 5xx (attack pass, finding 5).
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, startTestApi, type TestApi } from "../../test/harness.ts";

interface Answer {
  status: number;
  errors: { message: string; extensions?: { code?: string; reason?: string } }[];
}

describe("request-level client mistakes are client errors", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  const post = async (body: unknown): Promise<Answer> => {
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { errors?: Answer["errors"] };
    return { status: res.status, errors: json.errors ?? [] };
  };
  const workspaceId = "00000000-0000-4000-8000-000000000000";
  const createContact = "mutation($i: ContactInput!, $w: ID!) { createContact(input: $i, workspaceId: $w) { id } }";

  it("more than 50 invalid variable values: every error (graphql-js's 'error limit reached' too) is BAD_USER_INPUT, 400", async () => {
    const r = await post({
      query: createContact,
      variables: { w: workspaceId, i: { name: "x", tags: Array.from({ length: 60 }, () => ({})) } },
    });
    expect(r.status).toBe(400);
    // graphql-js stops at 50 errors and adds one of its own.
    expect(r.errors).toHaveLength(51);
    expect(r.errors.at(-1)!.message).toMatch(/error limit reached/);
    for (const e of r.errors) expect(e.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it.each([
    ["subscription { x }", "GRAPHQL_VALIDATION_FAILED", /Cannot query field "x" on type "Subscription"/],
    ["subscription { __typename }", "GRAPHQL_VALIDATION_FAILED", /must not select an introspection top level field/],
    ["subscription S($w: ID!) { leadEvents(workspaceId: $w) { type } }", "SUBSCRIPTION_OVER_HTTP", /WebSocket/],
  ])("%s over HTTP: 400 BAD_USER_INPUT (%s)", async (query, reason, message) => {
    const r = await post({ query, variables: { w: workspaceId } });
    expect(r.status).toBe(400);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.extensions).toEqual({ code: "BAD_USER_INPUT", reason });
    expect(r.errors[0]!.message).toMatch(message);
  });

  it("an empty operationName on a one-operation document is an unknown operation name", async () => {
    const r = await post({ query: "query A { __typename }", operationName: "" });
    expect(r.status).toBe(400);
    expect(r.errors[0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "UNKNOWN_OPERATION_NAME" });
  });

  it("a sweep of other request-level mistakes: all 4xx with a client code", async () => {
    const auditSince = "query($s: DateTimeISO, $w: ID!) { auditEvents(since: $s, workspaceId: $w) { totalCount } }";
    const bodies: unknown[] = [
      { query: "fragment F on Query { __typename }" },
      { query: "fragment F on Query { __typename }", operationName: "F" },
      { query: "{ __typename }", operationName: "Nope" },
      { query: "{ __typename } query A { __typename }" },
      { query: "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }" },
      { query: "type X { a: Int }" },
      { query: "mutation { x }" },
      { query: "" },
      { query: 5 },
      { query: "{ __typename }", variables: [1] },
      { query: "{ __typename }", operationName: 5 },
      { query: "{ __typename }", extensions: { persistedQuery: { version: 1 } } },
      { query: auditSince, variables: { w: workspaceId, s: "garbage" } },
      { query: auditSince, variables: { w: workspaceId, s: { a: 1 } } },
      { query: "query($w: ID!) { campaigns(workspaceId: $w) { totalCount } }" },
      { query: "query($w: ID!) { campaigns(workspaceId: $w) { totalCount } }", variables: { w: { a: 1 } } },
      {
        query: "query($f: Int, $w: ID!) { campaigns(first: $f, workspaceId: $w) { totalCount } }",
        variables: { w: workspaceId, f: 1e30 },
      },
      { query: createContact, variables: { w: workspaceId, i: { name: "x", nope: 1 } } },
      {
        query: "mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }",
        variables: { i: { name: "x", channel: "NOPE" } },
      },
    ];
    for (const body of bodies) {
      const r = await post(body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 400]);
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors)
        expect([JSON.stringify(body), e.extensions?.code]).toEqual([JSON.stringify(body), "BAD_USER_INPUT"]);
    }
    // A GET may only read: a mutation or subscription is refused as the client's mistake.
    for (const [query, status] of [
      ["mutation { __typename }", 405],
      ["subscription { x }", 400],
      [`subscription { leadEvents(workspaceId: "${workspaceId}") { type } }`, 405],
    ] as const) {
      const res = await fetch(`${api.url}/graphql?query=${encodeURIComponent(query)}`, {
        headers: { "apollo-require-preflight": "1" },
      });
      expect([query, res.status]).toEqual([query, status]);
      expect(((await res.json()) as { errors: Answer["errors"] }).errors[0]!.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});

describe("forged list cursors are client errors", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it("a cursor with a date PostgreSQL cannot hold, or anything but what the server hands out, is BAD_USER_INPUT (never a 500)", async () => {
    const user = await api.user("Cursor");
    const ws = await createWorkspace(api, user, "Cursor Co");
    const id = "00000000-0000-4000-8000-000000000000";
    const cursor = (text: string) => Buffer.from(text).toString("base64url");
    const lists = ["contacts", "auditEvents", "campaigns"].map(
      (f) => `query($w: ID!, $a: String) { ${f}(workspaceId: $w, after: $a) { totalCount } }`,
    );
    for (const text of [
      `-271821-04-20T00:00:00.000Z|${id}`,
      `-004714-01-01T00:00:00.000Z|${id}`,
      `+275760-09-13T00:00:00.000Z|${id}`,
      `0|${id}`,
      `2020-01-01T00:00:00.000Z|${id}|x`,
    ]) {
      for (const query of lists) {
        const r = await api.gql(query, { w: ws.id, a: cursor(text) }, { token: user.token });
        expect([text, query, r.errors?.[0]?.extensions]).toEqual([
          text,
          query,
          { code: "BAD_USER_INPUT", fields: { after: "invalid cursor" } },
        ]);
      }
    }
    // What the server hands out still pages.
    const ok = await api.gql(
      lists[1]!,
      { w: ws.id, a: cursor(`2020-01-01T00:00:00.000Z|${id}`) },
      { token: user.token },
    );
    expect(ok.errors).toBeUndefined();
  });
});
