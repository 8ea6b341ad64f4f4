// Issue 52 (decision 0054, "Fixes and scale 1"): the leads page at scale. Its statements read each
// lead's contact by a LATERAL look-up and bound the page by the row comparison (created_at, id)
// the index serves, and its total is counted up to COUNT_CAP only (totalCountExact false past it).
// Pinned here by behaviour — every lead once, in order, both ways, with its own contact — and by
// the statements a page read sends (settings, page, count: one round trip).
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { COUNT_CAP } from "../../platform/db/read-sql.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const LEADS = `query($w: ID!, $f: Int, $a: String, $l: Int, $b: String) { leads(workspaceId: $w, first: $f, after: $a, last: $l, before: $b) {
  totalCount totalCountExact pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id name contact { id email } } } } }`;
interface Page {
  totalCount: number;
  totalCountExact: boolean;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { node: { id: string; name: string; contact: { id: string; email: string } } }[];
}

describe("leads page past COUNT_CAP", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  const N = COUNT_CAP + 30;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Many Leads");
    // N leads, each with its own contact; created_at in runs of 4 equal values (ties ordered by id).
    await ownerSql(api, `INSERT INTO contacts (workspace_id, id, name, email) SELECT $1::uuid, md5($1::text || g)::uuid, 'C' || g, 'c' || g || '@many.test' FROM generate_series(1, $2::int) AS g`, [ws.id, N]);
    await ownerSql(
      api,
      `INSERT INTO leads (workspace_id, contact_id, name, email, source, created_at) SELECT $1::uuid, md5($1::text || g)::uuid, 'L' || g, 'c' || g || '@many.test', 'FORM', timestamptz '2026-11-01' + (g / 4) * interval '1 second' FROM generate_series(1, $2::int) AS g`,
      [ws.id, N],
    );
  });
  afterAll(async () => api.close());

  const page = async (vars: Record<string, unknown>): Promise<Page> => {
    const r = await api.gql<{ leads: Page }>(LEADS, { w: ws.id, ...vars }, { token: owner.token });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.leads;
  };

  it("counts up to COUNT_CAP: totalCount COUNT_CAP + 1 and totalCountExact false; the page read is settings, page and capped count", async () => {
    const from = api.queries.length;
    const first = await page({ f: 50 });
    expect(first.edges).toHaveLength(50);
    expect(first.totalCount).toBe(COUNT_CAP + 1);
    expect(first.totalCountExact).toBe(false);
    const sent = api.queries.slice(from).filter((q) => q.includes(`"public"."leads"`));
    expect(sent).toHaveLength(2);
    expect(sent.find((q) => q.includes("COUNT(*)"))).toContain(" LIMIT ");
    expect(sent.find((q) => q.includes("ORDER BY"))).toContain("CROSS JOIN LATERAL");
  });

  it("pages every lead once, newest first, with its own contact, forwards and backwards (the row-comparison keyset)", async () => {
    const expected = (await ownerSql<{ id: string; email: string }>(api, `SELECT id, email FROM leads WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`, [ws.id])).map((r) => r.id);
    const forwards: string[] = [];
    let after: string | null = null;
    for (let n = 0; n < 20; n++) {
      const p: Page = await page({ f: 100, a: after });
      for (const e of p.edges) expect(e.node.contact.email).toBe(`${e.node.name.replace("L", "c")}@many.test`);
      forwards.push(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(forwards).toEqual(expected);
    const backwards: string[] = [];
    let before: string | null = null;
    for (let n = 0; n < 20; n++) {
      const p: Page = await page({ l: 100, b: before });
      backwards.unshift(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(backwards).toEqual(expected);
  });

  it("a list of COUNT_CAP rows or fewer is counted exactly", async () => {
    await ownerSql(api, `DELETE FROM leads WHERE workspace_id = $1 AND id IN (SELECT id FROM leads WHERE workspace_id = $1 ORDER BY id LIMIT 30)`, [ws.id]);
    const p = await page({ f: 1 });
    expect(p.totalCount).toBe(COUNT_CAP);
    expect(p.totalCountExact).toBe(true);
  });
});
