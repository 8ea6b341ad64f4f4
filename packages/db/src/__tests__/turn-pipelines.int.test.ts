// One-Sync pipelines issued in one turn of the event loop share a pooled connection and one socket
// write. Each is still its own transaction: its own tenant settings, its own commit or rollback,
// its own answer; one that waits on a lock gives way (lock_timeout) instead of holding up the rest;
// a lost connection fails only what was on it, and the next turn gets a live one. Real pipelines
// through the tenant client, against a real server.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

import { describe, expect, it } from "@atrium/test-kit";

import { Prisma } from "../index.ts";
import { APP_ROLE } from "../roles.ts";
import { scratchSuite } from "./scratch.ts";

const scratch = scratchSuite(async ({ owner }) => {
  await owner.query(`
    CREATE TABLE turn_probe (id text PRIMARY KEY, workspace_id text NOT NULL DEFAULT current_setting('app.workspace_id', true));
    GRANT SELECT, INSERT ON turn_probe TO ${APP_ROLE};`);
});

/** The workspace the transaction's settings name, and the backend that ran it. */
const WHO = Prisma.sql`SELECT current_setting('app.workspace_id', true) AS w, pg_backend_pid() AS pid`;
type Who = { w: string; pid: number };
const who = (rows: Record<string, unknown>[][] | undefined): Who => rows?.[0]?.[0] as Who;

