// A real API for one test file: a fresh database cloned from the migrated template, the real
// Fastify server listening on a loopback port, and a small GraphQL client speaking real HTTP.
import type { FastifyInstance } from "fastify";

import { createDb, type Db } from "@atrium/db";
import { freshTestDatabase, type TestDatabase } from "@atrium/db/testing";

import { loadConfig, type AppConfig } from "../env.ts";
import { buildServer } from "../server.ts";
import { createServices, type Services } from "../services.ts";

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
  headers: Headers;
}

export interface TestApi {
  url: string;
  /** The Fastify instance (route catalog, inject() with a chosen remote address). */
  app: FastifyInstance;
  db: Db;
  /** Every statement the tenant (app-role) client sent, in order; tests slice it to count. */
  queries: string[];
  /** Every statement the system (owner) client sent: session checks, version reads. */
  systemQueries: string[];
  testDb: TestDatabase;
  services: Services;
  config: AppConfig;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    opts?: { token?: string; headers?: Record<string, string> },
  ): Promise<GqlResult<T>>;
  /** Signs up, verifies through the dev mailbox, signs in. */
  user(name?: string): Promise<TestUser>;
  close(): Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

let counter = 0;

export type TestConfigOverrides = Omit<Partial<AppConfig>, "rateLimits"> & {
  rateLimits?: Partial<AppConfig["rateLimits"]>;
};

