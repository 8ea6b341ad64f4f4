// How read latency grows with data (issue 52, decision 0054). Runs against a database filled by
// `pnpm atrium seed-scale` (its measured workspace "scale-measured" and its small one
// "scale-small", ~1,000 rows per table, in the SAME database), starts the product as `npm start`
// does (apps/api/dist/main.js, NODE_ENV=production, the embedded PostgreSQL with fsync on — the
// product's own server is durable), signs in as each workspace's owner and, for each of the web
// app's main reads — the GraphQL documents the web app sends, from the trusted-documents manifest,
// over HTTP with a session token — measures p50 and p99 over BENCH_N requests per workspace,
// small and scale interleaved request by request (one connection, one request at a time). It
// prints the ratio per read and the issue's goals with PASS/FAIL; the last line of stdout is one
// JSON object: {"bench":"scale",...}.
//
//   EMBEDDED_PG_DIR=$PWD/.scale-data/pg pnpm atrium seed-scale [--scale 0.1]   # once
//   SCALE_PG_DIR=$PWD/.scale-data/pg pnpm bench:scale
//   BENCH_N=100 BENCH_WARMUP=10 BENCH_READS=leads-p1,analytics-90d SCALE_PG_DIR=… pnpm bench:scale
// The product's build (pnpm --filter @atrium/api build) must exist. BENCH_JOBS=0 runs it with
// JOBS_ENABLED=false (default: its job workers run, as `npm start` runs them).
// BENCH_DATABASE_URL=postgresql://…: the product on that server (DATABASE_URL) instead of starting
// the embedded one — how the decision record's plans were taken: the seeded data directory served
// by a postgres started by hand with auto_explain (log_analyze, log_buffers) logging to a file.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

import { repoRoot } from "@atrium/db";

import { startCommand } from "../apps/api/src/start-command.ts";
import { freePort, intEnv, median, must, pct, post, round1 } from "./lib.ts";

// 600: a p99 over 200 requests is their second-slowest, and single runs swung 0.5–2.4× with the
// same p50; over 600 it is the sixth-slowest (decision 0054, addendum "The search count by arm").
const N = intEnv("BENCH_N", 600);
const WARMUP = intEnv("BENCH_WARMUP", 20);
const PG_DIR = path.resolve(process.env.SCALE_PG_DIR ?? path.join(repoRoot, ".scale-data/pg"));
const MEASURED_SLUG = "scale-measured";
const SMALL_SLUG = "scale-small";
const SEED_PASSWORD = "scale-seed-password";
const PAGED_RATIO_GOAL = 1.5;
const ANALYTICS_P99_GOAL_MS = 100;
const SEARCH_P99_GOAL_MS = 100;

const apiDir = path.join(repoRoot, "apps/api");
const mainJs = path.join(apiDir, "dist/main.js");
if (!process.env.BENCH_DATABASE_URL && !existsSync(path.join(PG_DIR, "PG_VERSION")))
  throw new Error(
    `no database in ${PG_DIR}: seed one first (EMBEDDED_PG_DIR=${PG_DIR} pnpm atrium seed-scale --scale 0.1)`,
  );
