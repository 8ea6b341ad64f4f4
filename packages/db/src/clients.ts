// The Db: two pools and their Prisma clients, and the tenant transaction. The tenant client logs
// in as atrium_app (RLS applies) and runs every unit of work in one interactive transaction that
// first sets app.user_id / app.workspace_id with set_config(..., true) (transaction-local: nothing
// leaks to the next user of the pooled connection). The system client logs in as the schema owner
// and exists for identity look-ups (sign-in by email, tokens) and platform jobs only; see
// docs/security/tenancy.md. The pipelines (engine/) serve the one-round-trip reads and writes.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { ConnectionBreaker, type BreakerOptions } from "./breaker.ts";
import type { Db, PoolStats, ReadRows, SystemClient, TenantFacts, TenantFactsSource, TenantTx } from "./db.ts";
import { pgInternalsMissing, processIdOf } from "./engine/pg-internals.ts";
import { createPipelines, type Traceable } from "./engine/pipelines.ts";
import { settingsStatement, tenantIds, unitOfWork, type SettingsRow } from "./engine/settings.ts";
import type { EngineSwitches } from "./engine/switches.ts";
import { pipelinesOff } from "./env.ts";
import { Prisma, PrismaClient } from "./generated/client.ts";
import { settleSession, settleStamp } from "./principals.ts";
import { nestedRow } from "./rows.ts";
import { checkScope } from "./scope.ts";
import { TRACE_PARENT, tracedClientClass, type StatementHooks, type TraceParent } from "./statement-tracing.ts";

/** A new connection that takes longer than this fails (the request answers 503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The app role's pool, shared by Prisma and `tenantRead`. Its clients run in pg's pipeline mode:
 * a query is written as soon as it is issued instead of after the previous one's answer. Prisma
 * awaits each statement of a transaction before it sends the next, so for Prisma nothing changes;
 * `tenantRead` issues a whole read-only transaction at once (one write, one round trip).
 */
function createAppPool(
  url: string,
  max: number,
  breaker: ConnectionBreaker,
  connections: Map<number, CountingClient>,
  statementHooks: StatementHooks,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    Client: countingClientClass(tracedClientClass(breaker.clientClass(), statementHooks), connections),
    pipeline: true,
  });
  // An idle client the server dropped: the pool discards it; nothing to crash the process for.
  pool.on("error", () => undefined);
  return pool;
}

export function createAppClient(pool: pg.Pool, queryEvents = false) {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    // Query events feed `onQuery` (tests count statements to prove lists have no N+1); off
    // otherwise, so the request path does not build an event per statement for nobody.
    log: queryEvents ? [{ emit: "event", level: "query" }] : [],
    // The app role may not read password hashes at all (column grants); never ask for them.
    omit: { user: { passwordHash: true } },
  });
}

/**
 * An app pool connection that counts the queries it sent. The pool's `Db` keeps its connections
 * by server process id, so that `tenant` — whose settings statement reads pg_backend_pid() when
 * its request counts statements — can add what a Prisma callback ran on its transaction's
 * connection to the request's count (`StatementCounter`): one integer increment per query,
 * nothing allocated.
 */
interface CountingClient extends Traceable {
  sent: number;
}
function countingClientClass(Base: typeof pg.Client, appConnections: Map<number, CountingClient>): typeof pg.Client {
  class Counting extends Base implements CountingClient {
    sent = 0;
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // Registered once connected (the process id comes with the server's BackendKeyData).
      this.once("connect", () => {
        const pid = this.processId;
        if (pid !== undefined) appConnections.set(pid, this);
      });
      this.once("end", () => {
        const pid = this.processId;
        if (pid !== undefined && appConnections.get(pid) === this) appConnections.delete(pid);
      });
    }
    private get processId(): number | undefined {
      return processIdOf(this);
    }
    // Three named parameters (pg's query(config, values, callback)), not a rest array: nothing
    // allocated per query.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's many query() shapes, passed on as they are
    override query(config?: any, values?: any, callback?: any): any {
      this.sent++;
      return (super.query as (a: unknown, b: unknown, c: unknown) => unknown)(config, values, callback);
    }
  }
  return Counting;
}

const poolStatsOf = (pool: pg.Pool): PoolStats => ({
  total: pool.totalCount,
  idle: pool.idleCount,
  waiting: pool.waitingCount,
  max: pool.options.max ?? 10,
});

