// A principal's access to one workspace: membership + the CASL ability built from it. Loaded at
// most once per request and workspace; across requests a short-lived cache keeps it, which the
// request's own tenant transactions verify against the workspace's auth_version, so a permission
// change applies on the very next request, on every instance.
import type { Db, Prisma, ReadRows, RequestScope, TenantTx } from "@atrium/db";
import {
  defineAbilityFor,
  effectivePolicies,
  type AppAbility,
  type MembershipRole,
  type PolicyKey,
} from "@atrium/policies";

import type { Caller } from "../data.ts";
import { AppError, ErrorCode, unauthenticated } from "../errors.ts";
import { loadVersioned, useCached, type PrincipalCache } from "./principal-cache.ts";

/**
 * What the gate needs of a membership. Cached across requests: every field here is covered by the
 * auth_version triggers (role, policies, membership row; the workspace's environment,
 * require_step_up and step_up_lifetime_minutes). Session facts (idle time, step-up verification)
 * are never cached: they come with the request's session. `principal-cache-triggers.int.test.ts`
 * fails when a cached field has no trigger.
 */
type MemberRow = {
  id: string;
  workspaceId: string;
  userId: string;
  role: MembershipRole;
  policies: string[];
  workspace: {
    environment: "DEVELOPMENT" | "STAGING" | "PRODUCTION";
    requireStepUp: boolean;
    stepUpLifetimeMinutes: number;
  };
};

export interface WorkspaceAccess {
  membershipId: string;
  workspaceId: string;
  userId: string;
  role: MembershipRole;
  policies: PolicyKey[];
  ability: AppAbility;
  /**
   * The request this access serves (its deadline and cached principals): every unit of work run
   * with it (`inWorkspace`, `readInWorkspace`, `tenantOf`) carries it. Absent outside a request.
   */
  scope?: RequestScope;
}

/**
 * This request's view of a (cached, shared) access: the same access, with the request's scope.
 * Every field is named, not spread: on Node 20, `{ ...access, scope }` (a spread, then a field
 * more) took ~820 ns against ~13 ns for the literal. The test checks that no field of an access is
 * left out.
 */
export function inScope(access: WorkspaceAccess, scope: RequestScope | undefined): WorkspaceAccess {
  if (!scope) return access;
  // Required<…>: a field added to WorkspaceAccess, optional or not, fails to compile here until named.
  const scoped: Required<WorkspaceAccess> = {
    membershipId: access.membershipId,
    workspaceId: access.workspaceId,
    userId: access.userId,
    role: access.role,
    policies: access.policies,
    ability: access.ability,
    scope,
  };
  return scoped;
}

/** `access` as the access of `caller`'s request (`inScope`). */
export function accessIn(access: WorkspaceAccess, caller: Caller): WorkspaceAccess {
  return inScope(access, caller.scope);
}

