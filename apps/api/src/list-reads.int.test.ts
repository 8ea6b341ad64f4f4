// The one-round-trip list reads: `db.tenantRead` runs plain statements in a tenant transaction
// sent as one pipeline; the audit log and the leads list build those statements from a Prisma
// `where`. Here: the columns exist, the pages and counts are exactly what Prisma's own query gives
// for the same `where` (the oracle below, written with Prisma's findMany/count) for every filter
// and cursor, RLS still decides what a transaction sees, a moved principal or a failed statement
// hands the read back to `tenant`.
import { createDb, inStatementFamily, Prisma, RequestPrincipals, type TenantTx } from "@atrium/db";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { auditRepository, type AuditEventRow } from "./modules/audit/audit.repository.ts";
import { leadsRepository } from "./modules/leads/leads.repository.ts";
import { columnOf } from "./platform/db/read-sql.ts";
import { encodeCursor, keyset, pageRequest } from "./platform/graphql/cursor.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "./test/harness.ts";
import { requestStatements } from "./test/request-statements.ts";

/** The oracle: Prisma's own page of the audit log for `where` and the keyset (one row more than `take`), and the count. */
function prismaAuditPage(
  tx: TenantTx,
  opts: {
    where: Prisma.AuditEventWhereInput;
    keyset: { where: Prisma.AuditEventWhereInput; orderBy: Prisma.AuditEventOrderByWithRelationInput[] };
    take: number;
  },
): Promise<[AuditEventRow[], number]> {
  return Promise.all([
    tx.auditEvent.findMany({
      where: { ...opts.where, ...opts.keyset.where },
      orderBy: opts.keyset.orderBy,
      take: opts.take + 1,
      omit: { seq: true, prevHash: true, hash: true },
    }),
    tx.auditEvent.count({ where: opts.where }),
  ]);
}

/** The oracle: Prisma's own page of the leads with their contacts (its join), and the count. */
function prismaLeadsPage(
  tx: TenantTx,
  where: Prisma.LeadWhereInput,
  keyset: { where: Prisma.LeadWhereInput; orderBy: Prisma.LeadOrderByWithRelationInput[] },
  take: number,
) {
  return Promise.all([
    tx.lead.findMany({
      where: { ...where, ...keyset.where },
      include: { contact: true },
      orderBy: keyset.orderBy,
      take: take + 1,
    }),
    tx.lead.count({ where }),
  ]);
}

/** The page request of `take` rows from `cursor`: forwards (first/after) or backwards (last/before). */
const requestOf = (backward: boolean, take: number, cursor: string | null) =>
  pageRequest(backward ? { last: take, before: cursor } : { first: take, after: cursor });

