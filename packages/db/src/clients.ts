// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- pg ships no types for pg/lib/utils.js, and every project that compiles this file (api, bench, e2e) needs the declaration
/// <reference path="./pg-internals.d.ts" />
// The two Prisma clients. The tenant client logs in as atrium_app (RLS applies) and runs every
// unit of work in one interactive transaction that first sets app.user_id / app.workspace_id
// with set_config(..., true) (transaction-local: nothing leaks to the next user of the pooled
// connection). The system client logs in as the schema owner and exists for identity look-ups
// (sign-in by email, tokens) and platform jobs only; see docs/security/tenancy.md.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import pgUtils from "pg/lib/utils.js";

/** A new connection that takes longer than this fails (the request answers 503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;
import { ConnectionBreaker, type BreakerOptions } from "./breaker.ts";
import { ROLLED_BACK_ERROR, TRACE_PARENT, tracedClientClass, type StatementHooks, type StatementTracer, type TraceParent } from "./statement-tracing.ts";
import { scopeWitnessOn } from "./env.ts";
import { rowBuilder, type PgField, type RowBuilder, type TypeSource } from "./rows.ts";
import { withFastTimestamps } from "./timestamps.ts";
import { Prisma, PrismaClient } from "./generated/client.ts";

/**
 * The app role's pool, shared by Prisma and `tenantRead`. Its clients run in pg's pipeline mode:
 * a query is written as soon as it is issued instead of after the previous one's answer. Prisma
 * awaits each statement of a transaction before it sends the next, so for Prisma nothing changes;
 * `tenantRead` issues a whole read-only transaction at once (one write, one round trip).
 */
function createAppPool(url: string, max: number, breaker: ConnectionBreaker, connections: Map<number, CountingClient>, statementHooks: StatementHooks): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, Client: countingClientClass(tracedClientClass(breaker.clientClass(), statementHooks), connections), pipeline: true });
  // An idle client the server dropped: the pool discards it; nothing to crash the process for.
  pool.on("error", () => undefined);
  return pool;
}

