// The only code that touches Prisma for a workspace's registered persisted documents (issue 51).
import type { Prisma, TenantTx } from "@atrium/db";

export const persistedDocumentsRepository = {
  list(tx: TenantTx, workspaceId: string) {
    return tx.persistedDocument.findMany({ where: { workspaceId }, orderBy: [{ name: "asc" }] });
  },
  find(tx: TenantTx, workspaceId: string, sha256: string) {
    return tx.persistedDocument.findUnique({ where: { workspaceId_sha256: { workspaceId, sha256 } } });
  },
  /** The text of a registered document, for a request that names it by hash. */
  async body(tx: TenantTx, workspaceId: string, sha256: string): Promise<string | undefined> {
    const row = await tx.persistedDocument.findUnique({
      where: { workspaceId_sha256: { workspaceId, sha256 } },
      select: { body: true },
    });
    return row?.body;
  },
  count(tx: TenantTx, workspaceId: string) {
    return tx.persistedDocument.count({ where: { workspaceId } });
  },
  create(tx: TenantTx, data: Prisma.PersistedDocumentUncheckedCreateInput) {
    return tx.persistedDocument.create({ data });
  },
  /** Deletes it; false when there was none. */
  async remove(tx: TenantTx, workspaceId: string, sha256: string): Promise<boolean> {
    const { count } = await tx.persistedDocument.deleteMany({ where: { workspaceId, sha256 } });
    return count > 0;
  },
};
