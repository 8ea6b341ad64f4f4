// The only code that touches Prisma for the platform's single sign-on settings (issue 49,
// decision 0039 addendum): the platform's one provider and its domains, platform rows read and
// written through the system client (the app role has no privilege on them), like the
// registration settings.
import type { Prisma } from "@atrium/db";

type SystemTx = Prisma.TransactionClient;

export interface PlatformConnectionRow {
  id: string;
  issuerUrl: string;
  clientId: string;
  secretJwe: string;
  keyId: string;
  updatedAt: Date;
}

export interface PlatformDomainRow {
  id: string;
  connectionId: string;
  domain: string;
  tokenHash: string;
  verifiedAt: Date | null;
  requireSso: boolean;
  createdAt: Date;
}

const CONNECTION_SELECT = {
  id: true,
  issuerUrl: true,
  clientId: true,
  secretJwe: true,
  keyId: true,
  updatedAt: true,
} as const;

export const platformSsoRepository = {
  async connection(tx: SystemTx, opts: { forUpdate?: boolean } = {}): Promise<PlatformConnectionRow | null> {
    // Serialises concurrent saves of the one connection (the secret merge reads, then writes).
    if (opts.forUpdate) await tx.$queryRaw`SELECT 1 FROM platform_sso_connections WHERE slot = 1 FOR UPDATE`;
    return tx.platformSsoConnection.findUnique({ where: { slot: 1 }, select: CONNECTION_SELECT });
  },

  async saveConnection(
    tx: SystemTx,
    row: Omit<PlatformConnectionRow, "id" | "updatedAt">,
  ): Promise<PlatformConnectionRow> {
    return tx.platformSsoConnection.upsert({
      where: { slot: 1 },
      create: { slot: 1, ...row },
      update: row,
      select: CONNECTION_SELECT,
    });
  },

  /** Removes the provider; its domains and sign-ins in flight go with it (ON DELETE CASCADE). */
  async removeConnection(tx: SystemTx): Promise<boolean> {
    return (await tx.platformSsoConnection.deleteMany({ where: { slot: 1 } })).count > 0;
  },

  async domains(tx: SystemTx): Promise<PlatformDomainRow[]> {
    return tx.platformSsoDomain.findMany({ orderBy: [{ domain: "asc" }] });
  },

  async domain(tx: SystemTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<PlatformDomainRow | null> {
    if (opts.forUpdate) await tx.$queryRaw`SELECT 1 FROM platform_sso_domains WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.platformSsoDomain.findUnique({ where: { id } });
  },

  async domainByName(tx: SystemTx, domain: string): Promise<PlatformDomainRow | null> {
    return tx.platformSsoDomain.findUnique({ where: { domain } });
  },

  async addDomain(
    tx: SystemTx,
    row: { connectionId: string; domain: string; tokenHash: string },
  ): Promise<PlatformDomainRow> {
    return tx.platformSsoDomain.create({ data: row });
  },

  /** A new token for a domain added again before it was verified: the old one stops counting. */
  async replaceToken(tx: SystemTx, id: string, tokenHash: string): Promise<PlatformDomainRow> {
    return tx.platformSsoDomain.update({ where: { id }, data: { tokenHash } });
  },

  async markVerified(tx: SystemTx, id: string, at: Date): Promise<PlatformDomainRow> {
    return tx.platformSsoDomain.update({ where: { id }, data: { verifiedAt: at } });
  },

  async setRequireSso(tx: SystemTx, id: string, requireSso: boolean): Promise<PlatformDomainRow> {
    return tx.platformSsoDomain.update({ where: { id }, data: { requireSso } });
  },

  async removeDomain(tx: SystemTx, id: string): Promise<boolean> {
    return (await tx.platformSsoDomain.deleteMany({ where: { id } })).count > 0;
  },

  /** The same advisory lock as a workspace's verification: a workspace and the platform verifying one domain at once are serialised. */
  async lockDomainName(tx: SystemTx, domain: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`sso-domain:${domain}`}::text, 0))) AS l`;
  },

  /** Whether any workspace holds `domain` verified (the owner role reads across workspaces). */
  async verifiedByWorkspace(tx: SystemTx, domain: string): Promise<boolean> {
    return (await tx.ssoDomain.count({ where: { domain, verifiedAt: { not: null } } })) > 0;
  },
};