function createAppClient(pool: pg.Pool, queryEvents = false) {
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
/** A pg client of `tracedClientClass`: the trace parent of the transaction running on it. */
interface Traceable {
  [TRACE_PARENT]?: TraceParent | undefined;
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
      return (this as unknown as { processID?: number }).processID;
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

export type AppClient = ReturnType<typeof createAppClient>;
/** Rows of one statement of a `tenantRead`, as pg returns them (column names as the SQL aliases them). */
export type ReadRows = Record<string, unknown>[];
/** The transaction handle services receive: the app client minus connection management. */
export type TenantTx = Omit<AppClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
export type SystemClient = PrismaClient;

/**
 * A principal (API key, member's access) an API instance cached, and the workspace's
 * `auth_version` it was loaded at (decision 0014). Triggers bump the version in the same
 * transaction as any change that can reduce power.
 */
export interface PrincipalStamp {
  version: number;
  /** Set once a transaction of the request (or the request's own check) found the version unchanged. */
  verified?: boolean;
  /**
   * Called inside the tenant transaction when the workspace's version moved since: re-reads the
   * principal on `tx` (a principal being loaded), or — a principal served from an instance's
   * cache — marks the request stale and throws, so the request runs again with a fresh read.
   */
  revalidate(tx: TenantTx, current: number | null): Promise<void>;
}

/**
 * A signed-in session whose state (session_state(): user, live, global role, e-mail, step-up
 * time) an API instance cached. The first tenant transaction of the request reads the state in
 * the statement that sets the tenant settings and hands it to `check`, which throws when it
 * changed (the request runs again with a fresh read).
 */
export interface SessionStamp {
  sessionId: string;
  verified?: boolean;
  check(current: unknown): void;
}

/**
 * The cached principals one API request relies on (decision 0014): the members' accesses and the
 * API key by workspace id, and the session. The API gives each run of a GraphQL request a new one,
 * in the run's scope (`RequestScope`, handed to every unit of work in its `TenantContext`); every
 * tenant transaction of the request reads, in the statement that sets the tenant settings (no
 * extra round trip), its workspace's version and the session's state, and re-checks before
 * running anything else when they moved.
 * What no transaction verified is checked once at the end of a query (or before a mutation runs).
 */
export class RequestPrincipals {
  readonly workspaces = new Map<string, PrincipalStamp>();
  session: SessionStamp | undefined = undefined;
  /** A cached principal turned out stale: the request's answer must not be used; run it again. */
  stale = false;
  /**
   * Whether a cached principal may be registered here for the request's transactions to verify
   * (a query), or must be verified before it is used (a mutation, once it is known to be one:
   * a mutation never runs twice).
   */
  deferred = true;

  /** Whether a stamp is still waiting for a transaction (or the request's check) to verify it. */
  get unverified(): boolean {
    if (this.session && !this.session.verified) return true;
    for (const stamp of this.workspaces.values()) if (!stamp.verified) return true;
    return false;
  }
}

/** A stamp meets the version a statement read: verified as it is, or revalidated (which throws when it cannot stand). */
export async function settleStamp(stamp: PrincipalStamp, current: number | null, tx: TenantTx): Promise<void> {
  if (current !== stamp.version) await stamp.revalidate(tx, current);
  stamp.verified = true;
}

/** A session stamp meets the state a statement read: verified, or `check` throws. */
export function settleSession(session: SessionStamp, current: unknown): void {
  session.check(current);
  session.verified = true;
}

/**
 * What a tenant transaction's first statement read about its workspace besides the tenant
 * settings: the event types its enabled webhook endpoints subscribe to (kept on the workspace row
 * by a trigger). Keyed by the transaction handle, so it is exactly that transaction's view.
 */
export interface TenantFacts {
  workspaceId: string;
  webhookEventTypes: readonly string[];
}
const txFacts = new WeakMap<object, TenantFacts>();
/** The facts of `tx` (undefined for a transaction that did not read them, e.g. the system client). */
export const tenantFactsOf = (tx: object): TenantFacts | undefined => txFacts.get(tx);
/** The trace parent of a traced `tenant` transaction (decision 0035): a job it enqueues is that span's child. */
const txTraces = new WeakMap<object, TraceParent>();
export const traceOfTx = (tx: object): TraceParent | undefined => txTraces.get(tx);

export interface TenantContext {
  userId?: string | null;
  workspaceId?: string | null;
  /**
   * The request this unit of work belongs to (its deadline and cached principals), handed down
   * explicitly (decision 0014, addendum 21: no AsyncLocalStorage, whose promise hooks cost every
   * promise of the process). `null`: work a request starts that is not part of its answer (a
   * fire-and-forget touch). Undefined: not in a request (jobs, start-up, tests).
   */
  scope?: RequestScope | null;
}

/** What one request (one run of it, for GraphQL) hands to each of its units of work. */
export interface RequestScope {
  readonly deadline?: RequestDeadline | undefined;
  readonly principals?: RequestPrincipals | undefined;
  /** The request's statement count (its log line), shared by all its runs. */
  readonly statements?: StatementCounter | undefined;
  /**
   * The sampled span its statements are traced under (decision 0035): set by the API's tracing on
   * the request's own scope (the HTTP span, then the GraphQL operation's while it runs), copied into
   * each run's. Undefined when tracing is off or the request is not sampled.
   */
  trace?: TraceParent | undefined;
}

/**
 * How many SQL statements a request's units of work sent (the request log, decision 0037): a
 * pipeline adds its statements, a `tenant` transaction its BEGIN, settings, the statements its
 * callback ran and its COMMIT (or ROLLBACK). One object per request, no allocation per statement.
 */
export interface StatementCounter {
  statements: number;
}

/**
 * The scope witness, for tests only (ATRIUM_SCOPE_WITNESS=1, set by jest.base.js): the HTTP layer
 * also enters each request's scope in an AsyncLocalStorage, and a unit of work that runs inside a
 * request without that very scope in its context is recorded (and refused), so a call site that
 * forgot to hand the scope down fails the suite instead of silently losing its deadline and its
 * principal checks. Off in production: no storage, no promise hooks.
 */
const witness = scopeWitnessOn() ? new AsyncLocalStorage<RequestScope>() : undefined;
const witnessed: string[] = [];
/** Runs `fn` with `scope` witnessed (tests); just runs it otherwise. */
export function witnessScope<T>(scope: RequestScope, fn: () => T): T {
  return witness ? witness.run(scope, fn) : fn();
}
/**
 * A run of work inside a request (a GraphQL run, a principal's load) with principals of its own:
 * `fn` gets the scope — the request's deadline and `principals` — witnessed as the request's
 * (tests: `parent` must be the scope of the request this runs in).
 */
export function runScope<T>(parent: RequestScope | null | undefined, principals: RequestPrincipals, fn: (scope: RequestScope & { readonly principals: RequestPrincipals }) => T): T {
  checkScope({ scope: parent });
  const scope = { deadline: parent?.deadline, principals, statements: parent?.statements, trace: parent?.trace };
  return witnessScope(scope, () => fn(scope));
}
/** The units of work the witness caught without their request's scope (and clears the list). */
export function takeScopeViolations(): string[] {
  return witnessed.splice(0);
}
/**
 * Runs `fn` witnessed as `ctx`'s own (tests): work done for several requests at once (a coalesced
 * write) runs in the context of the first, and what it then does for each is that one's.
 */
function inOwnScope<T>(ctx: TenantContext, fn: () => T): T {
  if (!witness || ctx.scope === null) return fn();
  return ctx.scope ? witness.run(ctx.scope, fn) : witness.exit(fn);
}

/** Tests: throws when `ctx` runs inside a request without that request's scope (nothing in production). */
function checkScope(ctx: TenantContext): void {
  if (!witness || ctx.scope === null) return;
  const expected = witness.getStore();
  if (!expected || ctx.scope === expected) return;
  const where = new Error().stack?.split("\n").slice(3, 7).join(" | ") ?? "";
  const problem = `a unit of work inside a request ${ctx.scope ? "with another request's scope" : "without its request's scope"}: ${where}`;
  witnessed.push(problem);
  throw new Error(problem);
}

export interface Db {
  /** Runs `fn` in one transaction with the tenant settings applied. */
  tenant<T>(ctx: TenantContext, fn: (tx: TenantTx) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  /**
   * Read-only statements in one tenant transaction sent as one pipeline (decision 0014): the
   * same tenant settings statement as `tenant` (with the request's principal checks), then the
   * statements, ended by one Sync (the extended protocol's implicit transaction, no BEGIN/COMMIT:
   * addendum 7) — written at once and answered in one round trip. Returns each statement's
   * rows, or `undefined` when the caller must run its read through `tenant` instead: a cached
   * principal whose version moved (`tenant` revalidates it), any statement that failed (`tenant`
   * gives the error its usual answer), or a bench strategy without transactions. Only for
   * statements without side effects: a failed pipeline is run again by the caller.
   */
  tenantRead(ctx: TenantContext, statements: readonly Prisma.Sql[]): Promise<ReadRows[] | undefined>;
  /**
   * One statement that writes, in one tenant transaction sent as one pipeline (decision 0014,
   * addendums 3 and 19): the tenant settings and the statement, ended by one Sync as `tenantRead`'s
   * (the implicit transaction: committed at the Sync, or rolled back at the first error, a
   * failure at commit included) — one write, one round trip.
   * For a write whose SQL decides itself whether it applies, returning no row when it does not.
   * Returns its rows once committed; `undefined` when nothing was written and the caller must
   * write through `tenant`: the statement returned no row, the server refused a statement (rolled
   * back), a cached principal whose version moved (the settings statement fails before the write
   * runs; `tenant` revalidates), a session still to verify, no connection, a bench strategy. Once the
   * pipeline is on the wire, a connection lost before the answer to its Sync throws: whether it
   * committed is unknown, so nothing may write it again. "Rolled back" is only ever read from a
   * ReadyForQuery that follows the error. `statement` is one command, always parsed (never sent
   * as a simple query), and runs in the implicit transaction: one that needs a transaction block
   * of its own (LOCK, DECLARE, SAVEPOINT) is refused there and belongs in `tenant`.
   */
  tenantWrite(ctx: TenantContext, statement: Prisma.Sql): Promise<ReadRows | undefined>;
  /**
   * `tenantWrite` for a write that many requests of one workspace make alike (a submitted lead),
   * coalesced (decision 0014, addendum 25): the items of one `batch` issued in one turn of the
   * event loop for the same workspace, user and cached-principal version go as one statement,
   * `batch.many`, in one pipeline — one transaction for all of them (`batch.one` when only one
   * came). A group that reaches WRITE_BATCH_MAX items leaves at once instead of at the end of the
   * turn (addendum 35); the turn's next items start another. Returns this item's rows, as
   * `tenantWrite` would (undefined: write through `tenant`).
   * - The server refused the batch (an item's key taken meanwhile, a lock it gave way on, a
   *   timeout): nothing of it was written, and each item is written again on its own through
   *   `tenantWrite`, so one item's failure is its own answer only.
   * - The connection was lost once the batch was on the wire: every item fails (outcome unknown:
   *   never written again).
   * - An item whose request's deadline passed while it waited for its turn fails alone; the
   *   batch's statement_timeout is its earliest member's time left.
   */
  tenantWriteBatched<I>(ctx: TenantContext, batch: WriteBatch<I>, item: I): Promise<ReadRows | undefined>;
  /** Owner-role client. Identity and platform code only (enforced by a lint rule). */
  system: SystemClient;
  /** Raw app-role client, without tenant settings: RLS shows it nothing. For tests and benches. */
  appUnscoped: AppClient;
  /** Owner-role URL, for platform plumbing that needs its own connection (pg-boss). */
  ownerUrl: string;
  /** The circuit breaker both pools connect through (breaker.ts). */
  breaker: ConnectionBreaker;
  /** Each pool's connections as they are now (metrics read them at scrape time). */
  poolStats(): Record<"app" | "system", PoolStats>;
  disconnect(): Promise<void>;
  /** Statement spans (statement-tracing.ts): every statement of both clients reported to `tracer`; undefined turns them off. */
  traceStatements(tracer: StatementTracer | undefined): void;
}

/** A pool's connections: open (`total`, of which `idle`), callers `waiting` for one, and its limit. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

const poolStatsOf = (pool: pg.Pool): PoolStats => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 });

/**
 * A request's deadline (per-route deadlines, issue 16) and the commit gate that keeps its 503 true.
 * - The HTTP layer creates one per request (in the request's `RequestScope`)
 *   and, when the deadline passes, asks `expire()` whether it may answer 503 DEADLINE_EXCEEDED.
 * - A tenant transaction started under it gets a statement_timeout for the time left (none is
 *   started once it has passed) and passes the gate when its work is done: `beginCommit()`
 *   refuses once the request was answered, so that transaction is rolled back, not committed
 *   behind a "stopped, try again" answer. statement_timeout alone cannot promise that: it is per
 *   statement, so one that began before the deadline can end, and commit, after it.
 * - A commit in flight at the deadline holds the 503 until it settles: failed → the 503 goes
 *   out; landed → the handler gets LATE_COMMIT_GRACE_MS to send its own (true) answer first.
 * All of it runs on the one event loop, so the gate and the timer cannot interleave.
 */
export class RequestDeadline {
  static readonly LATE_COMMIT_GRACE_MS = 1_000;
  /** The request was answered 503 DEADLINE_EXCEEDED: nothing may commit any more. */
  answered = false;
  private committing = 0;
  private onSettled: (() => void)[] = [];

  constructor(readonly at: number) {}

  /** Milliseconds left (≤ 0 once passed). */
  left(now = Date.now()): number {
    return this.at - now;
  }

  /** At the deadline: may the request be answered 503 now? If a commit is in flight, `retry` runs once it settles. */
  expire(retry: () => void): boolean {
    if (this.answered) return false;
    if (this.committing > 0) {
      this.onSettled.push(retry);
      return false;
    }
    this.answered = true;
    return true;
  }

  /** The commit gate, at the end of a transaction's work: throws once the request was answered. */
  beginCommit(): void {
    if (this.answered) throw new DeadlineExceededError("the request's deadline passed; its transaction was rolled back");
    this.committing++;
  }

  /** The commit (or its rollback) settled. */
  endCommit(committed: boolean): void {
    this.committing--;
    if (this.committing > 0 || this.onSettled.length === 0) return;
    const waiting = this.onSettled;
    this.onSettled = [];
    const run = () => {
      for (const retry of waiting) retry();
    };
    if (committed) setTimeout(run, RequestDeadline.LATE_COMMIT_GRACE_MS).unref();
    else run();
  }
}

/** A unit of work started after its request's deadline. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
  readonly code = "DEADLINE_EXCEEDED";
  constructor(message = "the request's deadline passed before its database work could start") {
    super(message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How tenant settings reach Postgres (docs/decisions/0002-tenant-transaction-per-unit-of-work.md):
 * - "transaction" (default): one interactive transaction per unit of work, settings set once.
 * - "per-query": Prisma's RLS-extension pattern, each query wrapped in its own batch
 *   transaction with the settings; kept only so bench/ can compare the two.
 * - "unsafe-owner-no-tenancy": the owner role, no transaction, no settings, no RLS. Benchmarks'
 *   baseline only; never reachable from configuration.
 */
export type TenantStrategy = "transaction" | "per-query" | "unsafe-owner-no-tenancy";

/** The context's ids as the settings take them ("" for none). Fails closed on anything that is not a UUID: the cast in the policies would error. */
function tenantIds(ctx: TenantContext): { userId: string; workspaceId: string } {
  const userId = ctx.userId ?? "";
  const workspaceId = ctx.workspaceId ?? "";
  if ((userId && !UUID.test(userId)) || (workspaceId && !UUID.test(workspaceId))) throw new Error("tenant context ids must be UUIDs");
  return { userId, workspaceId };
}

type SettingsRow = { v?: number | null; hooks?: string[] | null; s?: unknown; pid?: number };

/** What a unit of work of its request must check, and its deadline; throws once the deadline passed. */
function unitOfWork(workspaceId: string, scope: RequestScope | null | undefined) {
  const run = scope?.principals;
  const stamp = workspaceId ? run?.workspaces.get(workspaceId) : undefined;
  const session = run?.session && !run.session.verified ? run.session : undefined;
  const gate = scope?.deadline;
  const left = gate?.left();
  if (gate?.answered || (left !== undefined && left <= 0)) throw new DeadlineExceededError();
  return { stamp, session, gate, left, deadline: gate?.at, trace: scope?.trace };
}

/**
 * A pipeline waits for a lock no longer than this (55P03 after it: rolled back, and its caller
 * takes `tenant`, which waits on a connection of its own). The pipelines of one turn run one after
 * another on a shared connection (addendum 22): without it, one that waits on a row another
 * transaction holds — a racing submission's contact, a table lock — would hold up the ones queued
 * behind it, other workspaces' included, for as long as the lock is held.
 */
const PIPELINE_LOCK_TIMEOUT_MS = 100;
/**
 * A pipeline's settings for its transaction: the lock timeout above, and its prepared statements
 * run on their generic plan (decision 0014, addendum 26). With `plan_cache_mode = auto` the server
 * compares a statement's generic plan, costed for an average workspace, with the plans it makes
 * for each call's own values; once one workspace is large, every small workspace's call looks far
 * cheaper planned for itself, and the server plans the statement again on every execution.
 * The pipelines' statements (a workspace's keyset page, its count, a submitted lead's look-ups
 * and inserts) are index walks of one workspace whatever its size, and the settings hold the
 * generic plan to that (addendum 28): no sequential scan, no parallel workers. The average
 * workspace is rows / distinct workspaces, so with few workspaces and one large one it is tens of
 * thousands of rows, for which the planner chose a (parallel) sequential scan of the whole table
 * for a count and a Gather Merge over a parallel index scan for a page — for every workspace,
 * three leads or three million (`turn-pipelines.int.test.ts`; `submit-lead.int.test.ts` checks the
 * lead's look-ups with 3,000 contacts). Each table a pipeline reads has an index led by
 * workspace_id, and the largest workspace's count goes through it too: a bitmap heap scan (in one
 * process, 30 ms for 213,000 rows where the parallel sequential scan took 24 ms across three), or
 * an index-only scan once the table is vacuumed (15 ms, as before).
 */
const PIPELINE_SETTINGS = Prisma.raw(
  `, set_config('lock_timeout', '${PIPELINE_LOCK_TIMEOUT_MS}', true), set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
);

/**
 * The first statement of every tenant transaction: it sets the tenant settings, the request's
 * statement_timeout (issue 16) and, for a workspace in an interactive transaction (`tenant`, where
 * a change may emit an event; not a read pipeline or a one-statement write), reads its subscribed
 * webhook event types (issue 15) and — for a cached principal — its auth_version and the session's state (decision
 * 0014). The version comes first in the transaction: whatever the principal was loaded from is
 * at least as old as what this transaction reads next.
 */
function settingsStatement(userId: string, workspaceId: string, deadline: number | undefined, stamp: PrincipalStamp | undefined, session: SessionStamp | undefined, kind: "tenant" | "read" | "write" = "tenant", counted = false): Prisma.Sql {
  const write = kind === "write";
  const timeout = deadline === undefined ? null : String(Math.max(1, deadline - Date.now()));
  return Prisma.sql`SELECT set_config('app.user_id', ${userId}, true), set_config('app.workspace_id', ${workspaceId}, true)${
    timeout === null ? Prisma.empty : Prisma.sql`, set_config('statement_timeout', ${timeout}, true)`
  }${kind === "tenant" ? Prisma.empty : PIPELINE_SETTINGS}${stamp ? (write ? versionGuard(workspaceId, stamp) : Prisma.sql`, workspace_auth_version(${workspaceId}::uuid) AS v`) : Prisma.empty}${
    session ? Prisma.sql`, session_state(${session.sessionId}::uuid) AS s` : Prisma.empty
  }${workspaceId && kind === "tenant" ? Prisma.sql`, workspace_webhook_event_types(${workspaceId}::uuid) AS hooks` : Prisma.empty}${counted ? BACKEND_PID : Prisma.empty}`;
}

/** A counted `tenant` transaction's connection, by its server process id (see `CountingClient`). */
const BACKEND_PID = Prisma.raw(", pg_backend_pid() AS pid");

/**
 * `tenantWrite`'s check of a cached principal, for a pipeline whose write is already on the wire
 * behind it: the statement fails (22P02, the cast of a text that is no number) when the
 * workspace's auth_version moved, which aborts the transaction before the write runs — nothing is
 * written, and `tenant` then revalidates. (The version is read at run time: the function is
 * STABLE, never folded into the plan.)
 */
const versionGuard = (workspaceId: string, stamp: PrincipalStamp) =>
  Prisma.sql`, (CASE WHEN workspace_auth_version(${workspaceId}::uuid) IS NOT DISTINCT FROM ${stamp.version}::int THEN '0' ELSE 'auth_version moved' END)::int AS v`;

const BEGIN = Prisma.sql`BEGIN`;
const COMMIT = Prisma.sql`COMMIT`;

/**
 * Pipelines send their parameterised statements as named prepared statements (decision 0014,
 * addendum 4): a connection parses and plans a statement's text once, later pipelines on it only
 * bind and execute. The name is the text's hash, so one name never stands for two texts (pg
 * refuses that). Texts come from a bounded set of templates; past PREPARED_MAX distinct texts in
 * one process, new ones go unnamed (parsed every time) rather than grow every connection.
 */
const PREPARED_MAX = 1_000;
const preparedNames = new Map<string, string>();
function preparedName(st: Prisma.Sql, text: string = st.text): string | undefined {
  let name = preparedNames.get(text);
  if (name !== undefined || preparedNames.size >= PREPARED_MAX) return name;
  const family = (st as InFamily)[kFamily];
  if (family !== undefined) {
    const named = familyNames.get(family) ?? 0;
    if (named >= FAMILY_MAX) return undefined;
    familyNames.set(family, named + 1);
  }
  name = `atrium_${createHash("sha1").update(text).digest("base64url")}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Statements whose text a request shapes — a list's page reads the columns of the fields its
 * query selected (decision 0014, addendum 11), thousands of combinations — belong to a family
 * with a budget of its own: its first FAMILY_MAX texts are named, later ones go unnamed. No
 * client can use up the process's names, or grow every connection, by varying its selection.
 */
const FAMILY_MAX = 32;
const familyNames = new Map<string, number>();
/**
 * A statement's family, kept on the statement (not in a WeakMap keyed by it: V8's scavenges keep a
 * young key's entry alive, a cost on every request; decision 0014, addendum 39).
 */
const kFamily = Symbol("atrium.statementFamily");
type InFamily = Prisma.Sql & { [kFamily]?: string };
/** Marks `statement` as one of `family`'s (see FAMILY_MAX); returns it. */
export function inStatementFamily(statement: Prisma.Sql, family: string): Prisma.Sql {
  (statement as InFamily)[kFamily] = family;
  return statement;
}

/**
 * SQLSTATEs by which a connection's prepared statements no longer serve: 0A000 "cached plan must
 * not change result type" (a migration changed a table under a running instance), 26000 "prepared
 * statement does not exist". The connection is closed; its successor prepares afresh.
 */
const STALE_PREPARED = new Set(["0A000", "26000"]);
/** Pipelines one turn's shared connection takes at most (decision 0014, addendum 22); the next one opens another. */
const TURN_MAX = 16;
const stalePrepared = (r: PromiseSettledResult<unknown>) => r.status === "rejected" && STALE_PREPARED.has((r.reason as { code?: unknown } | null)?.code as string);

/**
 * The connection ended after the server's error and before its ReadyForQuery: whether the
 * transaction committed is unknown. A connection failure (SQLSTATE 08006, the server's error as its
 * cause), which the API answers as 503 SERVICE_UNAVAILABLE like any other lost connection.
 */
function connectionEnded(serverError: Error): Error {
  return Object.assign(new Error("the connection ended before the transaction's outcome was known", { cause: serverError }), { code: "08006" });
}

/** `pg`'s connection of a pooled client: its socket, corked while a pipeline is written (one write). */
const socketOf = (client: pg.PoolClient) => (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void; writableCorked?: number } } }).connection?.stream;

/**
 * A connection held for one transaction; `done` hands it back (`discard`: close it instead).
 * `turnOpen`: whether the turn it was shared in is still taking pipelines (its write then leaves
 * with the turn's; once the turn is over, at once). `now`: its write leaves at once all the same,
 * with what the turn has already put on the connection (a full coalesced group, addendum 35).
 */
interface Lease {
  client: pg.PoolClient;
  done: (discard: boolean) => void;
  turnOpen?: () => boolean;
  now?: boolean;
}

/**
 * A write many requests make alike, for `tenantWriteBatched`. Both statements decide for
 * themselves whether they apply (returning no row when they do not); an item with no row wrote
 * nothing.
 */
export interface WriteBatch<I> {
  /** The statement for one item, as `tenantWrite` takes it. */
  one(item: I): Prisma.Sql;
  /**
   * One statement for 2 to `WRITE_BATCH_MAX` items of one workspace, all or nothing: each row it
   * returns carries its item's 1-based position in an int column `n`.
   */
  many(items: readonly I[]): Prisma.Sql;
}

/**
 * Items one coalesced write takes at most (`tenantWriteBatched`). A group that holds them leaves at
 * once, without waiting for the end of its turn, so the database writes it while the turn's later
 * requests are still being read; the next items start another group (decision 0014, addendum 35).
 */
export const WRITE_BATCH_MAX = 16;

/** `writePipeline`'s answer when the server refused a statement (the transaction rolled back). */
const ROLLED_BACK = Symbol("rolled back");

/** What a request's unit of work checks (`unitOfWork`). */
type Work = ReturnType<typeof unitOfWork>;

/** Whether pg still takes queries on `client` (false once its connection failed or is ending). */
const queryable = (client: pg.PoolClient) => {
  const state = client as unknown as { _queryable?: boolean; _ending?: boolean };
  return state._queryable !== false && state._ending !== true;
};

/** Result types of the one-Sync reads: pg's parsers (the pool sets no overrides) with the fast timestamptz one (timestamps.ts). */
const READ_TYPES = withFastTimestamps(pg.types);
/**
 * Parsers that keep every value as its text: `sendSyncEach`'s rows are built by `rowBuilder`, with
 * `READ_TYPES`. (pg also hands a query's `types` to its Parse message as the parameter types; an
 * object without `length` sends none, as pg's own documented `types: { getTypeParser }` does.)
 */
const keepText = (text: string): string => text;
const TEXT_TYPES = { getTypeParser: () => keepText };
/** A pg result with `rowMode: "array"` and `TEXT_TYPES` as the rows one-Sync reads give. */
const builtRows = (result: pg.QueryResult<unknown[]>): ReadRows => {
  // Several results are a text with several statements: never one of ours (each has parameters).
  if (Array.isArray(result)) throw new Error("a statement gave several results");
  if (result.rows.length === 0) return [];
  const build = rowBuilder(result.fields, READ_TYPES);
  return result.rows.map((values) => build(values as (string | null)[]));
};
/** A CommandComplete's command, as pg's Result reads it ("INSERT 0 1" → "INSERT"). */
const COMMAND_TAG = /^[A-Za-z]+/;

/** One statement's answer in a pipeline. */
interface StatementAnswer {
  command: string;
  rows: ReadRows;
}
/**
 * A pipeline's answer: each statement's rows or error (those behind a failed statement did not
 * run: they carry that error too), and whether the transaction committed. A connection lost
 * before the answer is not an answer: `send` throws (whether a write committed is unknown).
 */
interface PipelineAnswer {
  results: PromiseSettledResult<StatementAnswer>[];
  committed: boolean;
  /** The connection must not be reused: its prepared statements went stale (`STALE_PREPARED`), or their state is unknown. */
  stale: boolean;
}

/** The slice of pg's Connection a pipeline writes to (pg/lib/connection.js). */
interface PgConnection {
  parsedStatements: Record<string, string>;
  parse(q: { text: string; name: string; types: unknown[] }): void;
  bind(c: { portal: string; statement: string; values: unknown[] }): void;
  describe(m: { type: "P"; name: string }): void;
  execute(m: { portal: string; rows: number }): void;
  close(m: { type: "S"; name: string }): void;
  once(event: "readyForQuery" | "end" | "error", listener: () => void): void;
  off(event: "readyForQuery" | "end" | "error", listener: () => void): void;
  sync(): void;
  stream?: { destroy(): void };
}
const pgInternals = pg as unknown as {
  Query: new (text: string) => object;
  DatabaseError: new () => Error;
};
/** An ErrorResponse from the server (of any severity), not a lost socket or a client-side error. */
const isServerError = (err: unknown): boolean => err instanceof pgInternals.DatabaseError;

/**
 * A whole transaction as one pg query (decision 0014, addendum 7): every statement's
 * Bind/Describe/Execute (and Parse, the first time a connection sees a named statement) and ONE
 * Sync, written at once. Without BEGIN/COMMIT the statements between two Syncs run in one
 * transaction (the extended protocol's implicit transaction), committed at the Sync when all
 * succeeded and rolled back at the first error (the server skips the rest up to the Sync).
 * `set_config(..., true)` lasts exactly that transaction, as it does inside BEGIN/COMMIT.
 *
 * It subclasses pg's Query so a pipeline-mode client accepts it; the client routes every message
 * up to the one ReadyForQuery to it, as to any query.
 */
class TransactionQuery extends pgInternals.Query {
  private readonly answers: PromiseSettledResult<StatementAnswer>[] = [];
  /** The statement whose rows are arriving: its rows so far and how each is built (rows.ts). */
  private current: { rows: ReadRows; build: RowBuilder } | undefined;
  /** The statement error the server sent (it rolled back); undefined while all succeed. */
  private failure: Error | undefined;
  private rowError: Error | undefined;
  /** Named statements this pipeline parses: recorded on the connection once it committed or failed cleanly. */
  private readonly parsing: { name: string; text: string }[] = [];
  private connection: PgConnection | undefined;
  callback: ((err: Error | null, answer?: PipelineAnswer) => void) | undefined;

  constructor(
    private readonly steps: readonly { text: string; name: string | undefined; values: unknown[] }[],
    private readonly types: TypeSource,
  ) {
    // A string, not `{ text }`: pg copies a config object's property descriptors for every query.
    super("");
  }

  submit(connection: PgConnection): Error | null {
    try {
      for (const st of this.steps) {
        if (st.name === undefined) {
          connection.parse({ text: st.text, name: "", types: [] });
        } else if (connection.parsedStatements[st.name] === undefined) {
          // Not known on this connection: a Parse of the same name that an earlier failed pipeline
          // got through may exist, so close it first (closing a missing statement is no error).
          connection.close({ type: "S", name: st.name });
          connection.parse({ text: st.text, name: st.name, types: [] });
          this.parsing.push({ name: st.name, text: st.text });
        }
        connection.bind({ portal: "", statement: st.name ?? "", values: st.values });
        connection.describe({ type: "P", name: "" });
        connection.execute({ portal: "", rows: 0 });
      }
      connection.sync();
    } catch (err) {
      // Part of this pipeline may be in the socket's buffer without its Sync, ahead of other
      // pipelines of the turn (addendum 22): sent, the server would run them as one transaction.
      // The connection is destroyed instead; everything on it fails with no answer.
      connection.stream?.destroy();
      return err instanceof Error ? err : new Error(String(err));
    }
    this.connection = connection;
    return null;
  }

  handleRowDescription(msg: { fields: PgField[] }): void {
    this.current = { rows: [], build: rowBuilder(msg.fields, this.types) };
  }
  handleDataRow(msg: { fields: (string | null)[] }): void {
    if (this.rowError) return;
    const result = this.current!;
    try {
      result.rows.push(result.build(msg.fields));
    } catch (err) {
      // A value pg cannot parse: this statement's answer is the error (the server still commits
      // or rolls back as the statements decide).
      this.rowError = err as Error;
    }
  }
  handleCommandComplete(msg: { text?: string }): void {
    if (this.rowError) this.answers.push({ status: "rejected", reason: this.rowError });
    else this.answers.push({ status: "fulfilled", value: { command: COMMAND_TAG.exec(msg.text ?? "")?.[0] ?? "", rows: this.current?.rows ?? [] } });
    this.current = undefined;
    this.rowError = undefined;
  }
  handleEmptyQuery(): void {
    this.answers.push({ status: "fulfilled", value: { command: "", rows: [] } });
  }
  handlePortalSuspended(): void {
    // Never asked for (Execute with no row limit).
  }
  handleError(err: Error): void {
    const connection = this.connection;
    if (isServerError(err) && connection) {
      // A statement failed, or the commit at the Sync did: the server rolled back — but only its
      // ReadyForQuery says so. pg stops routing to this query at an error, so it is awaited on the
      // connection itself. A FATAL error (its severity is in the server's language, so it is not
      // read here) is followed by the connection's end instead: no answer, the outcome unknown.
      this.failure = err;
      const ready = () => {
        off();
        this.settle();
      };
      const gone = () => {
        off();
        const cb = this.callback;
        this.callback = undefined;
        cb?.(connectionEnded(err));
      };
      const off = () => {
        connection.off("readyForQuery", ready);
        connection.off("end", gone);
        connection.off("error", gone);
      };
      connection.once("readyForQuery", ready);
      connection.once("end", gone);
      connection.once("error", gone);
      return;
    }
    // Not an ErrorResponse: the connection is gone (pg fails every query on it), no answer will come.
    const cb = this.callback;
    this.callback = undefined;
    cb?.(err);
  }
  handleReadyForQuery(): void {
    this.settle();
  }
  private settle(): void {
    const cb = this.callback;
    this.callback = undefined;
    if (!cb) return;
    const failure = this.failure;
    // Committed: the named statements it parsed now exist on the connection. After a failure the
    // Parses before it happened and those after it did not: none is recorded, and the next
    // pipeline on this connection closes and parses them again (see submit).
    if (!failure && this.connection) for (const p of this.parsing) this.connection.parsedStatements[p.name] = p.text;
    const results = this.answers.slice(0, this.steps.length);
    while (results.length < this.steps.length) results.push({ status: "rejected", reason: failure ?? new Error("no answer to a statement") });
    // A failed pipeline that parsed may have left named statements on the server that
    // `parsedStatements` does not know; pg's own queries (the sync-each pipelines) would Parse
    // them again without closing first (42P05). Rare, so the connection is closed, not tracked.
    cb(null, { results, committed: !failure, stale: results.some(stalePrepared) || (failure !== undefined && this.parsing.length > 0) });
  }
}

export function createDb(opts: {
  appUrl: string;
  ownerUrl: string;
  poolSize?: number;
  strategy?: TenantStrategy;
  /** Every statement the app role's client sends (tests count them). */
  onQuery?: (sql: string) => void;
  /** Every statement the system (owner) client sends: sessions, versions (tests count them). */
  onSystemQuery?: (sql: string) => void;
  breaker?: BreakerOptions;
  /** Named prepared statements for pipelines (default on; the bench compares without). */
  prepared?: boolean;
  /** Pipelines as BEGIN, one pg query per statement, COMMIT (the bench compares; default one Sync per transaction). */
  syncEach?: boolean;
  /** One-Sync pipelines of one turn share a connection and a write (default on; the bench compares without: addendum 22). */
  shareTurns?: boolean;
  /** `tenantWriteBatched` coalesces a turn's items (default on; the bench compares without: addendum 25). */
  coalesceWrites?: boolean;
}): Db {
  // One breaker for both pools: they reach the same server.
  const breaker = new ConnectionBreaker(opts.breaker);
  const appConnections = new Map<number, CountingClient>();
  // Statement spans (statement-tracing.ts): off until the API hands a tracer to `traceStatements`.
  const statementHooks: StatementHooks = { tracer: undefined };
  const appPool = createAppPool(opts.appUrl, opts.poolSize ?? 10, breaker, appConnections, statementHooks);
  const app = createAppClient(appPool, opts.onQuery !== undefined);
  const onQuery = opts.onQuery;
  if (onQuery) app.$on("query", (e) => onQuery(e.query));
  const strategy = opts.strategy ?? "transaction";
  const prepared = opts.prepared ?? true;
  const syncEach = opts.syncEach ?? false;
  const shareTurns = opts.shareTurns ?? true;
  // Coalescing rides on the shared turns' one-Sync pipelines; without them (the bench's variants), one pipeline per item.
  const coalesceWrites = (opts.coalesceWrites ?? true) && shareTurns && !syncEach && strategy === "transaction";
  // The owner role's pool, built here rather than by the adapter so that its figures can be read
  // (`poolStats`); ended in `disconnect` (the adapter leaves a pool it was given open).
  const systemPool = new pg.Pool({ connectionString: opts.ownerUrl, max: strategy === "unsafe-owner-no-tenancy" ? (opts.poolSize ?? 10) : 5, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, Client: tracedClientClass(breaker.clientClass(), statementHooks) });
  systemPool.on("error", () => undefined);
  const system: SystemClient = new PrismaClient({
    adapter: new PrismaPg(systemPool),
    log: opts.onSystemQuery ? [{ emit: "event", level: "query" }] : [],
  });
  const onSystemQuery = opts.onSystemQuery;
  if (onSystemQuery) (system as unknown as { $on(event: "query", cb: (e: { query: string }) => void): void }).$on("query", (e) => onSystemQuery(e.query));

  /**
   * A pooled connection for a pipeline, waiting no longer than the request has left (the pool's own
   * limit is CONNECT_TIMEOUT_MS); undefined when none came (the caller's `tenant` answers that).
   */
  async function connectWithin(left: number | undefined): Promise<pg.PoolClient | undefined> {
    const pending = appPool.connect();
    if (left === undefined) return pending.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, left), undefined);
    });
    const client = await Promise.race([pending.catch(() => undefined), timedOut]);
    clearTimeout(timer);
    // Came too late: back to the pool.
    if (!client) pending.then((late) => late.release(), () => undefined);
    return client;
  }

  /**
   * Pipelines issued in one turn of the event loop share one pooled connection and one socket
   * write (decision 0014, addendum 22): the turn's first pipeline checks a connection out, the
   * ones after it (up to TURN_MAX) are queued on the same connection behind it, and the socket
   * stays corked until the turn's immediates run (or a full coalesced group leaves). Each pipeline
   * ends in its own Sync, so each is its own transaction with its own tenant settings; the server
   * runs them one after another, a failed one rolls back alone (the server skips to its Sync), and
   * pg routes each answer to its query. The connection goes back to the pool once the turn is over
   * and every pipeline on it has its answer; closed instead when one of them lost the connection
   * or found its prepared statements stale.
   */
  interface TurnSlot {
    client: Promise<pg.PoolClient | undefined>;
    inflight: number;
    joined: number;
    open: boolean;
    discard: boolean;
    released: boolean;
  }
  let turn: TurnSlot | undefined;
  const settleSlot = (slot: TurnSlot) => {
    if (slot.open || slot.inflight > 0 || slot.released) return;
    slot.released = true;
    void slot.client.then((client) => client?.release(slot.discard ? true : undefined));
  };
  /** This turn's shared connection (see TurnSlot), waiting no longer than `left` for one; undefined when none came. */
  async function turnConnection(left: number | undefined): Promise<Lease | undefined> {
    let slot = turn;
    if (!slot || slot.joined >= TURN_MAX) {
      const fresh: TurnSlot = { client: connectWithin(left), inflight: 0, joined: 0, open: true, discard: false, released: false };
      slot = turn = fresh;
      setImmediate(() => {
        if (turn === fresh) turn = undefined;
        fresh.open = false;
        settleSlot(fresh);
      });
    }
    const joined = slot;
    joined.inflight++;
    joined.joined++;
    const client = await joined.client;
    let once = false;
    const done = (discard: boolean) => {
      if (once) return;
      once = true;
      if (discard) joined.discard = true;
      joined.inflight--;
      settleSlot(joined);
    };
    if (!client) {
      done(false);
      return undefined;
    }
    // Lost while the turn's other pipelines were on it: nothing of this one is on the wire yet, so
    // the caller takes its other path (`tenant`, on a connection of its own), as without one.
    if (!queryable(client)) {
      done(true);
      return undefined;
    }
    return { client, done, turnOpen: () => joined.open };
  }

  /**
   * Statements of one transaction written at once on `client` (one corked write) and answered in
   * one round trip; `done` hands the connection back (closed when it gave no answer: its state is
   * unknown, and so is whether a write committed; or when its prepared statements went stale,
   * `STALE_PREPARED`). A statement that fails rolls the transaction back and the ones behind it do
   * not run. Throws when the connection gave no answer.
   *
   * `oneSync`: one Sync for the whole transaction (`TransactionQuery`; reads and writes), on the
   * turn's shared connection (unless `shareTurns` is off). Otherwise BEGIN, each statement as its own pg query, COMMIT, on a
   * connection of its own (the bench's `syncEach`, to compare the two: decision 0014, addendums 7 and 19).
   */
  async function send({ client, done, turnOpen, now }: Lease, statements: readonly Prisma.Sql[], oneSync: boolean, trace: TraceParent | undefined): Promise<PipelineAnswer> {
    let answer: PipelineAnswer | undefined;
    // The statements of a syncEach pipeline are traced one by one (tracedClientClass), under the
    // trace parent the connection holds while they run.
    const traced = oneSync ? statementHooks.tracer?.start(null, statements.length, trace) : undefined;
    try {
      if (oneSync) answer = await sendOneSync(client, statements, turnOpen, now);
      else {
        (client as Traceable)[TRACE_PARENT] = trace;
        try {
          answer = await sendSyncEach(client, statements);
        } finally {
          (client as Traceable)[TRACE_PARENT] = undefined;
        }
      }
    } catch (err) {
      traced?.(err);
      throw err;
    } finally {
      done(!answer || answer.stale);
    }
    traced?.(answer.committed ? undefined : ROLLED_BACK_ERROR);
    if (onQuery) for (const st of oneSync ? statements : [BEGIN, ...statements, COMMIT]) onQuery(st.text);
    return answer;
  }

  /** A connection for one transaction: the turn's shared one for one-Sync pipelines, one of its own otherwise. */
  async function pipelineConnection(left: number | undefined): Promise<Lease | undefined> {
    if (!syncEach && shareTurns) return turnConnection(left);
    const client = await connectWithin(left);
    return client && { client, done: (discard: boolean) => client.release(discard ? true : undefined) };
  }

  function sendOneSync(client: pg.PoolClient, statements: readonly Prisma.Sql[], turnOpen?: () => boolean, now = false): Promise<PipelineAnswer> {
    return new Promise<PipelineAnswer>((resolve, reject) => {
      // Prisma.Sql's text is built anew on each read: once per statement here.
      const steps = statements.map((st) => {
        const text = st.text;
        return { text, name: prepared && st.values.length ? preparedName(st, text) : undefined, values: st.values.map((v) => pgUtils.prepareValue(v)) };
      });
      const query = new TransactionQuery(steps, READ_TYPES);
      const socket = socketOf(client);
      socket?.cork?.();
      try {
        void client.query(query as never, ((err: Error | null, answer?: PipelineAnswer) => {
          if (err) return reject(err);
          // Settled at ReadyForQuery: the connection must be idle, outside any transaction (a
          // statement that opened one would keep its settings alive into the next checkout).
          // After a statement error the ReadyForQuery is still to come: the server ends that
          // transaction at the Sync.
          const status = (client as unknown as { getTransactionStatus?(): string | null }).getTransactionStatus?.();
          resolve(answer!.committed && status !== "I" ? { ...answer!, committed: false, stale: true } : answer!);
        }) as never);
      } finally {
        // At the end of the turn: the turn's other pipelines on this connection join the write
        // (at once when the turn is already over: a coalesced write, a connection that came late).
        if (now && socket?.uncork) {
          // Now, with the pipelines the turn corked on it before this one. Their corks are put
          // back, so that their uncorks at the end of the turn still balance them: the turn's
          // later pipelines wait for that end, and no uncork outlives its turn.
          const before = (socket.writableCorked ?? 1) - 1;
          do socket.uncork();
          while ((socket.writableCorked ?? 0) > 0);
          for (let i = 0; i < before; i++) socket.cork?.();
        } else if (shareTurns && turnOpen?.() !== false) {
          if (socket?.uncork) setImmediate(() => socket.uncork!());
        } else socket?.uncork?.();
      }
    });
  }

  async function sendSyncEach(client: pg.PoolClient, statements: readonly Prisma.Sql[]): Promise<PipelineAnswer> {
    const socket = socketOf(client);
    socket?.cork?.();
    // Statements without parameters (BEGIN, COMMIT) go as simple queries.
    // Rows as text arrays, built by the same row builders as the one-Sync reads' (rows.ts).
    const pending = [BEGIN, ...statements, COMMIT].map((st) =>
      client.query<unknown[]>({ ...(prepared && st.values.length ? { name: preparedName(st) } : {}), text: st.text, values: st.values, rowMode: "array", types: TEXT_TYPES }),
    );
    socket?.uncork?.();
    const settled = await Promise.allSettled(pending);
    const commit = settled.at(-1)!;
    // No answer to COMMIT, or an error for it: the outcome is not "rolled back" for certain.
    if (commit.status === "rejected") throw commit.reason;
    // A row that cannot be built (a parser that throws) fails that statement's answer only, as a
    // value pg could not parse did: the transaction's outcome is COMMIT's.
    const results = settled.slice(1, -1).map((r): PromiseSettledResult<StatementAnswer> => {
      if (r.status === "rejected") return r;
      try {
        return { status: "fulfilled", value: { command: r.value.command, rows: builtRows(r.value) } };
      } catch (reason) {
        return { status: "rejected", reason };
      }
    });
    return { results, committed: commit.status === "fulfilled" && commit.value.command === "COMMIT", stale: settled.some(stalePrepared) };
  }

  /** Runs `build` (which may throw: the deadline passed while waiting) with the connection handed back if it does. */
  function orRelease<T>(done: (discard: boolean) => void, build: () => T): T {
    try {
      return build();
    } catch (err) {
      done(false);
      throw err;
    }
  }

  /**
   * The write pipeline of `tenantWrite` and of a coalesced batch: the tenant settings (with the
   * members' cached-principal guard — one version, the batch's key) and `statement`, ended by one
   * Sync, on `connection`, for units of work whose commit gates were passed (`beginCommit`); each
   * gate is ended here. Returns the statement's rows once committed (none: it chose to write
   * nothing), ROLLED_BACK when the server refused a statement; throws when no answer came (whether
   * it committed is unknown) or when it committed and its rows could not be read.
   */
  async function writePipeline(connection: Lease, userId: string, workspaceId: string, works: readonly Work[], statement: Prisma.Sql): Promise<ReadRows | typeof ROLLED_BACK> {
    let deadline: number | undefined;
    for (const w of works) if (w.deadline !== undefined && (deadline === undefined || w.deadline < deadline)) deadline = w.deadline;
    const stamp = works.find((w) => w.stamp)?.stamp;
    const verified = () => {
      for (const w of works) if (w.stamp) w.stamp.verified = true;
    };
    let committed = false;
    try {
      // A cached principal of the workspace: its version guards the write (`versionGuard`).
      let answer: PipelineAnswer;
      try {
        // A coalesced batch is traced under its first traced request (decision 0035).
        answer = await send(connection, [settingsStatement(userId, workspaceId, deadline, stamp, undefined, "write"), statement], !syncEach, works.find((w) => w.trace !== undefined)?.trace);
      } catch (err) {
        // No answer to the transaction (the connection lost): whether it committed is unknown,
        // so this is the request's answer (503 for a lost connection) — never a reason to write
        // again, nor to run the request again (which the end-of-request check of a principal
        // left unverified could do).
        verified();
        throw err;
      }
      const [settings, written] = answer.results;
      // The guard passed: the principal was current when the write ran.
      if (settings!.status === "fulfilled") verified();
      // The server refused a statement: the transaction rolled back.
      if (!answer.committed) return ROLLED_BACK;
      // Committed, yet its rows could not be read: never written again.
      if (written!.status === "rejected") {
        committed = true;
        throw written!.reason;
      }
      committed = written!.value.rows.length > 0;
      return written!.value.rows;
    } finally {
      for (const w of works) w.gate?.endCommit(committed);
    }
  }

  async function tenantWrite(ctx: TenantContext, statement: Prisma.Sql): Promise<ReadRows | undefined> {
    const { userId, workspaceId } = tenantIds(ctx);
    checkScope(ctx);
    if (strategy !== "transaction") return undefined;
    const before = unitOfWork(workspaceId, ctx.scope);
    // A session still to verify: `tenant` checks its state before anything is written.
    if (before.session) return undefined;
    const connection = await pipelineConnection(before.left);
    if (!connection) return undefined;
    // After the wait: the deadline again (the statement_timeout is for the time left now), then
    // the commit gate (see `tenant`). The Sync that commits leaves with the statements, so the
    // pipeline is a commit in flight from the start: at the deadline the 503 waits for it — the
    // statement times out at the deadline and rolls back (the 503 goes out), or it landed (the
    // request answers with the lead) — so a 503 never hides a write that landed.
    const work = orRelease(connection.done, () => {
      const w = unitOfWork(workspaceId, ctx.scope);
      w.gate?.beginCommit();
      return w;
    });
    const counter = ctx.scope?.statements;
    if (counter) counter.statements += 2;
    const rows = await writePipeline(connection, userId, workspaceId, [work], statement);
    // Refused (rolled back), or the statement chose to write nothing: the caller writes through `tenant`.
    return rows === ROLLED_BACK || rows.length === 0 ? undefined : rows;
  }

  /** `tenantWriteBatched`'s items of one batch, workspace, user and principal version in this turn. */
  interface Coalesced {
    batch: WriteBatch<unknown>;
    userId: string;
    workspaceId: string;
    members: { ctx: TenantContext; item: unknown; resolve(this: void, rows: ReadRows | undefined | Promise<ReadRows | undefined>): void; reject(this: void, err: unknown): void }[];
    lease: Promise<Lease | undefined>;
    /** The map key of its group in `coalescing`. */
    key: string;
  }
  const coalescing = new Map<WriteBatch<unknown>, Map<string, Coalesced>>();
  /** A group that holds WRITE_BATCH_MAX items left then, before the end of its turn. */
  const isFull = (group: Coalesced) => group.members.length === WRITE_BATCH_MAX;

  /** Sends a group: no more items join it. */
  function leave(group: Coalesced): void {
    const open = coalescing.get(group.batch);
    if (open?.get(group.key) === group) open.delete(group.key);
    flushBatch(group).catch((err: unknown) => {
      for (const m of group.members) m.reject(err);
    });
  }

  /** Writes a turn's coalesced items (see `tenantWriteBatched`) and answers each. */
  async function flushBatch(group: Coalesced): Promise<void> {
    const { batch, userId, workspaceId } = group;
    const leased = await group.lease;
    // A full group's write leaves now, with what the turn has already put on its connection.
    const connection = leased && isFull(group) ? { ...leased, now: true } : leased;
    // No connection: each item's `tenant` answers that.
    if (!connection) {
      for (const m of group.members) m.resolve(undefined);
      return;
    }
    // After the wait: each item's deadline again, and its commit gate (see `tenantWrite`); an item
    // whose request is out of time fails alone.
    const live: (Coalesced["members"][number] & { work: Work })[] = [];
    for (const m of group.members) {
      try {
        const work = unitOfWork(workspaceId, m.ctx.scope);
        work.gate?.beginCommit();
        // Named, not `{ ...m, work }`: a spread followed by a field costs ~0.8 µs a lead on Node 20 (decision 0014, addendum 31).
        live.push({ ctx: m.ctx, item: m.item, resolve: m.resolve, reject: m.reject, work });
        // Each request's count has the batch's pipeline: its settings and its one statement.
        const counter = m.ctx.scope?.statements;
        if (counter) counter.statements += 2;
      } catch (err) {
        m.reject(err);
      }
    }
    if (live.length === 0) {
      connection.done(false);
      return;
    }
    let statement: Prisma.Sql;
    try {
      statement = live.length === 1 ? batch.one(live[0]!.item) : batch.many(live.map((m) => m.item));
    } catch (err) {
      connection.done(false);
      for (const m of live) {
        m.work.gate?.endCommit(false);
        m.reject(err);
      }
      return;
    }
    let rows: ReadRows | typeof ROLLED_BACK;
    try {
      rows = await writePipeline(connection, userId, workspaceId, live.map((m) => m.work), statement);
    } catch (err) {
      for (const m of live) m.reject(err);
      return;
    }
    if (rows === ROLLED_BACK) {
      // Nothing was written: each item on its own, so that one item's refusal is its answer only.
      if (live.length === 1) live[0]!.resolve(undefined);
      else for (const m of live) m.resolve(inOwnScope(m.ctx, () => tenantWrite(m.ctx, batch.one(m.item))));
      return;
    }
    if (live.length === 1) {
      live[0]!.resolve(rows.length ? rows : undefined);
      return;
    }
    const byItem: ReadRows[] = live.map(() => []);
    for (const row of rows) byItem[Number(row.n) - 1]?.push(row);
    live.forEach((m, i) => m.resolve(byItem[i]!.length ? byItem[i] : undefined));
  }

  return {
    async tenant(ctx, fn, txOpts) {
      const { userId, workspaceId } = tenantIds(ctx);
      checkScope(ctx);
      // The bench-only strategies read a stamped principal's version in a statement of its own.
      const run = ctx.scope?.principals;
      const benchStamp = strategy !== "transaction" && workspaceId ? run?.workspaces.get(workspaceId) : undefined;
      const benchCheck = async (tx: TenantTx) => {
        if (run?.session && !run.session.verified) {
          settleSession(run.session, (await system.$queryRaw<{ s: unknown }[]>`SELECT session_state(${run.session.sessionId}::uuid) AS s`)[0]?.s ?? null);
        }
        if (!benchStamp) return;
        await settleStamp(benchStamp, (await system.$queryRaw<{ v: number | null }[]>`SELECT workspace_auth_version(${workspaceId}::uuid) AS v`)[0]?.v ?? null, tx);
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
          const rows = await tx.$queryRaw<SettingsRow[]>(settingsStatement(userId, workspaceId, deadline, stamp, session, "tenant", counter !== undefined || trace !== undefined));
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
            if (workspaceId) txFacts.set(tx, { workspaceId, webhookEventTypes: rows[0]?.hooks ?? [] });
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
        { timeout: Math.min(txOpts?.timeoutMs ?? 10_000, left ?? Infinity), maxWait: Math.min(10_000, left ?? Infinity) },
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
    async tenantRead(ctx, statements) {
      const { userId, workspaceId } = tenantIds(ctx);
      checkScope(ctx);
      if (strategy !== "transaction") return undefined;
      // No connection (the breaker is open, the pool is busy past the time left): `tenant` gives
      // that its answer.
      const connection = await pipelineConnection(unitOfWork(workspaceId, ctx.scope).left);
      if (!connection) return undefined;
      // After the wait: the deadline again, and the statement_timeout for the time left now.
      const { stamp, session, deadline, trace } = orRelease(connection.done, () => unitOfWork(workspaceId, ctx.scope));
      const counter = ctx.scope?.statements;
      if (counter) counter.statements += 1 + statements.length;
      let answer: PipelineAnswer;
      try {
        answer = await send(connection, [settingsStatement(userId, workspaceId, deadline, stamp, session, "read"), ...statements], !syncEach, trace);
      } catch {
        // No answer (the connection was lost): `tenant` gives that its answer.
        return undefined;
      }
      // A failed statement: `tenant` gives that its answer.
      if (!answer.committed || answer.results.some((r) => r.status === "rejected")) return undefined;
      const rows = answer.results.map((r) => (r as PromiseFulfilledResult<StatementAnswer>).value.rows);
      const facts = rows[0]![0] as SettingsRow | undefined;
      // A moved version: `tenant` revalidates (a cached principal: the request runs again).
      if (stamp && (facts?.v ?? null) !== stamp.version) return undefined;
      if (session) settleSession(session, facts?.s ?? null);
      if (stamp) stamp.verified = true;
      return rows.slice(1);
    },
    tenantWrite,
    async tenantWriteBatched<I>(ctx: TenantContext, batch: WriteBatch<I>, item: I): Promise<ReadRows | undefined> {
      const { userId, workspaceId } = tenantIds(ctx);
      checkScope(ctx);
      if (!coalesceWrites) return tenantWrite(ctx, batch.one(item));
      const work = unitOfWork(workspaceId, ctx.scope);
      // A session still to verify: `tenant` checks its state before anything is written.
      if (work.session) return undefined;
      return new Promise((resolve, reject) => {
        const key = `${workspaceId}/${userId}/${work.stamp?.version ?? ""}`;
        let open = coalescing.get(batch);
        if (!open) coalescing.set(batch, (open = new Map<string, Coalesced>()));
        let group = open.get(key);
        if (!group) {
          // The group is one pipeline of this turn's shared connection from the start, so its write
          // leaves with the turn's others (`flushBatch` runs among the turn's immediates), or
          // before them once it is full.
          const fresh: Coalesced = { batch, userId, workspaceId, members: [], lease: turnConnection(work.left), key };
          group = fresh;
          open.set(key, fresh);
          setImmediate(() => {
            if (!isFull(fresh)) leave(fresh);
          });
        }
        group.members.push({ ctx, item, resolve, reject });
        if (isFull(group)) leave(group);
      });
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
}
