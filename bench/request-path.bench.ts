// Request path against the framework's own ceiling (figures and what each variant compares:
// docs/perf/request-path-log.md). For each of
//   user-read   auditEvents(first: 20) { totalCount edges { node { id action createdAt } } }, by session token
//   key-read    leads(first: 50) { totalCount edges { node { ... contact { ... } } } }, by API key
//   submitLead  a new e-mail per request, by API key
// three servers run in the same process, against the same embedded Postgres, in the same run:
//   product  the API (buildServer + createServices): auth, tenant transaction, RLS, Prisma
//   ceiling  the same Fastify 5 + Apollo 5 + type-graphql stack answering from memory (ceiling.ts)
//   raw      node:http + `pg` running the product's own statements (app role, same transaction,
//            same tenant settings), taken from the Postgres statement log of a product request:
//            the bench FAILS when the product's statements and raw's drift apart.
// First every server must give the same answer; then rounds are interleaved (per round every
// operation x server, rotated), medians of req/s and p99 are reported, with the CPU each request
// cost the API's main thread and the database server (µs, from /proc: Linux only; on two vCPUs
// these move with the machine's load too, but less than req/s), and the time per request the
// API's main thread was runnable but waited for a CPU ("wait µs", from schedstat: the cores it
// shares with the database and the load generator). The last line of stdout is one JSON object:
// {"bench":"request-path","variants":[...]}.
// The script runs with NODE_ENV=production, as a deployment does: graphql-js picks its slower,
// development-only instanceOf at load otherwise. The servers' own configuration is built from an
// env of its own (NODE_ENV test), so nothing else changes.
//
//   pnpm bench:request-path                        # 3 rounds x (3 s warm-up + 10 s), 32 connections
//   BENCH_SECONDS=5 BENCH_ROUNDS=1 pnpm bench:request-path
//   BENCH_SHOW_SQL=1 pnpm bench:request-path       # print the product's statements per operation
//   BENCH_OPS=user-read BENCH_ONLY=product pnpm bench:request-path   # load one operation only
//   BENCH_UNPREPARED=1 pnpm bench:request-path     # also "product-unprepared": the product with its
//                                                  # pipelines' statements unnamed
//   BENCH_SYNC_EACH=1 pnpm bench:request-path      # also "product-sync-each": pipelines as BEGIN, one pg
//                                                  # query per statement, COMMIT
//   BENCH_RAW_PIPELINED=1 pnpm bench:request-path  # also "raw-pipelined": raw sending each transaction
//                                                  # as the product does (one write, prepared statements)
//   BENCH_RAW_MULTIPLEXED=1 pnpm bench:request-path # also "raw-multiplexed": raw-pipelined with the requests of one
//                                                  # event-loop turn sharing one connection and one write
//   BENCH_UNSHARED=1 pnpm bench:request-path       # also "product-unshared": the product with each pipeline on a
//                                                  # connection and a write of its own (turns not shared)
//   BENCH_UNCOALESCED=1 pnpm bench:request-path    # also "product-uncoalesced": the product with each submitted lead
//                                                  # a pipeline of its own (writes not coalesced)
//   BENCH_CEILING_HOOKED=1 pnpm bench:request-path # also "ceiling-hooked": the ceiling with promise hooks
//                                                  # on, as an AsyncLocalStorage in the product would leave them
//   BENCH_PRODUCT_HOOKED=1 pnpm bench:request-path # also "product-hooked": the product with promise hooks on,
//                                                  # as an AsyncLocalStorage of its own would have them
//   BENCH_TRACED=1 pnpm bench:request-path         # also "product-traced": the product with OpenTelemetry tracing on
//                                                  # (OTLP/HTTP to an in-process sink that discards, sampling
//                                                  # BENCH_TRACED_RATIO, default 0.01; decision 0035), and a
//                                                  # line per operation: traced vs the product, side by side;
//                                                  # and "product-suspended": the SAME traced instance with its
//                                                  # tracing suspended (Tracing.suspend), so "on / off (same
//                                                  # instance)" compares tracing alone, not two instances
//   BENCH_AA=1 pnpm bench:request-path             # also "ceiling-twin": a second ceiling, measured against the
//                                                  # first like any server (an A/A check of the estimators:
//                                                  # its ratios should be 1.00x)
//   BENCH_COUNT_ASYNC=1 pnpm bench:request-path    # async resources created per request by each server
//                                                  # (the client's fetch included, alike for all), then exit
//   BENCH_LOADGEN=autocannon,lean pnpm bench:request-path # each cell with autocannon and with the lean load
//                                                  # generator of lean-load.ts (the default);
//                                                  # BENCH_LOADGEN=autocannon: autocannon alone, as before it
// Every server runs its cells with promise hooks off: an AsyncLocalStorage turns them on for the
// whole thread, so one server using it would make every other server in the process pay the hooks
// for every one of its promises (the product hands its request scope down explicitly). The bench
// checks, as each measured window starts, that no promise hook is on (a product request that turned
// them on again fails the bench); each line says "hooks on|off".
//   (a CPU profile: cd bench && TSX_TSCONFIG_PATH=tsconfig.run.json node --import tsx --cpu-prof request-path.bench.ts)
import { AsyncLocalStorage, createHook } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres, type EngineSwitches } from "@atrium/db";

