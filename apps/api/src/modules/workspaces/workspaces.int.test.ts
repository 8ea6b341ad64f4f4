import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const CREATE = `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id slug name channel environment myRole myPolicies permissions agentPaused retentionDays } }`;
const WORKSPACE = `query($s: String!) { workspace(slug: $s) { id slug myRole } }`;
const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 10) { totalCount edges { node { action actorUserId } } } }`;

interface Ws {
  id: string;
  slug: string;
  name: string;
  channel: string;
  environment: string;
  myRole: string;
  myPolicies: string[];
  permissions: string;
}

describe("workspaces", () => {
  let api: TestApi;
  let owner: TestUser;
  let stranger: TestUser;
  let ws: Ws;

  async function create(user: TestUser, input: Record<string, unknown>) {
    return api.gql<{ createWorkspace: Ws }>(CREATE, { i: input }, { token: user.token });
  }

  async function ownerSql<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: api.testDb.ownerUrl });
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    stranger = await api.user("Stranger");
    const r = await create(owner, { name: "Acme WhatsApp", channel: "WHATSAPP" });
    ws = r.data!.createWorkspace;
  });
  afterAll(async () => api.close());

  it("creates a workspace with a derived slug; the creator is its OWNER; environment defaults to DEVELOPMENT", () => {
    expect(ws).toMatchObject({
      slug: "acme-whatsapp",
      name: "Acme WhatsApp",
      channel: "WHATSAPP",
      environment: "DEVELOPMENT",
      myRole: "OWNER",
    });
    expect(ws.myPolicies).toContain("workspace.settings");
    expect(JSON.parse(ws.permissions)).toBeInstanceOf(Array);
  });

  it("lists the workspace in me.memberships and opens it by slug", async () => {
    const me = await api.gql<{ me: { memberships: { role: string; workspace: { slug: string } }[] } }>(
      `{ me { memberships { role workspace { slug } } } }`,
      {},
      { token: owner.token },
    );
    expect(me.data?.me.memberships).toEqual([{ role: "OWNER", workspace: { slug: "acme-whatsapp" } }]);
    const got = await api.gql<{ workspace: { id: string } }>(WORKSPACE, { s: "acme-whatsapp" }, { token: owner.token });
    expect(got.data?.workspace.id).toBe(ws.id);
  });

  it("lets two workspaces share a display name on different slugs (one per channel)", async () => {
    const voice = await create(owner, { name: "Acme WhatsApp", channel: "VOICE", environment: "STAGING" });
    expect(voice.data?.createWorkspace).toMatchObject({
      slug: "acme-whatsapp-2",
      channel: "VOICE",
      environment: "STAGING",
    });
    const me = await api.gql<{ me: { memberships: unknown[] } }>(
      `{ me { memberships { role } } }`,
      {},
      { token: owner.token },
    );
    expect(me.data?.me.memberships).toHaveLength(2);
  });

  it("takes an explicit slug, and answers CONFLICT when it is taken", async () => {
    const a = await create(stranger, { name: "Whatever", slug: "stranger-co", channel: "VOICE" });
    expect(a.data?.createWorkspace.slug).toBe("stranger-co");
    const b = await create(owner, { name: "Other", slug: "stranger-co", channel: "VOICE" });
    expect(codeOf(b)).toBe("CONFLICT");
    expect(b.errors?.[0]?.extensions?.fields).toEqual({ slug: "taken" });
  });

  it.each([
    [{ name: "X", slug: "ab", channel: "VOICE" }, "slug"],
    [{ name: "X", slug: "Bad Slug", channel: "VOICE" }, "slug"],
    [{ name: "X", slug: "admin", channel: "VOICE" }, "slug"],
    [{ name: "X", slug: "a".repeat(200), channel: "VOICE" }, "slug"],
    [{ name: "   ", channel: "VOICE" }, "name"],
    [{ name: "n".repeat(81), channel: "VOICE" }, "name"],
    [{ name: "X", channel: "SMS" }, null],
    [{ name: "X" }, null],
    [{ name: "X", channel: "VOICE", environment: "prod" }, null],
    [{ name: 5, channel: "VOICE" }, null],
  ])("refuses malformed input %j with BAD_USER_INPUT and writes nothing", async (input, field) => {
    const before = await ownerSql<{ n: string }>(`SELECT count(*) AS n FROM workspaces`);
    const r = await create(owner, input);
    expect(r.status).toBeLessThan(500);
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    if (field) expect(Object.keys(r.errors?.[0]?.extensions?.fields ?? {})).toContain(field);
    expect(await ownerSql(`SELECT count(*) AS n FROM workspaces`)).toEqual(before);
  });

  it("requires sign-in to create a workspace", async () => {
    expect(codeOf(await api.gql(CREATE, { i: { name: "Anon", channel: "VOICE" } }))).toBe("UNAUTHENTICATED");
  });

  it("answers a non-member exactly as for a slug that does not exist (NOT_FOUND)", async () => {
    const foreign = await api.gql(WORKSPACE, { s: "acme-whatsapp" }, { token: stranger.token });
    const missing = await api.gql(WORKSPACE, { s: "no-such-workspace" }, { token: stranger.token });
    expect(codeOf(foreign)).toBe("NOT_FOUND");
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(foreign.errors?.[0]?.extensions).toEqual(missing.errors?.[0]?.extensions);
  });

  it("every workspace operation of this issue, tried on another workspace's id, answers NOT_FOUND", async () => {
    const attempts: [string, Record<string, unknown>][] = [
      [WORKSPACE, { s: ws.slug }],
      [AUDIT, { w: ws.id }],
    ];
    for (const [query, variables] of attempts) {
      const r = await api.gql(query, variables, { token: stranger.token });
      expect(codeOf(r), query).toBe("NOT_FOUND");
      expect(r.data).toBeNull();
    }
    // Malformed and unknown ids read the same.
    for (const w of ["not-a-uuid", crypto.randomUUID()])
      expect(codeOf(await api.gql(AUDIT, { w }, { token: stranger.token }))).toBe("NOT_FOUND");
  });

  it("records the creation in the audit log, readable with audit.read", async () => {
    const r = await api.gql<{
      auditEvents: { totalCount: number; edges: { node: { action: string; actorUserId: string } }[] };
    }>(AUDIT, { w: ws.id }, { token: owner.token });
    expect(r.data?.auditEvents.totalCount).toBe(1);
    expect(r.data?.auditEvents.edges[0]?.node).toEqual({ action: "workspace.created", actorUserId: owner.id });
  });

  it("refuses the audit log to a member without audit.read (FORBIDDEN, since membership is known)", async () => {
    await ownerSql(
      `INSERT INTO memberships (workspace_id, user_id, role, policies) VALUES ($1, $2, 'AGENT', '{lead.read}')`,
      [ws.id, stranger.id],
    );
    const r = await api.gql(AUDIT, { w: ws.id }, { token: stranger.token });
    expect(codeOf(r)).toBe("FORBIDDEN");
    const view = await api.gql<{ workspace: { myRole: string } }>(WORKSPACE, { s: ws.slug }, { token: stranger.token });
    expect(view.data?.workspace.myRole).toBe("AGENT");
    // Permission changes apply on the very next request.
    await ownerSql(
      `UPDATE memberships SET policies = '{lead.read,audit.read}' WHERE workspace_id = $1 AND user_id = $2`,
      [ws.id, stranger.id],
    );
    expect((await api.gql(AUDIT, { w: ws.id }, { token: stranger.token })).errors).toBeUndefined();
    await ownerSql(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.id, stranger.id]);
    expect(codeOf(await api.gql(AUDIT, { w: ws.id }, { token: stranger.token }))).toBe("NOT_FOUND");
  });

  it("never lets the channel change: the database refuses a direct UPDATE", async () => {
    await expect(ownerSql(`UPDATE workspaces SET channel = 'VOICE' WHERE id = $1`, [ws.id])).rejects.toMatchObject({
      code: "23514",
    });
    const rows = await ownerSql<{ channel: string }>(`SELECT channel FROM workspaces WHERE id = $1`, [ws.id]);
    expect(rows[0]?.channel).toBe("WHATSAPP");
  });

  it("paginates the audit log with a stable cursor", async () => {
    for (let i = 0; i < 3; i++) await create(owner, { name: `Page ${i}`, channel: "VOICE" });
    // Each creation writes into its own workspace; seed several events into one workspace instead.
    await ownerSql(
      `INSERT INTO audit_events (workspace_id, action, created_at) SELECT $1, 'test.event', now() - (g || ' seconds')::interval FROM generate_series(1, 25) g`,
      [ws.id],
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: Awaited<ReturnType<TestApi["gql"]>> = await api.gql(
        `query($w: ID!, $a: String) { auditEvents(workspaceId: $w, first: 10, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
        { w: ws.id, a: after },
        { token: owner.token },
      );
      const conn = (
        r.data as {
          auditEvents: {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: { node: { id: string } }[];
          };
        }
      ).auditEvents;
      seen.push(...conn.edges.map((e) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    // The creation, the FORBIDDEN answer of the test above (denial log, issue 14) and 25 seeded.
    expect(seen).toHaveLength(27);
    expect(new Set(seen).size).toBe(27);
    expect(
      codeOf(
        await api.gql(
          `query($w: ID!) { auditEvents(workspaceId: $w, first: 1000) { totalCount } }`,
          { w: ws.id },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(
      codeOf(
        await api.gql(
          `query($w: ID!) { auditEvents(workspaceId: $w, after: "garbage") { totalCount } }`,
          { w: ws.id },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
  });
});
