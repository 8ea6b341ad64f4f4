// The data API features use (issue 53): every unit of work of a feature goes through one of these,
// never through `Db`'s own methods. The request a unit of work serves (its deadline, its cached
// principals, its statement count, its trace) travels inside the values features already hold —
// the `WorkspaceAccess` of a member or key, the `Actor` of a change, the `Caller` an entry point
// hands down — so no feature names it, passes it or decides what a missing one means.
//
// Why not an AsyncLocalStorage: on Node 20 one turns on promise hooks for the whole process (every
// promise pays an init hook: 2–4 % of a request's CPU in bench:request-path, decision 0059), and
// Fastify runs a route's handler after its body is parsed in the parser's async context, not the
// request's, so the store must be entered again per route. Values that carry the request cost
// nothing and cannot be lost across an await.
//
// The functions:
//   inWorkspace(db, access, fn)          a transaction in the access's workspace, as its member or key
//   readInWorkspace(db, access, stmts)   read-only statements there, in one round trip when possible
//   inTenant(db, caller, where, fn)      a transaction for a request before any access exists
//                                        (webhooks, invitations, the user's own rows)
//   writeBatched(db, caller, where, …)   a write many concurrent requests make alike, coalesced
//   asJob(db, where, fn)                 work that serves no request (jobs, sweeps, start-up)
//   afterAnswer(db, where, fn)           work a request starts that is not part of its answer
//                                        (a fire-and-forget touch: no deadline, no principal checks)
// Lint (eslint.config.js) bans `db.tenant(`, `db.read(`, the request scope and its type in modules/.
import type { Db, ReadRows, RequestScope, TenantContext, TenantTx, WriteBatch } from "@atrium/db";

export { inWorkspace, readInWorkspace } from "./authz/access.ts";

/**
 * Whom a unit of work serves: the request it belongs to. Structural on purpose: a `WorkspaceAccess`,
 * an `Actor` and a GraphQL context are all callers, and a feature hands on the one it was given.
 * An object without a request (a job's, a test's) is a caller of no request.
 */
export interface Caller {
  readonly scope?: RequestScope | undefined;
}

/** The caller of no request: jobs and tests that call a service directly. */
export const NO_REQUEST: Caller = Object.freeze({ scope: undefined });

/** Where a unit of work runs: the tenant settings of its transaction. */
export interface Where {
  workspaceId?: string | null;
  userId?: string | null;
}

const contextOf = (caller: Caller, where: Where): TenantContext => ({
  userId: where.userId,
  workspaceId: where.workspaceId,
  scope: caller.scope,
});

/** One tenant transaction for `caller`'s request, with `where`'s tenant settings. */
export function inTenant<T>(
  db: Db,
  caller: Caller,
  where: Where,
  fn: (tx: TenantTx) => Promise<T>,
  opts?: { timeoutMs?: number },
): Promise<T> {
  return opts ? db.tenant(contextOf(caller, where), fn, opts) : db.tenant(contextOf(caller, where), fn);
}

/** A write many requests make alike (`Db.tenantWriteBatched`): coalesced with its peers when the engine can, undefined when the caller must write alone. */
export function writeBatched<I>(
  db: Db,
  caller: Caller,
  where: Where,
  batch: WriteBatch<I>,
  item: I,
): Promise<ReadRows | undefined> {
  return db.tenantWriteBatched(contextOf(caller, where), batch, item);
}

/** Work that serves no request: a job, a sweep, start-up. No deadline but the transaction's own. */
export function asJob<T>(
  db: Db,
  where: Where,
  fn: (tx: TenantTx) => Promise<T>,
  opts?: { timeoutMs?: number },
): Promise<T> {
  const ctx: TenantContext = { userId: where.userId, workspaceId: where.workspaceId };
  return opts ? db.tenant(ctx, fn, opts) : db.tenant(ctx, fn);
}

/**
 * Work a request starts but does not answer with (a last-used touch): outside the request's
 * deadline and principal checks, so neither its failure nor the request's end affects the other.
 */
export function afterAnswer<T>(db: Db, where: Where, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return db.tenant({ userId: where.userId, workspaceId: where.workspaceId, scope: null }, fn);
}
