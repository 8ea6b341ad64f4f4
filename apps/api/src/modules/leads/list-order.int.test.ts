// Server-side sorting of the leads and contacts lists (issue 48; decision 0043, addendum): every
// order field both ways, paged with `first: 2`, gives exactly the whole sorted set — no row twice,
// none missing — with ties (equal names, equal dates, equal statuses) broken by id and rows without
// a value last either way; combined with the lists' filters; a cursor is refused under another
// order (BAD_USER_INPUT, reason CURSOR_ORDER_MISMATCH); CREATED_AT DESC is the default order.
// Every walk is made twice, forwards (first/after) and backwards (last/before, issue 51): the same
// rows in the same order, with the page info each way.
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

const PAGE_INFO = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const LEADS = `query($w: ID!, $f: Int, $a: String, $l: Int, $b: String, $s: LeadStatus, $o: LeadOrder) {
  leads(workspaceId: $w, first: $f, after: $a, last: $l, before: $b, status: $s, orderBy: $o) { totalCount ${PAGE_INFO} edges { cursor node { id } } }
}`;
const CONTACTS = `query($w: ID!, $f: Int, $a: String, $l: Int, $b: String, $q: String, $t: String, $o: ContactOrder) {
  contacts(workspaceId: $w, first: $f, after: $a, last: $l, before: $b, search: $q, tag: $t, orderBy: $o) { totalCount ${PAGE_INFO} edges { cursor node { id name email tags } } }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}
type Row = { id: string; value: string | number | null };

const STATUSES = ["NEW", "CONTACTED", "ENGAGED", "QUALIFIED", "BOOKED", "LOST"];
const base = Date.parse("2026-03-01T10:00:00.000Z");

/** Ids in the order (value IS NULL, value, id), `desc` reversing value and id (plain comparisons: ASCII text, numbers, uuids). */
function expectedOrder(rows: Row[], desc: boolean): string[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows]
    .sort((a, b) => {
      if ((a.value === null) !== (b.value === null)) return a.value === null ? 1 : -1;
      const byValue = a.value === null || b.value === null ? 0 : cmp(a.value, b.value);
      return (desc ? -1 : 1) * (byValue || cmp(a.id, b.id));
    })
    .map((r) => r.id);
}

describe("lists sorted by a column on the server (leads, contacts)", () => {
  let api: TestApi;
  let owner: TestUser;
  let agent: TestUser;
  let ws: { id: string; slug: string };
  const leads: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    status: string;
    createdAt: number;
  }[] = [];
  const contacts: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    tags: string[];
    createdAt: number;
  }[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    [owner, agent] = await Promise.all([api.user("Owner"), api.user("Agent")]);
    ws = await createWorkspace(api, owner, "Sorting Co");
    // The agent reads leads and contacts only: the same lists through its ability.
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "contact.read"]);
    // Names with ties (two "Ada", "ada"), an accent, mixed case; e-mails and phones missing on some;
    // statuses repeated; created_at shared by three rows each.
    const people = [
      ["Ada", "ada@example.com", "+15550000003"],
      ["ada", null, "+15550000001"],
      ["Ada", "ada2@example.com", null],
      ["Álvaro", "alvaro@example.com", "+15550000002"],
      ["bob", null, null],
      ["Bob", "bob@example.com", "+15550000009"],
      ["Zoë", "zoe@example.com", null],
      ["zed", "zed@example.com", "+15550000005"],
      ["Émile", null, "+15550000004"],
      ["Carla", "carla@example.com", null],
      ["carla", "carla2@example.com", "+15550000007"],
    ] as const;
    for (const [i, [name, email, phone]] of people.entries()) {
      const createdAt = base + Math.floor(i / 3) * 60_000;
      const tags = i % 2 === 0 ? ["even"] : ["odd"];
      const [c] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, email, phone, tags, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [ws.id, name, email, phone, tags, new Date(createdAt)],
      );
      contacts.push({ id: c!.id, name, email, phone, tags, createdAt });
      // Two leads per contact (duplicate e-mails and phones among leads), the second a minute later.
      for (const k of [0, 1]) {
        const status = STATUSES[(i + k * 2) % 4]!;
        const at = createdAt + k * 3 * 60_000;
        const [l] = await ownerSql<{ id: string }>(
          api,
          `INSERT INTO leads (workspace_id, contact_id, name, email, phone, source, status, created_at) VALUES ($1, $2, $3, $4, $5, 'FORM', $6, $7) RETURNING id`,
          [ws.id, c!.id, name, email, phone, status, new Date(at)],
        );
        leads.push({ id: l!.id, name, email, phone, status, createdAt: at });
      }
    }
  });
  afterAll(async () => api.close());

  /**
   * Every page of a list, two rows at a time, forwards; then the same walk backwards (last/before
   * from the end), which must give the same rows in the same order, each page in the list's order.
   * Returns the forward walk.
   */
  async function pageThrough(
    query: string,
    key: "leads" | "contacts",
    vars: Record<string, unknown>,
    token = owner.token,
  ): Promise<{ ids: string[]; totals: number[]; pages: Page[] }> {
    const forward = await walk(query, key, vars, token, false);
    const backward = await walk(query, key, vars, token, true);
    expect(backward.ids, `backwards: ${JSON.stringify(vars)}`).toEqual(forward.ids);
    expect(backward.totals).toEqual(forward.totals.slice(0, backward.totals.length));
    return forward;
  }

  async function walk(
    query: string,
    key: "leads" | "contacts",
    vars: Record<string, unknown>,
    token: string,
    backward: boolean,
  ): Promise<{ ids: string[]; totals: number[]; pages: Page[] }> {
    const ids: string[] = [];
    const totals: number[] = [];
    const pages: Page[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 40; i++) {
      const paging = backward ? { l: 2, b: cursor } : { f: 2, a: cursor };
      const r: { data?: Record<string, Page> | null; errors?: unknown } = await api.gql<Record<string, Page>>(
        query,
        { w: ws.id, ...paging, ...vars },
        { token },
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      const page: Page = r.data[key]!;
      pages.push(page);
      totals.push(page.totalCount);
      const pageIds = page.edges.map((e) => e.node.id);
      if (backward) ids.unshift(...pageIds);
      else ids.push(...pageIds);
      // The cursor given says there are rows on its side; the other side is read exactly.
      expect(backward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
      if (!more) return { ids, totals, pages };
      cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
    }
    throw new Error("more than 40 pages");
  }

  /** The database's own order of the names (ICU root collation), for comparison with the pages. */
  const byName = async (table: "leads" | "contacts", desc: boolean) =>
    (
      await ownerSql<{ id: string }>(
        api,
        `SELECT id FROM ${table} WHERE workspace_id = $1 ORDER BY name COLLATE "und-x-icu" ${desc ? "DESC" : "ASC"}, id ${desc ? "DESC" : "ASC"}`,
        [ws.id],
      )
    ).map((r) => r.id);

  describe("leads", () => {
    const fields: Record<string, (l: (typeof leads)[number]) => string | number | null> = {
      CREATED_AT: (l) => l.createdAt,
      EMAIL: (l) => l.email,
      PHONE: (l) => l.phone,
      STATUS: (l) => STATUSES.indexOf(l.status),
    };

    it("pages through every field both ways, two at a time: the whole sorted set, each lead once, empty values last", async () => {
      for (const direction of ["ASC", "DESC"] as const) {
        for (const [field, valueOf] of Object.entries(fields)) {
          const { ids, totals } = await pageThrough(LEADS, "leads", { o: { field, direction } });
          expect(totals.every((t) => t === leads.length)).toBe(true);
          expect(ids, `${field} ${direction}`).toEqual(
            expectedOrder(
              leads.map((l) => ({ id: l.id, value: valueOf(l) })),
              direction === "DESC",
            ),
          );
        }
        const { ids } = await pageThrough(LEADS, "leads", { o: { field: "NAME", direction } });
        expect(ids, `NAME ${direction}`).toEqual(await byName("leads", direction === "DESC"));
      }
      // The nulls really are last both ways (not merely consistent with the test's own sort).
      for (const direction of ["ASC", "DESC"]) {
        const { ids } = await pageThrough(LEADS, "leads", { o: { field: "EMAIL", direction } });
        const withoutEmail = leads.filter((l) => l.email === null).length;
        expect(ids.slice(-withoutEmail).every((id) => leads.find((l) => l.id === id)!.email === null)).toBe(true);
      }
    });

    it("orders names alphabetically, case and accents aside (ICU root collation), the same for an agent", async () => {
      const { ids } = await pageThrough(LEADS, "leads", { o: { field: "NAME", direction: "ASC" } }, agent.token);
      const names = ids.map((id) => leads.find((l) => l.id === id)!.name);
      const firstOf = (name: string) => names.indexOf(name);
      // a/A < Á < b/B < c/C < É < z < Z (byte order would put every capital and accent elsewhere).
      expect(firstOf("ada")).toBeLessThan(firstOf("Álvaro"));
      expect(Math.max(names.lastIndexOf("Ada"), names.lastIndexOf("ada"))).toBeLessThan(firstOf("Álvaro"));
      expect(firstOf("Álvaro")).toBeLessThan(Math.min(firstOf("bob"), firstOf("Bob")));
      expect(Math.max(names.lastIndexOf("carla"), names.lastIndexOf("Carla"))).toBeLessThan(firstOf("Émile"));
      expect(firstOf("Émile")).toBeLessThan(firstOf("zed"));
      expect(firstOf("zed")).toBeLessThan(firstOf("Zoë"));
    });

    it("combines with the status filter, and reads the sort column even when the query does not select it", async () => {
      const { ids, totals } = await pageThrough(LEADS, "leads", {
        s: "CONTACTED",
        o: { field: "PHONE", direction: "DESC" },
      });
      const contacted = leads.filter((l) => l.status === "CONTACTED");
      expect(contacted.length).toBeGreaterThan(2);
      expect(totals[0]).toBe(contacted.length);
      expect(ids).toEqual(
        expectedOrder(
          contacted.map((l) => ({ id: l.id, value: l.phone })),
          true,
        ),
      );
    });

    it("CREATED_AT DESC is the default order: the same pages and interchangeable cursors", async () => {
      const plain = await pageThrough(LEADS, "leads", {});
      const explicit = await pageThrough(LEADS, "leads", { o: { field: "CREATED_AT", direction: "DESC" } });
      expect(explicit.ids).toEqual(plain.ids);
      expect(plain.ids).toEqual(
        expectedOrder(
          leads.map((l) => ({ id: l.id, value: l.createdAt })),
          true,
        ),
      );
      const cursor = plain.pages[0]!.pageInfo.endCursor;
      const r = await api.gql<{ leads: Page }>(
        LEADS,
        { w: ws.id, f: 2, a: cursor, o: { field: "CREATED_AT", direction: "DESC" } },
        { token: owner.token },
      );
      expect(r.data?.leads.edges.map((e) => e.node.id)).toEqual(plain.ids.slice(2, 4));
    });

    it("refuses a cursor made under another order, with a typed reason; a forged one is invalid", async () => {
      const byNameAsc = (
        await api.gql<{ leads: Page }>(
          LEADS,
          { w: ws.id, f: 2, o: { field: "NAME", direction: "ASC" } },
          { token: owner.token },
        )
      ).data!.leads.pageInfo.endCursor;
      const newest = (await api.gql<{ leads: Page }>(LEADS, { w: ws.id, f: 2 }, { token: owner.token })).data!.leads
        .pageInfo.endCursor;
      const mismatched: [string | null, Record<string, string> | null][] = [
        [byNameAsc, { field: "NAME", direction: "DESC" }],
        [byNameAsc, { field: "EMAIL", direction: "ASC" }],
        [byNameAsc, null],
        [byNameAsc, { field: "CREATED_AT", direction: "DESC" }],
        [newest, { field: "NAME", direction: "ASC" }],
        [newest, { field: "CREATED_AT", direction: "ASC" }],
      ];
      for (const [a, o] of mismatched) {
        const r = await api.gql(LEADS, { w: ws.id, f: 2, a, o }, { token: owner.token });
        expect(codeOf(r), JSON.stringify(o)).toBe("BAD_USER_INPUT");
        expect(r.errors?.[0]?.extensions?.reason).toBe("CURSOR_ORDER_MISMATCH");
        expect(r.errors?.[0]?.extensions?.fields).toEqual({ after: "cursor of another order" });
      }
      const forge = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString("base64url");
      const id = leads[0]!.id;
      for (const [a, o] of [
        [forge(["o", "lead:STATUS:ASC", "WON", id]), { field: "STATUS", direction: "ASC" }],
        [forge(["o", "lead:CREATED_AT:ASC", "yesterday", id]), { field: "CREATED_AT", direction: "ASC" }],
        [forge(["o", "lead:NAME:ASC", null, id]), { field: "NAME", direction: "ASC" }],
        [forge(["o", "lead:NAME:ASC", "Ada", "not-a-uuid"]), { field: "NAME", direction: "ASC" }],
        ["garbage", { field: "NAME", direction: "ASC" }],
      ] as const) {
        const r = await api.gql(LEADS, { w: ws.id, f: 2, a, o }, { token: owner.token });
        expect(codeOf(r), a).toBe("BAD_USER_INPUT");
        expect(r.errors?.[0]?.extensions?.fields).toEqual({ after: "invalid cursor" });
      }
      // A null e-mail cursor is valid (the rows without one are paged by id).
      const nullEmail = forge(["o", "lead:EMAIL:ASC", null, "00000000-0000-0000-0000-000000000000"]);
      const r = await api.gql<{ leads: Page }>(
        LEADS,
        { w: ws.id, f: 50, a: nullEmail, o: { field: "EMAIL", direction: "ASC" } },
        { token: owner.token },
      );
      expect(r.data?.leads.edges.length).toBe(leads.filter((l) => l.email === null).length);
    });
  });

  describe("contacts", () => {
    const fields: Record<string, (c: (typeof contacts)[number]) => string | number | null> = {
      CREATED_AT: (c) => c.createdAt,
      EMAIL: (c) => c.email,
      PHONE: (c) => c.phone,
    };

    it("pages through every field both ways, two at a time: the whole sorted set, each contact once, empty values last", async () => {
      for (const direction of ["ASC", "DESC"] as const) {
        for (const [field, valueOf] of Object.entries(fields)) {
          const { ids, totals } = await pageThrough(CONTACTS, "contacts", { o: { field, direction } });
          expect(totals.every((t) => t === contacts.length)).toBe(true);
          expect(ids, `${field} ${direction}`).toEqual(
            expectedOrder(
              contacts.map((c) => ({ id: c.id, value: valueOf(c) })),
              direction === "DESC",
            ),
          );
        }
        const { ids } = await pageThrough(CONTACTS, "contacts", { o: { field: "NAME", direction } }, agent.token);
        expect(ids, `NAME ${direction}`).toEqual(await byName("contacts", direction === "DESC"));
      }
    });

    it("combines with the search and the tag, and returns whole contacts (tags as a list)", async () => {
      const tagged = await pageThrough(CONTACTS, "contacts", { t: "Even", o: { field: "EMAIL", direction: "DESC" } });
      const even = contacts.filter((c) => c.tags.includes("even"));
      expect(tagged.totals[0]).toBe(even.length);
      expect(tagged.ids).toEqual(
        expectedOrder(
          even.map((c) => ({ id: c.id, value: c.email })),
          true,
        ),
      );
      const node = tagged.pages[0]!.edges[0]!.node as unknown as { tags: string[] };
      expect(node.tags).toEqual(["even"]);
      // "carl" matches two names case-insensitively; "+1 555 000 000" starts every phone; "_" is literal.
      const searched = await pageThrough(CONTACTS, "contacts", { q: "CARL", o: { field: "NAME", direction: "DESC" } });
      expect(searched.ids.map((id) => contacts.find((c) => c.id === id)!.name).sort()).toEqual(["Carla", "carla"]);
      const byPhone = await pageThrough(CONTACTS, "contacts", {
        q: "+1 555 000 000",
        t: "odd",
        o: { field: "PHONE", direction: "ASC" },
      });
      const expected = contacts.filter((c) => c.phone !== null && c.tags.includes("odd"));
      expect(byPhone.ids).toEqual(
        expectedOrder(
          expected.map((c) => ({ id: c.id, value: c.phone })),
          false,
        ),
      );
      expect((await pageThrough(CONTACTS, "contacts", { q: "_", o: { field: "NAME", direction: "ASC" } })).ids).toEqual(
        [],
      );
    });

    it("refuses a cursor of another order or of the leads list; CREATED_AT DESC is the default order", async () => {
      const byEmail = (
        await api.gql<{ contacts: Page }>(
          CONTACTS,
          { w: ws.id, f: 2, o: { field: "EMAIL", direction: "ASC" } },
          { token: owner.token },
        )
      ).data!.contacts.pageInfo.endCursor;
      const leadCursor = (
        await api.gql<{ leads: Page }>(
          LEADS,
          { w: ws.id, f: 2, o: { field: "EMAIL", direction: "ASC" } },
          { token: owner.token },
        )
      ).data!.leads.pageInfo.endCursor;
      for (const [a, o] of [
        [byEmail, { field: "PHONE", direction: "ASC" }],
        [byEmail, null],
        [leadCursor, { field: "EMAIL", direction: "ASC" }],
      ] as const) {
        const r = await api.gql(CONTACTS, { w: ws.id, f: 2, a, o }, { token: owner.token });
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "CURSOR_ORDER_MISMATCH" });
      }
      const plain = await pageThrough(CONTACTS, "contacts", {});
      expect((await pageThrough(CONTACTS, "contacts", { o: { field: "CREATED_AT", direction: "DESC" } })).ids).toEqual(
        plain.ids,
      );
    });
  });
});
