// The only code that touches Prisma for integration cards.
import type { Prisma, TenantTx } from "@atrium/db";

import type { IntegrationProvider } from "./integrations.types.ts";

export interface IntegrationRow {
  workspaceId: string;
  provider: IntegrationProvider;
  settings: Record<string, string | number>;
  secretJwe: string;
  keyId: string;
  updatedAt: Date;
}

const toRow = (r: {
  workspaceId: string;
  provider: string;
  settings: Prisma.JsonValue;
  secretJwe: string;
  keyId: string;
  updatedAt: Date;
}): IntegrationRow => ({
  workspaceId: r.workspaceId,
  provider: r.provider as IntegrationProvider,
  settings: (r.settings ?? {}) as Record<string, string | number>,
  secretJwe: r.secretJwe,
  keyId: r.keyId,
  updatedAt: r.updatedAt,
});

export const integrationsRepository = {
  async channelOf(tx: TenantTx, workspaceId: string): Promise<string | null> {
    const ws = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { channel: true } });
    return ws?.channel ?? null;
  },

  /** `filter`: the rows the caller may read (from `accessibleWhere`). */
  async list(tx: TenantTx, workspaceId: string, filter: Prisma.IntegrationWhereInput = {}): Promise<IntegrationRow[]> {
    return (await tx.integration.findMany({ where: { ...filter, workspaceId } })).map(toRow);
  },

  async find(
    tx: TenantTx,
    workspaceId: string,
    provider: IntegrationProvider,
    opts: { forUpdate?: boolean } = {},
  ): Promise<IntegrationRow | null> {
    if (opts.forUpdate) {
      // Serialises concurrent saves of one card (the secret merge reads, then writes).
      await tx.$queryRaw`SELECT 1 FROM integrations WHERE workspace_id = ${workspaceId}::uuid AND provider = ${provider}::integration_provider FOR UPDATE`;
    }
    const r = await tx.integration.findUnique({ where: { workspaceId_provider: { workspaceId, provider } } });
    return r ? toRow(r) : null;
  },

  async save(
    tx: TenantTx,
    row: Omit<IntegrationRow, "updatedAt"> & { updatedByMembershipId: string | null },
  ): Promise<IntegrationRow> {
    const data = {
      settings: row.settings as Prisma.InputJsonObject,
      secretJwe: row.secretJwe,
      keyId: row.keyId,
      updatedByMembershipId: row.updatedByMembershipId,
    };
    const r = await tx.integration.upsert({
      where: { workspaceId_provider: { workspaceId: row.workspaceId, provider: row.provider } },
      create: { workspaceId: row.workspaceId, provider: row.provider, ...data },
      update: data,
    });
    return toRow(r);
  },

  async remove(tx: TenantTx, workspaceId: string, provider: IntegrationProvider): Promise<boolean> {
    const r = await tx.integration.deleteMany({ where: { workspaceId, provider } });
    return r.count > 0;
  },

  /** Platform-wide secrets per key (a SECURITY DEFINER function that returns counts only). */
  async secretsPerKey(tx: TenantTx): Promise<Map<string, number>> {
    const rows = await tx.$queryRaw<
      { key_id: string; secrets: bigint }[]
    >`SELECT key_id, secrets FROM integration_secrets_per_key()`;
    return new Map(rows.map((r) => [r.key_id, Number(r.secrets)]));
  },
};