if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: pnpm --filter @atrium/api build`);

/** The web app's documents, as its manifest holds them (the text Apollo sends), by operation name. */
const manifest = JSON.parse(readFileSync(path.join(apiDir, "trusted-documents.json"), "utf8")) as Record<
  string,
  string
>;
function document(name: string): string {
  const text = Object.values(manifest).find((d) => new RegExp(`\\bquery ${name}\\b[ ({]`).test(d));
  if (!text) throw new Error(`no query ${name} in apps/api/trusted-documents.json`);
  return text;
}

interface Workspace {
  label: "small" | "scale";
  id: string;
  token: string;
  deepCursor: string;
  longConversationId: string;
  nameTerm: string;
  phoneTerm: string;
  rows: { leads: number; contacts: number; messages: number; audit: number };
}

interface Read {
  name: string;
  what: string;
  operation: string;
  variables: (w: Workspace) => Record<string, unknown>;
  /** Its goal beyond "p99 at scale ≤ 1.5× small" (paged reads). */
  absoluteP99Ms?: number;
  paged: boolean;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const READS: Read[] = [
  {
    name: "leads-p1",
    what: "leads, page 1 (25, newest first)",
    operation: "Leads",
    paged: true,
    variables: (w) => ({ workspaceId: w.id, first: 25 }),
  },
  {
    name: "leads-deep",
    what: "leads, a page 90% in (keyset cursor)",
    operation: "Leads",
    paged: true,
    variables: (w) => ({ workspaceId: w.id, first: 25, after: w.deepCursor }),
  },
  {
    name: "inbox",
    what: "inbox (open conversations, 25)",
    operation: "Inbox",
    paged: true,
    variables: (w) => ({ workspaceId: w.id, first: 25, filter: { status: "OPEN" } }),
  },
  {
    name: "conversation-500",
    what: "a conversation of 500 messages (first 50)",
    operation: "Messages",
    paged: true,
    variables: (w) => ({ workspaceId: w.id, conversationId: w.longConversationId, first: 50 }),
  },
  {
    name: "contacts-name",
    what: "contacts search by name (50)",
    operation: "Contacts",
    paged: true,
    absoluteP99Ms: SEARCH_P99_GOAL_MS,
    variables: (w) => ({ workspaceId: w.id, first: 50, search: w.nameTerm }),
  },
  {
    name: "contacts-phone",
    what: "contacts search by phone (50)",
    operation: "Contacts",
    paged: true,
    absoluteP99Ms: SEARCH_P99_GOAL_MS,
    variables: (w) => ({ workspaceId: w.id, first: 50, search: w.phoneTerm }),
  },
  {
    name: "analytics-90d",
    what: "analytics over 90 days",
    operation: "Analytics",
    paged: false,
    absoluteP99Ms: ANALYTICS_P99_GOAL_MS,
    variables: (w) => ({ workspaceId: w.id, from: day(new Date(Date.now() - 89 * 86_400_000)), to: day(new Date()) }),
  },
  {
    name: "audit-p1",
    what: "audit log, page 1 (25)",
    operation: "AuditEvents",
    paged: true,
    variables: (w) => ({ workspaceId: w.id, first: 25 }),
  },
];
const only = process.env.BENCH_READS?.split(",").map((s) => s.trim());
const reads = only ? READS.filter((r) => only.includes(r.name)) : READS;

// ------------------------------------------------------------------ the product, as npm start runs it
const pgPort = await freePort();
const httpPort = await freePort();
const base = `http://127.0.0.1:${httpPort}`;
const external = process.env.BENCH_DATABASE_URL;
const ownerUrl = external ?? `postgresql://postgres:postgres@127.0.0.1:${pgPort}/atrium`;
let output = "";
const env: Record<string, string | undefined> = {
  ...process.env,
  NODE_ENV: "production",
  AUTH_SECRET: randomBytes(32).toString("base64"),
  EMBEDDED_PG_DIR: PG_DIR,
  EMBEDDED_PG_PORT: String(pgPort),
  PORT: String(httpPort),
  HOST: "127.0.0.1",
  ...(process.env.BENCH_JOBS === "0" ? { JOBS_ENABLED: "false" } : {}),
};
delete env.DATABASE_URL;
delete env.APP_DATABASE_URL;
if (external) env.DATABASE_URL = external;
// As `npm start` runs it: the start script's environment and node flags (start-command.ts).
const start = startCommand();
const product: ChildProcess = spawn(process.execPath, [...start.nodeArgs, mainJs], {
  cwd: apiDir,
  env: { ...start.env, ...env },
  stdio: ["ignore", "pipe", "pipe"],
});
product.stdout?.on("data", (c: Buffer) => (output += c.toString()));
product.stderr?.on("data", (c: Buffer) => (output += c.toString()));
const stopProduct = async () => {
  if (product.exitCode !== null || product.signalCode !== null) return;
  const exited = new Promise((resolve) => product.once("exit", resolve));
  product.kill("SIGTERM");
  await Promise.race([exited, sleep(20_000)]);
  if (product.exitCode === null && product.signalCode === null) product.kill("SIGKILL");
};
process.on("SIGINT", () => void stopProduct().then(() => process.exit(130)));

const owner = new pg.Pool({ connectionString: ownerUrl, max: 2 });
try {
  const began = Date.now();
  for (;;) {
    if (product.exitCode !== null || product.signalCode !== null)
      throw new Error(`Atrium exited before it was ready:\n${output}`);
    if (output.includes("[atrium] ready on")) break;
    if (Date.now() - began > 300_000) throw new Error(`Atrium was not ready within 300 s:\n${output}`);
    await sleep(200);
  }
  console.log(
    `product ready in ${((Date.now() - began) / 1000).toFixed(1)} s (NODE_ENV=production, embedded PostgreSQL in ${PG_DIR})`,
  );

  const settings = await owner.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'server_version')`,
  );
  const setting = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
  if (setting.fsync !== "on") throw new Error(`fsync is ${setting.fsync}: this bench measures the durable server`);
  const seeded = await owner.query<{ description: string; workspaces: string; messages: string; db: string }>(
    `SELECT (SELECT description FROM workspaces WHERE slug = $1) AS description, (SELECT count(*) FROM workspaces) AS workspaces,
            (SELECT reltuples::bigint FROM pg_class WHERE relname = 'messages') AS messages, pg_database_size(current_database()) AS db`,
    [MEASURED_SLUG],
  );
  const seed = seeded.rows[0]!;
  if (!seed.description?.startsWith("seed-scale complete"))
    throw new Error(
      `the database in ${PG_DIR} is not a complete seed-scale database (${seed.description ?? "no measured workspace"})`,
    );

  const workspace = async (label: Workspace["label"], slug: string): Promise<Workspace> => {
    const w = (
      await owner.query<{ id: string; email: string }>(
        `SELECT w.id, u.email FROM workspaces w JOIN memberships m ON m.workspace_id = w.id AND m.role = 'OWNER' JOIN users u ON u.id = m.user_id WHERE w.slug = $1`,
        [slug],
      )
    ).rows[0];
    if (!w) throw new Error(`no workspace ${slug}`);
    const counts = (
      await owner.query<{ leads: string; contacts: string; messages: string; audit: string }>(
        `SELECT (SELECT count(*) FROM leads WHERE workspace_id = $1) AS leads, (SELECT count(*) FROM contacts WHERE workspace_id = $1) AS contacts,
              (SELECT count(*) FROM messages WHERE workspace_id = $1) AS messages, (SELECT count(*) FROM audit_events WHERE workspace_id = $1) AS audit`,
        [w.id],
      )
    ).rows[0]!;
    const deep = (
      await owner.query<{ created_at: Date; id: string }>(
        `SELECT created_at, id FROM leads WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [w.id, Math.floor(Number(counts.leads) * 0.9)],
      )
    ).rows[0]!;
    const long = (
      await owner.query<{ conversation_id: string; n: string }>(
        `SELECT conversation_id, count(*) AS n FROM messages WHERE workspace_id = $1 GROUP BY conversation_id ORDER BY count(*) DESC LIMIT 1`,
        [w.id],
      )
    ).rows[0]!;
    if (Number(long.n) !== 500) throw new Error(`${slug}: its longest conversation has ${long.n} messages, not 500`);
    // A phone number that exists in the workspace, typed as a person types it (the digits after +1).
    const phone = (
      await owner.query<{ phone: string }>(`SELECT phone FROM contacts WHERE workspace_id = $1 ORDER BY id LIMIT 1`, [
        w.id,
      ])
    ).rows[0]!.phone;
    const { signIn } = await must<{ signIn: { accessToken: string } }>(
      "signIn",
      post(base, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
        i: { email: w.email, password: SEED_PASSWORD },
      }),
    );
    return {
      label,
      id: w.id,
      token: signIn.accessToken,
      deepCursor: Buffer.from(`${deep.created_at.toISOString()}|${deep.id}`).toString("base64url"),
      longConversationId: long.conversation_id,
      nameTerm: "Garcia",
      phoneTerm: phone.slice(2),
      rows: {
        leads: Number(counts.leads),
        contacts: Number(counts.contacts),
        messages: Number(counts.messages),
        audit: Number(counts.audit),
      },
    };
  };
  const small = await workspace("small", SMALL_SLUG);
  const scale = await workspace("scale", MEASURED_SLUG);
  console.log(
    `database: ${seed.workspaces} workspaces, ~${seed.messages} messages, ${(Number(seed.db) / 2 ** 30).toFixed(2)} GiB (${seed.description})`,
  );
  console.log(
    `postgres ${setting.server_version}: fsync ${setting.fsync}, synchronous_commit ${setting.synchronous_commit}, shared_buffers ${(Number(setting.shared_buffers) * 8) / 1024} MiB; machine ${os.cpus().length} x ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  for (const w of [small, scale])
    console.log(
      `${w.label.padEnd(5)} workspace: ${w.rows.leads} leads, ${w.rows.contacts} contacts, ${w.rows.messages} messages, ${w.rows.audit} audit rows`,
    );
  console.log(
    `${N} requests per read and workspace (after ${WARMUP} warm-up), small and scale interleaved, one at a time\n`,
  );

  const once = async (read: Read, w: Workspace): Promise<number> => {
    const body = JSON.stringify({
      operationName: read.operation,
      query: document(read.operation),
      variables: read.variables(w),
    });
    const t0 = performance.now();
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${w.token}` },
      body,
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
    if (res.status !== 200 || parsed.errors || !parsed.data)
      throw new Error(`${read.name} (${w.label}) failed (${res.status}): ${text.slice(0, 500)}`);
    return ms;
  };

  const results = [];
  for (const read of reads) {
    // Every answer is checked once: a page of rows, where the workspace has them.
    for (let i = 0; i < WARMUP; i++) for (const w of [small, scale]) await once(read, w);
    const times: Record<Workspace["label"], number[]> = { small: [], scale: [] };
    for (let i = 0; i < N; i++)
      for (const w of i % 2 === 0 ? [small, scale] : [scale, small]) times[w.label].push(await once(read, w));
    const stat = (xs: number[]) => ({ p50: round1(median(xs)), p99: round1(pct(xs, 99)) });
    const s = stat(times.small);
    const l = stat(times.scale);
    const ratio = Math.round((l.p99 / s.p99) * 100) / 100;
    const goals: { goal: string; pass: boolean }[] = [];
    if (read.paged) goals.push({ goal: `p99 at scale <= ${PAGED_RATIO_GOAL}x small`, pass: ratio <= PAGED_RATIO_GOAL });
    if (read.absoluteP99Ms !== undefined)
      goals.push({ goal: `p99 at scale <= ${read.absoluteP99Ms} ms`, pass: l.p99 <= read.absoluteP99Ms });
    results.push({
      read: read.name,
      what: read.what,
      operation: read.operation,
      small: s,
      scale: l,
      ratioP99: ratio,
      ratioP50: Math.round((l.p50 / s.p50) * 100) / 100,
      goals,
    });
    console.log(
      `${read.name.padEnd(17)} small p50 ${String(s.p50).padStart(7)} p99 ${String(s.p99).padStart(7)} ms | scale p50 ${String(l.p50).padStart(8)} p99 ${String(l.p99).padStart(8)} ms | p99 ratio ${ratio.toFixed(2)}x | ${goals.map((g) => `${g.pass ? "PASS" : "FAIL"} ${g.goal}`).join("; ")}`,
    );
  }
  const failed = results.flatMap((r) => r.goals.filter((g) => !g.pass).map((g) => `${r.read}: ${g.goal}`));
  console.log(`\n${failed.length === 0 ? "all goals PASS" : `FAIL (${failed.length}): ${failed.join("; ")}`}`);
  console.log(
    JSON.stringify({
      bench: "scale",
      settings: {
        n: N,
        warmup: WARMUP,
        fsync: setting.fsync,
        synchronousCommit: setting.synchronous_commit,
        sharedBuffers: setting.shared_buffers,
        nodeEnv: "production",
        baseline: "scale-small workspace in the same database",
      },
      database: {
        workspaces: Number(seed.workspaces),
        messages: Number(seed.messages),
        bytes: Number(seed.db),
        seed: seed.description,
      },
      workspaces: { small: small.rows, scale: scale.rows },
      reads: results,
      failed,
    }),
  );
} finally {
  await owner.end().catch(() => undefined);
  await stopProduct();
}
