// Authenticated, workspace-scoped read (`auditEvents(first: 20)` with totalCount), four ways in
// one process against one embedded Postgres (ARCHITECTURE "Tenancy" 4, decision 0002):
//   (a) the API through the tenant client: app role, RLS, one interactive transaction per unit
//       of work with set_config(..., true)  <- the product
//   (b) the same API and query with the owner role and no tenant transaction (no RLS)
//   (c) raw `pg` over node:http running the same SQL the API runs for this request (owner role)
//   (d) the API with Prisma's RLS-extension pattern: each query in its own batch transaction
// Rounds are interleaved (a,b,c,d, a,b,c,d, ...); medians of req/s and p99 are reported.
//
//   pnpm bench                       # defaults: 3 rounds x (3 s warm-up + 10 s) x 4 variants
//   BENCH_SECONDS=5 BENCH_ROUNDS=1 pnpm bench
//   BENCH_SHOW_SQL=1 pnpm bench      # also print the SQL each API variant sends for one request
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres, type TenantStrategy } from "@atrium/db";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import {
  freePort,
  intEnv,
  listeningUrl,
  median,
  must,
  post,
  round1,
  round2,
  runLoad,
  verificationToken,
} from "./lib.ts";
import type { LoadJob, LoadResult } from "./load.worker.ts";

const SECONDS = intEnv("BENCH_SECONDS", 10);
const WARMUP_SECONDS = intEnv("BENCH_WARMUP_SECONDS", 3);
const ROUNDS = intEnv("BENCH_ROUNDS", 3);
const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 10);
const POOL_SIZE = intEnv("BENCH_POOL_SIZE", 10);
const SEEDED_EVENTS = 50;
const PAGE = 20;
const SHOW_SQL = process.env.BENCH_SHOW_SQL === "1";

const QUERY = `query($w: ID!) { auditEvents(workspaceId: $w, first: ${PAGE}) { totalCount edges { node { id action createdAt } } } }`;

interface Variant {
  key: "a" | "b" | "c" | "d";
  label: string;
  url: string;
  close(): Promise<void>;
}

async function apiVariant(
  key: Variant["key"],
  label: string,
  strategy: TenantStrategy,
  urls: { appUrl: string; ownerUrl: string },
): Promise<Variant> {
  const env = { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1" };
  const config = loadConfig(env, {
    logLevel: "silent",
    rateLimits: {
      ...loadConfig(env).rateLimits,
      signInPerAccount: 100_000,
      signInPerIp: 100_000,
      signUpPerIp: 100_000,
      windowSeconds: 60,
    },
  });
  const db = createDb({ appUrl: urls.appUrl, ownerUrl: urls.ownerUrl, poolSize: POOL_SIZE }, { strategy });
  const services = createServices(config, db);
  await services.mail.startWorkers(); // sign-up's verification mail
  const app = await buildServer(config, services);
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    key,
    label,
    url: listeningUrl(app.server),
    async close() {
      await app.close();
      await services.jobs.stop();
      await db.disconnect();
    },
  };
}

// (c) The SQL below is copied verbatim from what Prisma sends for this request (Postgres
// statement log, BENCH_SHOW_SQL=1; every run re-captures it from (b) and warns on drift), minus
// the tenant transaction: the per-request session check
// (session, then user), the membership gate, then the page and the count (in parallel, as the
// API's Promise.all does outside a transaction, i.e. in variant (b)). The JWT is decoded, not verified (the API verifies
// HS256 with jose): (c) is the floor of HTTP + SQL, not a second implementation of the API.
const SQL_SESSION = `SELECT "public"."sessions"."id", "public"."sessions"."user_id", "public"."sessions"."revoked_at", "public"."sessions"."last_seen_at" FROM "public"."sessions" WHERE ("public"."sessions"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`;
const SQL_USER = `SELECT "public"."users"."id", "public"."users"."disabled_at", "public"."users"."global_role"::text, "public"."users"."email" FROM "public"."users" WHERE "public"."users"."id" = $1 OFFSET $2`;
const SQL_MEMBERSHIP = `SELECT "public"."memberships"."workspace_id", "public"."memberships"."id", "public"."memberships"."user_id", "public"."memberships"."role"::text, "public"."memberships"."policies", "public"."memberships"."created_at", "public"."memberships"."updated_at" FROM "public"."memberships" WHERE (("public"."memberships"."workspace_id" = $1 AND "public"."memberships"."user_id" = $2) AND 1=1) LIMIT $3 OFFSET $4`;
const SQL_PAGE = `SELECT "public"."audit_events"."workspace_id", "public"."audit_events"."id", "public"."audit_events"."actor_user_id", "public"."audit_events"."actor_membership_id", "public"."audit_events"."actor_api_key_id", "public"."audit_events"."action", "public"."audit_events"."target_type", "public"."audit_events"."target_id", "public"."audit_events"."data", "public"."audit_events"."ip", "public"."audit_events"."user_agent", "public"."audit_events"."request_id", "public"."audit_events"."created_at" FROM "public"."audit_events" WHERE "public"."audit_events"."workspace_id" = $1 ORDER BY "public"."audit_events"."created_at" DESC, "public"."audit_events"."id" DESC LIMIT $2 OFFSET $3`;
const SQL_COUNT = `SELECT COUNT(*) AS "_count$_all" FROM (SELECT "public"."audit_events"."workspace_id", "public"."audit_events"."id" FROM "public"."audit_events" WHERE "public"."audit_events"."workspace_id" = $1 OFFSET $2) AS "sub"`;

