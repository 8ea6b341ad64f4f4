// The only code that touches Prisma for API keys (and the creator membership and workspace slug
// a key's principal is built from).
import type { Prisma, TenantTx } from "@atrium/db";

export type ApiKeyRow = Prisma.ApiKeyGetPayload<object>;

export const apiKeysRepository = {
  async find(tx: TenantTx, workspaceId: string, id: string): Promise<ApiKeyRow | null> {
    return tx.apiKey.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async ref(tx: TenantTx, workspaceId: string, id: string): Promise<{ workspaceId: string; id: string } | null> {
    return tx.apiKey.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      select: { workspaceId: true, id: true },
    });
  },

  async creator(tx: TenantTx, workspaceId: string, userId: string) {
    return tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      select: { id: true, userId: true, role: true, policies: true },
    });
  },

  async workspaceSlug(tx: TenantTx, workspaceId: string): Promise<string | null> {
    const ws = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { slug: true } });
    return ws?.slug ?? null;
  },

  /** Throws Prisma's not-found error when the workspace is gone. */
  async workspaceEnvironment(tx: TenantTx, workspaceId: string) {
    const ws = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { environment: true } });
    return ws.environment;
  },

  async create(tx: TenantTx, data: Prisma.ApiKeyUncheckedCreateInput): Promise<ApiKeyRow> {
    return tx.apiKey.create({ data });
  },

  /** `filter`: the rows the caller may read. Newest first. */
  async list(tx: TenantTx, workspaceId: string, filter: Prisma.ApiKeyWhereInput): Promise<ApiKeyRow[]> {
    return tx.apiKey.findMany({ where: { ...filter, workspaceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  },

  /** The number of keys revoked (0: gone or already revoked). */
  async revoke(tx: TenantTx, workspaceId: string, id: string, at: Date): Promise<number> {
    const r = await tx.apiKey.updateMany({ where: { workspaceId, id, revokedAt: null }, data: { revokedAt: at } });
    return r.count;
  },

  /** updateMany: a key deleted meanwhile is no error. */
  async touchLastUsed(tx: TenantTx, workspaceId: string, id: string, at: Date): Promise<void> {
    await tx.apiKey.updateMany({ where: { workspaceId, id }, data: { lastUsedAt: at } });
  },
};
