// The data layer's contract: the `Db` the API composes with, the tenant transaction handle, the
// context a unit of work runs in, and the coalesced-write shape. Implemented by clients.ts.
import type { ConnectionBreaker } from "./breaker.ts";
import type { createAppClient } from "./clients.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import type { RequestScope } from "./scope.ts";
import type { StatementTracer } from "./statement-tracing.ts";

export type AppClient = ReturnType<typeof createAppClient>;
/** Rows of one statement of a `tenantRead`, as pg returns them (column names as the SQL aliases them). */
export type ReadRows = Record<string, unknown>[];
/** The transaction handle services receive: the app client minus connection management. */
export type TenantTx = Omit<AppClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
export type SystemClient = PrismaClient;

export interface TenantContext {
  userId?: string | null;
  workspaceId?: string | null;
  /**
   * The request this unit of work belongs to (its deadline and cached principals), handed down
   * explicitly (no AsyncLocalStorage in production: its promise hooks cost every promise of the
   * process). `null`: work a request starts that is not part of its answer (a fire-and-forget
   * touch). Undefined: not in a request (jobs, start-up, tests).
   */
  scope?: RequestScope | null;
}

/**
 * Facts about the workspace a `tenant` transaction's first statement reads besides the tenant
 * settings (no round trip of their own): an SQL expression of the workspace id. A feature supplies
 * it through the composition root (`Db.readTenantFacts`); the data layer knows nothing of it.
 */
export type TenantFactsSource = (workspaceId: string) => Prisma.Sql;

/** What a `tenant` transaction's first statement read for `TenantFactsSource` (see `tenantFactsOf`). */
export interface TenantFacts {
  workspaceId: string;
  value: unknown;
}

export interface Db {
  /**
   * Every `tenant` transaction of a workspace from now on reads `source` in its first statement;
   * `tenantFactsOf(tx)` gives what it read. One source per Db (the composition root's).
   */
  readTenantFacts(source: TenantFactsSource): void;
  /** Runs `fn` in one transaction with the tenant settings applied. */
  tenant<T>(ctx: TenantContext, fn: (tx: TenantTx) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  /**
   * Read-only statements in one tenant transaction sent as one pipeline: the same tenant settings
   * statement as `tenant` (with the request's principal checks), then the statements, ended by one
   * Sync (the extended protocol's implicit transaction, no BEGIN/COMMIT) — written at once and
   * answered in one round trip. Returns each statement's rows, or `undefined` when the caller must
   * run its read through `tenant` instead: a cached principal whose version moved (`tenant`
   * revalidates it), any statement that failed (`tenant` gives the error its usual answer), or a
   * bench strategy without transactions. Only for statements without side effects: a failed
   * pipeline is run again by the caller.
   */
  tenantRead(ctx: TenantContext, statements: readonly Prisma.Sql[]): Promise<ReadRows[] | undefined>;
  /**
   * Read-only statements in one tenant transaction, always answered: `tenantRead` (one round
   * trip) when it can, else the same statements, in order, in a `tenant` transaction — which also
   * revalidates a moved principal and gives a failed statement its usual answer. The rows have
   * one shape either way: an alias `a.b` as `{ a: { b } }`, int8 and numeric values as their text
   * (as pg gives them), timestamps as Dates. Features read through this, never `tenantRead`.
   */
  read(ctx: TenantContext, statements: readonly Prisma.Sql[]): Promise<ReadRows[]>;
  /**
   * One statement that writes, in one tenant transaction sent as one pipeline: the tenant settings
   * and the statement, ended by one Sync as `tenantRead`'s (the implicit transaction: committed at
   * the Sync, or rolled back at the first error, a failure at commit included) — one write, one
   * round trip. For a write whose SQL decides itself whether it applies, returning no row when it
   * does not. Returns its rows once committed; `undefined` when nothing was written and the caller
   * must write through `tenant`: the statement returned no row, the server refused a statement
   * (rolled back), a cached principal whose version moved (the settings statement fails before the
   * write runs; `tenant` revalidates), a session still to verify, no connection, a bench strategy.
   * Once the pipeline is on the wire, a connection lost before the answer to its Sync throws:
   * whether it committed is unknown, so nothing may write it again. "Rolled back" is only ever read
   * from a ReadyForQuery that follows the error. `statement` is one command, always parsed (never
   * sent as a simple query), and runs in the implicit transaction: one that needs a transaction
   * block of its own (LOCK, DECLARE, SAVEPOINT) is refused there and belongs in `tenant`.
   */
  tenantWrite(ctx: TenantContext, statement: Prisma.Sql): Promise<ReadRows | undefined>;
  /**
   * `tenantWrite` for a write that many requests of one workspace make alike (a submitted lead),
   * coalesced: the items of one `batch` issued in one turn of the event loop for the same
   * workspace, user and cached-principal version go as one statement, `batch.many`, in one pipeline
   * — one transaction for all of them (`batch.one` when only one came). A group that reaches
   * WRITE_BATCH_MAX items leaves at once instead of at the end of the turn; the turn's next items
   * start another. Returns this item's rows, as `tenantWrite` would (undefined: write through
   * `tenant`).
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
 * requests are still being read; the next items start another group.
 */
export const WRITE_BATCH_MAX = 16;
