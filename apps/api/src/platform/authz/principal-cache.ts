// Short-lived principal cache (issue 15, decision 0014). An entry is what authentication or the
// membership gate loaded from the database, with the workspace's `auth_version` read first in
// the same transaction. Triggers bump the version in the same transaction as every change that
// can change a principal's power (role, policies, membership removed, key revoked / re-scoped /
// expiry set, environment). A request uses an entry only after reading the workspace's current
// version (one single-row statement, instead of the transaction that loads the principal) and
// finding it unchanged; otherwise it loads the principal afresh. So a demotion, removal or
// revocation made on any instance is in force on the very next request on every instance, in
// both directions (a promotion too). The TTL only bounds memory for principals nobody uses.
import { requestPrincipals, type Db, type PrincipalStamp, type TenantContext, type TenantTx } from "@atrium/db";

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

export interface CacheEntry<V> {
  value: V;
  version: number;
  at: number;
}

export class PrincipalCache<V> {
  private readonly entries = new Map<string, CacheEntry<V>>();

  get(key: string): CacheEntry<V> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at > TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, value: V, version: number): CacheEntry<V> {
    if (this.entries.size >= MAX_ENTRIES) {
      // Oldest first (Map keeps insertion order): drop a tenth.
      let n = Math.ceil(MAX_ENTRIES / 10);
      for (const k of this.entries.keys()) {
        this.entries.delete(k);
        if (--n === 0) break;
      }
    }
    this.entries.delete(key);
    const e = { value, version, at: Date.now() };
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
  return { members: new PrincipalCache<unknown>(), apiKeys: new PrincipalCache<unknown>() };
}
export type PrincipalCaches = ReturnType<typeof createPrincipalCaches>;

/** The workspace's current auth_version (null: no such workspace). One statement, no transaction. */
export async function currentVersion(db: Db, workspaceId: string): Promise<number | null> {
  const rows = await db.system.$queryRaw<{ v: number | null }[]>`SELECT workspace_auth_version(${workspaceId}::uuid) AS v`;
  return rows[0]?.v ?? null;
}

/**
 * Loads a principal in one tenant transaction whose first statement reads the workspace's
 * version (the same statement that applies the tenant settings). Returns the value and version.
 */
export async function loadVersioned<T>(db: Db, ctx: TenantContext & { workspaceId: string }, load: (tx: TenantTx) => Promise<T>): Promise<{ value: T; version: number | null }> {
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
  await requestPrincipals.run(new Map([[ctx.workspaceId, loading]]), () => db.tenant(ctx, () => Promise.resolve()));
  if (!loaded) throw new Error("principal load did not run");
  return { value: value as T, version };
}
