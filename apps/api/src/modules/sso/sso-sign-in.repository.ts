// Single sign-on's look-ups before any tenant context exists (issue 49): which workspace's
// provider an e-mail domain belongs to, the sign-ins in flight, and the owner check of the
// break-glass password sign-in. The system client (owner role), like identity's; nothing here
// reads workspace data beyond these rows.
import type { SystemClient } from "@atrium/db";

export interface DomainRoute {
  workspaceId: string;
  domainId: string;
  domain: string;
  requireSso: boolean;
  connection: { id: string; issuerUrl: string; clientId: string; secretJwe: string; defaultPreset: string };
}

export interface SignInRow {
  workspaceId: string;
  connectionId: string;
  nonce: string;
  codeVerifier: string;
}

export const ssoSignInRepository = {
  /** The verified domain `domain` and its workspace's provider (a domain is verified in one workspace at most). */
  async routeForDomain(system: SystemClient, domain: string): Promise<DomainRoute | null> {
    const row = await system.ssoDomain.findFirst({
      where: { domain, verifiedAt: { not: null } },
      include: { connection: { select: { id: true, issuerUrl: true, clientId: true, secretJwe: true, defaultPreset: true } } },
    });
    return row ? { workspaceId: row.workspaceId, domainId: row.id, domain: row.domain, requireSso: row.requireSso, connection: row.connection } : null;
  },

  async connection(system: SystemClient, workspaceId: string, id: string): Promise<DomainRoute["connection"] | null> {
    return system.ssoConnection.findUnique({ where: { workspaceId_id: { workspaceId, id } }, select: { id: true, issuerUrl: true, clientId: true, secretJwe: true, defaultPreset: true } });
  },

  /** Whether `domain` is verified for this workspace's connection. */
  async domainVerifiedFor(system: SystemClient, workspaceId: string, connectionId: string, domain: string): Promise<boolean> {
    return (await system.ssoDomain.count({ where: { workspaceId, connectionId, domain, verifiedAt: { not: null } } })) > 0;
  },

  async createSignIn(system: SystemClient, row: SignInRow & { stateHash: string; expiresAt: Date }): Promise<void> {
    // Sign-ins past their time are swept as new ones start (10 minutes, nothing to keep).
    await system.ssoSignIn.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 3_600_000) } } });
    await system.ssoSignIn.create({ data: row });
  },

  /**
   * Spends a sign-in: one conditional UPDATE, so a callback replayed (even concurrently) finds it
   * spent. `spent` when it was used before, `expired`, or `unknown`.
   */
  async claimSignIn(system: SystemClient, stateHash: string): Promise<{ ok: SignInRow } | { failed: "spent" | "expired" | "unknown"; workspaceId?: string }> {
    const rows = await system.$queryRaw<{ workspace_id: string; connection_id: string; nonce: string; code_verifier: string }[]>`
      UPDATE sso_sign_ins SET used_at = now()
       WHERE state_hash = ${stateHash} AND used_at IS NULL AND expires_at > now()
      RETURNING workspace_id, connection_id, nonce, code_verifier`;
    const r = rows[0];
    if (r) return { ok: { workspaceId: r.workspace_id, connectionId: r.connection_id, nonce: r.nonce, codeVerifier: r.code_verifier } };
    const row = await system.ssoSignIn.findUnique({ where: { stateHash }, select: { usedAt: true, workspaceId: true } });
    if (!row) return { failed: "unknown" };
    return { failed: row.usedAt ? "spent" : "expired", workspaceId: row.workspaceId };
  },

  async isOwner(system: SystemClient, workspaceId: string, userId: string): Promise<boolean> {
    return (await system.membership.count({ where: { workspaceId, userId, role: "OWNER" } })) > 0;
  },
};