const txFacts = new WeakMap<object, TenantFacts>();
/** What `tx`'s first statement read for the composition root's `TenantFactsSource` (undefined: it read none, e.g. the system client or another Db). */
export const tenantFactsOf = (tx: object): TenantFacts | undefined => txFacts.get(tx);
/** The trace parent of a traced `tenant` transaction (decision 0035): a job it enqueues is that span's child. */
const txTraces = new WeakMap<object, TraceParent>();
export const traceOfTx = (tx: object): TraceParent | undefined => txTraces.get(tx);

/** A row Prisma's $queryRaw gave, shaped as a pipeline's (`Db.read`): nested aliases, int8 and numeric as text. */
function asPipelineRow(flat: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(flat)) {
    const value = flat[key];
    if (typeof value === "bigint") flat[key] = value.toString();
    else if (Prisma.Decimal.isDecimal(value)) flat[key] = (value as { toString(): string }).toString();
  }
  return nestedRow(flat);
}

/** Says once that the pipelines are off because pg lacks what they use. */
let warnedMissing = false;

export function createDb(
  opts: {
    appUrl: string;
    ownerUrl: string;
    poolSize?: number;
    /** Every statement the app role's client sends (tests count them). */
    onQuery?: (sql: string) => void;
    /** Every statement the system (owner) client sends: sessions, versions (tests count them). */
    onSystemQuery?: (sql: string) => void;
    breaker?: BreakerOptions;
  },
  /** Benchmarks only (bench/ compares the engine's variants). */
  switches: EngineSwitches = {},
): Db {
  // One breaker for both pools: they reach the same server.
  const breaker = new ConnectionBreaker(opts.breaker);
  const appConnections = new Map<number, CountingClient>();
  // Statement spans (statement-tracing.ts): off until the API hands a tracer to `traceStatements`.
  const statementHooks: StatementHooks = { tracer: undefined };
  const appPool = createAppPool(opts.appUrl, opts.poolSize ?? 10, breaker, appConnections, statementHooks);
  const app = createAppClient(appPool, opts.onQuery !== undefined);
  const onQuery = opts.onQuery;
  if (onQuery) app.$on("query", (e) => onQuery(e.query));
  const strategy = switches.strategy ?? "transaction";
  // The pipelines run on pg's internals (engine/pg-internals.ts): when this pg lacks one (checked
  // now, and on each new connection), every unit of work takes the plain path instead.
  let pipelines = !pipelinesOff() && noteMissing(pgInternalsMissing());
  appPool.on("connect", (client) => {
    if (pipelines) pipelines = noteMissing(pgInternalsMissing(client));
  });
  const engine = createPipelines({ appPool, statementHooks, onQuery, switches, available: () => pipelines });
  let factsSource: TenantFactsSource | undefined;
  // The owner role's pool, built here rather than by the adapter so that its figures can be read
  // (`poolStats`); ended in `disconnect` (the adapter leaves a pool it was given open).
  const systemPool = new pg.Pool({
    connectionString: opts.ownerUrl,
    max: strategy === "unsafe-owner-no-tenancy" ? (opts.poolSize ?? 10) : 5,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    Client: tracedClientClass(breaker.clientClass(), statementHooks),
  });
  systemPool.on("error", () => undefined);
  const system: SystemClient = new PrismaClient({
    adapter: new PrismaPg(systemPool),
    log: opts.onSystemQuery ? [{ emit: "event", level: "query" }] : [],
  });
  const onSystemQuery = opts.onSystemQuery;
  if (onSystemQuery)
    (system as unknown as { $on(event: "query", cb: (e: { query: string }) => void): void }).$on("query", (e) =>
      onSystemQuery(e.query),
    );

  const db: Db = {
    async tenant(ctx, fn, txOpts) {
      const { userId, workspaceId } = tenantIds(ctx);
      checkScope(ctx);
      // The bench-only strategies read a stamped principal's version in a statement of its own.
      const run = ctx.scope?.principals;
      const benchStamp = strategy !== "transaction" && workspaceId ? run?.workspaces.get(workspaceId) : undefined;
      const benchCheck = async (tx: TenantTx) => {
        if (run?.session && !run.session.verified) {
          settleSession(
            run.session,
            (await system.$queryRaw<{ s: unknown }[]>`SELECT session_state(${run.session.sessionId}::uuid) AS s`)[0]
              ?.s ?? null,
          );
        }
        if (!benchStamp) return;
        await settleStamp(
          benchStamp,
          (await system.$queryRaw<{ v: number | null }[]>`SELECT workspace_auth_version(${workspaceId}::uuid) AS v`)[0]
            ?.v ?? null,
          tx,
        );
      };
      if (strategy === "unsafe-owner-no-tenancy") {
        await benchCheck(system);
        return fn(system);
      }
      if (strategy === "per-query") {
        const scoped = app.$extends({
          query: {
            $allModels: {
              async $allOperations({ args, query }) {
                const [, result] = await app.$transaction([
                  app.$executeRaw`SELECT set_config('app.user_id', ${userId}, true), set_config('app.workspace_id', ${workspaceId}, true)`,
                  query(args),
                ]);
                return result;
              },
            },
          },
        });
        await benchCheck(scoped as unknown as TenantTx);
        return fn(scoped as unknown as TenantTx);
      }
      const { stamp, session, gate, left, deadline, trace } = unitOfWork(workspaceId, ctx.scope);
      const counter = ctx.scope?.statements;
      let gated = false;
      const result = app.$transaction(
        async (tx) => {
          const rows = await tx.$queryRaw<SettingsRow[]>(
            settingsStatement(
              userId,
              workspaceId,
              deadline,
              stamp,
              session,
              "tenant",
              counter !== undefined || trace !== undefined,
              factsSource,
            ),
          );
          // Counted: BEGIN, the settings, what runs next on this transaction's connection, and
          // COMMIT or ROLLBACK. Traced: what runs next on it, under the request's sampled span
          // (the connection is this transaction's alone until it ends).
          const pid = counter || trace ? rows[0]?.pid : undefined;
          const connection = pid === undefined ? undefined : appConnections.get(pid);
          const sentBefore = connection?.sent ?? 0;
          if (trace && connection) {
            connection[TRACE_PARENT] = trace;
            txTraces.set(tx, trace);
          }
          try {
            if (workspaceId && factsSource) txFacts.set(tx, { workspaceId, value: rows[0]?.facts ?? null });
            if (session) settleSession(session, rows[0]?.s ?? null);
            if (stamp) await settleStamp(stamp, rows[0]?.v ?? null, tx);
            const value = await fn(tx);
            // The commit gate: statement_timeout is per statement, so a statement that started
            // before the deadline can finish after it; once the request was answered 503 this
            // transaction must not commit (it would land behind a "nothing changed" answer).
            if (gate) {
              gate.beginCommit();
              gated = true;
            }
            return value;
          } finally {
            if (counter) counter.statements += 3 + (connection ? connection.sent - sentBefore : 0);
            if (trace && connection) connection[TRACE_PARENT] = undefined;
          }
        },
        {
          timeout: Math.min(txOpts?.timeoutMs ?? 10_000, left ?? Infinity),
          maxWait: Math.min(10_000, left ?? Infinity),
        },
      );
      if (!gate) return result;
      return result.then(
        (value) => {
          if (gated) gate.endCommit(true);
          return value;
        },
        (err: unknown) => {
          if (gated) gate.endCommit(false);
          throw err;
        },
      );
    },
    tenantRead: engine.tenantRead,
    async read(ctx, statements) {
      const piped = await engine.tenantRead(ctx, statements);
      if (piped) return piped;
      return db.tenant(ctx, async (tx) => {
        const out: ReadRows[] = [];
        for (const statement of statements)
          out.push((await tx.$queryRaw<Record<string, unknown>[]>(statement)).map(asPipelineRow));
        return out;
      });
    },
    tenantWrite: engine.tenantWrite,
    tenantWriteBatched: engine.tenantWriteBatched,
    readTenantFacts(source) {
      factsSource = source;
    },
    system,
    appUnscoped: app,
    ownerUrl: opts.ownerUrl,
    breaker,
    traceStatements(tracer) {
      statementHooks.tracer = tracer;
    },
    poolStats: () => ({ app: poolStatsOf(appPool), system: poolStatsOf(systemPool) }),
    async disconnect() {
      await Promise.all([app.$disconnect(), system.$disconnect()]);
      if (!appPool.ending) await appPool.end();
      if (!systemPool.ending) await systemPool.end();
    },
  };
  return db;
}

/** Whether the pipelines may run with what `pgInternalsMissing` found (says once when they may not). */
function noteMissing(missing: string[]): boolean {
  if (missing.length === 0) return true;
  if (!warnedMissing) {
    warnedMissing = true;
    console.warn(
      `@atrium/db: pg lacks ${missing.join(", ")}; running without pipelines (every unit of work as a plain transaction). Pin pg back or update engine/pg-internals.ts.`,
    );
  }
  return false;
}
