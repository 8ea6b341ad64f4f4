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
import { readOf, requestStatements } from "../../test/request-statements.ts";

const LEADS = `query($w: ID!, $f: Int, $a: String) { leads(workspaceId: $w, first: $f, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name email createdAt contact { id email phone } } } } }`;

describe("leads and contacts (the conversation rules are in conversations.int.test.ts)", () => {
  let api: TestApi;
  const statements = requestStatements();
  let owner: TestUser;
  let agent: TestUser;
  let stranger: TestUser;
  let ws: { id: string; slug: string };
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    [owner, agent, stranger] = await Promise.all([api.user("Owner"), api.user("Agent"), api.user("Stranger")]);
    ws = await createWorkspace(api, owner, "Leads Co");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "contact.read", "conversation.read", "message.send"]);
    const r = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "site", scopes: ["lead.manage"] }) { secret } }`,
      { w: ws.id },
      { token: owner.token },
    );
    key = r.data!.createApiKey.secret;
    for (let i = 0; i < 60; i++) {
      const s = await api.gql(
        `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
        { i: { name: `Lead ${i}`, email: `lead${i % 40}@example.com` } },
        { token: key },
      );
      if (s.errors) throw new Error(JSON.stringify(s.errors));
    }
  });
  afterAll(async () => api.close());

  it("pages leads newest first with a stable cursor; first is capped", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: Awaited<ReturnType<TestApi["gql"]>> = await api.gql(
        LEADS,
        { w: ws.id, f: 25, a: after },
        { token: agent.token },
      );
      const c = (
        r.data as {
          leads: {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string };
            edges: { node: { id: string; createdAt: string } }[];
          };
        }
      ).leads;
      expect(c.totalCount).toBe(60);
      seen.push(...c.edges.map((e) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(codeOf(await api.gql(LEADS, { w: ws.id, f: 101 }, { token: agent.token }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await api.gql(LEADS, { w: ws.id, f: 0 }, { token: agent.token }))).toBe("BAD_USER_INPUT");
  });

  it("deduplicates contacts by normalised e-mail (60 leads, 40 contacts)", async () => {
    const r = await api.gql<{ contacts: { totalCount: number } }>(
      `query($w: ID!) { contacts(workspaceId: $w) { totalCount } }`,
      { w: ws.id },
      { token: agent.token },
    );
    expect(r.data?.contacts.totalCount).toBe(40);
  });

  it("lists leads with their contacts in a bounded number of statements, whatever the page size (no N+1)", async () => {
    const count = async (first: number) => {
      const r = await api.gql<{ leads: { edges: unknown[] } }>(LEADS, { w: ws.id, f: first }, { token: agent.token });
      expect(r.errors).toBeUndefined();
      expect(r.data!.leads.edges).toHaveLength(first);
      return statements.of(r);
    };
    const small = await count(2);
    const large = await count(50);
    expect(large).toBe(small);
    // The settings, the page with its contacts, the count (the agent's access cached by now).
    expect(large).toBe(readOf(2));
  });

  it("agents read leads but cannot change their status; lead.manage can", async () => {
    const first = await api.gql<{ leads: { edges: { node: { id: string } }[] } }>(
      LEADS,
      { w: ws.id, f: 1 },
      { token: agent.token },
    );
    const id = first.data!.leads.edges[0]!.node.id;
    const UPDATE = `mutation($w: ID!, $id: ID!) { updateLeadStatus(workspaceId: $w, id: $id, status: QUALIFIED) { status } }`;
    expect(codeOf(await api.gql(UPDATE, { w: ws.id, id }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(
      (await api.gql<{ updateLeadStatus: { status: string } }>(UPDATE, { w: ws.id, id }, { token: owner.token })).data
        ?.updateLeadStatus.status,
    ).toBe("QUALIFIED");
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!, $id: ID!) { updateLeadStatus(workspaceId: $w, id: $id, status: WON) { status } }`,
          { w: ws.id, id },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
  });

  it("every operation of this issue with another workspace's ids answers NOT_FOUND, by user and by key", async () => {
    const theirs = await createWorkspace(api, stranger, "Stranger Leads");
    const lead = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM leads WHERE workspace_id = $1 LIMIT 1`, [ws.id])
    )[0]!.id;
    const contact = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM contacts WHERE workspace_id = $1 LIMIT 1`, [ws.id])
    )[0]!.id;
    const conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, human_takeover) VALUES ($1, $2, true) RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    const ops: [string, Record<string, unknown>][] = [
      [LEADS, { w: ws.id }],
      [`query($w: ID!, $id: ID!) { lead(workspaceId: $w, id: $id) { id } }`, { w: ws.id, id: lead }],
      [`query($w: ID!) { contacts(workspaceId: $w) { totalCount } }`, { w: ws.id }],
      [`query($w: ID!) { conversations(workspaceId: $w) { totalCount } }`, { w: ws.id }],
      [`query($w: ID!, $id: ID!) { conversation(workspaceId: $w, id: $id) { id } }`, { w: ws.id, id: conv }],
      [
        `query($w: ID!, $c: ID!) { messages(workspaceId: $w, conversationId: $c) { totalCount } }`,
        { w: ws.id, c: conv },
      ],
      [
        `mutation($w: ID!, $id: ID!) { updateLeadStatus(workspaceId: $w, id: $id, status: LOST) { id } }`,
        { w: ws.id, id: lead },
      ],
      [
        `mutation($w: ID!, $c: ID!) { setHumanTakeover(workspaceId: $w, conversationId: $c, enabled: false) { id } }`,
        { w: ws.id, c: conv },
      ],
      [
        `mutation($w: ID!, $c: ID!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: "x" }) { id } }`,
        { w: ws.id, c: conv },
      ],
      [`query($w: ID!) { apiKeys(workspaceId: $w) { id } }`, { w: ws.id }],
      [
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "x", scopes: ["lead.read"] }) { secret } }`,
        { w: ws.id },
      ],
      [`mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`, { w: ws.id, id: crypto.randomUUID() }],
      // Their own workspace id with our row ids: the rows are not theirs.
      [`query($w: ID!, $id: ID!) { lead(workspaceId: $w, id: $id) { id } }`, { w: theirs.id, id: lead }],
      [
        `mutation($w: ID!, $id: ID!) { updateLeadStatus(workspaceId: $w, id: $id, status: LOST) { id } }`,
        { w: theirs.id, id: lead },
      ],
      [
        `mutation($w: ID!, $c: ID!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: "x" }) { id } }`,
        { w: theirs.id, c: conv },
      ],
      [
        `query($w: ID!, $c: ID!) { messages(workspaceId: $w, conversationId: $c) { totalCount } }`,
        { w: theirs.id, c: conv },
      ],
    ];
    const theirKey = (
      await api.gql<{ createApiKey: { secret: string } }>(
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.manage", "lead.read", "contact.read", "conversation.read", "message.send", "apikey.manage"] }) { secret } }`,
        { w: theirs.id },
        { token: stranger.token },
      )
    ).data!.createApiKey.secret;
    for (const token of [stranger.token, theirKey]) {
      for (const [q, v] of ops) expect(codeOf(await api.gql(q, v, { token })), q).toBe("NOT_FOUND");
    }
    const untouched = await ownerSql<{ status: string }>(api, `SELECT status FROM leads WHERE id = $1`, [lead]);
    expect(untouched[0]!.status).not.toBe("LOST");
  });
});
