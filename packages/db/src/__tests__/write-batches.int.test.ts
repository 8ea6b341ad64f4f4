// Writes many requests make alike, coalesced per turn: the items of one batch kind issued in one turn
// for one workspace, user and principal version go as one statement in one pipeline; a refused batch
// is written again item by item, so one item's failure is its own; an item out of time fails alone; a
// lost connection fails every item and writes nothing again; a group that reaches WRITE_BATCH_MAX
// leaves at once. Real pipelines through the tenant client, against a real server.
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "@atrium/test-kit";

import {
  createDb,
  DeadlineExceededError,
  Prisma,
  RequestDeadline,
  WRITE_BATCH_MAX,
  type Db,
  type WriteBatch,
} from "../index.ts";
import { APP_ROLE } from "../roles.ts";
import { scratchSuite } from "./scratch.ts";

/** Every statement the counting client sent. */
const statements: string[] = [];
let counted: Db;

const scratch = scratchSuite(async ({ owner, database }) => {
  await owner.query(`
    CREATE TABLE batch_probe (id text PRIMARY KEY, workspace_id text NOT NULL DEFAULT current_setting('app.workspace_id', true), backend int NOT NULL DEFAULT pg_backend_pid(), at timestamptz NOT NULL DEFAULT clock_timestamp());
    GRANT SELECT, INSERT ON batch_probe TO ${APP_ROLE};`);
  counted = createDb({
    appUrl: database.appUrl,
    ownerUrl: database.ownerUrl,
    poolSize: 2,
    onQuery: (sql) => statements.push(sql),
  });
  return () => counted.disconnect();
});

