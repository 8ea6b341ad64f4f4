// Contacts search by phone at 1 M contacts in one workspace (issue 52, decision 0054 addendum
// "Phone prefix and suffix search"): the phone arm of `search_contacts` before and after migration
// 20261129020000, side by side in one run on one database.
//
//   pnpm --filter @atrium/bench bench:phone-search
//   BENCH_CONTACTS=1000000 BENCH_OTHERS=1500000 BENCH_N=200 (the defaults)
//
// A durable embedded PostgreSQL (fsync on) migrated to just before the change; contacts made as
// `seed-scale` makes them (the same phone formula: "+1" + an area code per workspace + 7 digits),
// BENCH_CONTACTS in the measured workspace and BENCH_OTHERS over 999 others. Each search is the
// statement the contacts list sends (search_contacts with its count), in the measured workspace's
// tenant context, N times per term, terms interleaved; p50/p99 per term. Then the migration, and
// the same. Also the time of one contact insert (a workspace of 1 M, one per transaction) with
// each set of indexes.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { migrate, readMigrations, startEmbeddedPostgres } from "@atrium/db";

import { freePort, intEnv, pct, round2 } from "./lib.ts";

const CONTACTS = intEnv("BENCH_CONTACTS", 1_000_000);
const OTHERS = intEnv("BENCH_OTHERS", 1_500_000);
const N = intEnv("BENCH_N", 200);
const INSERTS = intEnv("BENCH_INSERTS", 2_000);
const CHANGE = "20261129020000_phone_prefix_suffix_search";
const GOAL_MS = 100;

// The measured workspace is ordinal 0: area code 200, numbers +1200 0000000 … +1200 0999999.
const TERMS: { what: string; typed: string }[] = [
  { what: "last 4 digits", typed: "4321" },
  { what: "national number", typed: "(200) 012-4321" },
  { what: "+1 and area code", typed: "+1 200 05" },
  { what: "whole number", typed: "+1 200 099 9999" },
];

/**
 * The phone term as the contacts service makes it: before the change, `%…%` around what was typed
 * without spaces, dots, dashes and brackets (a "+" kept); after it, the digits alone.
 */
const phoneTerm = (typed: string, after: boolean) =>
  after ? typed.replace(/\D/g, "") : `%${typed.replace(/[\s().-]/g, "")}%`;

async function timeSearches(client: pg.Client, workspace: string, after: boolean) {
  const samples = new Map<string, number[]>(TERMS.map((t) => [t.what, []]));
  const matches = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    for (const t of TERMS) {
      const phone = phoneTerm(t.typed, after);
      const name = `%${t.typed}%`;
      const start = process.hrtime.bigint();
      const page = await client.query(
        `SELECT id FROM search_contacts($1::uuid, $2, $3, $4, NULL, NULL, NULL, false, 51)`,
        [workspace, name, `${t.typed.toLowerCase()}%`, phone],
      );
      const count = await client.query<{ n: string }>(
        `SELECT search_contacts_count($1::uuid, $2, $3, $4, NULL, 1000) AS n`,
        [workspace, name, `${t.typed.toLowerCase()}%`, phone],
      );
      samples.get(t.what)!.push(Number(process.hrtime.bigint() - start) / 1e6);
      matches.set(t.what, Math.max(page.rowCount ?? 0, Number(count.rows[0]!.n)));
    }
  }
  return TERMS.map((t) => {
    const xs = samples.get(t.what)!;
    return {
      what: t.what,
      typed: t.typed,
      matches: matches.get(t.what)!,
      p50: round2(pct(xs, 50)),
      p99: round2(pct(xs, 99)),
    };
  });
}

