// The leads page at scale. Its statements read each lead's contact by a LATERAL look-up and bound
// the page by the row comparison (created_at, id) the index serves, and its total is counted up to
// COUNT_CAP only (totalCountExact false past it). Pinned here by behaviour — every lead once, in
// order, both ways, with its own contact —, by the number of statements a page read runs
// (settings, page, count: one round trip), and by its plan: no lead read and dropped.
import { Prisma } from "@atrium/db";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { readOf, requestStatements } from "../../test/request-statements.ts";
import { leadsRepository } from "./leads.repository.ts";

/** A node of EXPLAIN's JSON plan (the fields read here). */
type PlanNode = {
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

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
  const statements = requestStatements();

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Many Leads");
    // N leads, each with its own contact; created_at in runs of 4 equal values (ties ordered by id).
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, id, name, email) SELECT $1::uuid, md5($1::text || g)::uuid, 'C' || g, 'c' || g || '@many.test' FROM generate_series(1, $2::int) AS g`,
      [ws.id, N],
    );
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
    await page({ f: 50 }); // the owner's access into the cache
    const r = await api.gql<{ leads: Page }>(LEADS, { w: ws.id, f: 50 }, { token: owner.token });
    expect(r.errors).toBeUndefined();
    const first = r.data!.leads;
    expect(first.edges).toHaveLength(50);
    expect(first.totalCount).toBe(COUNT_CAP + 1);
    expect(first.totalCountExact).toBe(false);
    // The settings, the page (each lead with its contact), the capped count: one round trip.
    expect(await statements.of(r), "statements the request ran").toBe(readOf(2));
  });

  it("pages every lead once, newest first, with its own contact, forwards and backwards (the row-comparison keyset)", async () => {
    const expected = (
      await ownerSql<{ id: string; email: string }>(
        api,
        `SELECT id, email FROM leads WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`,
        [ws.id],
      )
    ).map((r) => r.id);
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

  it("reads a page after a cursor from the index bound, either way: no lead read and dropped", async () => {
    await ownerSql(api, "ANALYZE leads");
    const [mid] = await ownerSql<{ id: string; created_at: Date }>(
      api,
      `SELECT id, created_at FROM leads WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC OFFSET 400 LIMIT 1`,
      [ws.id],
    );
    const at = mid!.created_at;
    // The keysets cursor.ts makes after (created_at, id), newest first and oldest first.
    const newer = { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: mid!.id } }] };
    const older = { OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: mid!.id } }] };
    for (const [way, after, backward] of [
      ["newest first", newer, false],
      ["oldest first", older, true],
    ] as const) {
      const [pageRead] = leadsRepository.pageStatements({ workspaceId: ws.id }, after, 50, false, undefined, backward)!;
      const [explained] = await api.db.read({ userId: owner.id, workspaceId: ws.id }, [
        Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${pageRead!}`,
      ]);
      const plan = (explained![0]!["QUERY PLAN"] as [{ Plan: PlanNode }])[0].Plan;
      const scans = nodes(plan).filter((n) => n["Relation Name"] === "leads");
      expect(scans.length, way).toBeGreaterThan(0);
      expect(
        scans.reduce(
          (sum, n) => sum + (n["Rows Removed by Filter"] ?? 0) + (n["Rows Removed by Index Recheck"] ?? 0),
          0,
        ),
        `${way}: leads read and dropped`,
      ).toBe(0);
      expect(Math.max(...scans.map((n) => n["Actual Rows"] ?? 0)), `${way}: leads read`).toBeLessThanOrEqual(51);
    }
  });

  it("a list of COUNT_CAP rows or fewer is counted exactly", async () => {
    await ownerSql(
      api,
      `DELETE FROM leads WHERE workspace_id = $1 AND id IN (SELECT id FROM leads WHERE workspace_id = $1 ORDER BY id LIMIT 30)`,
      [ws.id],
    );
    const p = await page({ f: 1 });
    expect(p.totalCount).toBe(COUNT_CAP);
    expect(p.totalCountExact).toBe(true);
  });
});
