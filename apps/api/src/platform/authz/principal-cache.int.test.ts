// API instances cache principals (a member's access, an API key with its creator's membership) and
// use an entry only while the workspace's auth_version, read at the start of each request, is
// unchanged; triggers bump it on every change to a principal's power. Two instances of the API on
// one database (in one process, each with its own cache): a change made through A is in force on
// the very next request to B, while B really serves repeat requests from its cache.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { requestStatements } from "../../test/request-statements.ts";

const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 1) { edges { node { id } } } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`;
/** Issue 15's key read: a page of 50 leads with their contacts, and the total. */
const LEADS_PAGE = `query($w: ID!) { leads(workspaceId: $w, first: 50) { totalCount edges { node { id name contact { id name email } } } } }`;
const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`;
const UPDATE = `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role } }`;
const REMOVE = `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`;
const CREATE_KEY = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret apiKey { id } } }`;
const REVOKE_KEY = `mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`;

/** A second instance on A's database (its own services, cache and pool); closing it leaves the database. */
async function secondInstance(a: TestApi, overrides: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
  const b = await startTestApi(overrides, { testDb: a.testDb });
  return {
    ...b,
    async close() {
      await b.app.close();
      await b.services.jobs.stop();
      await b.db.disconnect();
    },
  };
}

/**
 * Waits until the key's first use on an instance has written its last_used_at: that write goes
 * beside the first request, in a transaction of its own, and would otherwise land in the window
 * of the next request (seen in a full-suite run). Committed once another connection sees it; the
 * short pause lets the instance record the COMMIT's answer.
 */
async function firstUseWritten(api: TestApi, workspaceId: string, keyName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (
    (
      await ownerSql(api, "SELECT 1 FROM api_keys WHERE workspace_id = $1 AND name = $2 AND last_used_at IS NOT NULL", [
        workspaceId,
        keyName,
      ])
    ).length === 0
  ) {
    if (Date.now() > deadline) throw new Error(`the key "${keyName}" has no last_used_at after its first use`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The statements `api` sent (app role and system client) while `fn` ran. */
async function statementsOf(api: TestApi, fn: () => Promise<unknown>): Promise<string[]> {
  const [from, fromSystem] = [api.queries.length, api.systemQueries.length];
  await fn();
  return [...api.systemQueries.slice(fromSystem), ...api.queries.slice(from)];
}

describe("principal cache across instances", () => {
  let a: TestApi;
  let b: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  /** B's requests' statement counts (its request log). */
  const onB = requestStatements();

  beforeAll(async () => {
    a = await startTestApi({ rateLimits: { apiKeyPerMinute: 100_000 } });
    b = await secondInstance(a, { ...onB.overrides, rateLimits: { apiKeyPerMinute: 100_000 } });
    owner = await a.user("Owner");
    ws = await createWorkspace(a, owner, "Cache Co");
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it("serves a member's repeat request from the cache", async () => {
    const first = await statementsOf(b, async () =>
      expect((await b.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined(),
    );
    expect(
      first.filter((q) => q.includes('"memberships"')),
      "loaded once",
    ).toHaveLength(1);
    expect(
      first.filter((q) => q.includes("workspace_auth_version")),
      "with its version, in the same transaction",
    ).toHaveLength(1);
    let read: Awaited<ReturnType<typeof b.gql>> | undefined;
    const sent = await statementsOf(b, async () => {
      read = await b.gql(AUDIT, { w: ws.id }, { token: owner.token });
      expect(read.errors).toBeUndefined();
    });
    expect(
      sent.filter((q) => q.includes('"memberships"')),
      "no membership read on a cached request",
    ).toEqual([]);
    expect(
      sent.filter((q) => q.includes('"sessions"')),
      "no session read of its own on a cached request",
    ).toEqual([]);
    // The settings statement (which verifies the cached membership and session) and the page.
    expect(await onB.of(read!), "statements the request ran").toBe(2);
  });

  it("a cached key read is one transaction, with the key's version read in its settings statement", async () => {
    const created = await a.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "reader", scopes: ["lead.read", "contact.read"] } },
      { token: owner.token },
    );
    const { secret } = created.data!.createApiKey;
    await ownerSql(
      a,
      "INSERT INTO contacts (workspace_id, name, email) VALUES ($1, 'Page contact', 'page@example.com')",
      [ws.id],
    );
    await ownerSql(
      a,
      "INSERT INTO leads (workspace_id, contact_id, name, source) SELECT $1, id, 'Page lead', 'API' FROM contacts WHERE workspace_id = $1 AND email = 'page@example.com'",
      [ws.id],
    );
    expect((await b.gql(LEADS_PAGE, { w: ws.id }, { token: secret })).errors).toBeUndefined();
    await firstUseWritten(b, ws.id, "reader");
    let page:
      | { leads: { totalCount: number; edges: { node: { name: string; contact: { email: string } | null } }[] } }
      | undefined;
    let pageRead: { headers: Headers } | undefined;
    const sent = await statementsOf(b, async () => {
      const r = await b.gql<NonNullable<typeof page>>(LEADS_PAGE, { w: ws.id }, { token: secret });
      expect(r.errors).toBeUndefined();
      page = r.data ?? undefined;
      pageRead = r;
    });
    expect(
      page!.leads.edges.find((e) => e.node.name === "Page lead")?.node.contact?.email,
      "the contact, read with its lead",
    ).toBe("page@example.com");
    const [stored] = await ownerSql<{ n: number }>(a, "SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1", [
      ws.id,
    ]);
    expect(page!.leads.totalCount).toBe(stored!.n);
    expect(
      sent.filter((q) => q.includes('"api_keys"')),
      "no key read on a cached request",
    ).toEqual([]);
    // The settings (with the key's version), the page with its contacts, the count: no version
    // read of its own, no statement for the contacts.
    expect(await onB.of(pageRead!), "statements the request ran").toBe(3);
  });

  it("a member promoted on A may do more on the very next request on B, for a query and for a mutation", async () => {
    const agent = await a.user("Agent to promote");
    await addMember(a, ws.id, agent, "AGENT", ["lead.read"]);
    expect((await b.gql(LEADS, { w: ws.id }, { token: agent.token })).errors).toBeUndefined();
    expect(codeOf(await b.gql(AUDIT, { w: ws.id }, { token: agent.token })), "cached as an agent").toBe("FORBIDDEN");
    expect(
      (await a.gql(UPDATE, { w: ws.id, u: agent.id, i: { role: "ADMIN" } }, { token: owner.token })).errors,
    ).toBeUndefined();
    // The cached access says FORBIDDEN; no transaction ran, so the request's own check finds the
    // version moved and runs it again with the access read afresh.
    expect(
      (await b.gql(AUDIT, { w: ws.id }, { token: agent.token })).errors,
      "the very next query on B",
    ).toBeUndefined();

    const another = await a.user("Agent to promote, mutation");
    await addMember(a, ws.id, another, "AGENT", ["lead.read"]);
    expect((await b.gql(LEADS, { w: ws.id }, { token: another.token })).errors).toBeUndefined();
    expect(
      (await a.gql(UPDATE, { w: ws.id, u: another.id, i: { role: "ADMIN" } }, { token: owner.token })).errors,
    ).toBeUndefined();
    const key = await b.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "after promotion", scopes: ["lead.read"] } },
      { token: another.token },
    );
    expect(key.errors, "the very next mutation on B").toBeUndefined();
    const keys = await ownerSql<{ n: string }>(
      a,
      "SELECT count(*) AS n FROM api_keys WHERE workspace_id = $1 AND name = 'after promotion'",
      [ws.id],
    );
    expect(Number(keys[0]!.n), "created once").toBe(1);
  });

  it("a mutation by a member demoted on A is refused on B before anything is written", async () => {
    const admin = await a.user("Admin, mutation");
    await addMember(a, ws.id, admin, "ADMIN");
    expect((await b.gql(AUDIT, { w: ws.id }, { token: admin.token })).errors).toBeUndefined();
    expect(
      (
        await a.gql(
          UPDATE,
          { w: ws.id, u: admin.id, i: { role: "AGENT", policies: ["lead.read"] } },
          { token: owner.token },
        )
      ).errors,
    ).toBeUndefined();
    expect(
      codeOf(
        await b.gql(
          CREATE_KEY,
          { w: ws.id, i: { name: "after demotion", scopes: ["lead.read"] } },
          { token: admin.token },
        ),
      ),
    ).toBe("FORBIDDEN");
    const keys = await ownerSql<{ n: string }>(
      a,
      "SELECT count(*) AS n FROM api_keys WHERE workspace_id = $1 AND name = 'after demotion'",
      [ws.id],
    );
    expect(Number(keys[0]!.n)).toBe(0);
  });

  it("a session signed out on A is refused on the very next request on B, which had it cached", async () => {
    const user = await a.user("Signs out");
    await addMember(a, ws.id, user, "ADMIN");
    expect((await b.gql(AUDIT, { w: ws.id }, { token: user.token })).errors).toBeUndefined();
    expect((await b.gql(AUDIT, { w: ws.id }, { token: user.token })).errors).toBeUndefined();
    expect((await a.gql(`mutation { signOut }`, {}, { token: user.token })).errors).toBeUndefined();
    const next = await b.gql(AUDIT, { w: ws.id }, { token: user.token });
    expect(codeOf(next), "the very next request on B").toBe("UNAUTHENTICATED");
    expect(next.errors?.[0]?.extensions?.reason).toBe("SESSION_REVOKED");
    expect(next.data).toBeNull();
    // A query without a workspace (me) checks the session in its own transaction too.
    expect(codeOf(await b.gql(`query { me { id } }`, {}, { token: user.token }))).toBe("UNAUTHENTICATED");
  });

  it("a member demoted on A is refused on the very next request on B, and keeps what the new role allows", async () => {
    const admin = await a.user("Admin");
    await addMember(a, ws.id, admin, "ADMIN");
    // B caches the admin's access.
    expect((await b.gql(AUDIT, { w: ws.id }, { token: admin.token })).errors).toBeUndefined();
    expect((await b.gql(AUDIT, { w: ws.id }, { token: admin.token })).errors).toBeUndefined();

    const demoted = await a.gql(
      UPDATE,
      { w: ws.id, u: admin.id, i: { role: "AGENT", policies: ["lead.read"] } },
      { token: owner.token },
    );
    expect(demoted.errors).toBeUndefined();
    const next = await b.gql(AUDIT, { w: ws.id }, { token: admin.token });
    expect(codeOf(next), "the very next request on B").toBe("FORBIDDEN");
    expect(next.data).toBeNull();
    expect(codeOf(await b.gql(AUDIT, { w: ws.id }, { token: admin.token })), "and the one after").toBe("FORBIDDEN");
    // An agent with lead.read still reads leads: the new access, not a blanket refusal.
    expect((await b.gql(LEADS, { w: ws.id }, { token: admin.token })).errors).toBeUndefined();
  });

  it("a member removed on A finds the workspace gone on the very next request on B", async () => {
    const member = await a.user("Member");
    await addMember(a, ws.id, member, "AGENT", ["lead.read"]);
    expect((await b.gql(LEADS, { w: ws.id }, { token: member.token })).errors).toBeUndefined();
    expect((await a.gql(REMOVE, { w: ws.id, u: member.id }, { token: owner.token })).errors).toBeUndefined();
    expect(codeOf(await b.gql(LEADS, { w: ws.id }, { token: member.token }))).toBe("NOT_FOUND");
  });

  it("a change that does not touch a cached principal costs a re-check on B, not a refusal", async () => {
    const other = await a.user("Other");
    await addMember(a, ws.id, other, "ADMIN");
    expect((await b.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
    expect(
      (await a.gql(UPDATE, { w: ws.id, u: other.id, i: { role: "AGENT" } }, { token: owner.token })).errors,
    ).toBeUndefined();
    const sent = await statementsOf(b, async () =>
      expect((await b.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined(),
    );
    expect(
      sent.filter((q) => q.includes('"memberships"')),
      "re-read once",
    ).toHaveLength(1);
    expect((await b.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
  });

  it("an API key loses its creator's power, then its validity, on the very next request on B", async () => {
    const creator = await a.user("Creator");
    await addMember(a, ws.id, creator, "ADMIN");
    const created = await a.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "cached", scopes: ["lead.manage", "lead.read"] } },
      { token: creator.token },
    );
    const { secret, apiKey } = created.data!.createApiKey;
    expect((await b.gql(SUBMIT, { i: { name: "First" } }, { token: secret })).errors).toBeUndefined();
    await firstUseWritten(b, ws.id, "cached");
    const sent = await statementsOf(b, async () =>
      expect((await b.gql(SUBMIT, { i: { name: "Second" } }, { token: secret })).errors).toBeUndefined(),
    );
    expect(
      sent.filter((q) => q.includes('"api_keys"')),
      "no key read on a cached request",
    ).toEqual([]);

    // The creator demoted to an agent with lead.read only: the key may no longer submit, still read.
    expect(
      (
        await a.gql(
          UPDATE,
          { w: ws.id, u: creator.id, i: { role: "AGENT", policies: ["lead.read"] } },
          { token: owner.token },
        )
      ).errors,
    ).toBeUndefined();
    const refused = await b.gql(SUBMIT, { i: { name: "Third" } }, { token: secret });
    expect(codeOf(refused), "the very next request on B").toBe("FORBIDDEN");
    const stored = await ownerSql<{ n: string }>(
      a,
      "SELECT count(*) AS n FROM leads WHERE workspace_id = $1 AND name = 'Third'",
      [ws.id],
    );
    expect(Number(stored[0]!.n), "nothing written").toBe(0);
    expect((await b.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();

    // Revoked on A: refused on B at once, with the key's own reason.
    expect((await a.gql(REVOKE_KEY, { w: ws.id, id: apiKey.id }, { token: owner.token })).errors).toBeUndefined();
    const revoked = await b.gql(LEADS, { w: ws.id }, { token: secret });
    expect(codeOf(revoked)).toBe("UNAUTHENTICATED");
    expect(revoked.errors?.[0]?.extensions?.reason).toBe("API_KEY_REVOKED");
    expect(revoked.data).toBeNull();
  });

  it("a cached key's submitLead, verified by its own write (no statement before it), writes nothing once the key is revoked on A", async () => {
    const created = await a.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "writer", scopes: ["lead.manage"] } },
      { token: owner.token },
    );
    const { secret, apiKey } = created.data!.createApiKey;
    expect((await b.gql(SUBMIT, { i: { name: "Cached write" } }, { token: secret })).errors).toBeUndefined();
    await firstUseWritten(b, ws.id, "writer");
    const fromSystem = b.systemQueries.length;
    const written = await b.gql(SUBMIT, { i: { name: "Verified by its write" } }, { token: secret });
    expect(written.errors).toBeUndefined();
    // One transaction: its settings statement checking the key's version, then the write (one
    // Sync: no BEGIN, no COMMIT). Issue 15 allows 8.
    expect(await onB.of(written), "settings and the write").toBe(2);
    // And no check of its own before, on the system client (an earlier key's batched rate-limit
    // write may land in the window).
    expect(
      b.systemQueries.slice(fromSystem).filter((q) => !q.includes("rate_limit_buckets")),
      "no check before the mutation",
    ).toEqual([]);

    expect((await a.gql(REVOKE_KEY, { w: ws.id, id: apiKey.id }, { token: owner.token })).errors).toBeUndefined();
    const refused = await b.gql(SUBMIT, { i: { name: "After revocation" } }, { token: secret });
    expect(codeOf(refused), "the very next request on B").toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.extensions?.reason).toBe("API_KEY_REVOKED");
    const stored = await ownerSql<{ n: string }>(
      a,
      "SELECT count(*) AS n FROM leads WHERE workspace_id = $1 AND name = 'After revocation'",
      [ws.id],
    );
    expect(Number(stored[0]!.n), "nothing written").toBe(0);
  });

  it("a cached key whose expiry passes, with nothing written anywhere, is refused on B from that moment", async () => {
    // Long enough for the first use and its last_used_at to land before it on a loaded machine.
    const expiresAt = Date.now() + 5_000;
    const created = await a.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "short-lived", scopes: ["lead.read"], expiresAt: new Date(expiresAt).toISOString() } },
      { token: owner.token },
    );
    const { secret } = created.data!.createApiKey;
    expect((await b.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();
    await firstUseWritten(b, ws.id, "short-lived");
    expect(Date.now(), "the first use and its bookkeeping done well before the expiry").toBeLessThan(expiresAt - 1_000);
    const cached = await statementsOf(b, async () =>
      expect((await b.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined(),
    );
    expect(
      cached.filter((q) => q.includes('"api_keys"')),
      "served from B's cache",
    ).toEqual([]);
    const [version] = await ownerSql<{ auth_version: string }>(
      a,
      "SELECT auth_version::text FROM workspaces WHERE id = $1",
      [ws.id],
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 50));
    const r = await b.gql(LEADS, { w: ws.id }, { token: secret });
    expect(codeOf(r), "the first request after the expiry").toBe("UNAUTHENTICATED");
    expect(r.errors?.[0]?.extensions?.reason).toBe("API_KEY_EXPIRED");
    expect(r.data).toBeNull();
    const [after] = await ownerSql<{ auth_version: string }>(
      a,
      "SELECT auth_version::text FROM workspaces WHERE id = $1",
      [ws.id],
    );
    expect(after, "no write moved the workspace's version: the expiry alone refused it").toEqual(version);
  });

  it("an API key whose creator left the workspace stops on the very next request on B", async () => {
    const creator = await a.user("Leaver");
    await addMember(a, ws.id, creator, "ADMIN");
    const created = await a.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "leaver", scopes: ["lead.read"] } },
      { token: creator.token },
    );
    const { secret } = created.data!.createApiKey;
    expect((await b.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();
    expect((await a.gql(REMOVE, { w: ws.id, u: creator.id }, { token: owner.token })).errors).toBeUndefined();
    const r = await b.gql(LEADS, { w: ws.id }, { token: secret });
    expect(codeOf(r)).toBe("UNAUTHENTICATED");
    expect(r.errors?.[0]?.extensions?.reason).toBe("API_KEY_CREATOR_GONE");
  });
});

describe("principal cache and the step-up gate (S7)", () => {
  const SECURITY = `mutation($w: ID!, $i: WorkspaceSecurityInput!) { setWorkspaceSecurity(workspaceId: $w, input: $i) { requireStepUp } }`;
  it("a workspace starting (or stopping) to require step-up on A applies on the very next request on B, whose membership was cached", async () => {
    const a = await startTestApi({ stepUpEnabled: true });
    const b = await secondInstance(a, { stepUpEnabled: true });
    try {
      const owner = await a.user("Owner");
      const w = await createWorkspace(a, owner, "Step-up cache");
      const member = await a.user("Member");
      await addMember(a, w.id, member, "AGENT", ["lead.read"]);
      // B caches the member's access (second request: no membership read).
      expect((await b.gql(LEADS, { w: w.id }, { token: member.token })).errors).toBeUndefined();
      const cached = await statementsOf(b, async () =>
        expect((await b.gql(LEADS, { w: w.id }, { token: member.token })).errors).toBeUndefined(),
      );
      expect(
        cached.filter((q) => q.includes('"memberships"')),
        "served from the cache",
      ).toEqual([]);

      const before = await ownerSql<{ v: number }>(a, "SELECT auth_version AS v FROM workspaces WHERE id = $1", [w.id]);
      expect(
        (await a.gql(SECURITY, { w: w.id, i: { requireStepUp: true } }, { token: owner.token })).errors,
      ).toBeUndefined();
      const after = await ownerSql<{ v: number }>(a, "SELECT auth_version AS v FROM workspaces WHERE id = $1", [w.id]);
      expect(after[0]!.v, "the setting bumps auth_version").toBe(before[0]!.v + 1);
      const blocked = await b.gql(LEADS, { w: w.id }, { token: member.token });
      expect(codeOf(blocked), "the very next request on B").toBe("STEP_UP_REQUIRED");
      expect(blocked.data).toBeNull();

      // Lifted (here straight in the database: the owner's own unverified session is gated too; the trigger fires on any path).
      await ownerSql(a, "UPDATE workspaces SET require_step_up = false WHERE id = $1", [w.id]);
      expect((await b.gql(LEADS, { w: w.id }, { token: member.token })).errors, "lifted at once too").toBeUndefined();
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe("batched API key rate limit across instances", () => {
  it("counts a request once although the engine runs it again (its cached key went stale under it)", async () => {
    const a = await startTestApi({ rateLimits: { apiKeyPerMinute: 50 } });
    try {
      const u = await a.user("Owner");
      const w = await createWorkspace(a, u, "Reruns");
      const r = await a.gql<{ createApiKey: { secret: string } }>(
        CREATE_KEY,
        { w: w.id, i: { name: "k", scopes: ["lead.read"] } },
        { token: u.token },
      );
      const key = r.data!.createApiKey.secret;
      const remaining = (res: { headers: Headers }) => Number(/r=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);
      const first = await a.gql(LEADS, { w: w.id }, { token: key });
      expect(first.errors).toBeUndefined();
      await firstUseWritten(a, w.id, "k");
      // The key is cached now; a version bump (as any change of power makes) leaves it stale, so the
      // next read's answer is dropped and the read runs again with the key read afresh.
      await ownerSql(a, "UPDATE workspaces SET auth_version = auth_version + 1 WHERE id = $1", [w.id]);
      let second: Awaited<ReturnType<typeof a.gql>> | undefined;
      const sent = await statementsOf(a, async () => {
        second = await a.gql(LEADS, { w: w.id }, { token: key });
      });
      expect(second!.errors).toBeUndefined();
      expect(
        sent.filter((q) => /COUNT\(\*\) .*FROM "public"."leads"/.test(q)).length,
        `the read ran twice — sent:\n${sent.join("\n")}`,
      ).toBeGreaterThanOrEqual(2);
      expect(remaining(second!), "one hit for the request, not one per run").toBe(remaining(first) - 1);
    } finally {
      await a.close();
    }
  });

  it("shares one budget: hits counted on A are refused on B", async () => {
    const a = await startTestApi({ rateLimits: { apiKeyPerMinute: 4 } });
    const b = await secondInstance(a, { rateLimits: { apiKeyPerMinute: 4 } });
    try {
      const u = await a.user("Owner");
      const w = await createWorkspace(a, u, "Limits");
      const r = await a.gql<{ createApiKey: { secret: string } }>(
        CREATE_KEY,
        { w: w.id, i: { name: "k", scopes: ["lead.read"] } },
        { token: u.token },
      );
      const key = r.data!.createApiKey.secret;
      const upserts = () => a.systemQueries.filter((q) => q.includes("INSERT INTO rate_limit_buckets")).length;
      const before = upserts();
      for (let i = 0; i < 3; i++) expect((await a.gql(LEADS, { w: w.id }, { token: key })).errors).toBeUndefined();
      // Not one upsert per request: the first hit opens the shared window, the next ones wait in
      // A's memory and are written at most once a second (two upserts if the three took over one).
      expect(upserts() - before, "not one upsert per request").toBeLessThanOrEqual(2);
      // A writes what waits by itself, within about a second (no flushAll here).
      const bucket = async () =>
        (await ownerSql<{ count: number }>(a, "SELECT count FROM rate_limit_buckets WHERE key LIKE 'apikey:%'")).map(
          (x) => x.count,
        );
      const deadline = Date.now() + 5_000;
      while ((await bucket())[0] !== 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await bucket()).toEqual([3]);
      expect((await b.gql(LEADS, { w: w.id }, { token: key })).errors, "the 4th hit, on B").toBeUndefined();
      const limited = await b.gql(LEADS, { w: w.id }, { token: key });
      expect(codeOf(limited), "the 5th, on B").toBe("RATE_LIMITED");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
