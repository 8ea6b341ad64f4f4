import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { resolvePrincipal } from "../../principal.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  eventually,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { generateApiKey } from "./api-key-format.ts";

const CREATE = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret apiKey { id name scopes prefix } } }`;
const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id name email phone contact { id } } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w, first: 5) { totalCount edges { node { id name } } } }`;

describe("API keys", () => {
  let api: TestApi;
  let owner: TestUser;
  let admin: TestUser;
  let ws: { id: string; slug: string };

  async function createKey(user: TestUser, scopes: string[], extra: Record<string, unknown> = {}) {
    const r = await api.gql<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string } } }>(
      CREATE,
      { w: ws.id, i: { name: "ci", scopes, ...extra } },
      { token: user.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createApiKey;
  }
  /** The key's last_used_at once written: the write goes beside the request, not in it. */
  const lastUsedOf = (id: string): Promise<Date> =>
    eventually(
      async () =>
        (
          await ownerSql<{ last_used_at: Date | null }>(api, "SELECT last_used_at FROM api_keys WHERE id = $1", [id])
        )[0]!.last_used_at,
      10_000,
      "the key's last_used_at",
    );
  const submit = (key: string, input: Record<string, unknown> = { name: "Lead", email: "lead@example.com" }) =>
    api.gql<{ submitLead: { id: string; contact: { id: string } } }>(SUBMIT, { i: input }, { token: key });

  beforeAll(async () => {
    api = await startTestApi({ rateLimits: { apiKeyPerMinute: 100_000 } });
    owner = await api.user("Owner");
    admin = await api.user("Admin");
    ws = await createWorkspace(api, owner, "Keys Co");
    await addMember(api, ws.id, admin, "ADMIN");
  });
  afterAll(async () => api.close());

  it("returns the secret once, stores only its hash, and the key submits leads (deduplicating contacts)", async () => {
    const { secret, apiKey } = await createKey(owner, ["lead.manage", "contact.read"]); // contact.read: the answers show the contact
    expect(secret).toMatch(/^atr_dev_/);
    expect(secret.startsWith(apiKey.prefix.replace("…", ""))).toBe(true);
    const stored = await ownerSql<{ secret_hash: string }>(api, `SELECT secret_hash FROM api_keys WHERE id = $1`, [
      apiKey.id,
    ]);
    expect(stored[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      JSON.stringify(
        await api.gql(
          `query($w: ID!) { apiKeys(workspaceId: $w) { id prefix } }`,
          { w: ws.id },
          { token: owner.token },
        ),
      ),
    ).not.toContain(secret);

    const a = await submit(secret, { name: "Ada", email: "ADA@example.com", phone: "+44 20 7946 0958" });
    const b = await submit(secret, { name: "Ada L.", phone: "0044 20 79460958" });
    expect(a.errors).toBeUndefined();
    expect(b.data?.submitLead.contact.id).toBe(a.data?.submitLead.contact.id);
    const events = await ownerSql<{ actor_api_key_id: string }>(
      api,
      `SELECT actor_api_key_id FROM audit_events WHERE workspace_id = $1 AND action = 'lead.created'`,
      [ws.id],
    );
    expect(events.every((e) => e.actor_api_key_id === apiKey.id)).toBe(true);
    expect(await lastUsedOf(apiKey.id)).not.toBeNull();
  });

  it("writes last_used_at once a minute at most, not on every request (issue 15)", async () => {
    const { secret, apiKey } = await createKey(owner, ["lead.read"]);
    const read = async () => expect((await api.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();
    await read();
    const first = await lastUsedOf(apiKey.id);
    expect(first, "written on the first use").not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first write's COMMIT recorded
    const from = api.queries.length;
    for (let i = 0; i < 5; i++) await read();
    await new Promise((resolve) => setTimeout(resolve, 100)); // a write beside a request would have been sent by now
    expect(
      api.queries.slice(from).filter((q) => /^UPDATE\b[\s\S]*"last_used_at"/.test(q)),
      "no write of last_used_at within its minute",
    ).toEqual([]);
    const [again] = await ownerSql<{ last_used_at: Date }>(api, "SELECT last_used_at FROM api_keys WHERE id = $1", [
      apiKey.id,
    ]);
    expect(again!.last_used_at.getTime()).toBe(first.getTime());
  });

  it("refuses scopes beyond the creator's policies, and agents never manage keys", async () => {
    const agent = await api.user("Agent");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "lead.manage"]);
    expect(
      codeOf(await api.gql(CREATE, { w: ws.id, i: { name: "x", scopes: ["lead.manage"] } }, { token: agent.token })),
    ).toBe("FORBIDDEN");
    // A key is never a way up: its holder cannot create keys beyond the key's scopes either.
    const { secret } = await createKey(admin, ["lead.manage", "apikey.manage"]);
    expect(
      codeOf(await api.gql(CREATE, { w: ws.id, i: { name: "y", scopes: ["audit.read"] } }, { token: secret })),
    ).toBe("FORBIDDEN");
    expect(
      codeOf(await api.gql(CREATE, { w: ws.id, i: { name: "y", scopes: ["nope.nope"] } }, { token: owner.token })),
    ).toBe("BAD_USER_INPUT");
  });

  it("a key loses power on the creator's demotion at once, and stops when the creator leaves", async () => {
    const creator = await api.user("Creator");
    await addMember(api, ws.id, creator, "AGENT", ["lead.read", "lead.manage", "workspace.members"]);
    await ownerSql(api, `UPDATE memberships SET role = 'ADMIN' WHERE workspace_id = $1 AND user_id = $2`, [
      ws.id,
      creator.id,
    ]);
    const { secret } = await createKey(creator, ["lead.manage", "lead.read"]);
    expect((await submit(secret)).errors).toBeUndefined();
    await ownerSql(
      api,
      `UPDATE memberships SET role = 'AGENT', policies = '{lead.read}' WHERE workspace_id = $1 AND user_id = $2`,
      [ws.id, creator.id],
    );
    expect(codeOf(await submit(secret))).toBe("FORBIDDEN");
    expect((await api.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();
    await ownerSql(api, `DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.id, creator.id]);
    const gone = await api.gql(LEADS, { w: ws.id }, { token: secret });
    expect(codeOf(gone)).toBe("UNAUTHENTICATED");
    expect(gone.errors?.[0]?.extensions?.reason).toBe("API_KEY_CREATOR_GONE");
  });

  it("revocation and expiry take effect on the next request", async () => {
    const { secret, apiKey } = await createKey(owner, ["lead.manage"]);
    expect((await submit(secret)).errors).toBeUndefined();
    await api.gql(
      `mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`,
      { w: ws.id, id: apiKey.id },
      { token: owner.token },
    );
    const revoked = await submit(secret);
    expect(revoked.errors?.[0]?.extensions?.reason).toBe("API_KEY_REVOKED");

    const soon = await createKey(owner, ["lead.manage"], { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await submit(soon.secret)).errors).toBeUndefined();
    await ownerSql(api, `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [soon.apiKey.id]);
    expect((await submit(soon.secret)).errors?.[0]?.extensions?.reason).toBe("API_KEY_EXPIRED");
    expect(
      codeOf(
        await api.gql(
          CREATE,
          { w: ws.id, i: { name: "past", scopes: ["lead.read"], expiresAt: "2001-01-01T00:00:00Z" } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
  });

  it("rejects 10,000 mutated keys without a single database query", async () => {
    const { secret } = await createKey(owner, ["lead.read"]);
    let dbCalls = 0;
    const countingDb = new Proxy(api.services.db, {
      get(target, prop, receiver) {
        if (prop === "tenant" || prop === "system" || prop === "appUnscoped") dbCalls++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const services = { ...api.services, db: countingDb };
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const pos = 9 + (i % (secret.length - 9));
      const chars = [...secret];
      const replacement = alphabet[(alphabet.indexOf(chars[pos]!) + 1 + (i % 61)) % 62]!;
      if (replacement === chars[pos]) continue;
      chars[pos] = replacement;
      const req = { headers: { authorization: `Bearer ${chars.join("")}` }, cookies: {} } as unknown as Parameters<
        typeof resolvePrincipal
      >[0];
      const r = await resolvePrincipal(req, services, { scope: undefined });
      if (r.failure === "API_KEY_INVALID" && !r.apiKey) rejected++;
    }
    expect(rejected).toBeGreaterThanOrEqual(9_800);
    expect(dbCalls).toBe(0);
    // The real one still works through the same function.
    const ok = await resolvePrincipal(
      { headers: { authorization: `Bearer ${secret}` }, cookies: {} } as never,
      api.services,
      { scope: undefined },
    );
    expect(ok.apiKey?.workspaceId).toBe(ws.id);
  });

  it("a well-formed key for an unknown id, or with the wrong secret, is refused", async () => {
    const forged = generateApiKey("DEVELOPMENT", ws.id, crypto.randomUUID()).key;
    expect((await submit(forged)).errors?.[0]?.extensions?.reason).toBe("API_KEY_INVALID");
    const { apiKey } = await createKey(owner, ["lead.manage"]);
    const wrongSecret = generateApiKey("DEVELOPMENT", ws.id, apiKey.id).key;
    expect((await submit(wrongSecret)).errors?.[0]?.extensions?.reason).toBe("API_KEY_INVALID");
  });

  it("a key reaches only its own workspace: every operation naming another answers NOT_FOUND", async () => {
    const other = await api.user("Other");
    const theirs = await createWorkspace(api, other, "Theirs Keys");
    const { secret } = await createKey(owner, [
      "lead.manage",
      "lead.read",
      "contact.read",
      "conversation.read",
      "apikey.manage",
      "workspace.members",
      "audit.read",
    ]);
    for (const [q, v] of [
      [LEADS, { w: theirs.id }],
      [`query($w: ID!) { contacts(workspaceId: $w) { totalCount } }`, { w: theirs.id }],
      [`query($w: ID!) { conversations(workspaceId: $w) { totalCount } }`, { w: theirs.id }],
      [`query($w: ID!) { apiKeys(workspaceId: $w) { id } }`, { w: theirs.id }],
      [`query($w: ID!) { members(workspaceId: $w) { role } }`, { w: theirs.id }],
      [`query($w: ID!) { auditEvents(workspaceId: $w) { totalCount } }`, { w: theirs.id }],
      [`query($s: String!) { workspace(slug: $s) { id } }`, { s: theirs.slug }],
      [CREATE, { w: theirs.id, i: { name: "x", scopes: ["lead.read"] } }],
      [
        `mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`,
        { w: theirs.id, id: crypto.randomUUID() },
      ],
    ] as const) {
      expect(codeOf(await api.gql(q, v, { token: secret })), q).toBe("NOT_FOUND");
    }
    // User-only operations are refused to keys.
    expect(
      codeOf(
        await api.gql(
          `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
          { i: { name: "Via key", channel: "VOICE" } },
          { token: secret },
        ),
      ),
    ).toBe("FORBIDDEN");
    // And submitLead refuses user tokens.
    expect(codeOf(await api.gql(SUBMIT, { i: { name: "x" } }, { token: owner.token }))).toBe("FORBIDDEN");
  });

  it("rate-limits each key with a retry-after hint, and states the window on every answer (IETF RateLimit fields)", async () => {
    const limited = await startTestApi({ rateLimits: { apiKeyPerMinute: 4 } });
    try {
      const u = await limited.user("Owner");
      const w = await createWorkspace(limited, u, "Limited");
      const r = await limited.gql<{ createApiKey: { secret: string } }>(
        CREATE,
        { w: w.id, i: { name: "k", scopes: ["lead.manage"] } },
        { token: u.token },
      );
      const key = r.data!.createApiKey.secret;
      // A signed-in user's request is not an API-key request: no fields.
      expect(r.headers.get("ratelimit")).toBeNull();
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await limited.gql(SUBMIT, { i: { name: `L${i}` } }, { token: key }));
      expect(answers.map(codeOf)).toEqual([undefined, undefined, undefined, undefined]);
      for (const [i, answer] of answers.entries()) {
        expect(answer.headers.get("ratelimit-policy")).toBe('"apikey";q=4;w=60');
        const m = /^"apikey";r=(\d+);t=(\d+)$/.exec(answer.headers.get("ratelimit") ?? "");
        expect(m, answer.headers.get("ratelimit") ?? "no RateLimit field").not.toBeNull();
        expect(Number(m![1])).toBe(3 - i);
        expect(Number(m![2])).toBeGreaterThan(0);
        expect(Number(m![2])).toBeLessThanOrEqual(60);
      }
      const last = await limited.gql(SUBMIT, { i: { name: "L4" } }, { token: key });
      expect(codeOf(last)).toBe("RATE_LIMITED");
      expect(last.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      expect(last.status).toBe(429);
      expect(last.headers.get("retry-after")).toBe(String(last.errors?.[0]?.extensions?.retryAfterSeconds));
      expect(last.headers.get("ratelimit-policy")).toBe('"apikey";q=4;w=60');
      expect(last.headers.get("ratelimit")).toBe(`"apikey";r=0;t=${last.headers.get("retry-after")}`);
    } finally {
      await limited.close();
    }
  });
});
