// A principal's access to one workspace: membership + the CASL ability built from it. Loaded at
// most once per request and workspace (never cached across requests, so a permission change
// applies on the very next request).
import { defineAbilityFor, effectivePolicies, type AppAbility, type MembershipRole, type PolicyKey } from "@atrium/policies";
import type { Db, TenantTx } from "@atrium/db";
import { unauthenticated } from "../errors.ts";

export interface WorkspaceAccess {
  membershipId: string;
  workspaceId: string;
  userId: string;
  role: MembershipRole;
  policies: PolicyKey[];
  ability: AppAbility;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function accessFromMembership(m: { id: string; workspaceId: string; userId: string; role: MembershipRole; policies: readonly string[] }): WorkspaceAccess {
  return {
    membershipId: m.id,
    workspaceId: m.workspaceId,
    userId: m.userId,
    role: m.role,
    policies: effectivePolicies(m.role, m.policies),
    ability: defineAbilityFor({ workspaceId: m.workspaceId, role: m.role, policies: m.policies }),
  };
}

export interface WorkspaceAccessSource {
  forWorkspace(workspaceId: string): Promise<WorkspaceAccess | null>;
  forSlug(slug: string): Promise<WorkspaceAccess | null>;
}

/** An API key reaches exactly one workspace; anything else reads as absent. */
export class ApiKeyAccess implements WorkspaceAccessSource {
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

export class AccessLoader implements WorkspaceAccessSource {
  private readonly byId = new Map<string, Promise<WorkspaceAccess | null>>();
  private readonly bySlug = new Map<string, Promise<WorkspaceAccess | null>>();
  constructor(
    private readonly db: Db,
    private readonly userId: string,
    /** The session's idle time before this request, and how to end it (idle timeout). */
    private readonly session: { idleMs: number; end(): Promise<void> } = { idleMs: 0, end: () => Promise.resolve() },
  ) {}

  /** null when the workspace does not exist or the user is not a member (callers say NOT_FOUND). */
  forWorkspace(workspaceId: string): Promise<WorkspaceAccess | null> {
    if (!UUID_RE.test(workspaceId)) return Promise.resolve(null);
    let p = this.byId.get(workspaceId);
    if (!p) {
      p = this.db
        .tenant({ userId: this.userId, workspaceId }, (tx) =>
          tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId: this.userId } }, include: { workspace: { select: { environment: true } } } }),
        )
        .then(async (m) => {
          if (!m) return null;
          if (m.workspace.environment === "PRODUCTION" && this.session.idleMs > PRODUCTION_IDLE_TIMEOUT_MS) {
            // The session ends, so retrying does not slip past the timeout.
            await this.session.end();
            throw unauthenticated("IDLE_TIMEOUT", "You were signed out after 15 minutes of inactivity in a production workspace. Sign in again.");
          }
          return accessFromMembership(m);
        });
      this.byId.set(workspaceId, p);
    }
    return p;
  }

  forSlug(slug: string): Promise<WorkspaceAccess | null> {
    let p = this.bySlug.get(slug);
    if (!p) {
      // RLS shows a user only the workspaces they belong to: a stranger's slug reads as absent.
      p = this.db
        .tenant({ userId: this.userId }, (tx) => tx.workspace.findUnique({ where: { slug }, select: { id: true } }))
        .then((ws) => (ws ? this.forWorkspace(ws.id) : null));
      this.bySlug.set(slug, p);
    }
    return p;
  }
}

/** Runs `fn` in one tenant transaction scoped to the caller's workspace (and user). */
export function inWorkspace<T>(db: Db, access: WorkspaceAccess, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return db.tenant({ userId: access.userId, workspaceId: access.workspaceId }, fn);
}