describe("pipelines of one turn", () => {
  it("share one connection, each with its own tenant settings", async () => {
    const workspaces = Array.from({ length: 12 }, () => randomUUID());
    // Issued in one turn (the pool has 2 connections: apart, they would take both).
    const answers = await Promise.all(workspaces.map((workspaceId) => scratch.db.tenantRead({ workspaceId }, [WHO])));
    expect(answers.map((a) => who(a).w)).toEqual(workspaces);
    expect(new Set(answers.map((a) => who(a).pid)).size).toBe(1);
    // The next turn: the settings of the last one did not stay on the connection.
    expect(who(await scratch.db.tenantRead({}, [WHO])).w).toBe("");
  });

  it("take at most 16 on one connection; the rest open another", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => scratch.db.tenantRead({ workspaceId: randomUUID() }, [WHO])),
    );
    const pids = answers.map((a) => who(a).pid);
    expect(new Set(pids.slice(0, 16)).size).toBe(1);
    expect(new Set(pids.slice(16)).size).toBe(1);
    expect(pids[16]).not.toBe(pids[0]);
  });

  it("fail alone: a failed read or a refused write rolls back its own transaction only", async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const key = `dup-${randomUUID()}`;
    await scratch.owner.query("INSERT INTO turn_probe (id, workspace_id) VALUES ($1, 'seed')", [key]);
    const [first, failedRead, refused, last, after] = await Promise.all([
      scratch.db.tenantWrite(
        { workspaceId: a },
        Prisma.sql`INSERT INTO turn_probe (id) VALUES (${`first-${a}`}) RETURNING id, workspace_id`,
      ),
      scratch.db.tenantRead({ workspaceId: b }, [
        WHO,
        Prisma.sql`SELECT 1 / (SELECT count(*) FROM turn_probe WHERE false)::int AS boom`,
      ]),
      // A duplicate key: refused by the server, rolled back.
      scratch.db.tenantWrite({ workspaceId: b }, Prisma.sql`INSERT INTO turn_probe (id) VALUES (${key}) RETURNING id`),
      scratch.db.tenantWrite(
        { workspaceId: c },
        Prisma.sql`INSERT INTO turn_probe (id) VALUES (${`last-${c}`}) RETURNING id, workspace_id`,
      ),
      scratch.db.tenantRead({ workspaceId: c }, [WHO]),
    ]);
    expect(first).toEqual([{ id: `first-${a}`, workspace_id: a }]);
    expect(failedRead).toBeUndefined();
    expect(refused).toBeUndefined();
    expect(last).toEqual([{ id: `last-${c}`, workspace_id: c }]);
    expect(who(after).w).toBe(c);
    const { rows } = await scratch.owner.query<{ id: string; workspace_id: string }>(
      "SELECT id, workspace_id FROM turn_probe WHERE id = ANY($1) ORDER BY id",
      [[`first-${a}`, key, `last-${c}`]],
    );
    expect(rows).toEqual([
      { id: key, workspace_id: "seed" },
      { id: `first-${a}`, workspace_id: a },
      { id: `last-${c}`, workspace_id: c },
    ]);
  });

  it("hold none of their turn up behind a lock: a pipeline that waits on one gives way after 100 ms, the rest are answered", async () => {
    const taken = `locked-${randomUUID()}`;
    // Another transaction holds the key a write of the turn needs (a racing submission's contact).
    const holder = new pg.Client({ connectionString: scratch.database.ownerUrl });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("INSERT INTO turn_probe (id, workspace_id) VALUES ($1, 'holder')", [taken]);
      const workspaces = Array.from({ length: 5 }, () => randomUUID());
      const began = Date.now();
      const turn = Promise.all([
        scratch.db.tenantWrite(
          { workspaceId: randomUUID() },
          Prisma.sql`INSERT INTO turn_probe (id) VALUES (${taken}) RETURNING id`,
        ),
        ...workspaces.map((workspaceId) => scratch.db.tenantRead({ workspaceId }, [WHO])),
      ]);
      // The lock is held 5 s: without a lock timeout the five reads queued behind the write wait for it.
      const settled = await Promise.race([turn, sleep(5_000).then(() => "held up" as const)]);
      expect(settled, "the turn was answered while the lock was still held").not.toBe("held up");
      const [write, ...reads] = settled as Awaited<typeof turn>;
      // The write gave way (55P03, rolled back): its caller takes `tenant`, which waits on a connection of its own.
      expect(write).toBeUndefined();
      expect(reads.map((r) => who(r as Record<string, unknown>[][]).w)).toEqual(workspaces);
      expect(Date.now() - began).toBeGreaterThanOrEqual(100);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    // Once the lock is gone the same write goes through a pipeline.
    expect(
      await scratch.db.tenantWrite(
        { workspaceId: randomUUID() },
        Prisma.sql`INSERT INTO turn_probe (id) VALUES (${taken}) RETURNING id`,
      ),
    ).toEqual([{ id: taken }]);
  });

  it("run their prepared statements on the generic plan, however large another workspace grows: no plan made per call", async () => {
    // With plan_cache_mode = auto, the server plans a prepared statement for each call's values at
    // first, then compares: here a small workspace's plan looks far cheaper than the generic one
    // (costed for an average of 10,000 rows), so without the setting it would plan every call.
    await scratch.owner.query(
      `CREATE TABLE plan_probe (workspace_id uuid NOT NULL, n int NOT NULL, PRIMARY KEY (workspace_id, n)); GRANT SELECT ON plan_probe TO ${APP_ROLE};`,
    );
    const [big, small] = [randomUUID(), randomUUID()];
    await scratch.owner.query("INSERT INTO plan_probe SELECT $1, g FROM generate_series(1, 20000) g", [big]);
    await scratch.owner.query("INSERT INTO plan_probe SELECT $1, g FROM generate_series(1, 3) g", [small]);
    await scratch.owner.query("ANALYZE plan_probe");
    const page = Prisma.sql`SELECT n FROM plan_probe WHERE workspace_id = ${small}::uuid ORDER BY n DESC LIMIT 2`;
    // This connection's prepared statements (the check itself has no parameters: sent unnamed, not listed).
    const plans = Prisma.sql`SELECT count(*)::int AS statements, coalesce(sum(custom_plans), 0)::int AS custom, coalesce(sum(generic_plans), 0)::int AS generic FROM pg_prepared_statements WHERE statement LIKE 'SELECT n FROM plan_probe%'`;
    for (let call = 0; call < 8; call++) {
      const rows = await scratch.db.tenantRead({ workspaceId: small }, [page, plans]);
      expect(rows?.[0]).toEqual([{ n: 3 }, { n: 2 }]);
      const seen = rows![1]![0] as { statements: number; custom: number; generic: number };
      expect(seen.statements, "the page is a prepared statement of this connection").toBe(1);
      expect(seen.custom, `custom plans made by call ${call + 1}`).toBe(0);
      expect(seen.generic).toBeGreaterThan(0);
    }
  });

  it("walk one workspace's index on their generic plan however skewed the table: no sequential scan, no parallel workers", async () => {
    // The generic plan is costed for an average workspace: rows / distinct workspaces. With one
    // workspace of 300,000 rows and one of 3, that is 150,000 rows, and without the pipeline's
    // settings the small workspace's count was a parallel sequential scan of the whole table and
    // its page a Gather Merge over a parallel index scan (bench:request-path, a key read after the
    // submissions: 4.4 ms of database CPU per request instead of 0.17 ms).
    await scratch.owner.query(`
      CREATE TABLE skew_contacts (workspace_id uuid NOT NULL, id int NOT NULL, email text, PRIMARY KEY (workspace_id, id)) WITH (autovacuum_enabled = false);
      CREATE TABLE skew_leads (workspace_id uuid NOT NULL, id int NOT NULL, contact_id int NOT NULL, created_at timestamptz NOT NULL, name text, PRIMARY KEY (workspace_id, id)) WITH (autovacuum_enabled = false);
      CREATE INDEX ON skew_leads (workspace_id, created_at DESC, id DESC);
      GRANT SELECT ON skew_contacts, skew_leads TO ${APP_ROLE};`);
    const [big, small] = [randomUUID(), randomUUID()];
    for (const [workspace, rows] of [
      [big, 300_000],
      [small, 3],
    ] as const) {
      await scratch.owner.query(
        "INSERT INTO skew_contacts SELECT $1, g, 'c' || g || '@example.com' FROM generate_series(1, $2::int) g",
        [workspace, rows],
      );
      await scratch.owner.query(
        "INSERT INTO skew_leads SELECT $1, g, g, now() - make_interval(secs => g), 'Lead ' || g FROM generate_series(1, $2::int) g",
        [workspace, rows],
      );
    }
    // Statistics, and no visibility map (not vacuumed): an index-only scan is no cheaper than the heap.
    await scratch.owner.query("ANALYZE skew_contacts, skew_leads");
    const name = `skew_${Date.now()}`;
    const answers = await scratch.db.tenantRead({ workspaceId: small }, [
      Prisma.raw(`PREPARE ${name}_count AS SELECT count(*) FROM skew_leads t WHERE t.workspace_id = $1`),
      Prisma.raw(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${name}_count('${small}')`),
      Prisma.raw(
        `PREPARE ${name}_page AS SELECT t.id, t.name, c.email FROM skew_leads t JOIN skew_contacts c ON c.workspace_id = t.workspace_id AND c.id = t.contact_id WHERE t.workspace_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2`,
      ),
      Prisma.raw(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${name}_page('${small}', 51)`),
      Prisma.raw(`DEALLOCATE ${name}_count`),
      Prisma.raw(`DEALLOCATE ${name}_page`),
    ]);
    expect(answers, "the pipeline ran (tenantRead answers undefined when any statement of it failed)").toBeDefined();
    type PlanNode = { "Node Type": string; "Actual Rows"?: number; "Workers Planned"?: number; Plans?: PlanNode[] };
    const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
    for (const [i, statement, rows] of [
      [1, "count", 1],
      [3, "page", 3],
    ] as const) {
      const plan = (answers![i]![0]!["QUERY PLAN"] as [{ Plan: PlanNode }])[0].Plan;
      expect(plan["Actual Rows"], `${statement}: rows`).toBe(rows);
      const shape = nodes(plan).map((node) => node["Node Type"]);
      expect(shape, `${statement}: its plan`).not.toContain("Seq Scan");
      expect(shape, `${statement}: its plan`).not.toContain("Gather");
      expect(shape, `${statement}: its plan`).not.toContain("Gather Merge");
      expect(
        nodes(plan).some((node) => node["Workers Planned"] !== undefined),
        `${statement}: parallel workers planned`,
      ).toBe(false);
    }
  });

  it("lose what was on a connection that dies, and the next turn gets a live one", async () => {
    const marker = `turn-probe-sleep-${randomUUID()}`;
    const slow = Prisma.sql`SELECT pg_sleep(2), ${marker}::text AS marker`;
    const pending = Promise.all([
      scratch.db.tenantRead({}, [slow]),
      ...Array.from({ length: 5 }, () => scratch.db.tenantRead({ workspaceId: randomUUID() }, [WHO])),
    ]);
    // The slow read is running (the five wait behind it on the same connection): kill its backend.
    let killed: number | undefined;
    for (let tries = 0; killed === undefined && tries < 200; tries++) {
      const { rows } = await scratch.owner.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid() AND datname = current_database()",
      );
      killed = rows[0]?.pid;
      if (killed === undefined) await sleep(10);
    }
    expect(killed).toBeDefined();
    await scratch.owner.query("SELECT pg_terminate_backend($1)", [killed]);
    const answers = await pending;
    // No answer on a lost connection: each read says so (its caller runs it through `tenant`).
    expect(answers).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    const next = who(await scratch.db.tenantRead({ workspaceId: randomUUID() }, [WHO]));
    expect(next.pid).not.toBe(killed);
  });
});
