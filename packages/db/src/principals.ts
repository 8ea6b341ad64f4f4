// The cached principals one request relies on and how a tenant transaction settles them: the
// version stamp of a member's access or an API key (the workspace's auth_version), and the
// session's state. See README.md, "`auth_version` and the principal cache".
import type { TenantTx } from "./db.ts";

/**
 * A principal (API key, member's access) an API instance cached, and the workspace's
 * `auth_version` it was loaded at. Triggers bump the version in the same transaction as any change
 * to a column a cached principal holds, so an entry is never used past a change of power.
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
 * The cached principals one API request relies on: the members' accesses and the API key by
 * workspace id, and the session. The API gives each run of a GraphQL request a new one, in the
 * run's scope (`RequestScope`, handed to every unit of work in its `TenantContext`); every tenant
 * transaction of the request reads, in the statement that sets the tenant settings (no extra round
 * trip), its workspace's version and the session's state, and re-checks before running anything
 * else when they moved. What no transaction verified is checked once at the end of a query (or
 * before a mutation runs).
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