const RAW_SQL = [SQL_SESSION, SQL_USER, SQL_MEMBERSHIP, SQL_PAGE, SQL_COUNT];

async function rawVariant(ownerUrl: string): Promise<Variant> {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: POOL_SIZE });
  const claimsOf = (authorization: string | undefined): { sub: string; sid: string } | null => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const payload = token?.split(".")[1];
    if (!payload) return null;
    const c = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown; sid?: unknown };
    return typeof c.sub === "string" && typeof c.sid === "string" ? { sub: c.sub, sid: c.sid } : null;
  };
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.method !== "POST" || req.url !== "/graphql") return send(404, { error: "NOT_FOUND" });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { variables?: { w?: string } };
    const workspaceId = body.variables?.w;
    const claims = claimsOf(req.headers.authorization);
    if (!claims || !workspaceId) return send(200, { data: null, errors: [{ message: "unauthenticated" }] });
    const session = (await pool.query<{ user_id: string; revoked_at: Date | null }>(SQL_SESSION, [claims.sid, 1, 0]))
      .rows[0];
    const user = session
      ? (await pool.query<{ disabled_at: Date | null }>(SQL_USER, [session.user_id, 0])).rows[0]
      : undefined;
    if (!session || !user || session.user_id !== claims.sub || session.revoked_at || user.disabled_at)
      return send(200, { data: null, errors: [{ message: "unauthenticated" }] });
    const membership = (await pool.query(SQL_MEMBERSHIP, [workspaceId, claims.sub, 1, 0])).rows[0] as unknown;
    if (!membership) return send(200, { data: null, errors: [{ message: "not found" }] });
    const [page, count] = await Promise.all([
      pool.query<{ id: string; action: string; created_at: Date }>(SQL_PAGE, [workspaceId, PAGE + 1, 0]),
      pool.query<{ _count$_all: string }>(SQL_COUNT, [workspaceId, 0]),
    ]);
    send(200, {
      data: {
        auditEvents: {
          totalCount: Number(count.rows[0]!._count$_all),
          edges: page.rows
            .slice(0, PAGE)
            .map((r) => ({ node: { id: r.id, action: r.action, createdAt: r.created_at.toISOString() } })),
        },
      },
    });
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
      }
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    key: "c",
    label: "raw pg, same SQL (owner)",
    url: listeningUrl(server),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const sqlLog: string[] = [];
  let captureSql = false;
  let sqlDrift = false;
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
    log: (line) => {
      if (captureSql) sqlLog.push(...line.split("\n"));
    },
  });
  const variants: Variant[] = [];
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const urls = { appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url };

    variants.push(await apiVariant("a", "API, tenant tx + RLS (product)", "transaction", urls));
    variants.push(await apiVariant("b", "API, owner, no tenant tx", "unsafe-owner-no-tenancy", urls));
    variants.push(await rawVariant(pgServer.url));
    variants.push(await apiVariant("d", "API, per-query batch tx + RLS", "per-query", urls));
    const api = variants[0]!.url;

    // One verified user (through the API, as a client would), one workspace, seeded events.
    const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
    const password = "correct horse battery staple";
    await must(
      "signUp",
      post(api, `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
        i: { email, password, name: "Bench" },
      }),
    );
    await must(
      "verifyEmail",
      post(api, `mutation($t: String!, $p: String) { verifyEmail(token: $t, password: $p) }`, {
        p: password,
        t: await verificationToken(api, email),
      }),
    );
    const { signIn } = await must<{ signIn: { accessToken: string } }>(
      "signIn",
      post(api, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email, password } }),
    );
    const token = signIn.accessToken;
    const { createWorkspace } = await must<{ createWorkspace: { id: string } }>(
      "createWorkspace",
      post(
        api,
        `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
        { i: { name: "Bench Workspace", channel: "WHATSAPP" } },
        token,
      ),
    );
    const workspaceId = createWorkspace.id;
    await owner.query(
      `INSERT INTO audit_events (workspace_id, action, target_type, target_id, data, created_at)
       SELECT $1, 'bench.seeded', 'Bench', g::text, jsonb_build_object('n', g), now() - make_interval(secs => g)
       FROM generate_series(1, $2::int) g`,
      [workspaceId, SEEDED_EVENTS],
    );
    const expectedTotal = Number(
      (
        await owner.query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE workspace_id = $1", [
          workspaceId,
        ])
      ).rows[0]!.n,
    );

    // Correctness first: every variant answers with the same page and totalCount, no errors.
    const variables = { w: workspaceId };
    let reference: string | undefined;
    for (const v of variants) {
      // (b) is always captured, to check that (c) still runs the API's SQL.
      if (v.key === "b" || (SHOW_SQL && v.key !== "c")) {
        await owner.query("ALTER SYSTEM SET log_statement = 'all'");
        await owner.query("SELECT pg_reload_conf()");
        await new Promise((r) => setTimeout(r, 300));
        sqlLog.length = 0;
        captureSql = true;
      }
      const r = await post<{ auditEvents: { totalCount: number; edges: unknown[] } }>(v.url, QUERY, variables, token);
      if (captureSql) {
        await new Promise((r) => setTimeout(r, 300));
        captureSql = false;
        await owner.query("ALTER SYSTEM RESET log_statement");
        await owner.query("SELECT pg_reload_conf()");
        if (SHOW_SQL) {
          console.log(`--- SQL sent by (${v.key}) ${v.label} for one request:`);
          for (const line of sqlLog) if (/LOG: {2}(statement|execute)|DETAIL/.test(line)) console.log(line);
        }
        if (v.key === "b") {
          const sent = sqlLog.flatMap((line) => /LOG: {2}(?:statement|execute [^:]*): (.*)$/.exec(line)?.[1] ?? []);
          const missing = RAW_SQL.filter((q) => !sent.includes(q));
          const extra = sent.filter((q) => !RAW_SQL.includes(q));
          if (missing.length || extra.length) {
            sqlDrift = true;
            console.warn(
              `WARNING: (c) no longer runs the API's SQL. Sent by (b) but not by (c):\n  ${extra.join("\n  ") || "-"}\nRun by (c) but not sent by (b):\n  ${missing.join("\n  ") || "-"}`,
            );
          }
        }
      }
      if (r.status !== 200 || r.errors || !r.data)
        throw new Error(`(${v.key}) ${v.label}: bad answer ${r.status} ${JSON.stringify(r.errors)}`);
      const { totalCount, edges } = r.data.auditEvents;
      if (totalCount !== expectedTotal || edges.length !== PAGE)
        throw new Error(
          `(${v.key}) ${v.label}: totalCount ${totalCount}, ${edges.length} edges; expected ${expectedTotal}, ${PAGE}`,
        );
      const json = JSON.stringify(r.data);
      if (reference !== undefined && json !== reference)
        throw new Error(`(${v.key}) ${v.label}: answer differs from (a)`);
      reference ??= json;
    }
    console.log(
      `verified: all 4 variants answer totalCount=${expectedTotal} with the same ${PAGE} edges${sqlDrift ? "" : "; (c) runs the same statements as (b)"}`,
    );

    const cpus = os.cpus();
    const pgVersion = (await owner.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    const machine = {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? "?",
      node: process.version,
      postgres: pgVersion,
      platform: `${os.platform()} ${os.release()}`,
      memGiB: round1(os.totalmem() / 2 ** 30),
    };
    console.log(
      `machine: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}, postgres ${machine.postgres}, ${machine.platform}, ${machine.memGiB} GiB`,
    );
    console.log(
      `load: autocannon in a worker thread, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured, ${ROUNDS} interleaved rounds; pool size ${POOL_SIZE}`,
    );

    const body = JSON.stringify({ query: QUERY, variables });
    const job = (v: Variant, seconds: number): LoadJob => ({
      url: v.url,
      body,
      token,
      connections: CONNECTIONS,
      seconds,
      expect: `"totalCount":${expectedTotal}`,
    });
    const runs = new Map<Variant["key"], LoadResult[]>(variants.map((v) => [v.key, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const v of variants) {
        await runLoad(job(v, WARMUP_SECONDS));
        const r = await runLoad(job(v, SECONDS));
        runs.get(v.key)!.push(r);
        const bad = r.non2xx + r.gqlErrors + r.wrongBody + r.socketErrors;
        console.log(
          `  round ${round} (${v.key}) ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms  p50 ${r.p50} ms${bad ? `  ERRORS: non2xx=${r.non2xx} graphql=${r.gqlErrors} wrong=${r.wrongBody} socket=${r.socketErrors}` : ""}`,
        );
      }
    }

    const summary = variants.map((v) => {
      const rs = runs.get(v.key)!;
      const sum = (f: (r: LoadResult) => number) => rs.reduce((n, r) => n + f(r), 0);
      return {
        key: v.key,
        label: v.label,
        reqPerSec: round1(median(rs.map((r) => r.reqPerSec))),
        p99Ms: median(rs.map((r) => r.p99)),
        rounds: rs.map((r) => ({ reqPerSec: round1(r.reqPerSec), p99Ms: r.p99 })),
        requests: sum((r) => r.requests),
        non2xx: sum((r) => r.non2xx),
        graphqlErrors: sum((r) => r.gqlErrors),
        wrongBody: sum((r) => r.wrongBody),
        socketErrors: sum((r) => r.socketErrors),
      };
    });
    const byKey = Object.fromEntries(summary.map((s) => [s.key, s])) as Record<
      Variant["key"],
      (typeof summary)[number]
    >;
    const ratio = (x: Variant["key"], y: Variant["key"]) => ({
      reqPerSec: round2(byKey[x].reqPerSec / byKey[y].reqPerSec),
      p99: round2(byKey[x].p99Ms / byKey[y].p99Ms),
    });
    const ratios = { "a/b": ratio("a", "b"), "a/c": ratio("a", "c"), "a/d": ratio("a", "d") };

    console.log("");
    console.log(`median of ${ROUNDS} round(s)`);
    console.log(`${"variant".padEnd(38)}${"req/s".padStart(9)}${"p99 ms".padStart(9)}  errors`);
    for (const s of summary) {
      const errors = s.non2xx + s.graphqlErrors + s.wrongBody + s.socketErrors;
      console.log(
        `${`(${s.key}) ${s.label}`.padEnd(38)}${s.reqPerSec.toFixed(0).padStart(9)}${String(s.p99Ms).padStart(9)}  ${errors ? `FLAGGED: ${errors} bad of ${s.requests} (non2xx ${s.non2xx}, graphql ${s.graphqlErrors}, wrong ${s.wrongBody}, socket ${s.socketErrors})` : `0 of ${s.requests}`}`,
      );
    }
    for (const [name, r] of Object.entries(ratios))
      console.log(`${name.padEnd(4)} req/s ratio ${r.reqPerSec.toFixed(2)}   p99 ratio ${r.p99.toFixed(2)}`);
    console.log(
      JSON.stringify({
        bench: "tenant-read",
        date: new Date().toISOString(),
        machine,
        settings: {
          seconds: SECONDS,
          warmupSeconds: WARMUP_SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          poolSize: POOL_SIZE,
          totalCount: expectedTotal,
          rawSqlMatchesApi: !sqlDrift,
        },
        variants: summary,
        ratios,
      }),
    );
    if (summary.some((s) => s.non2xx + s.graphqlErrors + s.wrongBody + s.socketErrors > 0)) {
      console.error(
        "FLAGGED: at least one variant answered with errors during the run; its figures are not comparable.",
      );
      process.exitCode = 1;
    }
    console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    for (const v of variants) await v.close().catch((err: unknown) => console.error(`closing (${v.key}):`, err));
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