/** The TenantContext of a unit of work in the access's workspace, as its user, in its request. */
export function tenantOf(access: WorkspaceAccess): {
  userId: string;
  workspaceId: string;
  scope: RequestScope | undefined;
} {
  return { userId: access.userId, workspaceId: access.workspaceId, scope: access.scope };
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function accessFromMembership(m: {
  id: string;
  workspaceId: string;
  userId: string;
  role: MembershipRole;
  policies: readonly string[];
}): WorkspaceAccess {
  return {
    membershipId: m.id,
    workspaceId: m.workspaceId,
    userId: m.userId,
    role: m.role,
    policies: effectivePolicies(m.role, m.policies),
    ability: defineAbilityFor({ workspaceId: m.workspaceId, role: m.role, policies: m.policies }),
  };
}

/**
 * The access of a membership row the principal cache serves again and again: built once per row
 * object (the CASL ability cost ~4 % of a cached read's CPU when built per request). A row loaded
 * afresh is a new object, so a changed membership never meets an old access.
 */
const accessOfRow = new WeakMap<object, WorkspaceAccess>();
function accessOf(m: Parameters<typeof accessFromMembership>[0]): WorkspaceAccess {
  let access = accessOfRow.get(m);
  if (!access) {
    access = accessFromMembership(m);
    accessOfRow.set(m, access);
  }
  return access;
}

export interface WorkspaceAccessSource {
  forWorkspace(workspaceId: string): Promise<WorkspaceAccess | null>;
  forSlug(slug: string): Promise<WorkspaceAccess | null>;
}

/** An API key reaches exactly one workspace; anything else reads as absent. */
export class ApiKeyAccess implements WorkspaceAccessSource {
  /** `access`: the key's, as this request's (`inScope`). */
  constructor(
    private readonly access: WorkspaceAccess,
    private readonly slug: string,
  ) {}
  forWorkspace(workspaceId: string): Promise<WorkspaceAccess | null> {
    return Promise.resolve(workspaceId === this.access.workspaceId ? this.access : null);
  }
  forSlug(slug: string): Promise<WorkspaceAccess | null> {
    return Promise.resolve(slug === this.slug ? this.access : null);
  }
}

/** W7: production workspaces sign idle sessions out. */
export const PRODUCTION_IDLE_TIMEOUT_MS = 15 * 60 * 1000;
/** Idle timeout by environment (W7); null: activity there is not tracked. */
export const IDLE_TIMEOUT_MS: Readonly<Record<"DEVELOPMENT" | "STAGING" | "PRODUCTION", number | null>> = {
  DEVELOPMENT: null,
  STAGING: null,
  PRODUCTION: PRODUCTION_IDLE_TIMEOUT_MS,
};
/** A session's activity in a workspace is written at most this often. */
const ACTIVITY_RESOLUTION_MS = 60_000;

/** The signed-in session behind a request, as the access loader needs it. */
export interface SessionGate {
  sessionId: string;
  /** When this session last passed a second factor (S7), or null. */
  stepUpVerifiedAt: Date | null;
  /** The platform switch STEP_UP_ENABLED: off means no workspace can require step-up. */
  stepUpEnabled: boolean;
  /** Ends the session (idle timeout), recording why. */
  end(reason: "IDLE_TIMEOUT"): Promise<void>;
}

export class AccessLoader implements WorkspaceAccessSource {
  private readonly byId = new Map<string, Promise<WorkspaceAccess | null>>();
  private readonly bySlug = new Map<string, Promise<WorkspaceAccess | null>>();
  constructor(
    private readonly db: Db,
    private readonly userId: string,
    /** The request's scope (its deadline and principals), for every unit of work of this loader and the accesses it gives. */
    private readonly scope: RequestScope | undefined,
    private readonly session: SessionGate | null = null,
    /** Memberships cached across requests (used only after the workspace's auth_version matched). */
    private readonly cache?: PrincipalCache<unknown>,
  ) {}

  private readMember(tx: TenantTx, workspaceId: string): Promise<MemberRow | null> {
    return tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId: this.userId } },
      select: {
        id: true,
        workspaceId: true,
        userId: true,
        role: true,
        policies: true,
        workspace: { select: { environment: true, requireStepUp: true, stepUpLifetimeMinutes: true } },
      },
    });
  }

  /** The membership: from the cache when the workspace's auth_version has not moved, else loaded with its version. */
  private async member(workspaceId: string): Promise<MemberRow | null> {
    const cache = this.cache;
    if (!cache)
      return this.db.tenant({ userId: this.userId, workspaceId, scope: this.scope }, (tx) =>
        this.readMember(tx, workspaceId),
      );
    const key = `${this.userId}/${workspaceId}`;
    const cached = await useCached<MemberRow>(this.db, cache, key, workspaceId, { scope: this.scope });
    if (cached) return cached;
    const { value, version } = await loadVersioned(
      this.db,
      { scope: this.scope },
      { userId: this.userId, workspaceId },
      (tx) => this.readMember(tx, workspaceId),
    );
    // Not a member (or no such workspace): not cached, the next request asks again.
    if (!value || version === null) cache.delete(key);
    else cache.set(key, value, version);
    return value;
  }

  /** null when the workspace does not exist or the user is not a member (callers say NOT_FOUND). */
  forWorkspace(workspaceId: string): Promise<WorkspaceAccess | null> {
    if (!UUID_RE.test(workspaceId)) return Promise.resolve(null);
    let p = this.byId.get(workspaceId);
    if (!p) {
      p = this.member(workspaceId).then(async (m) => {
        if (!m) return null;
        if (this.session) {
          await this.checkIdle(workspaceId, IDLE_TIMEOUT_MS[m.workspace.environment]);
          this.checkStepUp(workspaceId, m.workspace);
        }
        return inScope(accessOf(m), this.scope);
      });
      this.byId.set(workspaceId, p);
    }
    return p;
  }

  /**
   * Idle timeout per (session, workspace): only this workspace's own operations count as
   * activity, so a development workspace's traffic does not keep a production one alive.
   * One statement reads the previous activity and records this one (at most once a minute).
   */
  private async checkIdle(workspaceId: string, timeoutMs: number | null): Promise<void> {
    if (timeoutMs === null || !this.session) return;
    const rows = await this.db.system.$queryRaw<{ previous: Date | null }[]>`
      WITH prev AS (
        SELECT last_seen_at FROM session_workspace_activity WHERE session_id = ${this.session.sessionId}::uuid AND workspace_id = ${workspaceId}::uuid
      ), touch AS (
        INSERT INTO session_workspace_activity AS a (session_id, workspace_id, last_seen_at)
        VALUES (${this.session.sessionId}::uuid, ${workspaceId}::uuid, now())
        ON CONFLICT (session_id, workspace_id) DO UPDATE SET last_seen_at = now()
          WHERE a.last_seen_at < now() - ${ACTIVITY_RESOLUTION_MS}::int * interval '1 millisecond'
            AND a.last_seen_at >= now() - ${timeoutMs}::int * interval '1 millisecond'
      )
      SELECT (SELECT last_seen_at FROM prev) AS previous`;
    const previous = rows[0]?.previous ?? null;
    if (previous && Date.now() - previous.getTime() > timeoutMs) {
      // The session ends, so retrying does not slip past the timeout.
      await this.session.end("IDLE_TIMEOUT");
      throw unauthenticated(
        "IDLE_TIMEOUT",
        "You were signed out after 15 minutes of inactivity in a production workspace. Sign in again.",
      );
    }
  }

  /** S7: a workspace that requires step-up wants a verification younger than its lifetime. */
  private checkStepUp(workspaceId: string, ws: { requireStepUp: boolean; stepUpLifetimeMinutes: number }): void {
    if (!this.session?.stepUpEnabled || !ws.requireStepUp) return;
    const at = this.session.stepUpVerifiedAt;
    if (at && Date.now() - at.getTime() <= ws.stepUpLifetimeMinutes * 60_000) return;
    throw new AppError(
      ErrorCode.STEP_UP_REQUIRED,
      "This workspace asks you to confirm it's you with your second factor.",
      {
        workspaceId,
        lifetimeMinutes: ws.stepUpLifetimeMinutes,
      },
    );
  }

  forSlug(slug: string): Promise<WorkspaceAccess | null> {
    let p = this.bySlug.get(slug);
    if (!p) {
      // RLS shows a user only the workspaces they belong to: a stranger's slug reads as absent.
      p = this.db
        .tenant({ userId: this.userId, scope: this.scope }, (tx) =>
          tx.workspace.findUnique({ where: { slug }, select: { id: true } }),
        )
        .then((ws) => (ws ? this.forWorkspace(ws.id) : null));
      this.bySlug.set(slug, p);
    }
    return p;
  }
}

/**
 * Runs `fn` in one tenant transaction scoped to the caller's workspace (and user); `timeoutMs`
 * raises the transaction's 10 s limit (the request's deadline still bounds it).
 */
export function inWorkspace<T>(
  db: Db,
  access: WorkspaceAccess,
  fn: (tx: TenantTx) => Promise<T>,
  opts?: { timeoutMs?: number },
): Promise<T> {
  return opts ? db.tenant(tenantOf(access), fn, opts) : db.tenant(tenantOf(access), fn);
}

/**
 * Read-only statements in one tenant transaction of the workspace (`db.read`): one round trip when
 * the engine can, the same statements in a plain transaction otherwise — always answered.
 */
export function readInWorkspace(
  db: Db,
  access: WorkspaceAccess,
  statements: readonly Prisma.Sql[],
): Promise<ReadRows[]> {
  return db.read(tenantOf(access), statements);
}
