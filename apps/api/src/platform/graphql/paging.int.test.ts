// Relay paging both ways on every connection (issue 51, decision 0047): first/after and
// last/before walk the same rows in the same order — newest-first lists on the one-round-trip path
// (leads, audit log) and through Prisma (contacts, conversations), a list ordered by another date
// (the inbox) and an oldest-first one (a transcript); the page info either way; the arguments
// refused with a typed error (first with last, a cursor for the other direction, a bad size, an
// invalid or foreign cursor in `before`); every connection field takes last/before.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }`;
const PAGING = `$f: Int, $a: String, $l: Int, $b: String`;
const ARGS = `first: $f, after: $a, last: $l, before: $b`;
const LISTS: Record<string, string> = {
  leads: `query($w: ID!, ${PAGING}) { leads(workspaceId: $w, ${ARGS}) { ${PAGE} } }`,
  auditEvents: `query($w: ID!, ${PAGING}) { auditEvents(workspaceId: $w, ${ARGS}) { ${PAGE} } }`,
  contacts: `query($w: ID!, ${PAGING}) { contacts(workspaceId: $w, ${ARGS}) { ${PAGE} } }`,
  conversations: `query($w: ID!, ${PAGING}) { conversations(workspaceId: $w, ${ARGS}) { ${PAGE} } }`,
  inbox: `query($w: ID!, ${PAGING}) { inbox(workspaceId: $w, ${ARGS}) { ${PAGE} } }`,
  messages: `query($w: ID!, $c: ID!, ${PAGING}) { messages(workspaceId: $w, conversationId: $c, ${ARGS}) { ${PAGE} } }`,
};