/** `opts.testDb`: run on that database (a restored backup, say) instead of a fresh clone. */
export async function startTestApi(
  overrides: TestConfigOverrides = {},
  opts: { testDb?: TestDatabase } = {},
): Promise<TestApi> {
  const testDb = opts.testDb ?? (await freshTestDatabase());
  // Tests create many accounts from one IP; rate-limit tests pass their own limits.
  const base = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    RATE_LIMIT_SIGNUP_PER_IP: "100000",
    RATE_LIMIT_SIGNIN_PER_IP: "100000",
    RATE_LIMIT_FORM_PER_IP_PER_MINUTE: "100000",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  });
  const config: AppConfig = { ...base, ...overrides, rateLimits: { ...base.rateLimits, ...overrides.rateLimits } };
  const queries: string[] = [];
  const systemQueries: string[] = [];
  const db = createDb({
    appUrl: testDb.appUrl,
    ownerUrl: testDb.ownerUrl,
    poolSize: 5,
    onQuery: (q) => queries.push(q),
    onSystemQuery: (q) => systemQueries.push(q),
  });
  const services = createServices(config, db);
  const app: FastifyInstance = await buildServer(config, services);
  await app.listen({ port: 0, host: "127.0.0.1" });
  // Mail goes out through its job queue (platform/mail/outbox.ts), as in the product's scheduler.
  await services.mail.startWorkers();
  const addr = app.server.address();
  if (!addr || typeof addr !== "object") throw new Error("server has no address");
  const url = `http://127.0.0.1:${addr.port}`;

  const gql: TestApi["gql"] = async (query, variables, opts) => {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(opts?.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts?.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: GqlResult["errors"] };
    return { status: res.status, data: (body.data ?? null) as never, errors: body.errors, headers: res.headers };
  };

  const api: TestApi = {
    url,
    app,
    db,
    queries,
    systemQueries,
    testDb,
    services,
    config,
    gql,
    async user(name = "Test User") {
      const email = `user${++counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const password = "correct horse battery staple";
      const signUp = await gql<{ signUp: { user: { id: string } } }>(
        `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`,
        { i: { email, password, name } },
      );
      if (!signUp.data) throw new Error(`signUp failed: ${JSON.stringify(signUp.errors)}`);
      const token = await mailboxToken(url, email);
      // The first verification sets the password (decision 0024): here, the sign-up one confirmed.
      const verified = await gql(`mutation($t: String!, $p: String) { verifyEmail(token: $t, password: $p) }`, {
        t: token,
        p: password,
      });
      if (!verified.data) throw new Error(`verifyEmail failed: ${JSON.stringify(verified.errors)}`);
      const signIn = await gql<{ signIn: { accessToken: string; refreshToken: string; user: { id: string } } }>(
        `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken user { id } } }`,
        { i: { email, password } },
      );
      if (!signIn.data) throw new Error(`signIn failed: ${JSON.stringify(signIn.errors)}`);
      return {
        id: signIn.data.signIn.user.id,
        email,
        password,
        token: signIn.data.signIn.accessToken,
        refreshToken: signIn.data.signIn.refreshToken,
      };
    },
    async close() {
      // Each step bounded: a step that hangs (a pool waiting on a client that never comes back,
      // a job that does not stop) is named on stderr and the rest still runs — the database is
      // dropped WITH (FORCE), which ends whatever still holds it — instead of the file's hook
      // timing out with no clue (seen once in CI, campaign-exactly-once).
      const step = async (what: string, run: () => Promise<unknown>) => {
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), 20_000)));
        const outcome = await Promise.race([
          run().then(
            () => "done" as const,
            (err: unknown) => err,
          ),
          hung,
        ]);
        clearTimeout(timer);
        if (outcome === "hung") process.stderr.write(`[harness] close: ${what} did not finish within 20 s; going on\n`);
        else if (outcome !== "done") process.stderr.write(`[harness] close: ${what} failed: ${String(outcome)}\n`);
      };
      await step("the HTTP server", () => app.close());
      await step("the job queue", () => services.jobs.stop());
      await step("the tracer", () => services.tracing.shutdown());
      await step("the database clients", () => db.disconnect());
      await testDb.drop();
    },
  };
  return api;
}

/**
 * The mails to `email` in the dev mailbox, newest first, once at least `count` have arrived: mail
 * is sent by a job after the request's transaction commits, so it lands shortly after the answer.
 */
export async function mailbox(
  url: string,
  email: string,
  count = 1,
  timeoutMs = 15_000,
): Promise<{ to: string; subject: string; text: string }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await (await fetch(`${url}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as {
      to: string;
      subject: string;
      text: string;
    }[];
    if (mails.length >= count) return mails;
    if (Date.now() > deadline)
      throw new Error(`${mails.length} of ${count} mails to ${email} arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The token= of the first link in the newest mail to `email`, once the `count`th mail arrived. */
export async function mailboxToken(url: string, email: string, count = 1): Promise<string> {
  const mails = await mailbox(url, email, count);
  const m = /token=([A-Za-z0-9_.-]+)/.exec(mails[0]?.text ?? "");
  if (!m?.[1]) throw new Error(`no token in mailbox of ${email}`);
  return m[1];
}

/** Polls until `fn` returns a truthy value (or fails after `ms`). */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  ms = 15_000,
  what = "condition",
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function codeOf(r: GqlResult): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

/** Runs SQL as the schema owner (bypasses RLS): seeding and inspecting, never product code. */
export async function ownerSql<T extends Record<string, unknown> = Record<string, unknown>>(
  api: TestApi,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: api.testDb.ownerUrl });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export async function createWorkspace(
  api: TestApi,
  user: TestUser,
  name: string,
  channel = "WHATSAPP",
): Promise<{ id: string; slug: string }> {
  const r = await api.gql<{ createWorkspace: { id: string; slug: string } }>(
    `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id slug } }`,
    { i: { name, channel } },
    { token: user.token },
  );
  if (!r.data) throw new Error(`createWorkspace failed: ${JSON.stringify(r.errors)}`);
  return r.data.createWorkspace;
}

/** Adds `user` to a workspace directly (owner SQL), for tests that are not about invitations. */
export async function addMember(
  api: TestApi,
  workspaceId: string,
  user: TestUser,
  role: "OWNER" | "ADMIN" | "AGENT",
  policies: string[] = [],
): Promise<void> {
  await ownerSql(api, `INSERT INTO memberships (workspace_id, user_id, role, policies) VALUES ($1, $2, $3, $4)`, [
    workspaceId,
    user.id,
    role,
    policies,
  ]);
}

/**
 * Makes a race deterministic: holds `lockSql` (e.g. `SELECT … FOR UPDATE`) in an owner
 * transaction, starts `fire()`, waits until `waiters` backends are blocked on a lock (they have
 * all read the row and now wait to change it), then runs `release` in the same transaction
 * (default ROLLBACK; e.g. a DELETE then COMMIT to pull the row from under them), letting them go.
 */
export async function raceOnLock<T>(
  api: TestApi,
  lockSql: string,
  params: unknown[],
  waiters: number,
  fire: () => Promise<T>,
  release: (sql: (text: string, values?: unknown[]) => Promise<unknown>) => Promise<unknown> = (sql) => sql("ROLLBACK"),
): Promise<T> {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: api.testDb.ownerUrl });
  await c.connect();
  try {
    await c.query("BEGIN");
    await c.query(lockSql, params);
    const pending = fire();
    const deadline = Date.now() + 10_000;
    for (;;) {
      // pg_stat_activity is snapshotted once per transaction: clear it to see the present.
      await c.query("SELECT pg_stat_clear_snapshot()");
      const r = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (Number(r.rows[0]!.n) >= waiters || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await release((text, values) => c.query(text, values));
    return await pending;
  } finally {
    await c.end();
  }
}

/**
 * Audit rows read as the owner (snake_case columns), with the personal values the database seals
 * (decision 0053: `data`'s addresses and numbers, an anonymous sender's `ip` and `user_agent`) opened
 * again, as the audit page shows them.
 */
export async function revealedAudit<T extends { data?: unknown; ip?: string | null; user_agent?: string | null }>(
  api: TestApi,
  workspaceId: string,
  rows: T[],
): Promise<T[]> {
  const { revealAudit } = await import("../platform/audit/reveal.ts");
  return api.db.tenant({ workspaceId }, async (tx) => {
    const open = await revealAudit(
      tx,
      workspaceId,
      rows.map((r) => ({ data: r.data, ip: r.ip, userAgent: r.user_agent })),
    );
    return rows.map((r, i) => ({
      ...r,
      ...("data" in r ? { data: open[i]!.data } : {}),
      ...("ip" in r ? { ip: open[i]!.ip } : {}),
      ...("user_agent" in r ? { user_agent: open[i]!.userAgent } : {}),
    }));
  });
}
