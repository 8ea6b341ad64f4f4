// The first statement of every tenant transaction: the tenant settings (RLS reads them), the
// request's statement_timeout, the pipelines' planner settings and, for a cached principal, the
// workspace's auth_version and the session's state; plus the tenant facts the composition root
// asked for. And what a unit of work of a request must check before it starts.
import type { TenantContext, TenantFactsSource } from "../db.ts";
import { Prisma } from "../generated/client.ts";
import type { PrincipalStamp, SessionStamp } from "../principals.ts";
import { DeadlineExceededError, type RequestScope } from "../scope.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The context's ids as the settings take them ("" for none). Fails closed on anything that is not a UUID: the cast in the policies would error. */
export function tenantIds(ctx: TenantContext): { userId: string; workspaceId: string } {
  const userId = ctx.userId ?? "";
  const workspaceId = ctx.workspaceId ?? "";
  if ((userId && !UUID.test(userId)) || (workspaceId && !UUID.test(workspaceId)))
    throw new Error("tenant context ids must be UUIDs");
  return { userId, workspaceId };
}

export type SettingsRow = { v?: number | null; facts?: unknown; s?: unknown; pid?: number };

/** What a unit of work of its request must check, and its deadline; throws once the deadline passed. */
export function unitOfWork(workspaceId: string, scope: RequestScope | null | undefined) {
  const run = scope?.principals;
  const stamp = workspaceId ? run?.workspaces.get(workspaceId) : undefined;
  const session = run?.session && !run.session.verified ? run.session : undefined;
  const gate = scope?.deadline;
  const left = gate?.left();
  if (gate?.answered || (left !== undefined && left <= 0)) throw new DeadlineExceededError();
  return { stamp, session, gate, left, deadline: gate?.at, trace: scope?.trace };
}

/** What a request's unit of work checks (`unitOfWork`). */
export type Work = ReturnType<typeof unitOfWork>;

/**
 * A pipeline waits for a lock no longer than this (55P03 after it: rolled back, and its caller
 * takes `tenant`, which waits on a connection of its own). The pipelines of one turn run one after
 * another on a shared connection: without it, one that waits on a row another transaction holds — a
 * racing submission's contact, a table lock — would hold up the ones queued behind it, other
 * workspaces' included, for as long as the lock is held.
 */
const PIPELINE_LOCK_TIMEOUT_MS = 100;
/**
 * A pipeline's settings for its transaction: the lock timeout above, and its prepared statements
 * run on their generic plan. With `plan_cache_mode = auto` the server compares a statement's
 * generic plan, costed for an average workspace, with the plans it makes for each call's own
 * values; once one workspace is large, every small workspace's call looks far cheaper planned for
 * itself, and the server plans the statement again on every execution. The pipelines' statements (a
 * workspace's keyset page, its count, a submitted lead's look-ups and inserts) are index walks of
 * one workspace whatever its size, and the settings hold the generic plan to that: no sequential
 * scan, no parallel workers. The average workspace is rows / distinct workspaces, so with few
 * workspaces and one large one it is tens of thousands of rows, for which the planner chose a
 * (parallel) sequential scan of the whole table for a count and a Gather Merge over a parallel
 * index scan for a page — for every workspace, three leads or three million
 * (`turn-pipelines.int.test.ts`; `submit-lead.int.test.ts` checks the lead's look-ups with 3,000
 * contacts). Each table a pipeline reads has an index led by workspace_id, and the largest
 * workspace's count goes through it too: a bitmap heap scan (in one process, 30 ms for 213,000 rows
 * where the parallel sequential scan took 24 ms across three), or an index-only scan once the table
 * is vacuumed (15 ms, as before).
 */
const PIPELINE_SETTINGS = Prisma.raw(
  `, set_config('lock_timeout', '${PIPELINE_LOCK_TIMEOUT_MS}', true), set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
);

/**
 * The first statement of every tenant transaction: it sets the tenant settings, the request's
 * statement_timeout (issue 16) and, for a workspace in an interactive transaction (`tenant`, where
 * a change may emit an event; not a read pipeline or a one-statement write), reads the tenant facts
 * the composition root asked for (`Db.readTenantFacts`) and — for a cached principal — its
 * auth_version and the session's state. The version comes first in the transaction: whatever the
 * principal was loaded from is at least as old as what this transaction reads next.
 */
export function settingsStatement(
  userId: string,
  workspaceId: string,
  deadline: number | undefined,
  stamp: PrincipalStamp | undefined,
  session: SessionStamp | undefined,
  kind: "tenant" | "read" | "write" = "tenant",
  counted = false,
  facts?: TenantFactsSource,
): Prisma.Sql {
  const write = kind === "write";
  const timeout = deadline === undefined ? null : String(Math.max(1, deadline - Date.now()));
  return Prisma.sql`SELECT set_config('app.user_id', ${userId}, true), set_config('app.workspace_id', ${workspaceId}, true)${
    timeout === null ? Prisma.empty : Prisma.sql`, set_config('statement_timeout', ${timeout}, true)`
  }${kind === "tenant" ? Prisma.empty : PIPELINE_SETTINGS}${stamp ? (write ? versionGuard(workspaceId, stamp) : Prisma.sql`, workspace_auth_version(${workspaceId}::uuid) AS v`) : Prisma.empty}${
    session ? Prisma.sql`, session_state(${session.sessionId}::uuid) AS s` : Prisma.empty
  }${facts && workspaceId && kind === "tenant" ? Prisma.sql`, ${facts(workspaceId)} AS facts` : Prisma.empty}${counted ? BACKEND_PID : Prisma.empty}`;
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

export const BEGIN = Prisma.sql`BEGIN`;
export const COMMIT = Prisma.sql`COMMIT`;