import { loadConfig, type AppConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import { ceilingServer, memory } from "./ceiling.ts";
import {
  badCount,
  cpuSeconds,
  drain,
  freePort,
  ignoreShutdown,
  intEnv,
  machineInfo,
  majorGcsIn,
  median,
  must,
  pairedRatios,
  post,
  postBody,
  promiseHooksOn,
  recordGc,
  round1,
  round2,
  runLoad,
  scavengesIn,
  verifiedUser,
  type ScavengeStats,
} from "./lib.ts";
import type { LoadJob, LoadResult } from "./load.worker.ts";
import { rawServer, type CapturedStatement, type RawPlan, type StepRows } from "./raw-server.ts";

const SECONDS = intEnv("BENCH_SECONDS", 10);
const WARMUP_SECONDS = intEnv("BENCH_WARMUP_SECONDS", 3);
const ROUNDS = intEnv("BENCH_ROUNDS", 3);
const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 32);
const POOL_SIZE = intEnv("BENCH_POOL_SIZE", 10);
const SEEDED_LEADS = 500;
const SEEDED_EVENTS = 50;
const SHOW_SQL = process.env.BENCH_SHOW_SQL === "1";
const UNPREPARED = process.env.BENCH_UNPREPARED === "1";
const RAW_PIPELINED = process.env.BENCH_RAW_PIPELINED === "1";
const RAW_MULTIPLEXED = process.env.BENCH_RAW_MULTIPLEXED === "1";
const UNSHARED = process.env.BENCH_UNSHARED === "1";
const UNCOALESCED = process.env.BENCH_UNCOALESCED === "1";
const SYNC_EACH = process.env.BENCH_SYNC_EACH === "1";
const CEILING_HOOKED = process.env.BENCH_CEILING_HOOKED === "1";
const PRODUCT_HOOKED = process.env.BENCH_PRODUCT_HOOKED === "1";
const COUNT_ASYNC = process.env.BENCH_COUNT_ASYNC === "1";
const AA = process.env.BENCH_AA === "1";
/** "product-traced": tracing on, keeping this share of requests' traces (decision 0035: 0.01 is the production suggestion). */
const TRACED = process.env.BENCH_TRACED === "1";
const TRACED_RATIO = Number(process.env.BENCH_TRACED_RATIO ?? "0.01");
if (!(TRACED_RATIO >= 0 && TRACED_RATIO <= 1))
  throw new Error(`BENCH_TRACED_RATIO must be between 0 and 1, got "${process.env.BENCH_TRACED_RATIO}"`);
/**
 * The load generators, each a cell of its own: lean (the default: a third to half of autocannon's
 * CPU per request, which on two shared cores is taken from the servers and the database),
 * autocannon (as the log's older figures), or both ("autocannon,lean").
 */
const ENGINES = (process.env.BENCH_LOADGEN ?? "lean").split(",").map((e) => {
  if (e !== "autocannon" && e !== "lean") throw new Error(`BENCH_LOADGEN: "${e}" is neither autocannon nor lean`);
  return e;
});
/** Every server, in the order its cells run, and whether it runs by default (the optional ones: their flag). */
const KINDS = [
  ["product", true],
  ["ceiling", true],
  ["ceiling-twin", AA],
  ["raw", true],
  ["product-unprepared", UNPREPARED],
  ["raw-pipelined", RAW_PIPELINED],
  ["raw-multiplexed", RAW_MULTIPLEXED],
  ["product-unshared", UNSHARED],
  ["product-uncoalesced", UNCOALESCED],
  ["product-sync-each", SYNC_EACH],
  ["ceiling-hooked", CEILING_HOOKED],
  ["product-hooked", PRODUCT_HOOKED],
  ["product-traced", TRACED],
  ["product-suspended", TRACED],
] as const;
type ServerKind = (typeof KINDS)[number][0];
const ONLY = new Set(
  (
    process.env.BENCH_ONLY ??
    KINDS.filter(([, on]) => on)
      .map(([kind]) => kind)
      .join(",")
  ).split(","),
);
/** Operations to load (all are still verified and drift-checked): e.g. BENCH_OPS=user-read with --cpu-prof. */
const OPS = new Set((process.env.BENCH_OPS ?? "user-read,key-read,submitLead").split(","));
const VARY = "__N__";

export type Operation = "user-read" | "key-read" | "submitLead";
/** The product and its variants (each a `createDb` option away from it: `ProductVariant`). */
const PRODUCT_KINDS: ReadonlySet<ServerKind> = new Set(
  KINDS.map(([kind]) => kind).filter((kind) => kind.startsWith("product")),
);
type ProductVariant = Pick<EngineSwitches, "prepared" | "syncEach" | "shareTurns" | "coalesceWrites">;
/** The variants measured with promise hooks on (the rest are measured, and checked, with them off). */
// product-traced is measured with them off too: a request's span travels in its scope, not an
// AsyncLocalStorage; the bench's requests queue no job.
const HOOKED_KINDS: ReadonlySet<ServerKind> = new Set(["ceiling-hooked", "product-hooked"]);

/**
 * Promise hooks for a cell of `kind`: off for every server, the product included (it keeps no
 * AsyncLocalStorage), except the "-hooked" variants, which get them as an AsyncLocalStorage leaves
 * them: one entered storage, never disabled. The cell checks the state once its warm-up is over.
 */
const hooking = new AsyncLocalStorage<true>();
/**
 * Before a cell of another server: the traced product's spans still buffered are exported now (not
 * in the middle of the other server's cell), and its sampled jobs' storage is turned off (none runs
 * here: its workers are stopped).
 */
let settleTracing: (() => Promise<void>) | undefined;
/** The traced instance's switch: suspended for its "product-suspended" cells, on for "product-traced". */
let suspendTracing: ((suspended: boolean) => void) | undefined;
function setHooksFor(kind: ServerKind): void {
  if (HOOKED_KINDS.has(kind)) hooking.run(true, () => undefined);
  else hooking.disable();
}