describe("paging forwards and backwards (first/after, last/before)", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let conversationId: string;
  /** The ids of each list in its own order, from the database. */
  const expected: Record<string, string[]> = {};

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Pager");
    ws = await createWorkspace(api, owner, "Paging Co");
    // 11 contacts and leads, three to a timestamp (the id breaks the ties).
    const at = (i: number) => new Date(Date.parse("2026-05-01T09:00:00.000Z") + Math.floor(i / 3) * 60_000);
    for (let i = 0; i < 11; i++) {
      const [c] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
        [ws.id, `C${i}`, at(i)],
      );
      await ownerSql(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source, created_at) VALUES ($1, $2, $3, 'FORM', $4)`,
        [ws.id, c!.id, `L${i}`, at(i)],
      );
      // Conversations: created in one order, last active in the reverse one (the inbox's order).
      const [conv] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, created_at, last_activity_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [ws.id, c!.id, at(i), at(20 - i)],
      );
      conversationId ??= conv!.id;
      await ownerSql(
        api,
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, 'INBOUND', 'CONTACT', $3, 'RECEIVED', $4)`,
        [ws.id, conversationId, `m${i}`, at(i)],
      );
      await ownerSql(
        api,
        `INSERT INTO audit_events (workspace_id, action, target_type, created_at) VALUES ($1, 'paging.test', 'T', $2)`,
        [ws.id, at(i)],
      );
    }
    const ids = async (sql: string) => (await ownerSql<{ id: string }>(api, sql, [ws.id])).map((r) => r.id);
    expected.leads = await ids(`SELECT id FROM leads WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`);
    expected.auditEvents = await ids(
      `SELECT id FROM audit_events WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`,
    );
    expected.contacts = await ids(`SELECT id FROM contacts WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`);
    expected.conversations = await ids(
      `SELECT id FROM conversations WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`,
    );
    expected.inbox = await ids(
      `SELECT id FROM conversations WHERE workspace_id = $1 ORDER BY last_activity_at DESC, id DESC`,
    );
    expected.messages = await ids(`SELECT id FROM messages WHERE workspace_id = $1 ORDER BY created_at ASC, id ASC`);
  });
  afterAll(async () => api.close());

  const list = async (name: string, vars: Record<string, unknown>) => {
    const r = await api.gql<Record<string, Page>>(
      LISTS[name]!,
      { w: ws.id, c: conversationId, ...vars },
      { token: owner.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data[name]!;
  };

  /** Every page, `size` at a time, forwards or backwards from the end; the ids in the list's order. */
  async function walk(name: string, size: number, backward: boolean): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 30; i++) {
      const page = await list(name, backward ? { l: size, b: cursor } : { f: size, a: cursor });
      const pageIds = page.edges.map((e) => e.node.id);
      if (backward) ids.unshift(...pageIds);
      else ids.push(...pageIds);
      const { hasNextPage, hasPreviousPage, startCursor, endCursor } = page.pageInfo;
      expect(startCursor, `${name} startCursor`).toBe(page.edges[0]?.cursor ?? null);
      expect(endCursor, `${name} endCursor`).toBe(page.edges.at(-1)?.cursor ?? null);
      // The side a cursor was given on has rows; the way of travel is read exactly.
      expect(backward ? hasNextPage : hasPreviousPage, `${name} page ${i}`).toBe(i > 0);
      if (!(backward ? hasPreviousPage : hasNextPage)) return ids;
      cursor = backward ? startCursor : endCursor;
    }
    throw new Error("more than 30 pages");
  }

  it("walks the same rows in the same order both ways, over several pages, on every kind of list", async () => {
    for (const name of Object.keys(LISTS)) {
      const want = expected[name]!;
      expect(want.length, name).toBeGreaterThanOrEqual(11);
      expect(await walk(name, 3, false), `${name} forwards`).toEqual(want);
      expect(await walk(name, 3, true), `${name} backwards`).toEqual(want);
    }
  });

  it("last alone gives the list's last rows, in the list's order; the pages either side of a cursor meet there", async () => {
    // A transcript (oldest first): the latest three messages, oldest of them first.
    const latest = await list("messages", { l: 3 });
    expect(latest.edges.map((e) => e.node.id)).toEqual(expected.messages!.slice(-3));
    expect(latest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(latest.totalCount).toBe(expected.messages!.length);
    // Newest-first leads: from the fifth row's cursor, the four rows before it and the rest after it.
    const first = await list("leads", { f: 5 });
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const fifth = first.edges[4]!.cursor;
    const before = await list("leads", { l: 10, b: fifth });
    expect(before.edges.map((e) => e.node.id)).toEqual(expected.leads!.slice(0, 4));
    expect(before.pageInfo).toMatchObject({
      hasPreviousPage: false,
      hasNextPage: true,
      startCursor: first.edges[0]!.cursor,
      endCursor: first.edges[3]!.cursor,
    });
    const after = await list("leads", { f: 100, a: fifth });
    expect(after.edges.map((e) => e.node.id)).toEqual(expected.leads!.slice(5));
    expect(after.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    // Backwards exactly to the start: nothing before.
    const firstTwo = await list("leads", { l: 2, b: first.edges[2]!.cursor });
    expect(firstTwo.pageInfo.hasPreviousPage).toBe(false);
    const nextToFirst = await list("leads", { l: 2, b: first.edges[3]!.cursor });
    expect(nextToFirst.pageInfo.hasPreviousPage).toBe(true);
  });

  it("refuses first with last, a cursor for the other direction, a size out of range: BAD_USER_INPUT with a reason", async () => {
    const refused = async (name: string, vars: Record<string, unknown>) => {
      const r = await api.gql(LISTS[name]!, { w: ws.id, c: conversationId, ...vars }, { token: owner.token });
      expect(codeOf(r), `${name} ${JSON.stringify(vars)}`).toBe("BAD_USER_INPUT");
      return r.errors![0]!.extensions as { reason?: string; fields?: Record<string, string> };
    };
    const cursor = (await list("leads", { f: 2 })).pageInfo.endCursor;
    for (const name of ["leads", "contacts", "messages", "inbox"]) {
      expect((await refused(name, { f: 2, l: 2 })).reason).toBe("FIRST_AND_LAST");
      expect((await refused(name, { l: 2, a: cursor })).reason).toBe("MIXED_DIRECTIONS");
      expect((await refused(name, { f: 2, b: cursor })).reason).toBe("MIXED_DIRECTIONS");
      expect((await refused(name, { a: cursor, b: cursor })).reason).toBe("MIXED_DIRECTIONS");
      expect((await refused(name, { l: 0 })).fields).toEqual({ last: "out of range" });
      expect((await refused(name, { l: 101 })).fields).toEqual({ last: "out of range" });
    }
  });

  it("refuses an invalid cursor in before (and after) as BAD_USER_INPUT naming the argument; a sorted list's cursor is an order mismatch", async () => {
    const forgedDate = Buffer.from(`0000-01-01T00:00:00.000Z|${expected.leads![0]}`).toString("base64url");
    for (const name of Object.keys(LISTS)) {
      for (const bad of ["garbage", forgedDate, Buffer.from("x|y").toString("base64url")]) {
        const back = await api.gql(LISTS[name]!, { w: ws.id, c: conversationId, l: 2, b: bad }, { token: owner.token });
        expect(codeOf(back), `${name} before ${bad}`).toBe("BAD_USER_INPUT");
        expect(back.errors![0]!.extensions!.fields).toEqual({ before: "invalid cursor" });
        const fwd = await api.gql(LISTS[name]!, { w: ws.id, c: conversationId, f: 2, a: bad }, { token: owner.token });
        expect(fwd.errors![0]!.extensions!.fields).toEqual({ after: "invalid cursor" });
      }
    }
    const SORTED = `query($w: ID!, $l: Int, $b: String, $o: LeadOrder) { leads(workspaceId: $w, last: $l, before: $b, orderBy: $o) { ${PAGE} } }`;
    const byName = (
      await api.gql<{ leads: Page }>(
        SORTED,
        { w: ws.id, l: 2, o: { field: "NAME", direction: "ASC" } },
        { token: owner.token },
      )
    ).data!.leads.pageInfo.startCursor;
    const r = await api.gql(LISTS.leads!, { w: ws.id, l: 2, b: byName }, { token: owner.token });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "CURSOR_ORDER_MISMATCH",
      fields: { before: "cursor of another order" },
    });
    const forged = Buffer.from(JSON.stringify(["o", "lead:STATUS:ASC", "WON", expected.leads![0]])).toString(
      "base64url",
    );
    const f = await api.gql(
      SORTED,
      { w: ws.id, l: 2, b: forged, o: { field: "STATUS", direction: "ASC" } },
      { token: owner.token },
    );
    expect(f.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { before: "invalid cursor" } });
  });

  it("every connection field takes last and before and answers the full page info", async () => {
    const endpoint = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/hook", events: ["lead.created"] }) { endpoint { id } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    const e = endpoint.data!.createWebhookEndpoint.endpoint.id;
    const INFO = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor }`;
    const fields = [
      `leads(workspaceId: $w, last: 1, before: null) { ${INFO} }`,
      `contacts(workspaceId: $w, last: 1) { ${INFO} }`,
      `auditEvents(workspaceId: $w, last: 1) { ${INFO} }`,
      `bookings(workspaceId: $w, last: 1) { ${INFO} }`,
      `campaigns(workspaceId: $w, last: 1) { ${INFO} }`,
      `conversations(workspaceId: $w, last: 1) { ${INFO} }`,
      `inbox(workspaceId: $w, last: 1) { ${INFO} }`,
      `messages(workspaceId: $w, conversationId: "${conversationId}", last: 1) { ${INFO} }`,
      `notifications(workspaceId: $w, last: 1) { ${INFO} }`,
      `reviewItems(workspaceId: $w, last: 1) { ${INFO} }`,
      `webhookDeliveries(workspaceId: $w, endpointId: "${e}", last: 1) { ${INFO} }`,
    ];
    for (const field of fields) {
      const r = await api.gql<Record<string, Page>>(
        `query($w: ID!) { list: ${field} }`,
        { w: ws.id },
        { token: owner.token },
      );
      expect(r.errors, field).toBeUndefined();
      const page = r.data!.list!;
      expect(page.pageInfo.hasNextPage, field).toBe(false);
      expect(page.pageInfo.startCursor, field).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor, field).toBe(page.edges.at(-1)?.cursor ?? null);
    }
  });
});