describe("one-round-trip list reads", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let other: { id: string };
  const ctx = () => ({ userId: owner.id, workspaceId: ws.id });
  const statements = requestStatements();

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    owner = await api.user("Reader");
    ws = await createWorkspace(api, owner, "Read Co");
    other = await createWorkspace(api, owner, "Other Co");
    for (const w of [ws.id, other.id]) {
      // 30 events over three actions (two share a prefix, one has a "_" LIKE would treat as a
      // wildcard), some at the same instant (the cursor's id tie-break), one actor on a third.
      await ownerSql(
        api,
        `INSERT INTO audit_events (workspace_id, action, actor_user_id, target_type, data, created_at)
         SELECT $1, (ARRAY['member.added','member.removed','memberX.added'])[1 + g % 3], CASE WHEN g % 3 = 0 THEN $2::uuid END, 'T', jsonb_build_object('n', g),
                timestamptz '2026-11-01 00:00:00+00' + make_interval(secs => g / 2)
         FROM generate_series(1, 30) g`,
        [w, owner.id],
      );
      await ownerSql(
        api,
        `WITH c AS (INSERT INTO contacts (workspace_id, name, email, phone, tags, created_at)
                    SELECT $1, 'C' || g, 'c' || g || '@example.com', CASE WHEN g % 2 = 0 THEN '+1555000' || lpad(g::text, 4, '0') END, ARRAY['t' || g % 2], timestamptz '2026-11-02 00:00:00+00' + make_interval(secs => g)
                    FROM generate_series(1, 25) g RETURNING id, name, email, created_at)
         INSERT INTO leads (workspace_id, contact_id, name, email, source, status, qualification_answers, created_at)
         SELECT $1, c.id, c.name, c.email, 'API', (CASE WHEN c.name LIKE '%1' THEN 'QUALIFIED' ELSE 'NEW' END)::lead_status, '[{"question":"q","answer":"a"}]'::jsonb, timestamptz '2026-11-03 00:00:00+00' + make_interval(secs => (substr(c.name, 2)::int) / 3) FROM c`,
        [w],
      );
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it("maps every field of the models it reads to a column of its table", async () => {
    const models: [string, Record<string, string>][] = [
      ["audit_events", Prisma.AuditEventScalarFieldEnum],
      ["leads", Prisma.LeadScalarFieldEnum],
      ["contacts", Prisma.ContactScalarFieldEnum],
    ];
    for (const [table, fields] of models) {
      const columns = (
        await ownerSql<{ column_name: string }>(
          api,
          "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
          [table],
        )
      ).map((r) => r.column_name);
      expect(Object.values(fields).map(columnOf).sort(), table).toEqual([...columns].sort());
    }
  });

  /**
   * Every page of the audit log for `where`, through tenantRead and through Prisma, cursor by
   * cursor, forwards or backwards (rows in the order of travel).
   */
  async function auditPagesBothWays(where: Prisma.AuditEventWhereInput, take: number, backward: boolean) {
    const out: { read: AuditEventRow[]; prisma: AuditEventRow[]; readTotal: number; prismaTotal: number }[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 40; i++) {
      const page = requestOf(backward, take, cursor);
      const opts = { where, keyset: keyset(page), backward, take, withTotal: true };
      const read = await api.db.tenantRead(ctx(), auditRepository.pageStatements(opts)!);
      expect(read, "the read ran in one pipeline").toBeDefined();
      const [readRows, readTotal] = auditRepository.pageFromRows(read!, true);
      const [prismaRows, prismaTotal]: [AuditEventRow[], number] = await api.db.tenant(ctx(), (tx) =>
        prismaAuditPage(tx, opts),
      );
      out.push({ read: readRows, prisma: prismaRows, readTotal, prismaTotal });
      if (prismaRows.length <= take) break;
      const last: AuditEventRow = prismaRows[take - 1]!;
      cursor = encodeCursor(last.createdAt, last.id);
    }
    return out;
  }

  it("gives the audit log's pages and counts exactly as Prisma does, for each filter and cursor", async () => {
    const wheres: Prisma.AuditEventWhereInput[] = [
      { AND: [{ OR: [{ workspaceId: ws.id }] }], workspaceId: ws.id },
      { workspaceId: ws.id, action: "member.added" },
      { workspaceId: ws.id, action: { startsWith: "member." } },
      { workspaceId: ws.id, action: { startsWith: "member_" } },
      { workspaceId: ws.id, action: { startsWith: "member\\_." } },
      { workspaceId: ws.id, actorUserId: owner.id },
      {
        workspaceId: ws.id,
        createdAt: { gte: new Date("2026-11-01T00:00:04Z"), lt: new Date("2026-11-01T00:00:11Z") },
      },
      { workspaceId: ws.id, actorUserId: null },
    ];
    let pagesSeen = 0;
    for (const where of wheres) {
      const walks: string[][] = [];
      for (const backward of [false, true]) {
        const ids: string[] = [];
        for (const page of await auditPagesBothWays(where, 4, backward)) {
          expect(page.read, JSON.stringify(where)).toEqual(page.prisma);
          expect(page.readTotal, JSON.stringify(where)).toBe(page.prismaTotal);
          ids.push(...page.prisma.slice(0, 4).map((r) => r.id));
          pagesSeen++;
        }
        walks.push(backward ? ids.reverse() : ids);
      }
      // Backwards (last/before, read oldest first) walks the same rows as forwards.
      expect(walks[1], JSON.stringify(where)).toEqual(walks[0]);
    }
    expect(pagesSeen, "the filters really page through rows").toBeGreaterThan(15);
    // The audit log's action prefix means its "_" literally (escaped for LIKE), on both paths.
    const AUDIT = `query($w: ID!, $a: String) { auditEvents(workspaceId: $w, action: $a) { totalCount } }`;
    const total = async (a: string) =>
      (await api.gql<{ auditEvents: { totalCount: number } }>(AUDIT, { w: ws.id, a }, { token: owner.token })).data
        ?.auditEvents.totalCount;
    expect(await total("member.")).toBe(20);
    expect(await total("memberX.")).toBe(10);
    expect(await total("member_."), "not memberX.added").toBe(0);
  });

  it("gives the leads page with each lead's contact exactly as Prisma's join does", async () => {
    for (const status of [undefined, "QUALIFIED", "NEW"] as const) {
      const where: Prisma.LeadWhereInput = {
        AND: [{ OR: [{ workspaceId: ws.id }] }],
        workspaceId: ws.id,
        ...(status ? { status } : {}),
      };
      const walks: string[][] = [];
      for (const backward of [false, true]) {
        const ids: string[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 20; i++) {
          const page = requestOf(backward, 7, cursor);
          const ks = keyset(page);
          const read = await api.db.tenantRead(
            ctx(),
            leadsRepository.pageStatements(where, ks.where, 7, true, undefined, backward)!,
          );
          expect(read).toBeDefined();
          const [readRows, readTotal] = leadsRepository.pageFromRows(read!, true);
          const [rows, total] = await api.db.tenant(ctx(), (tx) => prismaLeadsPage(tx, where, ks, 7));
          expect(readRows, `status ${status}, page ${i}, backward ${backward}`).toEqual(rows);
          expect(readTotal).toBe(total);
          expect(rows[0]?.contact.tags, "the contact's columns come typed (text[])").toEqual(expect.any(Array));
          ids.push(...rows.slice(0, 7).map((r) => r.id));
          if (rows.length <= 7) break;
          const last = rows[6]!;
          cursor = encodeCursor(last.createdAt, last.id);
        }
        walks.push(backward ? ids.reverse() : ids);
      }
      expect(walks[0]!.length, `status ${status}: the rows of several pages, or of QUALIFIED's one`).toBe(
        status === "QUALIFIED" ? 3 : status === "NEW" ? 22 : 25,
      );
      expect(walks[1], `status ${status}: backwards walks the same rows`).toEqual(walks[0]);
    }
  });

  it("reads only the columns of the fields a query selects, through fragments and aliases, with the same answers", async () => {
    type Node = Record<string, unknown> & { id: string; contact?: Record<string, unknown> };
    type Page = { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const pageSql = (from: number, table: string) =>
      api.queries.slice(from).filter((q) => q.includes(`FROM "public"."${table}" AS t`) && !q.includes("COUNT(*)"));
    const columns = (sql: string) =>
      [...sql.slice(0, sql.indexOf(" FROM ")).matchAll(/ AS "([^"]+)"/g)].map((m) => m[1]).sort();
    const gql = async <T>(document: string, variables: Record<string, unknown>) => {
      const r = await api.gql<T>(document, variables, { token: owner.token });
      expect(r.errors).toBeUndefined();
      return r.data!;
    };

    const ALL_LEADS = `query($w: ID!) { leads(workspaceId: $w, first: 25) { edges { node { id name email phone message source status createdAt qualificationAnswers { question answer } contact { id name email phone tags createdAt } } } } }`;
    const all = (await gql<{ leads: Page }>(ALL_LEADS, { w: ws.id })).leads.edges.map((e) => e.node);
    expect(all).toHaveLength(25);
    const from = api.queries.length;
    const SOME = `fragment C on Contact { tags } fragment L on Lead { who: name contact { ...C } }
      query($w: ID!) { leads(workspaceId: $w, first: 25) { edges { node { id ...L ... on Lead { status } } } } }`;
    const some = (await gql<{ leads: Page }>(SOME, { w: ws.id })).leads.edges.map((e) => e.node);
    const [page] = pageSql(from, "leads");
    expect(columns(page!), "the selected fields, the keyset's and the contact's id").toEqual([
      "contact.id",
      "contact.tags",
      "createdAt",
      "id",
      "name",
      "status",
    ]);
    expect(some).toEqual(
      all.map((n) => ({ id: n.id, who: n.name, status: n.status, contact: { tags: n.contact!.tags } })),
    );
    // The all-fields read against Prisma's own (every column, by findMany with its join).
    const [prisma] = await api.db.tenant(ctx(), (tx) =>
      prismaLeadsPage(tx, { workspaceId: ws.id }, keyset(pageRequest({ first: 25 })), 25),
    );
    expect(all).toEqual(
      prisma.slice(0, 25).map((l) => ({
        ...{
          id: l.id,
          name: l.name,
          email: l.email,
          phone: l.phone,
          message: l.message,
          source: l.source,
          status: l.status,
          createdAt: l.createdAt.toISOString(),
        },
        qualificationAnswers: l.qualificationAnswers,
        contact: {
          id: l.contact.id,
          name: l.contact.name,
          email: l.contact.email,
          phone: l.contact.phone,
          tags: l.contact.tags,
          createdAt: l.contact.createdAt.toISOString(),
        },
      })),
    );
    // No contact field selected: the join still runs (no lead goes missing), reading its id only.
    const fromBare = api.queries.length;
    const bare = (
      await gql<{ leads: Page }>(
        `query($w: ID!) { leads(workspaceId: $w, first: 25) { edges { __typename node { __typename email } } } }`,
        { w: ws.id },
      )
    ).leads.edges.map((e) => e.node);
    expect(columns(pageSql(fromBare, "leads")[0]!)).toEqual(["contact.id", "createdAt", "email", "id"]);
    expect(bare).toEqual(all.map((n) => ({ __typename: "Lead", email: n.email })));

    // Paged by cursor without selecting createdAt: the cursor's fields are read all the same.
    const IDS = `query($w: ID!, $a: String) { leads(workspaceId: $w, first: 10, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const ids: string[] = [];
    for (let after: string | null = null, i = 0; i < 10; i++) {
      const c: Page = (await gql<{ leads: Page }>(IDS, { w: ws.id, a: after })).leads;
      ids.push(...c.edges.map((e) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(ids).toEqual(all.map((n) => n.id));

    // The audit log: its data (JSON) alone, against every field.
    const ALL_EVENTS = `query($w: ID!) { auditEvents(workspaceId: $w, first: 40) { edges { node { id action actorUserId actorApiKeyId targetType targetId data ip createdAt } } } }`;
    const events = (await gql<{ auditEvents: Page }>(ALL_EVENTS, { w: ws.id })).auditEvents.edges.map((e) => e.node);
    expect(events.length, "the seeded events and the workspace's own").toBeGreaterThan(30);
    const fromEvents = api.queries.length;
    const data = (
      await gql<{ auditEvents: Page }>(
        `query($w: ID!) { auditEvents(workspaceId: $w, first: 40) { edges { node { data } } } }`,
        { w: ws.id },
      )
    ).auditEvents.edges.map((e) => e.node);
    expect(columns(pageSql(fromEvents, "audit_events")[0]!)).toEqual(["createdAt", "data", "id"]);
    expect(data).toEqual(events.map((e) => ({ data: e.data })));
    // The seeded events' data is JSON text of the stored object, encoded once.
    const seeded = events.filter((e) => e.targetType === "T").map((e) => JSON.parse(e.data as string) as unknown);
    expect(seeded.length).toBe(30);
    expect(seeded).toEqual(expect.arrayContaining([{ n: 1 }, { n: 30 }]));
  });

  it("names a statement family's first texts only: a client varying its selection cannot use up the prepared statements", async () => {
    // One connection, so its pg_prepared_statements shows every name this pool gave.
    const one = createDb({ appUrl: api.testDb.appUrl, ownerUrl: api.testDb.ownerUrl, poolSize: 1 });
    try {
      const marker = `family_${Date.now()}`;
      const statement = (i: number) =>
        inStatementFamily(Prisma.sql`SELECT ${i}::int AS ${Prisma.raw(`${marker}_${i}`)}`, marker);
      for (let i = 0; i < 40; i++)
        expect((await one.tenantRead(ctx(), [statement(i)]))?.[0]).toEqual([{ [`${marker}_${i}`]: i }]);
      // Outside any family, a new text is named as before.
      expect(
        (await one.tenantRead(ctx(), [Prisma.sql`SELECT ${1}::int AS ${Prisma.raw(`${marker}_free`)}`]))?.[0],
      ).toEqual([{ [`${marker}_free`]: 1 }]);
      const named = (await one.tenantRead(ctx(), [
        Prisma.sql`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${`%${marker}%`} AND name LIKE ${"atrium_%"}`,
      ]))![0]!.map((r) => String(r.statement));
      expect(
        named.filter((t) => !t.includes("_free")),
        "the family's first 32 texts",
      ).toHaveLength(32);
      expect(
        named.some((t) => t.endsWith(`${marker}_0`)),
        "the first one",
      ).toBe(true);
      expect(
        named.some((t) => t.endsWith(`${marker}_39`)),
        "past the budget: unnamed",
      ).toBe(false);
      expect(named.some((t) => t.endsWith(`${marker}_free`))).toBe(true);
    } finally {
      await one.disconnect();
    }
  });

  it("leaves what a transaction sees to RLS: another workspace's rows stay invisible whatever the statement asks", async () => {
    const everything = [
      Prisma.sql`SELECT workspace_id FROM audit_events`,
      Prisma.sql`SELECT count(*) AS n FROM leads WHERE workspace_id = ${other.id}::uuid`,
    ];
    const rows = await api.db.tenantRead(ctx(), everything);
    expect(rows).toBeDefined();
    expect(new Set(rows![0]!.map((r) => r.workspace_id))).toEqual(new Set([ws.id]));
    expect(Number(rows![1]![0]!.n), "the other workspace's leads, asked for by id").toBe(0);
    // And the settings were the transaction's own: the next statement on a pooled connection sees nothing.
    const after = await api.db.appUnscoped.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM audit_events`;
    expect(Number(after[0]!.n)).toBe(0);
  });

  it("hands the read back to tenant when a statement fails, and the pool stays usable", async () => {
    const failed = await api.db.tenantRead(ctx(), [
      Prisma.sql`SELECT 1 AS one`,
      Prisma.sql`SELECT 1 / (random() * 0)::int AS boom`,
    ]);
    expect(failed).toBeUndefined();
    for (let i = 0; i < 12; i++) {
      const ok = await api.db.tenantRead(ctx(), [Prisma.sql`SELECT current_setting('app.workspace_id') AS ws`]);
      expect(ok?.[0]?.[0]?.ws).toBe(ws.id);
    }
  });

  it("verifies the request's cached principal in the same pipeline, and hands a moved one back to tenant", async () => {
    const version = (await ownerSql<{ v: number }>(api, "SELECT workspace_auth_version($1::uuid) AS v", [ws.id]))[0]!.v;
    const run = new RequestPrincipals();
    const revalidated: (number | null)[] = [];
    run.workspaces.set(ws.id, {
      version,
      revalidate: (_tx, current) => Promise.resolve(void revalidated.push(current)),
    });
    const rows = await api.db.tenantRead({ ...ctx(), scope: { principals: run } }, [Prisma.sql`SELECT 1 AS one`]);
    expect(rows?.[0]).toEqual([{ one: 1 }]);
    expect(run.workspaces.get(ws.id)!.verified, "verified by the pipeline's settings statement").toBe(true);
    expect(run.unverified).toBe(false);

    const moved = new RequestPrincipals();
    moved.workspaces.set(ws.id, {
      version: version - 1,
      revalidate: (_tx, current) => Promise.resolve(void revalidated.push(current)),
    });
    expect(
      await api.db.tenantRead({ ...ctx(), scope: { principals: moved } }, [Prisma.sql`SELECT 1 AS one`]),
    ).toBeUndefined();
    expect(moved.workspaces.get(ws.id)!.verified, "not verified: tenant revalidates it").toBeFalsy();
    expect(revalidated, "revalidation needs a transaction handle: tenant's job").toEqual([]);
  });

  it("sends a cached owner's audit read as settings, page, count: one transaction ended by one Sync", async () => {
    const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 5) { totalCount edges { node { id action } } } }`;
    await api.gql(AUDIT, { w: ws.id }, { token: owner.token }); // loads the principal into the cache
    const from = api.queries.length;
    const r = await api.gql<{ auditEvents: { totalCount: number; edges: { node: { id: string; action: string } }[] } }>(
      AUDIT,
      { w: ws.id },
      { token: owner.token },
    );
    expect(r.errors).toBeUndefined();
    // What it answers: this workspace's newest five events and its total, nothing of the other's.
    const stored = await ownerSql<{ id: string; action: string }>(
      api,
      "SELECT id, action FROM audit_events WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT 5",
      [ws.id],
    );
    const [total] = await ownerSql<{ n: number }>(
      api,
      "SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1",
      [ws.id],
    );
    expect(r.data!.auditEvents.edges.map((e) => e.node)).toEqual(stored);
    expect(r.data!.auditEvents.totalCount).toBe(total!.n);
    // Settings (with the cached principal's check), page, count: no BEGIN, no COMMIT, no check of its own.
    expect(await statements.of(r), "statements the request ran").toBe(3);
    // Kept as text: a cost no count or row shows (the read would still answer with the look-up).
    expect(api.queries[from], "a read emits no events: it does not look up the webhook subscriptions").not.toContain(
      "workspace_webhook_event_types",
    );
  });

  it("counts only when totalCount is selected: without it a read is settings and page", async () => {
    // The audit log and leads: one pipeline (settings, page); contacts read through Prisma's
    // transaction (BEGIN, settings, page, COMMIT). With totalCount, one statement more each.
    const reads = [
      ["auditEvents", 2, `query($w: ID!) { auditEvents(workspaceId: $w, first: 5) { edges { node { id action } } } }`],
      [
        "leads",
        2,
        `query($w: ID!) { leads(workspaceId: $w, first: 5) { edges { node { id name contact { name } } } } }`,
      ],
      ["contacts", 4, `query($w: ID!) { contacts(workspaceId: $w, first: 5) { edges { node { id name } } } }`],
    ] as const;
    for (const [field, expected, document] of reads) {
      await api.gql(document, { w: ws.id }, { token: owner.token }); // the principal cached
      const r = await api.gql<Record<string, { edges: unknown[] }>>(document, { w: ws.id }, { token: owner.token });
      expect(r.errors, field).toBeUndefined();
      expect(r.data![field]!.edges, field).toHaveLength(5);
      expect(await statements.of(r), `${field}: settings and page, no count`).toBe(expected);
      const counted = await api.gql<Record<string, { totalCount: number }>>(
        document.replace("{ edges", "{ totalCount edges"),
        { w: ws.id },
        { token: owner.token },
      );
      expect(counted.errors, field).toBeUndefined();
      expect(counted.data![field]!.totalCount, field).toBeGreaterThanOrEqual(5);
      expect(await statements.of(counted), `${field}: and the count`).toBe(expected + 1);
    }
  });
  it("runs a pipeline's statements in one transaction whose settings end with it, and rolls it back at a failed statement", async () => {
    const now = Prisma.sql`SELECT transaction_timestamp()::text AS t, current_setting('app.workspace_id', true) AS w`;
    const rows = await api.db.tenantRead(ctx(), [now, Prisma.sql`SELECT pg_sleep(0.02)`, now]);
    // One transaction: the same transaction timestamp 20 ms apart, the settings seen throughout.
    expect(rows?.[0]).toEqual([{ t: expect.any(String), w: ws.id }]);
    expect(rows?.[2], "the same transaction").toEqual(rows?.[0]);
    // The settings ended with the transaction: the connection, released last and handed out
    // next, carries none into the next unit of work.
    const leaked = await api.db.appUnscoped.$queryRaw<
      { w: string | null }[]
    >`SELECT current_setting('app.workspace_id', true) AS w`;
    expect(leaked[0]!.w ?? "", "no tenant setting outlives its pipeline").toBe("");
    // A failed statement: no answer (the caller runs it through `tenant`), the write before it
    // rolled back, and the connection serves the next read.
    const marker = `rolled-back-${Date.now()}`;
    const before = await api.db.tenantRead(ctx(), [
      Prisma.sql`SELECT count(*)::int AS n FROM audit_events WHERE action = ${marker}`,
    ]);
    expect(before?.[0]).toEqual([{ n: 0 }]);
    const failed = await api.db.tenantRead(ctx(), [
      Prisma.sql`INSERT INTO audit_events (workspace_id, action, target_type, target_id, data) VALUES (${ws.id}::uuid, ${marker}, 'Probe', 'x', '{}') RETURNING id`,
      Prisma.sql`SELECT 1 / (SELECT count(*)::int - count(*)::int FROM audit_events) AS boom`,
    ]);
    expect(failed, "a failed pipeline answers undefined").toBeUndefined();
    const after = await ownerSql<{ n: number }>(api, "SELECT count(*)::int AS n FROM audit_events WHERE action = $1", [
      marker,
    ]);
    expect(after[0]!.n, "the insert before the failed statement rolled back").toBe(0);
    for (let i = 0; i < 3; i++)
      expect((await api.db.tenantRead(ctx(), [now]))?.[0]).toEqual([{ t: expect.any(String), w: ws.id }]);
    const leakedAfter = await api.db.appUnscoped.$queryRaw<
      { w: string | null }[]
    >`SELECT current_setting('app.workspace_id', true) AS w`;
    expect(leakedAfter[0]!.w ?? "").toBe("");
  });
  it("keeps a connection after a failed pipeline that parsed nothing new, and closes one whose new prepared statements' state is unknown", async () => {
    // The pool hands out the connection released last (pg-pool keeps idle clients as a stack).
    const pid = Prisma.sql`SELECT pg_backend_pid() AS pid`;
    const pidNow = async () => (await api.db.tenantRead(ctx(), [pid]))?.[0]?.[0]?.pid;
    const divide = (n: number) => Prisma.sql`SELECT 1 / ${n}::int AS q, 'known' AS tag`;
    expect((await api.db.tenantRead(ctx(), [divide(1)]))?.[0]).toEqual([{ q: 1, tag: "known" }]);
    const a = await pidNow();
    expect(await api.db.tenantRead(ctx(), [divide(0)]), "division by zero: no answer").toBeUndefined();
    expect(await pidNow(), "every statement was prepared already: the connection stays").toBe(a);
    // A statement this connection has never seen, parsed in a pipeline that then fails.
    const fresh = Prisma.sql`SELECT 1 / ${0}::int AS q, ${`new-${Date.now()}`}::text AS tag, 'never parsed before' AS why`;
    expect(await api.db.tenantRead(ctx(), [fresh])).toBeUndefined();
    expect(await pidNow(), "closed: which Parses took effect is unknown").not.toBe(a);
  });
  it("prepares a pipeline's statement once per connection, then only binds and executes it", async () => {
    const marker = `prepared-${Date.now()}`;
    const statement = () =>
      Prisma.sql`SELECT ${marker}::text AS marker, array_agg(DISTINCT workspace_id::text) AS seen FROM audit_events`;
    // One request after another: the pool hands back the connection released last.
    for (let i = 0; i < 8; i++)
      expect((await api.db.tenantRead(ctx(), [statement()]))?.[0]).toEqual([{ marker, seen: [ws.id] }]);
    // The same prepared statement (its plan now possibly generic) in another workspace: RLS is
    // evaluated per execution with that transaction's settings, never baked into the plan.
    expect((await api.db.tenantRead({ userId: owner.id, workspaceId: other.id }, [statement()]))?.[0]).toEqual([
      { marker, seen: [other.id] },
    ]);
    const seen = await api.db.tenantRead(ctx(), [
      Prisma.sql`SELECT name, statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements`,
    ]);
    const mine = seen?.[0]?.find((r) => String(r.statement).includes("::text AS marker"));
    expect(mine?.name, "named after the text's hash").toMatch(/^atrium_[\w-]{27}$/);
    expect(Number(mine?.runs), "parsed once, run 9 times").toBe(9);
    // The settings statement too (it has parameters).
    expect(seen?.[0]?.some((r) => String(r.statement).includes("set_config('app.workspace_id'"))).toBe(true);
  });

  it("closes a connection whose prepared statement a migration made stale; the next read prepares afresh", async () => {
    const lead = (
      await ownerSql<{ id: string }>(api, "SELECT id FROM contacts WHERE workspace_id = $1 LIMIT 1", [ws.id])
    )[0]!.id;
    const read = () => api.db.tenantRead(ctx(), [Prisma.sql`SELECT t.* FROM contacts AS t WHERE t.id = ${lead}::uuid`]);
    expect((await read())?.[0]).toHaveLength(1);
    await ownerSql(api, "ALTER TABLE contacts ADD COLUMN stale_probe int");
    try {
      // The connection's plan returns the old row type: "cached plan must not change result type".
      expect(await read(), "handed back to tenant").toBeUndefined();
      const fresh = await read();
      expect(fresh?.[0]?.[0], "a fresh connection sees the new column").toHaveProperty("stale_probe", null);
    } finally {
      await ownerSql(api, "ALTER TABLE contacts DROP COLUMN stale_probe");
    }
  });
});
