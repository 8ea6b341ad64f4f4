// The only code that touches Prisma for SSO settings (tenant client: a workspace's own provider
// and domains). The sign-in side, which runs before any tenant context, is sso-sign-in.repository.ts.
import type { TenantTx } from "@atrium/db";

export interface ConnectionRow {
  workspaceId: string;
  id: string;
  issuerUrl: string;
  clientId: string;
  secretJwe: string;
  keyId: string;
  defaultPreset: string;
  updatedAt: Date;
}

export interface DomainRow {
  workspaceId: string;
  id: string;
  connectionId: string;
  domain: string;
  tokenHash: string;
  verifiedAt: Date | null;
  requireSso: boolean;
  createdAt: Date;
}

export const ssoRepository = {
  async connection(
    tx: TenantTx,
    workspaceId: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<ConnectionRow | null> {
    // Serialises concurrent saves of the one connection (the secret merge reads, then writes).
    if (opts.forUpdate)
      await tx.$queryRaw`SELECT 1 FROM sso_connections WHERE workspace_id = ${workspaceId}::uuid FOR UPDATE`;
    return tx.ssoConnection.findUnique({ where: { workspaceId } });
  },

  async saveConnection(tx: TenantTx, row: Omit<ConnectionRow, "id" | "updatedAt">): Promise<ConnectionRow> {
    const data = {
      issuerUrl: row.issuerUrl,
      clientId: row.clientId,
      secretJwe: row.secretJwe,
      keyId: row.keyId,
      defaultPreset: row.defaultPreset,
    };
    return tx.ssoConnection.upsert({
      where: { workspaceId: row.workspaceId },
      create: { workspaceId: row.workspaceId, ...data },
      update: data,
    });
  },

  async removeConnection(tx: TenantTx, workspaceId: string): Promise<boolean> {
    return (await tx.ssoConnection.deleteMany({ where: { workspaceId } })).count > 0;
  },

  async domains(tx: TenantTx, workspaceId: string): Promise<DomainRow[]> {
    return tx.ssoDomain.findMany({ where: { workspaceId }, orderBy: [{ domain: "asc" }] });
  },

  async domain(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<DomainRow | null> {
    if (opts.forUpdate)
      await tx.$queryRaw`SELECT 1 FROM sso_domains WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    return tx.ssoDomain.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async domainByName(tx: TenantTx, workspaceId: string, domain: string): Promise<DomainRow | null> {
    return tx.ssoDomain.findUnique({ where: { workspaceId_domain: { workspaceId, domain } } });
  },

  async addDomain(
    tx: TenantTx,
    row: { workspaceId: string; connectionId: string; domain: string; tokenHash: string },
  ): Promise<DomainRow> {
    return tx.ssoDomain.create({ data: row });
  },

  /** A new token for a domain added again before it was verified: the old one stops counting. */
  async replaceToken(tx: TenantTx, workspaceId: string, id: string, tokenHash: string): Promise<DomainRow> {
    return tx.ssoDomain.update({ where: { workspaceId_id: { workspaceId, id } }, data: { tokenHash } });
  },

  async markVerified(tx: TenantTx, workspaceId: string, id: string, at: Date): Promise<DomainRow> {
    return tx.ssoDomain.update({ where: { workspaceId_id: { workspaceId, id } }, data: { verifiedAt: at } });
  },

  async setRequireSso(tx: TenantTx, workspaceId: string, id: string, requireSso: boolean): Promise<DomainRow> {
    return tx.ssoDomain.update({ where: { workspaceId_id: { workspaceId, id } }, data: { requireSso } });
  },

  async removeDomain(tx: TenantTx, workspaceId: string, id: string): Promise<boolean> {
    return (await tx.ssoDomain.deleteMany({ where: { workspaceId, id } })).count > 0;
  },

  /**
   * Holds the domain's name for the rest of the transaction (any workspace): two workspaces
   * verifying one domain at once are serialised, so at most one holds it verified.
   */
  async lockDomainName(tx: TenantTx, domain: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`sso-domain:${domain}`}::text, 0))) AS l`;
  },

  /** Whether the platform holds `domain` verified for its own provider (a SECURITY DEFINER yes or no: the app role cannot read platform rows). */
  async verifiedByPlatform(tx: TenantTx, domain: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ taken: boolean }[]>`SELECT sso_domain_verified_by_platform(${domain}) AS taken`;
    return rows[0]?.taken === true;
  },

  /** Whether another workspace holds `domain` verified (a SECURITY DEFINER yes or no). */
  async verifiedElsewhere(tx: TenantTx, domain: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ taken: boolean }[]>`SELECT sso_domain_verified_elsewhere(${domain}) AS taken`;
    return rows[0]?.taken === true;
  },
};