/** An OTLP/HTTP receiver that discards what it gets (product-traced's endpoint): counts exports and bytes. */
async function traceSink() {
  const seen = { exports: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    req.on("data", (c: Buffer) => (seen.bytes += c.length));
    req.on("end", () => {
      seen.exports++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 20) { totalCount edges { node { id action createdAt } } } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w, first: 50) { totalCount edges { node { id name email createdAt contact { id email phone } } } } }`;
const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`;

async function productServer(
  config: AppConfig,
  urls: { appUrl: string; ownerUrl: string },
  variant: ProductVariant = {},
) {
  const db = createDb(
    { appUrl: urls.appUrl, ownerUrl: urls.ownerUrl, poolSize: POOL_SIZE },
    { strategy: "transaction", ...variant },
  );
  const services = createServices(config, db);
  await services.mail.startWorkers(); // sign-up's verification mail
  const app = await buildServer(config, services);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  if (!addr || typeof addr !== "object") throw new Error("no address");
  return {
    url: `http://127.0.0.1:${addr.port}`,
    /**
     * Stops the mail workers once the bench's user is verified: their polling would land in the
     * statement capture. (The queue starts again, without workers, at the first job a request
     * inserts — as it did before mail went through it.)
     */
    stopWorkers: () => services.jobs.stop(),
    tracing: services.tracing,
    async close() {
      await app.close();
      await services.jobs.stop();
      await services.tracing.shutdown();
      await db.disconnect();
    },
  };
}

/** Parses `log_statement = 'all'` output: statements and their parameters, in log order. */
function parseLog(lines: string[]): CapturedStatement[] {
  const out: CapturedStatement[] = [];
  let open: "sql" | "detail" | null = null;
  for (const line of lines) {
    const m = /LOG: {2}(?:statement|execute [^:]*): (.*)$/.exec(line);
    if (m) {
      out.push({ sql: m[1]!, params: [] });
      open = "sql";
      continue;
    }
    const d = /DETAIL: {2}Parameters: (.*)$/.exec(line);
    if (d && out.length) {
      out[out.length - 1]!.params = parseParams(d[1]!);
      open = "detail";
      continue;
    }
    // A statement with line breaks continues on tab-indented lines.
    if (line.startsWith("\t") && open === "sql") out[out.length - 1]!.sql += ` ${line.trim()}`;
    else open = null;
  }
  return out.map((s) => ({ sql: s.sql.replace(/\s+/g, " ").trim(), params: s.params }));
}

function parseParams(text: string): (string | null)[] {
  const params: (string | null)[] = [];
  const re = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    params[Number(m[1]) - 1] = m[2] === "NULL" ? null : m[3]!.replaceAll("''", "'");
  return params;
}

// Raw's answers, built from the rows of the replayed statements (the same JSON as the product's).
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));
/** A column by its SQL name or Prisma's alias (relationJoins queries alias columns to field names). */
const col = (r: Record<string, unknown>, snake: string) =>
  r[snake] ?? r[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
const stepOf = (steps: StepRows, re: RegExp) => {
  const s = steps.find((x) => re.test(x.sql));
  if (!s) throw new Error(`raw: no statement matches ${re}`);
  return s.rows;
};
function totalOf(steps: StepRows, table: string): number {
  const count = steps.find((x) => x.sql.includes("COUNT(*)") && x.sql.includes(`"public"."${table}"`));
  if (count) return Number(Object.values(count.rows[0]!)[0]);
  const page = stepOf(steps, new RegExp(`^SELECT .*FROM "public"\\."${table}".* ORDER BY`));
  return Number((page[0] as { total_count?: unknown } | undefined)?.total_count ?? 0);
}
function auditAnswer(steps: StepRows) {
  const page = stepOf(steps, /^SELECT .*FROM "public"\."audit_events".* ORDER BY/).slice(0, 20);
  return {
    auditEvents: {
      totalCount: totalOf(steps, "audit_events"),
      edges: page.map((r) => ({ node: { id: r.id, action: r.action, createdAt: iso(col(r, "created_at")) } })),
    },
  };
}
function leadsAnswer(steps: StepRows) {
  const page = stepOf(steps, /^SELECT .*FROM "public"\."leads".* ORDER BY/).slice(0, 50);
  const contactRows = steps.find((x) => /^SELECT .*FROM "public"\."contacts"/.test(x.sql))?.rows ?? [];
  const contacts = new Map(contactRows.map((c) => [c.id, c]));
  return {
    leads: {
      totalCount: totalOf(steps, "leads"),
      edges: page.map((r) => {
        // The contact: joined as flat "contact.<field>" columns (the product's one-round-trip
        // read), as a JSON column (Prisma's relationJoins), or from a statement of its own.
        const flat =
          "contact.id" in r
            ? Object.fromEntries(
                Object.entries(r)
                  .filter(([k]) => k.startsWith("contact."))
                  .map(([k, v]) => [k.slice(8), v]),
              )
            : undefined;
        const c = (flat ??
          (typeof r.contact === "string"
            ? JSON.parse(r.contact)
            : (r.contact ?? contacts.get(col(r, "contact_id"))))) as Record<string, unknown>;
        return {
          node: {
            id: r.id,
            name: r.name,
            email: r.email,
            createdAt: iso(col(r, "created_at")),
            contact: { id: c.id, email: c.email, phone: c.phone },
          },
        };
      }),
    },
  };
}
function submitAnswer(steps: StepRows) {
  // The INSERT of the lead: a statement of its own, or a data-modifying CTE of the one statement
  // that writes the contact, the lead and its audit row (its rows are the lead's).
  return {
    submitLead: { id: stepOf(steps, /^INSERT INTO "public"\."leads"|^WITH .*INSERT INTO "public"\."leads"/)[0]!.id },
  };
}

/**
 * BENCH_COUNT_ASYNC=1: the async resources (promises above all) one request of each operation
 * creates in this thread on each server, counted over 200 sequential requests after 20 warm ones.
 * The client's own fetch is counted too, alike for every server.
 */
async function countAsyncResources(
  ops: { op: Operation; token: string; body: (tag: string) => string }[],
  kinds: ServerKind[],
  servers: Record<ServerKind, string>,
): Promise<void> {
  const N = 200;
  for (const o of ops) {
    for (const k of kinds) {
      const counts = new Map<string, number>();
      const hook = createHook({ init: (_id, type) => counts.set(type, (counts.get(type) ?? 0) + 1) });
      for (let i = 0; i < 20; i++)
        await postBody(servers[k], o.body(`cw${k}${i}${randomBytes(3).toString("hex")}`), o.token);
      hook.enable();
      for (let i = 0; i < N; i++)
        await postBody(servers[k], o.body(`cn${k}${i}${randomBytes(3).toString("hex")}`), o.token);
      hook.disable();
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      console.log(
        `${o.op.padEnd(10)} ${k.padEnd(18)} ${(total / N).toFixed(1)} async resources per request (${[...counts].map(([t, n]) => `${t} ${(n / N).toFixed(1)}`).join(", ")})`,
      );
    }
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const sqlLog: string[] = [];
  let captureSql = false;
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
    log: (line) => {
      if (captureSql) sqlLog.push(...line.split("\n"));
    },
  });
  const closers: (() => Promise<void>)[] = [];
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  ignoreShutdown(owner, "owner pool");
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const urls = { appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url };
    const env = { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1" };
    const base = loadConfig(env);
    // Limits out of the way (they are still checked on every request, as in production).
    const config = loadConfig(env, {
      logLevel: "silent",
      rateLimits: {
        ...base.rateLimits,
        signInPerAccount: 100_000,
        signInPerIp: 100_000,
        signUpPerIp: 100_000,
        apiKeyPerMinute: 10_000_000,
      },
    });

    const product = await productServer(config, urls);
    closers.push(() => product.close());
    const api = product.url;

    // A verified user (through the API), two workspaces with one API key each.
    const { token } = await verifiedUser(api);
    await product.stopWorkers();
    const workspaceWithKey = async (name: string) => {
      const { createWorkspace } = await must<{ createWorkspace: { id: string } }>(
        "createWorkspace",
        post(
          api,
          `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
          { i: { name, channel: "WHATSAPP" } },
          token,
        ),
      );
      const { createApiKey } = await must<{ createApiKey: { secret: string } }>(
        "createApiKey",
        post(
          api,
          `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`,
          { w: createWorkspace.id, i: { name: `bench ${name}`, scopes: ["lead.manage", "lead.read", "contact.read"] } },
          token,
        ),
      );
      return { workspaceId: createWorkspace.id, secret: createApiKey.secret };
    };
    const writes = await workspaceWithKey("Bench Writes");
    const reads = await workspaceWithKey("Bench Reads");
    // Seed the read workspace: 500 contacts with one lead each, 50 audit events (owner role).
    await owner.query(
      `WITH c AS (
         INSERT INTO contacts (workspace_id, name, email, created_at)
         SELECT $1, 'Lead ' || g, 'lead-' || g || '@example.com', now() - make_interval(secs => g) FROM generate_series(1, $2::int) g
         RETURNING id, name, email, created_at)
       INSERT INTO leads (workspace_id, contact_id, name, email, source, created_at)
       SELECT $1, c.id, c.name, c.email, 'API', c.created_at FROM c`,
      [reads.workspaceId, SEEDED_LEADS],
    );
    await owner.query(
      `INSERT INTO audit_events (workspace_id, action, target_type, target_id, data, created_at)
       SELECT $1, 'bench.seeded', 'Bench', g::text, jsonb_build_object('n', g), now() - make_interval(secs => g) FROM generate_series(1, $2::int) g`,
      [reads.workspaceId, SEEDED_EVENTS],
    );
    const auditTotal = Number(
      (
        await owner.query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE workspace_id = $1", [
          reads.workspaceId,
        ])
      ).rows[0]!.n,
    );

    const submitBody = JSON.stringify({
      query: SUBMIT,
      variables: {
        i: { name: `Lead ${VARY}`, email: `lead-${VARY}@example.com`, phone: null, message: "Hello from the bench" },
      },
    });
    const ops: { op: Operation; token: string; body: string; expect: string; vary?: string }[] = [
      {
        op: "user-read",
        token,
        body: JSON.stringify({ query: AUDIT, variables: { w: reads.workspaceId } }),
        expect: `"totalCount":${auditTotal}`,
      },
      {
        op: "key-read",
        token: reads.secret,
        body: JSON.stringify({ query: LEADS, variables: { w: reads.workspaceId } }),
        expect: `"totalCount":${SEEDED_LEADS}`,
      },
      { op: "submitLead", token: writes.secret, body: submitBody, expect: '"submitLead":{"id":"', vary: VARY },
    ];
    const bodyFor = (o: (typeof ops)[number], tag: string) => (o.vary ? o.body.replaceAll(o.vary, tag) : o.body);

    // Capture the product's statements for one request of each operation (after one warm request,
    // so once-a-minute bookkeeping such as last_used_at does not land in the capture).
    const capture = async <T>(fn: () => Promise<T>): Promise<{ result: T; statements: CapturedStatement[] }> => {
      // The API key rate limiter writes an instance's hits at most once a second, after them: let
      // earlier requests' write pass first, so it is not counted here.
      await new Promise((r) => setTimeout(r, 1_200));
      await owner.query("ALTER SYSTEM SET log_statement = 'all'");
      await owner.query("SELECT pg_reload_conf()");
      await new Promise((r) => setTimeout(r, 300));
      sqlLog.length = 0;
      captureSql = true;
      const result = await fn();
      await new Promise((r) => setTimeout(r, 300));
      captureSql = false;
      await owner.query("ALTER SYSTEM RESET log_statement");
      await owner.query("SELECT pg_reload_conf()");
      // The owner pool's own ALTER/reload statements are not the product's.
      const statements = parseLog(sqlLog).filter((s) => !/^(ALTER SYSTEM|SELECT pg_reload_conf)/.test(s.sql));
      return { result, statements };
    };
    const captured = {} as Record<Operation, CapturedStatement[]>;
    const productAnswers = {} as Record<Operation, string>;
    const capturedTags = {} as Record<Operation, string>;
    for (const o of ops) {
      await postBody(api, bodyFor(o, `warm${randomBytes(3).toString("hex")}`), o.token);
      capturedTags[o.op] = `verify${randomBytes(3).toString("hex")}`;
      const { result: r, statements } = await capture(() =>
        postBody<Record<string, unknown>>(api, bodyFor(o, capturedTags[o.op]), o.token),
      );
      if (r.status !== 200 || r.errors || !r.data || !r.text.includes(o.expect))
        throw new Error(`product ${o.op}: bad answer ${r.status} ${r.text.slice(0, 400)}`);
      captured[o.op] = statements;
      productAnswers[o.op] = JSON.stringify(r.data);
      if (SHOW_SQL) {
        console.log(`--- product ${o.op}: ${statements.length} statements`);
        for (const s of statements)
          console.log(`  ${s.sql}${s.params.length ? `   -- ${JSON.stringify(s.params)}` : ""}`);
      }
    }

    // The ceiling answers the product's own pages from memory.
    const dated = <T>(json: string): T =>
      JSON.parse(json, (k, v: unknown) => (k === "createdAt" && typeof v === "string" ? new Date(v) : v)) as T;
    memory.auditEvents = dated<{ auditEvents: typeof memory.auditEvents }>(productAnswers["user-read"]).auditEvents;
    memory.leads = dated<{ leads: typeof memory.leads }>(productAnswers["key-read"]).leads;
    const ceiling = await ceilingServer(config);
    closers.push(() => ceiling.close());
    const twin = AA ? await ceilingServer(config) : undefined;
    if (twin) closers.push(() => twin.close());

    // Raw replays the product's captured statements (the drift check after the run makes sure
    // the product still sends exactly these).
    const submitted = JSON.parse(productAnswers.submitLead) as { submitLead: { id: string } };
    const contactId = (
      await owner.query<{ contact_id: string }>("SELECT contact_id FROM leads WHERE workspace_id = $1 AND id = $2", [
        writes.workspaceId,
        submitted.submitLead.id,
      ])
    ).rows[0]!.contact_id;
    const plans: Record<Operation, RawPlan> = {
      "user-read": { match: "auditEvents(", statements: captured["user-read"], answer: auditAnswer },
      "key-read": { match: "leads(", statements: captured["key-read"], answer: leadsAnswer },
      submitLead: {
        match: "submitLead(",
        statements: captured.submitLead,
        capturedTag: capturedTags.submitLead,
        tagOf: (v) =>
          /^lead-(.*)@example\.com$/.exec(String((v.i as { email?: unknown } | undefined)?.email))?.[1] ?? "",
        capturedIds: { leads: submitted.submitLead.id, contacts: contactId },
        answer: submitAnswer,
      },
    };
    const raw = await rawServer({
      appUrl: urls.appUrl,
      ownerUrl: urls.ownerUrl,
      poolSize: POOL_SIZE,
      plans: Object.values(plans),
      authSecrets: config.authSecrets,
    });
    closers.push(() => raw.close());

    // The same product as it was before a change, for a side-by-side before/after: statements
    // unnamed, reads and writes as BEGIN, one pg query per statement, COMMIT.
    const productBefore = async (on: boolean, variant: ProductVariant) => {
      if (!on) return "";
      const before = await productServer(config, urls, variant);
      await before.stopWorkers();
      closers.push(() => before.close());
      return before.url;
    };
    const unprepared = await productBefore(UNPREPARED, { prepared: false });
    const syncEach = await productBefore(SYNC_EACH, { syncEach: true });
    const unshared = await productBefore(UNSHARED, { shareTurns: false });
    const uncoalesced = await productBefore(UNCOALESCED, { coalesceWrites: false });
    // The product with tracing on, exporting over OTLP/HTTP to a sink in this process.
    const sink = TRACED ? await traceSink() : undefined;
    let tracedUrl = "";
    if (sink) {
      closers.push(() => sink.close());
      const traced = await productServer(
        { ...config, tracing: { endpoint: sink.url, samplerRatio: TRACED_RATIO, serviceName: "atrium-bench" } },
        urls,
      );
      await traced.stopWorkers();
      closers.push(() => traced.close());
      if (!traced.tracing.enabled) throw new Error("product-traced: tracing is off");
      settleTracing = async () => {
        await traced.tracing.flush();
        traced.tracing.quiesce();
      };
      suspendTracing = (suspended) => traced.tracing.suspend(suspended);
      tracedUrl = traced.url;
    }
    // Raw with the product's way of sending a transaction (one write, prepared) and, multiplexed, the turn's on one connection.
    const rawVariant = async (on: boolean, variant: { multiplexed?: boolean }) => {
      if (!on) return "";
      const floor = await rawServer({
        appUrl: urls.appUrl,
        ownerUrl: urls.ownerUrl,
        poolSize: POOL_SIZE,
        plans: Object.values(plans),
        authSecrets: config.authSecrets,
        pipelined: true,
        ...variant,
      });
      closers.push(() => floor.close());
      return floor.url;
    };
    const rawPipelined = await rawVariant(RAW_PIPELINED, {});
    const rawMultiplexed = await rawVariant(RAW_MULTIPLEXED, { multiplexed: true });
    const servers: Record<ServerKind, string> = {
      product: api,
      ceiling: ceiling.url,
      "ceiling-twin": twin?.url ?? "",
      raw: raw.url,
      "product-unprepared": unprepared,
      "raw-pipelined": rawPipelined,
      "raw-multiplexed": rawMultiplexed,
      "product-unshared": unshared,
      "product-uncoalesced": uncoalesced,
      "product-sync-each": syncEach,
      "ceiling-hooked": CEILING_HOOKED ? ceiling.url : "",
      "product-hooked": PRODUCT_HOOKED ? api : "",
      "product-traced": tracedUrl,
      "product-suspended": tracedUrl,
    };
    const kinds = KINDS.map(([kind]) => kind).filter((k) => ONLY.has(k) && servers[k]);

    // Same answer first: the reads byte for byte; submitLead the same shape (a new id each).
    for (const o of ops) {
      for (const k of kinds) {
        const r = await postBody<Record<string, unknown>>(
          servers[k],
          bodyFor(o, `check${k}${randomBytes(3).toString("hex")}`),
          o.token,
        );
        if (r.status !== 200 || r.errors || !r.data || !r.text.includes(o.expect))
          throw new Error(`${k} ${o.op}: bad answer ${r.status} ${r.text.slice(0, 400)}`);
        const json = JSON.stringify(r.data);
        const same =
          o.op === "submitLead"
            ? /^\{"submitLead":\{"id":"[0-9a-f-]{36}"\}\}$/.test(json)
            : json === productAnswers[o.op];
        if (!same)
          throw new Error(
            `${k} ${o.op}: answer differs from the product's:\n  ${json.slice(0, 300)}\n  ${productAnswers[o.op].slice(0, 300)}`,
          );
      }
    }
    console.log(
      `verified: ${kinds.join(", ")} give the same answers (user-read totalCount ${auditTotal}, key-read totalCount ${SEEDED_LEADS} with 50 contacts, submitLead an id); raw runs the product's statements`,
    );
    if (COUNT_ASYNC) {
      await countAsyncResources(
        ops.map((o) => ({ op: o.op, token: o.token, body: (tag: string) => bodyFor(o, tag) })),
        kinds,
        servers,
      );
      return;
    }
    const productCounts = {
      "user-read": captured["user-read"].length,
      "key-read": captured["key-read"].length,
      submitLead: captured.submitLead.length,
    };
    const rawCounts = {
      "user-read": plans["user-read"].statements.length,
      "key-read": plans["key-read"].statements.length,
      submitLead: plans.submitLead.statements.length,
    };
    const none = { "user-read": 0, "key-read": 0, submitLead: 0 };
    const statements: Record<ServerKind, Record<Operation, number>> = {
      product: productCounts,
      ceiling: none,
      "ceiling-twin": none,
      raw: rawCounts,
      "product-unprepared": productCounts,
      "raw-pipelined": rawCounts,
      "raw-multiplexed": rawCounts,
      "product-unshared": productCounts,
      "product-uncoalesced": productCounts,
      "product-sync-each": {
        "user-read": productCounts["user-read"] + 2,
        "key-read": productCounts["key-read"] + 2,
        submitLead: productCounts.submitLead + 2,
      },
      "ceiling-hooked": none,
      "product-hooked": productCounts,
      "product-traced": productCounts,
      "product-suspended": productCounts,
    };
    console.log(
      `statements per request (product): ${ops.map((o) => `${o.op} ${statements.product[o.op]}`).join(", ")}`,
    );

    const machine = { ...(await machineInfo(owner)), loadAvg1mAtStart: round2(os.loadavg()[0]!) };
    console.log(
      `machine: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}, postgres ${machine.postgres} (fsync off), load average ${machine.loadAvg1mAtStart}, NODE_ENV ${process.env.NODE_ENV ?? "(unset)"}`,
    );
    console.log(
      `load: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s, ${ROUNDS} rotated rounds, pool ${POOL_SIZE}, load generator ${ENGINES.join(" and ")}`,
    );

    /** Autovacuum's vacuums and analyzes of the app's tables so far (pg_stat_user_tables). */
    const maintenanceRuns = async () =>
      Number(
        (
          await owner.query<{ n: string }>(
            "SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) AS n FROM pg_stat_user_tables",
          )
        ).rows[0]!.n,
      );
    type Cell = { op: Operation; kind: ServerKind; engine: (typeof ENGINES)[number] };
    const cells: Cell[] = ops
      .filter((o) => OPS.has(o.op))
      .flatMap((o) => ENGINES.flatMap((engine) => kinds.map((kind) => ({ op: o.op, kind, engine }))));
    const cellKey = (c: Cell) => `${c.op}/${c.kind}/${c.engine}`;
    const runs = new Map<
      string,
      (LoadResult & {
        cpu: { api: number; apiWait: number | undefined; db: number } | undefined;
        scavenges: ScavengeStats;
      })[]
    >(cells.map((c) => [cellKey(c), []]));
    // The main thread's scavenges per window: their pause is part of every p99.
    const gc = recordGc();
    const job = (c: Cell, seconds: number): LoadJob => {
      const o = ops.find((x) => x.op === c.op)!;
      return {
        url: servers[c.kind],
        body: o.body,
        token: o.token,
        connections: CONNECTIONS,
        seconds,
        expect: o.expect,
        engine: c.engine,
        ...(o.vary ? { vary: o.vary } : {}),
      };
    };
    /** A server's name in the output, with its load generator when a run has more than one. */
    const serverLabel = (kind: ServerKind, engine: string) => (ENGINES.length > 1 ? `${kind} [${engine}]` : kind);
    for (let round = 1; round <= ROUNDS; round++) {
      const order = cells.map((_, i) => cells[(i + (round - 1) * kinds.length) % cells.length]!);
      for (const c of order) {
        if (c.kind !== "product-traced") await settleTracing?.();
        suspendTracing?.(c.kind !== "product-traced");
        setHooksFor(c.kind);
        await runLoad(job(c, WARMUP_SECONDS));
        // As the measured window starts (after the warm-up's requests): a state other than the one
        // set means an async hook in this thread (a product request's, above all), and no figure
        // is taken under it.
        const hooks = await promiseHooksOn();
        if (hooks !== HOOKED_KINDS.has(c.kind))
          throw new Error(
            `${c.kind}: promise hooks are ${hooks ? "on" : "off"} (an async hook in this thread${PRODUCT_KINDS.has(c.kind) ? ": the product's" : ""}?)`,
          );
        const maintenanceBefore = await maintenanceRuns();
        const before = cpuSeconds(pgServer.pid());
        const windowStart = performance.now();
        const r = await runLoad(job(c, SECONDS));
        const windowEnd = performance.now();
        const after = cpuSeconds(pgServer.pid());
        // Autovacuum's runs that ended inside the window (one still running at its end is not counted).
        const maintenance = (await maintenanceRuns()) - maintenanceBefore;
        // CPU per request: the API's main thread, and the database server's processes; and the
        // main thread's time runnable but waiting for a CPU (the cores it shares).
        const perRequest = (s: number) => Math.round((s * 1e6) / r.requests);
        const apiWait =
          before?.mainWait !== undefined && after?.mainWait !== undefined
            ? perRequest(after.mainWait - before.mainWait)
            : undefined;
        const cpu =
          before?.tree !== undefined && after?.tree !== undefined && r.requests > 0
            ? { api: perRequest(after.main - before.main), apiWait, db: perRequest(after.tree - before.tree) }
            : undefined;
        // A GC entry is built on the turn after the GC (the observer's buffer, read by gc.read()).
        await new Promise((resolve) => setImmediate(resolve));
        const gcEntries = gc.read();
        const scavenges = scavengesIn(gcEntries, windowStart, windowEnd);
        const majors = majorGcsIn(gcEntries, windowStart, windowEnd);
        runs.get(cellKey(c))!.push({ ...r, cpu, scavenges });
        console.log(
          `  round ${round} ${c.op.padEnd(10)} ${serverLabel(c.kind, c.engine).padEnd(18)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${r.p99.toFixed(1).padStart(5)} ms  p50 ${r.p50.toFixed(1)} ms  cpu/request ${cpu ? `api ${cpu.api} µs (waiting for a CPU ${cpu.apiWait ?? "?"} µs), db ${cpu.db} µs` : "?"}${r.loadgenUsPerRequest !== undefined ? `, load generator ${r.loadgenUsPerRequest} µs` : ""}  scavenges ${scavenges.count} (median ${scavenges.medianMs} ms), mark-compacts ${majors.count} (${majors.totalMs} ms)  hooks ${hooks ? "on" : "off"}  load ${os.loadavg()[0]!.toFixed(1)}${maintenance ? `  autovacuum ran ${maintenance}x` : ""}${badCount(r) ? `  ERRORS ${badCount(r)}` : ""}`,
        );
        // The thousands of rows a write cell leaves would wake autovacuum inside a later cell's
        // window (seen once: a key read's database CPU ten times its other round's). Vacuum and
        // analyze them here, between windows, and let the server settle.
        if (c.op === "submitLead") await owner.query("VACUUM (ANALYZE) leads, contacts, audit_events");
        await drain(owner);
      }
    }

    gc.stop();

    // Drift after the run too: the product still sends what raw ran.
    for (const o of ops) {
      // One warm request first, as before the run (once-a-minute bookkeeping lands there). The
      // minute of an API key's last_used_at can still end between it and the captured request
      // (seen once: the key's bookkeeping transaction in key-read's capture), so a difference is
      // captured once more: that write cannot come again within the minute, a real change would.
      const b = captured[o.op].map((s) => s.sql).join("\n");
      let a = "";
      for (let attempt = 0; attempt < 2 && a !== b; attempt++) {
        await postBody(api, bodyFor(o, `warm${randomBytes(3).toString("hex")}`), o.token);
        const { statements: after } = await capture(() =>
          postBody(api, bodyFor(o, `after${randomBytes(3).toString("hex")}`), o.token),
        );
        a = after.map((s) => s.sql).join("\n");
      }
      if (a !== b)
        throw new Error(`${o.op}: the product's statements changed during the run:\n${a}\n--- before:\n${b}`);
    }

    /**
     * Each round's ratio to the ceiling's cell of the same round, and their median: a host that
     * drifts between rounds moves both cells of a pair alike (the A/A check of BENCH_AA=1 shows
     * it). Within a round a server's cell runs one to three cells (13–39 s) from the ceiling's,
     * always in the same order: the product just before it, a twin just after.
     */
    const paired = (c: Cell, rs: readonly LoadResult[]) => {
      if (c.kind === "ceiling") return undefined;
      const ceil = runs.get(cellKey({ ...c, kind: "ceiling" }));
      if (!ceil || ceil.length !== rs.length) return undefined;
      return pairedRatios(rs, ceil);
    };
    const variants = cells.map((c) => {
      const rs = runs.get(cellKey(c))!;
      const pairs = paired(c, rs);
      return {
        operation: c.op,
        server: c.kind,
        loadgen: c.engine,
        reqPerSec: round1(median(rs.map((r) => r.reqPerSec))),
        // The slowest round: a median of three hides one that collapsed.
        worstReqPerSec: round1(Math.min(...rs.map((r) => r.reqPerSec))),
        p99Ms: median(rs.map((r) => r.p99)),
        statementsPerRequest: statements[c.kind][c.op],
        errors: rs.reduce((n, r) => n + badCount(r), 0),
        // Median CPU per request (µs) of the API's main thread and of the database server (Linux).
        ...(rs.every((r) => r.cpu)
          ? {
              apiCpuUsPerRequest: median(rs.map((r) => r.cpu!.api)),
              dbCpuUsPerRequest: median(rs.map((r) => r.cpu!.db)),
            }
          : {}),
        // Median time per request the API's main thread was runnable but had no CPU (Linux schedstat).
        ...(rs.every((r) => r.cpu?.apiWait !== undefined)
          ? { apiWaitUsPerRequest: median(rs.map((r) => r.cpu!.apiWait!)) }
          : {}),
        // Median CPU per request of the load generator's own thread (Linux schedstat).
        ...(rs.every((r) => r.loadgenUsPerRequest !== undefined)
          ? { loadgenUsPerRequest: median(rs.map((r) => r.loadgenUsPerRequest!)) }
          : {}),
        // The main thread's scavenges in the window: the median over rounds of each round's median pause.
        scavengeMedianMs: median(rs.map((r) => r.scavenges.medianMs)),
        // Against the ceiling round by round: the median of the rounds' ratios, and each round's.
        ...(pairs ? { pairedVsCeiling: pairs } : {}),
      };
    });
    console.log("");
    console.log(
      `${"operation".padEnd(12)}${"server".padEnd(20)}${"req/s".padStart(8)}${"p99 ms".padStart(8)}${"stmts".padStart(7)}${"errors".padStart(8)}${"api µs".padStart(8)}${"wait µs".padStart(8)}${"db µs".padStart(7)}${"gen µs".padStart(8)}${"scav ms".padStart(9)}   vs ceiling`,
    );
    for (const v of variants) {
      const ceil = variants.find(
        (x) => x.operation === v.operation && x.server === "ceiling" && x.loadgen === v.loadgen,
      );
      const vs =
        ceil && v.server !== "ceiling"
          ? `req/s ${(v.reqPerSec / ceil.reqPerSec).toFixed(2)}x  p99 ${(v.p99Ms / ceil.p99Ms).toFixed(2)}x${v.pairedVsCeiling ? `  paired: req/s ${v.pairedVsCeiling.reqPerSec.toFixed(2)}x  p99 ${v.pairedVsCeiling.p99?.toFixed(2) ?? "?"}x` : ""}`
          : "";
      console.log(
        `${v.operation.padEnd(12)}${serverLabel(v.server, v.loadgen).padEnd(20)}${v.reqPerSec.toFixed(0).padStart(8)}${v.p99Ms.toFixed(1).padStart(8)}${String(v.statementsPerRequest).padStart(7)}${String(v.errors).padStart(8)}${String(v.apiCpuUsPerRequest ?? "?").padStart(8)}${String(v.apiWaitUsPerRequest ?? "?").padStart(8)}${String(v.dbCpuUsPerRequest ?? "?").padStart(7)}${String(v.loadgenUsPerRequest ?? "?").padStart(8)}${v.scavengeMedianMs.toFixed(1).padStart(9)}   ${vs}`,
      );
    }
    // Tracing on vs off (decision 0035): the traced product against the product, round by round.
    for (const v of variants.filter((x) => x.server === "product-traced")) {
      const off = variants.find(
        (x) => x.operation === v.operation && x.server === "product" && x.loadgen === v.loadgen,
      );
      if (!off) continue;
      const pairs = pairedRatios(
        runs.get(cellKey({ op: v.operation, kind: "product-traced", engine: v.loadgen as Cell["engine"] }))!,
        runs.get(cellKey({ op: v.operation, kind: "product", engine: v.loadgen as Cell["engine"] }))!,
      );
      console.log(
        `tracing ${v.operation.padEnd(10)} off ${off.reqPerSec.toFixed(0)} req/s (p99 ${off.p99Ms.toFixed(1)} ms, api ${off.apiCpuUsPerRequest ?? "?"} µs)  on (sampling ${TRACED_RATIO}) ${v.reqPerSec.toFixed(0)} req/s (p99 ${v.p99Ms.toFixed(1)} ms, api ${v.apiCpuUsPerRequest ?? "?"} µs)  on/off req/s ${(v.reqPerSec / off.reqPerSec).toFixed(2)}x (paired ${pairs.reqPerSec.toFixed(2)}x, rounds ${pairs.rounds.map((r) => r.reqPerSec.toFixed(2)).join(" ")})  p99 ${(v.p99Ms / off.p99Ms).toFixed(2)}x`,
      );
    }
    // The same instance, tracing on vs suspended: tracing's own cost, without the difference two instances have.
    for (const v of variants.filter((x) => x.server === "product-traced")) {
      const off = variants.find(
        (x) => x.operation === v.operation && x.server === "product-suspended" && x.loadgen === v.loadgen,
      );
      if (!off) continue;
      const pairs = pairedRatios(
        runs.get(cellKey({ op: v.operation, kind: "product-traced", engine: v.loadgen as Cell["engine"] }))!,
        runs.get(cellKey({ op: v.operation, kind: "product-suspended", engine: v.loadgen as Cell["engine"] }))!,
      );
      const cpu =
        v.apiCpuUsPerRequest !== undefined && off.apiCpuUsPerRequest !== undefined
          ? `  api µs ${(v.apiCpuUsPerRequest / off.apiCpuUsPerRequest).toFixed(2)}x`
          : "";
      console.log(
        `tracing (same instance) ${v.operation.padEnd(10)} suspended ${off.reqPerSec.toFixed(0)} req/s (p99 ${off.p99Ms.toFixed(1)} ms, api ${off.apiCpuUsPerRequest ?? "?"} µs)  on (sampling ${TRACED_RATIO}) ${v.reqPerSec.toFixed(0)} req/s (p99 ${v.p99Ms.toFixed(1)} ms, api ${v.apiCpuUsPerRequest ?? "?"} µs)  on/suspended req/s ${(v.reqPerSec / off.reqPerSec).toFixed(2)}x (paired ${pairs.reqPerSec.toFixed(2)}x, rounds ${pairs.rounds.map((r) => r.reqPerSec.toFixed(2)).join(" ")})  p99 ${(v.p99Ms / off.p99Ms).toFixed(2)}x${cpu}`,
      );
    }
    if (sink) console.log(`trace sink: ${sink.seen.exports} OTLP exports, ${Math.round(sink.seen.bytes / 1024)} KB`);
    console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
    // A round under half its cell's median: the median stands, but something happened in that round
    // (a plan gone bad after the writes, a noisy neighbour) that the reader must see.
    for (const v of variants) {
      if (v.worstReqPerSec < v.reqPerSec / 2)
        console.error(
          `UNEVEN: ${v.operation} ${v.server} [${v.loadgen}]: a round gave ${v.worstReqPerSec.toFixed(0)} req/s, under half its median ${v.reqPerSec.toFixed(0)}; see the round lines above.`,
        );
    }
    if (variants.some((v) => v.errors > 0)) {
      console.error("FLAGGED: a variant answered with errors during the run; its figures are not comparable.");
      process.exitCode = 1;
    }
    console.log(JSON.stringify({ bench: "request-path", variants }));
  } finally {
    await drain(owner).catch(() => undefined);
    for (const close of closers.reverse())
      await close().catch((err: unknown) => console.error("closing a server:", err));
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
