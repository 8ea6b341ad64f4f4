// Single sign-on's look-ups before any tenant context exists (issue 49): which workspace's
// provider (or the platform's) an e-mail domain belongs to, the sign-ins in flight, and the owner check of the
// break-glass password sign-in. The system client (owner role), like identity's; nothing here
// reads workspace data beyond these rows.
import type { SystemClient } from "@atrium/db";

/** A provider as sign-in needs it; `defaultPreset` is null for the platform's (nobody joins a workspace). */
export interface ConnectionRef {
  id: string;
  issuerUrl: string;
  clientId: string;
  secretJwe: string;
  defaultPreset: string | null;
}

export interface DomainRoute {
  /** The workspace whose provider signs this domain in; null: the platform's provider (decision 0039, addendum). */
  workspaceId: string | null;
  domainId: string;
  domain: string;
  requireSso: boolean;
  connection: ConnectionRef;
}

export interface SignInRow {
  /** null: a sign-in with the platform's provider. */
  workspaceId: string | null;
  connectionId: string;
  nonce: string;
  codeVerifier: string;
}

const CONNECTION_SELECT = { id: true, issuerUrl: true, clientId: true, secretJwe: true, defaultPreset: true } as const;
const PLATFORM_CONNECTION_SELECT = { id: true, issuerUrl: true, clientId: true, secretJwe: true } as const;

export const ssoSignInRepository = {
  /**
   * The verified domain `domain` and the provider that signs it in. A domain is verified in one
   * place at most (a workspace, or the platform: both sides refuse a domain the other holds); should
   * both ever hold it, the workspace's wins, and the platform's provider serves only domains no
   * workspace has verified.
   */
  async routeForDomain(system: SystemClient, domain: string): Promise<DomainRoute | null> {
    const row = await system.ssoDomain.findFirst({
      where: { domain, verifiedAt: { not: null } },
      include: { connection: { select: CONNECTION_SELECT } },
    });
    if (row)
      return {
        workspaceId: row.workspaceId,
        domainId: row.id,
        domain: row.domain,
        requireSso: row.requireSso,
        connection: row.connection,
      };
    const platform = await system.platformSsoDomain.findFirst({
      where: { domain, verifiedAt: { not: null } },
      include: { connection: { select: PLATFORM_CONNECTION_SELECT } },
    });
    return platform
      ? {
          workspaceId: null,
          domainId: platform.id,
          domain: platform.domain,
          requireSso: platform.requireSso,
          connection: { ...platform.connection, defaultPreset: null },
        }
      : null;
  },

  async connection(system: SystemClient, workspaceId: string | null, id: string): Promise<ConnectionRef | null> {
    if (workspaceId === null) {
      const row = await system.platformSsoConnection.findUnique({ where: { id }, select: PLATFORM_CONNECTION_SELECT });
      return row ? { ...row, defaultPreset: null } : null;
    }
    return system.ssoConnection.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      select: CONNECTION_SELECT,
    });
  },

  /** Whether `domain` is verified for this connection (the platform's: and by no workspace, which would take precedence). */
  async domainVerifiedFor(
    system: SystemClient,
    workspaceId: string | null,
    connectionId: string,
    domain: string,
  ): Promise<boolean> {
    if (workspaceId === null) {
      if ((await system.ssoDomain.count({ where: { domain, verifiedAt: { not: null } } })) > 0) return false;
      return (await system.platformSsoDomain.count({ where: { connectionId, domain, verifiedAt: { not: null } } })) > 0;
    }
    return (
      (await system.ssoDomain.count({ where: { workspaceId, connectionId, domain, verifiedAt: { not: null } } })) > 0
    );
  },

  async createSignIn(system: SystemClient, row: SignInRow & { stateHash: string; expiresAt: Date }): Promise<void> {
    // Sign-ins past their time are swept as new ones start (10 minutes, nothing to keep).
    await system.ssoSignIn.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 3_600_000) } } });
    const { workspaceId, connectionId, ...rest } = row;
    await system.ssoSignIn.create({
      data:
        workspaceId === null ? { ...rest, platformConnectionId: connectionId } : { ...rest, workspaceId, connectionId },
    });
  },

  /**
   * Spends a sign-in: one conditional UPDATE, so a callback replayed (even concurrently) finds it
   * spent. `spent` when it was used before, `expired`, or `unknown`.
   */
  async claimSignIn(
    system: SystemClient,
    stateHash: string,
  ): Promise<{ ok: SignInRow } | { failed: "spent" | "expired" | "unknown"; workspaceId?: string }> {
    const rows = await system.$queryRaw<
      { workspace_id: string | null; connection_id: string; nonce: string; code_verifier: string }[]
    >`
      UPDATE sso_sign_ins SET used_at = now()
       WHERE state_hash = ${stateHash} AND used_at IS NULL AND expires_at > now()
      RETURNING workspace_id, coalesce(connection_id, platform_connection_id) AS connection_id, nonce, code_verifier`;
    const r = rows[0];
    if (r)
      return {
        ok: {
          workspaceId: r.workspace_id,
          connectionId: r.connection_id,
          nonce: r.nonce,
          codeVerifier: r.code_verifier,
        },
      };
    const row = await system.ssoSignIn.findUnique({
      where: { stateHash },
      select: { usedAt: true, workspaceId: true },
    });
    if (!row) return { failed: "unknown" };
    return { failed: row.usedAt ? "spent" : "expired", ...(row.workspaceId ? { workspaceId: row.workspaceId } : {}) };
  },

  async isPlatformAdmin(system: SystemClient, userId: string): Promise<boolean> {
    return (await system.user.count({ where: { id: userId, globalRole: "ADMIN" } })) > 0;
  },

  async isOwner(system: SystemClient, workspaceId: string, userId: string): Promise<boolean> {
    return (await system.membership.count({ where: { workspaceId, userId, role: "OWNER" } })) > 0;
  },
};
