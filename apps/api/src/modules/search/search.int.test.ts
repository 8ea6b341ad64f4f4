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

const SEARCH = `query($w: ID!, $q: String!, $f: Int) { search(workspaceId: $w, query: $q, first: $f) { kind id title subtitle } }`;
type Hit = { kind: "LEAD" | "CONTACT" | "CONVERSATION"; id: string; title: string; subtitle: string | null };

describe("search (the command palette, issue 48)", () => {
  let api: TestApi;
  let owner: TestUser;
  let contactsOnly: TestUser;
  let ws: { id: string; slug: string };
  let other: { id: string; slug: string };
  let leadId: string;
  let conversationId: string;

  const search = async (user: TestUser, q: string, w = ws.id, f?: number) =>
    api.gql<{ search: Hit[] }>(SEARCH, { w, q, f }, { token: user.token });
  const hits = async (user: TestUser, q: string, w = ws.id) => {
    const r = await search(user, q, w);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.search;
  };

  beforeAll(async () => {
    api = await startTestApi();
    [owner, contactsOnly] = await Promise.all([api.user("Owner"), api.user("Contacts only")]);
    ws = await createWorkspace(api, owner, "Search Co");
    other = await createWorkspace(api, owner, "Other Co");
    await addMember(api, ws.id, contactsOnly, "AGENT", ["contact.read", "conversation.read"]);
    const keys = new Map<string, string>();
    for (const w of [ws.id, other.id]) {
      const k = await api.gql<{ createApiKey: { secret: string } }>(
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "site", scopes: ["lead.manage"] }) { secret } }`,
        { w },
        { token: owner.token },
      );
      keys.set(w, k.data!.createApiKey.secret);
    }
    const submit = async (w: string, name: string, phone: string) => {
      const r = await api.gql<{ submitLead: { id: string } }>(
        `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
        { i: { name, phone } },
        { token: keys.get(w)! },
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.submitLead.id;
    };
    leadId = await submit(ws.id, "Beatrix Kiddo", "+1 555 010 4242");
    await submit(ws.id, "Somebody Else", "+1 555 010 7777");
    // The other workspace has a lead with the same name and number: never found from ws.
    await submit(other.id, "Beatrix Kiddo", "+1 555 010 4242");
    const [contact] = await ownerSql<{ id: string }>(
      api,
      `SELECT contact_id AS id FROM leads WHERE workspace_id = $1 AND id = $2`,
      [ws.id, leadId],
    );
    conversationId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, lead_id) VALUES ($1, $2, $3) RETURNING id`,
        [ws.id, contact!.id, leadId],
      )
    )[0]!.id;
  });
  afterAll(async () => api.close());

  it("finds the lead, its contact and its conversation by name, case-insensitively, in this workspace only", async () => {
    const found = await hits(owner, "kidd");
    expect(found.map((h) => h.kind).sort()).toEqual(["CONTACT", "CONVERSATION", "LEAD"]);
    expect(found.find((h) => h.kind === "LEAD")).toEqual({
      kind: "LEAD",
      id: leadId,
      title: "Beatrix Kiddo",
      subtitle: "+15550104242",
    });
    expect(found.find((h) => h.kind === "CONVERSATION")?.id).toBe(conversationId);
    // The other workspace's rows (same name, same number) never appear.
    const otherIds = (
      await ownerSql<{ id: string }>(
        api,
        `SELECT id FROM leads WHERE workspace_id = $1 UNION SELECT id FROM contacts WHERE workspace_id = $1`,
        [other.id],
      )
    ).map((r) => r.id);
    expect(otherIds.length).toBeGreaterThan(0);
    for (const q of ["Beatrix", "4242"]) {
      for (const hit of await hits(owner, q)) expect(otherIds).not.toContain(hit.id);
    }
    // And from the other workspace, only its own.
    const fromOther = await hits(owner, "Beatrix", other.id);
    expect(fromOther.length).toBeGreaterThan(0);
    for (const hit of fromOther) expect(otherIds.includes(hit.id) || hit.kind === "CONVERSATION").toBe(true);
    expect(fromOther.map((h) => h.id)).not.toContain(leadId);
  });

  it("finds by phone number, however it is typed", async () => {
    for (const q of ["4242", "+1 (555) 010-4242", "555 010 4242"]) {
      const found = await hits(owner, q);
      expect(found.filter((h) => h.kind === "LEAD").map((h) => h.title)).toEqual(["Beatrix Kiddo"]);
    }
    // "+1 555" starts both leads' numbers; "010" is only inside them (no match); a name with
    // digits is not a phone search.
    expect((await hits(owner, "+1 555")).filter((h) => h.kind === "LEAD")).toHaveLength(2);
    expect((await hits(owner, "010")).filter((h) => h.kind === "LEAD")).toEqual([]);
    expect(await hits(owner, "Kiddo 4242")).toEqual([]);
  });

  it("gives a principal without lead.read no lead hits (contacts and conversations still)", async () => {
    const found = await hits(contactsOnly, "Beatrix");
    expect(found.map((h) => h.kind).sort()).toEqual(["CONTACT", "CONVERSATION"]);
    expect(found.map((h) => h.id)).not.toContain(leadId);
    const byPhone = await hits(contactsOnly, "4242");
    expect(byPhone.some((h) => h.kind === "LEAD")).toBe(false);
  });

  it("answers bad input with typed errors, and a stranger's workspace as NOT_FOUND", async () => {
    expect(codeOf(await search(owner, "ab"))).toBe("BAD_USER_INPUT");
    expect(codeOf(await search(owner, "   ab   "))).toBe("BAD_USER_INPUT");
    expect(codeOf(await search(owner, "x".repeat(101)))).toBe("BAD_USER_INPUT");
    expect(codeOf(await search(owner, "Beatrix", ws.id, 0))).toBe("BAD_USER_INPUT");
    expect(codeOf(await search(owner, "Beatrix", ws.id, 101))).toBe("BAD_USER_INPUT");
    expect(codeOf(await search(contactsOnly, "Beatrix", other.id))).toBe("NOT_FOUND");
    expect(codeOf(await search(owner, "Beatrix", "not-a-uuid"))).toBe("NOT_FOUND");
    // LIKE wildcards are literal: "%%%" matches no name.
    expect(await hits(owner, "%%%")).toEqual([]);
  });

  it("caps hits per kind at first", async () => {
    const found = (await search(owner, "1 555", ws.id, 1)).data!.search;
    expect(found.filter((h) => h.kind === "LEAD")).toHaveLength(1);
  });
});

describe("search plans (decision 0042)", () => {
  let api: TestApi;
  let ws: { id: string; slug: string };

  beforeAll(async () => {
    api = await startTestApi();
    const owner = await api.user("Planner");
    ws = await createWorkspace(api, owner, "Plans Co");
    const others = await Promise.all(Array.from({ length: 9 }, (_, i) => createWorkspace(api, owner, `Tenant ${i}`)));
    // 10 workspaces × 5 000 contacts and leads with letter names and numbers, statistics up to date.
    for (const w of [ws, ...others]) {
      await ownerSql(
        api,
        `INSERT INTO contacts (workspace_id, name, phone) SELECT $1::uuid, initcap(translate(md5(g::text || $1::text), '0123456789abcdef', 'aeioulmnrstkbdgp')), '+1' || lpad((g * 7919 % 10000000)::text, 10, '4') FROM generate_series(1, 5000) g`,
        [w.id],
      );
      await ownerSql(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, phone, source) SELECT workspace_id, id, name, phone, 'API' FROM contacts WHERE workspace_id = $1`,
        [w.id],
      );
    }
    await ownerSql(api, `ANALYZE contacts`);
    await ownerSql(api, `ANALYZE leads`);
  });
  afterAll(async () => api.close());

  // The arms of shell_search as it runs them (the owner, the workspace in the condition).
  it.each([
    ["leads by name", "leads", "name ILIKE '%sobelt%'"],
    ["leads by phone's start", "leads", "phone LIKE '+1444%'"],
    ["leads by phone's end", "leads", "reverse(phone) LIKE '1974%'"],
    ["contacts by name", "contacts", "name ILIKE '%sobelt%'"],
    ["contacts by phone's start", "contacts", "phone LIKE '+1444%'"],
    ["contacts by phone's end", "contacts", "reverse(phone) LIKE '1974%'"],
    [
      "contacts by name or phone",
      "contacts",
      "name ILIKE '%sobelt%' OR phone LIKE '+1444%' OR reverse(phone) LIKE '1974%'",
    ],
  ])("%s read an index, never the whole table", async (_what, table, condition) => {
    const plan = (
      await ownerSql<{ "QUERY PLAN": string }>(
        api,
        `EXPLAIN SELECT id FROM ${table} WHERE workspace_id = $1 AND (${condition}) ORDER BY created_at DESC, id DESC LIMIT 20`,
        [ws.id],
      )
    )
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    if (process.env.SEARCH_PLANS) console.log(plan);
    expect(plan).toMatch(/Index/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
