// Issue 52: contacts search runs in `search_contacts` (SECURITY DEFINER, so the indexes can be
// used under RLS; migrations 20261128213000, 20261129010000 and 20261129020000). These tests pin
// that it lists exactly what the search means — `name ILIKE '%t%'`, an e-mail starting with t or
// whose domain (after the last "@") starts with t (a leading "@" dropped), a phone starting with
// "+digits" or ending with the digits, with the
// tag, newest first by (created_at, id), paged by the same cursors both ways — and that the
// function never answers for another workspace than the caller's.
import { Prisma } from "@atrium/db";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const LIST = `query($w: ID!, $s: String, $t: String, $f: Int, $a: String, $l: Int, $b: String) {
  contacts(workspaceId: $w, search: $s, tag: $t, first: $f, after: $a, last: $l, before: $b) {
    totalCount totalCountExact pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`;

interface Page {
  totalCount: number;
  totalCountExact: boolean;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { node: { id: string } }[];
}

describe("contacts search (search_contacts)", () => {
  let api: TestApi;
  let owner: TestUser;
  let other: TestUser;
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    other = await api.user("Other");
    a = await createWorkspace(api, owner, "Search A");
    b = await createWorkspace(api, other, "Search B");
    // 60 contacts in A: names with "garcia" in several cases, wildcards typed literally, e-mails
    // and phones that match the same terms, tags, and created_at ties (ordered by id then).
    const rows: string[] = [];
    for (let i = 0; i < 60; i++) {
      const name = [`Maria Garcia ${i}`, `GARCÍA ${i}`, `Ana garcia ${i}`, `Pat 50%_off ${i}`, `Lee ${i}`][i % 5]!;
      // E-mails: some start with "garcia", some have a domain starting with "acme", some hold
      // "kowalski" only in the middle (never a match by e-mail: the names are Lee's, Pat's…).
      const email =
        i % 7 === 0
          ? `garcia${i}@mail.test`
          : i % 11 === 0
            ? `sales${i}@acme-corp.test`
            : i % 13 === 0
              ? `zed.kowalski${i}@mail.test`
              : `person${i}@mail.test`;
      const phone = i % 3 === 0 ? `+1202555${String(1000 + i)}` : null;
      const tags = i % 4 === 0 ? "{vip}" : "{}";
      const at = `2026-11-01T00:00:${String(Math.floor(i / 3)).padStart(2, "0")}Z`;
      rows.push(`('${a.id}', '${name}', '${email}', ${phone === null ? "NULL" : `'${phone}'`}, '${tags}', '${at}')`);
    }
    // B: the same names and phones (another workspace's rows must never show).
    for (let i = 0; i < 10; i++)
      rows.push(
        `('${b.id}', 'Maria Garcia B${i}', 'garcia-b${i}@mail.test', '+1202555${2000 + i}', '{vip}', '2026-11-02T00:00:00Z')`,
      );
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, email, phone, tags, created_at) VALUES ${rows.join(", ")}`,
    );
  });
  afterAll(async () => api.close());

  const page = async (token: string, w: string, vars: Record<string, unknown>): Promise<Page> => {
    const r = await api.gql<{ contacts: Page }>(LIST, { w, ...vars }, { token });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.contacts;
  };

  /** What the search means, as one plain statement read as the owner: ids newest first. */
  const reference = async (
    w: string,
    name: string,
    email: string,
    domain: string,
    phone: string | null,
    tag: string | null,
  ): Promise<string[]> => {
    const rows = await ownerSql<{ id: string }>(
      api,
      `SELECT id FROM contacts WHERE workspace_id = $1 AND (name ILIKE $2 OR email LIKE $3 OR split_part(email, '@', -1) LIKE $6 OR ($4::text IS NOT NULL AND (phone LIKE '+' || $4 || '%' OR right(phone, length($4)) = $4))) AND ($5::text IS NULL OR $5 = ANY (tags)) ORDER BY created_at DESC, id DESC`,
      [w, `%${name}%`, `${email}%`, phone, tag, `${domain}%`],
    );
    return rows.map((r) => r.id);
  };

  // [typed search, tag, the terms the service makes of it (escaped): name, e-mail, domain, phone digits]
  const cases: [string, string | null, string, string, string, string | null][] = [
    ["garcia", null, "garcia", "garcia", "garcia", null],
    ["Garcia", "vip", "Garcia", "garcia", "garcia", null],
    ["50%_off", null, "50\\%\\_off", "50\\%\\_off", "50\\%\\_off", null],
    // Phones are +1202555 then 1000 + i: a start (country code first), ends, and a middle run.
    ["1 202 555", null, "1 202 555", "1 202 555", "1 202 555", "1202555"],
    ["+1 (202) 555-10", "vip", "+1 (202) 555-10", "+1 (202) 555-10", "+1 (202) 555-10", "120255510"],
    ["1042", null, "1042", "1042", "1042", "1042"],
    ["(202) 555-1045", null, "(202) 555-1045", "(202) 555-1045", "(202) 555-1045", "2025551045"],
    ["202 555", null, "202 555", "202 555", "202 555", "202555"],
    ["nobody", null, "nobody", "nobody", "nobody", null],
    ["acme", null, "acme", "acme", "acme", null],
    ["@ACME-corp.test", null, "@ACME-corp.test", "@acme-corp.test", "acme-corp.test", null],
    ["sales2", null, "sales2", "sales2", "sales2", null],
    ["kowalski", null, "kowalski", "kowalski", "kowalski", null],
  ];

  it.each(cases)(
    "search %j (tag %j): the same rows, order, pages both ways and total as the search's meaning",
    async (search, tag, name, email, domain, phone) => {
      const expected = await reference(a.id, name, email, domain, phone, tag);
      // Forwards, 7 at a time.
      const forwards: string[] = [];
      let after: string | null = null;
      for (let n = 0; n < 20; n++) {
        const p: Page = await page(owner.token, a.id, { s: search, t: tag, f: 7, a: after });
        expect(p.totalCount).toBe(expected.length);
        expect(p.totalCountExact).toBe(true);
        forwards.push(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(forwards).toEqual(expected);
      // Backwards from the end, 5 at a time: the same list.
      const backwards: string[] = [];
      let before: string | null = null;
      for (let n = 0; n < 20; n++) {
        const p: Page = await page(owner.token, a.id, { s: search, t: tag, l: 5, b: before });
        backwards.unshift(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(backwards).toEqual(expected);
    },
  );

  it("never lists another workspace's contacts: B's owner sees only B's, and the function given B's id in A's context returns nothing", async () => {
    const ofB = await reference(b.id, "garcia", "garcia", "garcia", null, null);
    expect(ofB).toHaveLength(10);
    const bPage = await page(other.token, b.id, { s: "garcia", f: 50 });
    expect(bPage.edges.map((e) => e.node.id)).toEqual(ofB);
    const aPage = await page(owner.token, a.id, { s: "garcia", f: 50 });
    expect(aPage.edges.some((e) => ofB.includes(e.node.id))).toBe(false);
    // A's tenant context, B's workspace id passed to the function: nothing, and a count of 0.
    const [rows, count] = (await api.db.tenantRead({ userId: owner.id, workspaceId: a.id }, [
      Prisma.sql`SELECT id FROM search_contacts(${b.id}::uuid, '%garcia%', 'garcia%', NULL, NULL, NULL, NULL, false, 50)`,
      Prisma.sql`SELECT search_contacts_count(${b.id}::uuid, '%garcia%', 'garcia%', NULL, NULL, 100) AS n`,
    ]))!;
    expect(rows).toEqual([]);
    expect(Number(count![0]!.n)).toBe(0);
    // The same statements with A's own id do answer (the check is the workspace, not the call).
    const [own] = (await api.db.tenantRead({ userId: owner.id, workspaceId: a.id }, [
      Prisma.sql`SELECT id FROM search_contacts(${a.id}::uuid, '%garcia%', 'garcia%', NULL, NULL, NULL, NULL, false, 50)`,
    ]))!;
    expect(own!.length).toBeGreaterThan(0);
    // Another workspace's id in the GraphQL argument is refused before any read.
    expect(
      (await api.gql(LIST, { w: b.id, s: "garcia" }, { token: owner.token })).errors?.[0]?.extensions?.code,
    ).toBeDefined();
  });

  it("matches an e-mail from its start or its domain's start, never in the middle", async () => {
    const ids = async (search: string) =>
      (await page(owner.token, a.id, { s: search, f: 100 })).edges.map((e) => e.node.id);
    const withEmail = async (pattern: string) =>
      (
        await ownerSql<{ id: string }>(api, "SELECT id FROM contacts WHERE workspace_id = $1 AND email LIKE $2", [
          a.id,
          pattern,
        ])
      ).map((r) => r.id);
    const acme = await withEmail("%@acme-corp.test");
    expect(acme.length).toBeGreaterThan(0);
    expect((await ids("acme")).sort()).toEqual([...acme].sort());
    expect((await ids("@acme")).sort()).toEqual([...acme].sort());
    expect((await ids("SALES")).sort()).toEqual([...acme].sort());
    // "kowalski" is inside some addresses, at neither start: not a match.
    expect((await withEmail("%kowalski%")).length).toBeGreaterThan(0);
    expect(await ids("kowalski")).toEqual([]);
  });

  it("matches a phone from its start after the + or its end, never in the middle", async () => {
    const ids = async (search: string) =>
      (await page(owner.token, a.id, { s: search, f: 100 })).edges.map((e) => e.node.id);
    const withPhone = async (phone: string) =>
      (
        await ownerSql<{ id: string }>(api, "SELECT id FROM contacts WHERE workspace_id = $1 AND phone = $2", [
          a.id,
          phone,
        ])
      ).map((r) => r.id);
    const all = (
      await ownerSql<{ id: string }>(api, "SELECT id FROM contacts WHERE workspace_id = $1 AND phone IS NOT NULL", [
        a.id,
      ])
    ).map((r) => r.id);
    expect(all).toHaveLength(20);
    const one = await withPhone("+12025551003");
    expect(one).toHaveLength(1);
    // The start, however typed (never B's numbers, which start the same way).
    expect((await ids("+1 202")).sort()).toEqual([...all].sort());
    expect((await ids("1-202-555")).sort()).toEqual([...all].sort());
    // The end: the last digits, the national number, the whole number.
    expect(await ids("1003")).toEqual(one);
    expect(await ids("(202) 555-1003")).toEqual(one);
    expect(await ids("+1 202 555 1003")).toEqual(one);
    // A run of digits only in the middle of every number: no match.
    expect(await ids("0255510")).toEqual([]);
    expect(await ids("202 555")).toEqual([]);
  });

  it("serves each arm of a search from an index: name trigrams, the e-mail's, its domain's and the phone's start and end btrees", async () => {
    const d = await createWorkspace(api, owner, "Search D");
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, email) SELECT $1, 'Person ' || g, 'p' || g || '@plan.test' FROM generate_series(1, 3000) AS g`,
      [d.id],
    );
    // VACUUM: the rows just written sit in the GIN indexes' pending lists, which the planner prices high.
    await ownerSql(api, "VACUUM ANALYZE contacts");
    // A table this small is cheaper to scan, so scans are ruled out: what is checked is that each
    // arm of the search's OR has an index to answer it (what makes the BitmapOr at scale).
    const pg = (await import("pg")).default;
    const c = new pg.Client({ connectionString: api.testDb.ownerUrl });
    await c.connect();
    const planOf = async (condition: string) =>
      (
        await c.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (COSTS OFF) SELECT c.id FROM contacts c WHERE c.workspace_id = '${d.id}' AND (${condition})`,
        )
      ).rows
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    try {
      await c.query("SET enable_seqscan = off; SET enable_indexscan = off");
      expect(await planOf("c.name ILIKE '%zqxv%'")).toContain("Bitmap Index Scan on contacts_name_trgm_idx");
      expect(await planOf("c.email LIKE 'zqxv%'")).toContain("Bitmap Index Scan on contacts_email_prefix_idx");
      expect(await planOf("split_part(c.email, '@', -1) LIKE 'zqxv%'")).toContain(
        "Bitmap Index Scan on contacts_email_domain_idx",
      );
      expect(await planOf("c.phone LIKE '+1999%'")).toContain("Bitmap Index Scan on contacts_phone_prefix_idx");
      expect(await planOf("reverse(c.phone) LIKE '9991%'")).toContain("Bitmap Index Scan on contacts_phone_suffix_idx");
      const all = await planOf(
        "c.name ILIKE '%zqxv%' OR c.email LIKE 'zqxv%' OR split_part(c.email, '@', -1) LIKE 'zqxv%' OR c.phone LIKE '+1999%' OR reverse(c.phone) LIKE '9991%'",
      );
      expect(all).toContain("BitmapOr");
      expect(all).toContain("Bitmap Index Scan on contacts_phone_prefix_idx");
      expect(all).toContain("Bitmap Index Scan on contacts_phone_suffix_idx");
      expect(all).not.toContain("Seq Scan");
    } finally {
      await c.end();
    }
  });

  it("counts a contact matched by the name and by another arm once, also when the other arms take the count past COUNT_CAP", async () => {
    // The count is the name's matches plus the other arms' matches whose name does not match
    // (migration 20261129030000): the overlap must count once, and the cap must hold across both.
    const d = await createWorkspace(api, owner, "Search D");
    const insert = (name: string, email: string, from: number, to: number) =>
      ownerSql(
        api,
        `INSERT INTO contacts (workspace_id, name, email) SELECT $1, format($2, g), format($3, g) FROM generate_series($4::int, $5::int) AS g`,
        [d.id, name, email, from, to],
      );
    await insert("Garcia %s", "n%s@d.test", 1, 450); // the name only
    await insert("Garcia Both %s", "garcia-both-%s@d.test", 1, 100); // both
    await insert("Lee %s", "garcia-%s@d.test", 1, 350); // the e-mail only
    const exact = await page(owner.token, d.id, { s: "garcia", f: 3 });
    expect(exact.totalCount).toBe(900);
    expect(exact.totalCountExact).toBe(true);
    expect(await reference(d.id, "garcia", "garcia", "garcia", null, null)).toHaveLength(900);
    // 200 more by the e-mail only: 1,100 in all, past the cap though the name alone is under it.
    await insert("Lee %s", "garcia-%s@d.test", 351, 550);
    const capped = await page(owner.token, d.id, { s: "garcia", f: 3 });
    expect(capped.totalCount).toBe(COUNT_CAP + 1);
    expect(capped.totalCountExact).toBe(false);
  });

  it("counts a frequent term only up to COUNT_CAP: past it totalCount is COUNT_CAP + 1 and totalCountExact false", async () => {
    const c = await createWorkspace(api, owner, "Search C");
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, email) SELECT $1, 'Garcia ' || g, 'g' || g || '@many.test' FROM generate_series(1, $2::int) AS g`,
      [c.id, COUNT_CAP + 5],
    );
    const p = await page(owner.token, c.id, { s: "garcia", f: 3 });
    expect(p.edges).toHaveLength(3);
    expect(p.totalCount).toBe(COUNT_CAP + 1);
    expect(p.totalCountExact).toBe(false);
  });
});