async function timeInserts(client: pg.Client, workspace: string, tag: string) {
  const xs: number[] = [];
  for (let i = 0; i < INSERTS; i++) {
    const start = process.hrtime.bigint();
    await client.query(`INSERT INTO contacts (workspace_id, name, email, phone) VALUES ($1, $2, $3, $4)`, [
      workspace,
      `Insert ${tag} ${i}`,
      `insert-${tag}-${i}@bench.test`,
      `+1999${tag === "before" ? 1 : 2}${String(i).padStart(6, "0")}`,
    ]);
    xs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { p50: round2(pct(xs, 50)), p99: round2(pct(xs, 99)) };
}

const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-phone-"));
const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: await freePort(), durable: true });
const client = new pg.Client({ connectionString: server.url });
try {
  const migrations = await readMigrations();
  const before = path.join(tmp, "migrations-before");
  const { mkdir, cp } = await import("node:fs/promises");
  await mkdir(before);
  for (const m of migrations.filter((m) => m.name < CHANGE)) {
    const { MIGRATIONS_DIR } = await import("@atrium/db");
    await cp(path.join(MIGRATIONS_DIR, m.name), path.join(before, m.name), { recursive: true });
  }
  await migrate(server.url, { dir: before });
  await client.connect();
  const measured = randomUUID();
  const started = Date.now();
  await client.query(`SET session_replication_role = replica`);
  await client.query(
    `INSERT INTO workspaces (id, name, slug, channel) SELECT CASE WHEN g = 0 THEN $1::uuid ELSE md5('w' || g)::uuid END, 'W ' || g, 'w-' || g, 'WHATSAPP' FROM generate_series(0, 999) g`,
    [measured],
  );
  await client.query(
    `INSERT INTO contacts (workspace_id, id, name, email, phone)
     SELECT w.id, md5(w.ord || ':c:' || i)::uuid, 'Person ' || i, 'c' || i || '@w' || w.ord || '.example.com',
            '+1' || (200 + w.ord % 800)::text || lpad(i::text, 7, '0')
       FROM (SELECT id, (CASE WHEN id = $1::uuid THEN 0 ELSE 1 + abs(hashtext(id::text)) % 999 END) AS ord,
                    CASE WHEN id = $1::uuid THEN $2::int ELSE $3::int END AS n FROM workspaces) w
       CROSS JOIN LATERAL generate_series(0, w.n - 1) AS i`,
    [measured, CONTACTS, Math.ceil(OTHERS / 999)],
  );
  await client.query(`SET session_replication_role = origin`);
  await client.query(`VACUUM ANALYZE contacts`);
  const size = await client.query<{ n: string }>(`SELECT count(*) AS n FROM contacts`);
  console.log(
    `seeded ${Number(size.rows[0]!.n).toLocaleString("en")} contacts (${CONTACTS.toLocaleString("en")} in the measured workspace) in ${((Date.now() - started) / 1000).toFixed(0)} s; load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  await client.query(`SELECT set_config('app.workspace_id', $1, false)`, [measured]);

  // Warm both forms' pages into the cache once, then measure.
  await timeSearches(client, measured, false);
  const old = await timeSearches(client, measured, false);
  const oldInsert = await timeInserts(client, measured, "before");

  await migrate(server.url);
  await client.query(`VACUUM ANALYZE contacts`);
  await timeSearches(client, measured, true);
  const now = await timeSearches(client, measured, true);
  const newInsert = await timeInserts(client, measured, "after");

  console.log(`\nsearch_contacts + its count, N = ${N} per term (ms):`);
  console.log("| term | typed | before: matches, p50, p99 | after: matches, p50, p99 |");
  console.log("|---|---|---|---|");
  for (let i = 0; i < TERMS.length; i++) {
    const a = old[i]!;
    const b = now[i]!;
    console.log(`| ${a.what} | ${a.typed} | ${a.matches}, ${a.p50}, ${a.p99} | ${b.matches}, ${b.p50}, ${b.p99} |`);
  }
  console.log(
    `\none contact insert (ms): before p50 ${oldInsert.p50} p99 ${oldInsert.p99}; after p50 ${newInsert.p50} p99 ${newInsert.p99}`,
  );
  const worst = Math.max(...now.map((r) => r.p99));
  console.log(
    `\nphone search p99 after: max ${worst} ms  ${worst <= GOAL_MS ? "PASS" : "FAIL"} (goal <= ${GOAL_MS} ms at 1 M contacts)`,
  );
  console.log(
    JSON.stringify({
      bench: "phone-search",
      contacts: CONTACTS,
      others: OTHERS,
      n: N,
      before: old,
      after: now,
      insert: { before: oldInsert, after: newInsert },
    }),
  );
} finally {
  await client.end().catch(() => undefined);
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
}