/** A probe row per item; `kill` ends the backend after writing (the connection lost mid-transaction). */
type Item = { id: string; kill?: boolean };
const probe: WriteBatch<Item> = {
  one: (item) => Prisma.sql`INSERT INTO batch_probe (id) VALUES (${item.id}) RETURNING id, workspace_id, 'one' AS how`,
  many: (items) => Prisma.sql`WITH w AS (
      INSERT INTO batch_probe (id) SELECT x.id FROM unnest(${items.map((i) => i.id)}::text[]) WITH ORDINALITY AS x(id, n) ORDER BY x.n RETURNING id, workspace_id)
    SELECT w.id, w.workspace_id, 'many' AS how, x.n::int AS n, CASE WHEN ${items.some((i) => i.kill)} THEN pg_terminate_backend(pg_backend_pid()) END AS gone
    FROM w JOIN unnest(${items.map((i) => i.id)}::text[]) WITH ORDINALITY AS x(id, n) ON x.id = w.id ORDER BY x.n`,
};
const MANY = /^WITH w AS \(\s*INSERT INTO batch_probe/;
const stored = async (ids: string[]) =>
  (
    await scratch.owner.query<{ id: string; workspace_id: string }>(
      "SELECT id, workspace_id FROM batch_probe WHERE id = ANY($1) ORDER BY id",
      [ids],
    )
  ).rows;
const ids = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag}-${String(i).padStart(2, "0")}-${randomUUID()}`);

describe("tenantWriteBatched", () => {
  it("writes the items of one turn as one statement, each answered with its own rows", async () => {
    const workspaceId = randomUUID();
    const wanted = ids(12, "turn");
    const from = statements.length;
    const answers = await Promise.all(wanted.map((id) => counted.tenantWriteBatched({ workspaceId }, probe, { id })));
    expect(answers).toEqual(
      wanted.map((id, i) => [{ id, workspace_id: workspaceId, how: "many", n: i + 1, gone: null }]),
    );
    expect(
      statements.slice(from).filter((q) => MANY.test(q)),
      "one statement for the twelve",
    ).toHaveLength(1);
    expect(await stored(wanted)).toEqual(wanted.map((id) => ({ id, workspace_id: workspaceId })));
    // Apart (one per turn), each goes as `one`.
    const [a, b] = ids(2, "apart");
    expect(await counted.tenantWriteBatched({ workspaceId }, probe, { id: a! })).toEqual([
      { id: a, workspace_id: workspaceId, how: "one" },
    ]);
    expect(await counted.tenantWriteBatched({ workspaceId }, probe, { id: b! })).toEqual([
      { id: b, workspace_id: workspaceId, how: "one" },
    ]);
  });

  it("never mixes workspaces: each workspace's items are a statement of their own, with its own settings", async () => {
    const [w1, w2] = [randomUUID(), randomUUID()];
    const wanted = ids(6, "mixed");
    const from = statements.length;
    const answers = await Promise.all(
      wanted.map((id, i) => counted.tenantWriteBatched({ workspaceId: i % 2 ? w2 : w1 }, probe, { id })),
    );
    expect(answers.map((a) => a?.[0]?.workspace_id)).toEqual([w1, w2, w1, w2, w1, w2]);
    expect(statements.slice(from).filter((q) => MANY.test(q))).toHaveLength(2);
    expect((await stored(wanted)).map((r) => r.workspace_id).sort()).toEqual([w1, w1, w1, w2, w2, w2].sort());
  });

  it(`takes at most ${WRITE_BATCH_MAX} items in one statement`, async () => {
    const workspaceId = randomUUID();
    const wanted = ids(WRITE_BATCH_MAX + 8, "max");
    const from = statements.length;
    const answers = await Promise.all(wanted.map((id) => counted.tenantWriteBatched({ workspaceId }, probe, { id })));
    expect(answers.map((a) => a?.[0]?.id)).toEqual(wanted);
    expect(answers.map((a) => a?.[0]?.n)).toEqual([
      ...Array.from({ length: WRITE_BATCH_MAX }, (_, i) => i + 1),
      ...Array.from({ length: 8 }, (_, i) => i + 1),
    ]);
    expect(statements.slice(from).filter((q) => MANY.test(q))).toHaveLength(2);
  });

  it("sends a full group at once with what its turn already put on the connection; the turn's later pipelines wait for its end", async () => {
    const workspaceId = randomUUID();
    const wanted = ids(WRITE_BATCH_MAX + 1, "full");
    // A connection idle in the pool, so that the turn's comes without waiting for the network.
    await counted.tenantRead({ workspaceId }, [Prisma.sql`SELECT 1 AS one`]);
    await new Promise((resolve) => setImmediate(resolve));
    const from = statements.length;
    // Ticks and microtasks only (a connection checked out, a pipeline issued): the turn goes on.
    const ticks = async () => {
      for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => process.nextTick(resolve));
    };
    const busy = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until);
    };
    const clock = Prisma.sql`SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms`;
    // One turn: a read corked on the turn's connection (its uncork among the turn's immediates,
    // before a slow one), a full group, a second read, 600 ms of work, then the last item.
    const before = counted.tenantRead({ workspaceId }, [clock]);
    await ticks();
    setImmediate(() => busy(400));
    const full = wanted
      .slice(0, WRITE_BATCH_MAX)
      .map((id) => counted.tenantWriteBatched({ workspaceId }, probe, { id }));
    await ticks();
    const after = counted.tenantRead({ workspaceId }, [clock]);
    await ticks();
    busy(600);
    const last = counted.tenantWriteBatched({ workspaceId }, probe, { id: wanted.at(-1)! });
    const [beforeRows, afterRows, ...answers] = await Promise.all([before, after, ...full, last]);
    expect(answers.map((a) => [a?.[0]?.how, a?.[0]?.n])).toEqual([
      ...Array.from({ length: WRITE_BATCH_MAX }, (_, i) => ["many", i + 1]),
      ["one", undefined],
    ]);
    expect(statements.slice(from).filter((q) => MANY.test(q))).toHaveLength(1);
    const { rows } = await scratch.owner.query<{ id: string; ms: number }>(
      "SELECT id, extract(epoch FROM at) * 1000 AS ms FROM batch_probe WHERE id = ANY($1)",
      [wanted],
    );
    const at = new Map(rows.map((r) => [r.id, Number(r.ms)]));
    const lastAt = at.get(wanted.at(-1)!)!;
    const fullAt = Math.max(...wanted.slice(0, WRITE_BATCH_MAX).map((id) => at.get(id)!));
    const [beforeAt, afterAt] = [beforeRows, afterRows].map((r) => Number(r![0]![0]!.ms));
    // The full group and the read before it ran while the turn was busy (~1 s before the last item).
    expect(lastAt - fullAt, "the full group was written before its turn ended").toBeGreaterThan(500);
    expect(lastAt - beforeAt!, "the turn's earlier read left with it").toBeGreaterThan(500);
    // The read after it left at the turn's end with the last item, not at the first of the turn's
    // uncorks (400 ms before the last).
    expect(lastAt - afterAt!, "the turn's later read waited for the end of the turn").toBeLessThan(200);
  });

  it("writes each item of a refused batch on its own: only the item the server refuses fails", async () => {
    const workspaceId = randomUUID();
    const taken = `taken-${randomUUID()}`;
    await scratch.owner.query("INSERT INTO batch_probe (id, workspace_id) VALUES ($1, 'seed')", [taken]);
    const wanted = ids(5, "refused");
    const items = [...wanted.slice(0, 2), taken, ...wanted.slice(2)];
    const from = statements.length;
    const answers = await Promise.all(items.map((id) => counted.tenantWriteBatched({ workspaceId }, probe, { id })));
    // The batch rolled back (a duplicate key); each item then went as `one`: the taken one refused
    // (undefined: its caller writes through `tenant`, which gives the error its answer).
    expect(answers).toEqual(
      items.map((id) => (id === taken ? undefined : [{ id, workspace_id: workspaceId, how: "one" }])),
    );
    expect(
      statements.slice(from).filter((q) => MANY.test(q)),
      "the batch was tried once",
    ).toHaveLength(1);
    expect(await stored(items)).toEqual(
      [...wanted.map((id) => ({ id, workspace_id: workspaceId })), { id: taken, workspace_id: "seed" }].sort((x, y) =>
        x.id.localeCompare(y.id),
      ),
    );
  });

  it("fails an item whose request ran out of time while it waited, alone", async () => {
    const workspaceId = randomUUID();
    const [late, onTime] = ids(2, "deadline");
    const soon = new RequestDeadline(Date.now() + 20);
    const later = new RequestDeadline(Date.now() + 10_000);
    const lateWrite = counted.tenantWriteBatched({ workspaceId, scope: { deadline: soon } }, probe, { id: late! });
    const onTimeWrite = counted.tenantWriteBatched({ workspaceId, scope: { deadline: later } }, probe, { id: onTime! });
    // The turn ends after the first item's deadline (nothing else runs meanwhile).
    const until = Date.now() + 40;
    while (Date.now() < until);
    const [lateAnswer, onTimeAnswer] = await Promise.allSettled([lateWrite, onTimeWrite]);
    expect(lateAnswer.status === "rejected" && lateAnswer.reason).toBeInstanceOf(DeadlineExceededError);
    expect(onTimeAnswer).toEqual({
      status: "fulfilled",
      value: [{ id: onTime, workspace_id: workspaceId, how: "one" }],
    });
    expect(await stored([late!, onTime!])).toEqual([{ id: onTime, workspace_id: workspaceId }]);
  });

  it("fails every item of a batch whose connection is lost, and writes none of them again", async () => {
    const workspaceId = randomUUID();
    const wanted = ids(4, "lost");
    const answers = await Promise.allSettled(
      wanted.map((id, i) => counted.tenantWriteBatched({ workspaceId }, probe, { id, kill: i === 3 })),
    );
    expect(answers.map((a) => a.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    for (const a of answers) expect(String((a as PromiseRejectedResult).reason)).toMatch(/connection|terminat/i);
    // Written again on its own, an item would have landed (`one` never ends its backend).
    expect(await stored(wanted), "the backend died before its commit, and nothing was written again").toEqual([]);
    // The pool goes on with a live connection.
    const [next] = ids(1, "after-lost");
    expect(await counted.tenantWriteBatched({ workspaceId }, probe, { id: next! })).toEqual([
      { id: next, workspace_id: workspaceId, how: "one" },
    ]);
  });

  it("shares its turn's connection with the turn's other pipelines", async () => {
    const workspaceId = randomUUID();
    const wanted = ids(3, "shared");
    const [read, ...writes] = await Promise.all([
      scratch.db.tenantRead({ workspaceId }, [Prisma.sql`SELECT pg_backend_pid() AS pid`]),
      ...wanted.map((id) => scratch.db.tenantWriteBatched({ workspaceId }, probe, { id })),
    ]);
    const { rows } = await scratch.owner.query<{ backend: number }>(
      "SELECT DISTINCT backend FROM batch_probe WHERE id = ANY($1)",
      [wanted],
    );
    expect(writes.map((w) => w?.[0]?.how)).toEqual(["many", "many", "many"]);
    expect(rows).toEqual([{ backend: read![0]![0]!.pid }]);
  });
});
