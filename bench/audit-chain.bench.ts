// Issue 50 "Measured" (decision 0053): what the tamper-evident audit log costs.
//   write   database CPU time per audit row appended through the chain's trigger (hash, head row,
//           sealing) vs the same INSERT into a copy of the table as it was before the chain
//           (same columns and indexes, no chain columns, no trigger), rows of the shape the product writes
//           (an API key's lead.created), and rows carrying an e-mail and a phone (sealed);
//           rounds interleaved, medians of µs per row of the server process's CPU time (/proc schedstat: Linux);
//   verify  rows/s of the offline verification (chain.ts) over an export of the workspace.
// The last line of stdout is one JSON object: {"bench":"audit-chain",...}.
//
//   pnpm bench:audit-chain                       # 5 rounds x 5,000 rows per variant
//   BENCH_ROWS=20000 BENCH_ROUNDS=3 pnpm bench:audit-chain
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";

import { exportChain } from "../apps/api/src/modules/audit/audit-chain.service.ts";
import { verifyChain } from "../apps/api/src/platform/audit/chain.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import { freePort, intEnv, machineInfo } from "./lib.ts";

const ROWS = intEnv("BENCH_ROWS", 5_000);
const ROUNDS = intEnv("BENCH_ROUNDS", 5);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-chain-"));
const server = await startEmbeddedPostgres({
  dataDir: path.join(dir, "data"),
  port: await freePort(),
  database: "bench",
  durable: false,
});
const c = new pg.Client({ connectionString: server.url });
await c.connect();
const owner = new pg.Pool({ connectionString: server.url, max: 1 });
try {
  await migrate(server.url);
  await setAppRolePassword(server.url, "bench");
  const ws = (
    await c.query<{ id: string }>(
      `INSERT INTO workspaces (name, slug, channel) VALUES ('Chain bench', 'chain-bench', 'WHATSAPP') RETURNING id`,
    )
  ).rows[0]!.id;
  const key = "00000000-0000-4000-8000-000000000001";
  const plain = `jsonb_build_object('source', 'API')`;
  const personal = `jsonb_build_object('email', 'person' || i || '@example.test', 'phone', '+1555' || lpad(i::text, 7, '0'))`;
  // "Before": audit_events as it was before the chain — the same columns and indexes, no chain
  // columns, no trigger (the membership check, a foreign key then, is left out of both).
  await c.query(`CREATE TABLE audit_before (LIKE audit_events INCLUDING DEFAULTS)`);
  await c.query(
    `ALTER TABLE audit_before DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash, ADD PRIMARY KEY (workspace_id, id)`,
  );
  await c.query(`CREATE INDEX ON audit_before (workspace_id, created_at DESC, id DESC)`);
  await c.query(`CREATE INDEX ON audit_before (workspace_id, actor_membership_id)`);
  await c.query(`CREATE INDEX ON audit_before (workspace_id, target_id)`);
  // The database's CPU time, not the wall clock: the server process's time on a CPU
  // (/proc/<pid>/schedstat, ns), which waiting for a CPU on a busy machine does not inflate.
  const backend = (await c.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
  const cpuNs = () => Number(readFileSync(`/proc/${backend}/schedstat`, "utf8").split(" ")[0]);
  /** The database's CPU time (µs) for `run`. */
  const cpu = async (run: () => Promise<unknown>): Promise<number> => {
    const t = cpuNs();
    await run();
    return (cpuNs() - t) / 1000;
  };
  /** CPU µs per row of one INSERT of ROWS rows, triggers included. */
  const insert = async (data: string, chained: boolean): Promise<number> =>
    (await cpu(() =>
      c.query(
        `INSERT INTO ${chained ? "audit_events" : "audit_before"} (workspace_id, actor_api_key_id, action, target_type, target_id, data, ip, user_agent, request_id)
        SELECT $1::uuid, $2::uuid, 'lead.created', 'Lead', gen_random_uuid()::text, ${data}, '203.0.113.7', 'bench', 'req-' || i FROM generate_series(1, ${ROWS}) i`,
        [ws, key],
      ),
    )) / ROWS;
  /** Wall time per row of `n` single-row INSERTs, each its own transaction (as requests write them). */
  const singles = async (n: number, chained: boolean): Promise<number> =>
    (await cpu(async () => {
      for (let i = 0; i < n; i++)
        await c.query(
          `INSERT INTO ${chained ? "audit_events" : "audit_before"} (workspace_id, actor_api_key_id, action, target_type, target_id, data, request_id) VALUES ($1, $2, 'lead.created', 'Lead', gen_random_uuid()::text, '{"source": "API"}', 'req')`,
          [ws, key],
        );
    })) / n;
  const single = { before: [] as number[], chained: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const chained of round % 2 ? [true, false] : [false, true])
      single[chained ? "chained" : "before"].push(await singles(Math.min(ROWS, 1000), chained));
  }
  /** Per-row server time by statement size: a cost that grows with the rows of one statement shows here. */
  const bySize: Record<number, number> = {};
  for (const n of [10, 100, 1000])
    bySize[n] =
      (await cpu(() =>
        c.query(
          `INSERT INTO audit_events (workspace_id, action, data) SELECT $1::uuid, 'size.test', '{}' FROM generate_series(1, ${n})`,
          [ws],
        ),
      )) / n;
  const variants = {
    "no chain (before)": [] as number[],
    "chain, plain row": [] as number[],
    "chain, e-mail + phone sealed": [] as number[],
  };
  await insert(plain, true); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const order = [
      ["no chain (before)", plain, false],
      ["chain, plain row", plain, true],
      ["chain, e-mail + phone sealed", personal, true],
    ] as const;
    for (let k = 0; k < order.length; k++) {
      const [name, data, triggers] = order[(k + round) % order.length]!;
      variants[name].push(((await insert(data, triggers)) * 1000) / ROWS);
    }
  }
  // Verify a workspace of chained rows only (the bench's rows above mix shapes; any would do).
  const ws2 = (
    await c.query<{ id: string }>(
      `INSERT INTO workspaces (name, slug, channel) VALUES ('Chain verify', 'chain-verify', 'WHATSAPP') RETURNING id`,
    )
  ).rows[0]!.id;
  await c.query(
    `INSERT INTO audit_events (workspace_id, actor_api_key_id, action, target_type, data, request_id)
    SELECT $1, $2, 'lead.created', 'Lead', ${plain}, 'req-' || i FROM generate_series(1, ${ROWS * ROUNDS}) i`,
    [ws2, key],
  );
  const db = createDb({ appUrl: appUrlFrom(server.url, "bench"), ownerUrl: server.url, poolSize: 2 });
  const t0 = performance.now();
  const exp = await exportChain(db, ws2);
  const t1 = performance.now();
  const v = verifyChain(exp, []);
  const t2 = performance.now();
  await db.disconnect();
  if (!v.ok) throw new Error(`the chain does not verify: ${v.problem?.message}`);
  const before = median(variants["no chain (before)"]);
  console.log(`audit chain, ${ROUNDS} rounds x ${ROWS} rows per variant (${JSON.stringify(await machineInfo(owner))})`);
  for (const [name, xs] of Object.entries(variants)) {
    const m = median(xs);
    console.log(
      `  ${name.padEnd(30)} ${m.toFixed(1).padStart(7)} µs/row   (+${(m - before).toFixed(1)} µs vs before, database CPU)   rounds: ${xs.map((x) => x.toFixed(0)).join(" ")}`,
    );
  }
  console.log(
    `  one row per transaction (database CPU per row, commit included): before ${median(single.before).toFixed(1)} µs, chained ${median(single.chained).toFixed(1)} µs (+${(median(single.chained) - median(single.before)).toFixed(1)} µs)`,
  );
  console.log(
    `  database CPU per row by rows per statement: ${Object.entries(bySize)
      .map(([n, us]) => `${n}: ${us.toFixed(1)} µs`)
      .join(", ")}`,
  );
  const rows = exp.rows.length;
  console.log(
    `  export ${rows} rows: ${(t1 - t0).toFixed(0)} ms (${Math.round(rows / ((t1 - t0) / 1000))} rows/s); verify: ${(t2 - t1).toFixed(0)} ms (${Math.round(rows / ((t2 - t1) / 1000))} rows/s)`,
  );
  console.log(
    JSON.stringify({
      bench: "audit-chain",
      rowsPerVariant: ROWS,
      rounds: ROUNDS,
      singleRowTransactionUs: {
        before: Math.round(median(single.before)),
        chained: Math.round(median(single.chained)),
      },
      usPerRowByStatementSize: bySize,
      usPerRow: Object.fromEntries(Object.entries(variants).map(([k, xs]) => [k, Math.round(median(xs) * 10) / 10])),
      exportRowsPerSecond: Math.round(rows / ((t1 - t0) / 1000)),
      verifyRowsPerSecond: Math.round(rows / ((t2 - t1) / 1000)),
    }),
  );
} finally {
  await owner.end();
  await c.end();
  await server.stop();
}
