// Short-lived principal cache. An entry is what authentication or the
// membership gate loaded from the database, with the workspace's `auth_version` read first in
// the same transaction. Triggers bump the version in the same transaction as every change that
// can change a principal's power (role, policies, membership removed, key revoked / re-scoped /
// expiry set, environment). A request served from an entry registers it in the request's
// `RequestPrincipals`; every tenant transaction of the request reads the workspace's current
// version in the statement that sets the tenant settings, and a moved version throws before the
// transaction runs anything else: the request's answer is dropped and the request runs again with
// the principal read afresh (server: graphql/handler.ts). What no transaction verified is checked
// at the end of a query, and before a mutation runs anything. So a demotion, removal or
// revocation made on any instance is in force on the very next request on every instance, in both
// directions (a promotion too). The TTL only bounds memory for principals nobody uses.
import {
  Prisma,
  RequestPrincipals,
  runScope,
  settleSession,
  settleStamp,
  type Db,
  type PrincipalStamp,
  type TenantTx,
} from "@atrium/db";

import { BoundedMap } from "../bounded-map.ts";
import type { Caller } from "../data.ts";
import { AppError, ErrorCode } from "../errors.ts";

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

export interface CacheEntry<V> {
  value: V;
  version: number;
}

export class PrincipalCache<V> {
  private readonly entries = new BoundedMap<string, CacheEntry<V>>({ max: MAX_ENTRIES, ttlMs: TTL_MS });

  get(key: string): CacheEntry<V> | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V, version: number): CacheEntry<V> {
    const e = { value, version };
    this.entries.set(key, e);
    return e;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export function createPrincipalCaches() {
  return {
    members: new PrincipalCache<unknown>(),
    apiKeys: new PrincipalCache<unknown>(),
    sessions: new PrincipalCache<unknown>(),
  };
}
export type PrincipalCaches = ReturnType<typeof createPrincipalCaches>;

/** The workspace's current auth_version (null: no such workspace). One statement, no transaction. */
export async function currentVersion(db: Db, workspaceId: string): Promise<number | null> {
  const rows = await db.system.$queryRaw<
    { v: number | null }[]
  >`SELECT workspace_auth_version(${workspaceId}::uuid) AS v`;
  return rows[0]?.v ?? null;
}

/**
 * Loads a principal in one tenant transaction whose first statement reads the workspace's
 * version (the same statement that applies the tenant settings). Returns the value and version.
 * The transaction keeps the caller's request deadline with principals of its own.
 */
export async function loadVersioned<T>(
  db: Db,
  caller: Caller,
  where: { workspaceId: string; userId?: string },
  load: (tx: TenantTx) => Promise<T>,
): Promise<{ value: T; version: number | null }> {
  let version: number | null = null;
  let value: T | undefined;
  let loaded = false;
  const loading: PrincipalStamp = {
    version: Number.NaN, // never equal: the version read always goes through revalidate
    async revalidate(tx, current) {
      version = current;
      value = await load(tx);
      loaded = true;
    },
  };
  const run = new RequestPrincipals();
  run.workspaces.set(where.workspaceId, loading);
  await runScope(caller.scope, run, (scope) =>
    db.tenant({ userId: where.userId, workspaceId: where.workspaceId, scope }, () => Promise.resolve()),
  );
  if (!loaded) throw new Error("principal load did not run");
  return { value: value as T, version };
}

/** A cached entry found stale: dropped, and the request marked to run again; the error that stops this run. */
export function staleEntry(run: RequestPrincipals, cache: PrincipalCache<unknown>, key: string): AppError {
  cache.delete(key);
  run.stale = true;
  return accessChanged();
}

/** The answer when a request's principals kept changing while it ran (every attempt was stale). */
export function accessChanged(): AppError {
  return new AppError(ErrorCode.CONFLICT, "Your access changed while this request ran. Try again.", {
    reason: "ACCESS_CHANGED",
  });
}

/**
 * Serves a cached entry for this request. Inside a GraphQL request (a caller whose request has principals) the
 * entry is registered there and verified by the request's tenant transactions: no statement of
 * its own. Outside one, or in a mutation, the workspace's version is read first (one statement,
 * the entry is used only when it matches). Returns undefined
 * when the entry cannot be used (the caller loads afresh).
 */
export async function useCached<V>(
  db: Db,
  cache: PrincipalCache<unknown>,
  key: string,
  workspaceId: string,
  caller: Caller,
): Promise<V | undefined> {
  const entry = cache.get(key) as CacheEntry<V> | undefined;
  if (!entry) return undefined;
  const run = caller.scope?.principals;
  if (!run || !run.deferred || run.workspaces.has(workspaceId))
    return (await currentVersion(db, workspaceId)) === entry.version ? entry.value : undefined;
  const stamp: PrincipalStamp = {
    version: entry.version,
    revalidate: () => Promise.reject(staleEntry(run, cache, key)),
  };
  run.workspaces.set(workspaceId, stamp);
  return entry.value;
}

/**
 * Checks, in one statement, every cached principal of the request that no tenant transaction
 * verified (versions, session state). Marks the request stale (and drops the entries) when one
 * moved; the caller runs the request again.
 */
export async function verifyPrincipals(db: Db, run: RequestPrincipals): Promise<void> {
  const stamps = [...run.workspaces].filter(([, stamp]) => !stamp.verified);
  const session = run.session && !run.session.verified ? run.session : undefined;
  if (stamps.length === 0 && !session) return;
  const ids = stamps.map(([id]) => id);
  const rows = await db.system.$queryRaw<{ versions: Record<string, number | null> | null; s: unknown }[]>`
    SELECT (SELECT jsonb_object_agg(w, workspace_auth_version(w)) FROM unnest(${ids}::uuid[]) AS w) AS versions,
           ${session ? Prisma.sql`session_state(${session.sessionId}::uuid)` : Prisma.sql`NULL::jsonb`} AS s`;
  const row = rows[0];
  // A stale stamp marks the run stale itself (staleEntry); its error is not this check's answer.
  if (session) {
    try {
      settleSession(session, row?.s ?? null);
    } catch {
      // marked stale
    }
  }
  for (const [id, stamp] of stamps)
    await settleStamp(stamp, row?.versions?.[id] ?? null, db.system).catch(() => undefined);
}
