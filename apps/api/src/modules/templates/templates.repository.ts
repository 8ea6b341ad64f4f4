// The only code that touches Prisma for WhatsApp templates (issue 56).
import type { Prisma, TenantTx } from "@atrium/db";

export const templatesRepository = {
  list(tx: TenantTx, workspaceId: string) {
    return tx.messageTemplate.findMany({ where: { workspaceId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  },
  find(tx: TenantTx, workspaceId: string, id: string) {
    return tx.messageTemplate.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },
  create(tx: TenantTx, data: Prisma.MessageTemplateUncheckedCreateInput) {
    return tx.messageTemplate.create({ data });
  },
  update(tx: TenantTx, workspaceId: string, id: string, data: Prisma.MessageTemplateUncheckedUpdateInput) {
    return tx.messageTemplate.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },
  /** Clears the opening choice (but for `exceptId`): at most one template opens conversations. */
  async clearOpening(tx: TenantTx, workspaceId: string, exceptId?: string): Promise<void> {
    await tx.messageTemplate.updateMany({
      where: { workspaceId, useForOpening: true, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
      data: { useForOpening: false },
    });
  },
  async remove(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.messageTemplate.delete({ where: { workspaceId_id: { workspaceId, id } } });
  },
  /** A few campaigns that use the template (deleting it is refused while any does). */
  campaignsUsing(tx: TenantTx, workspaceId: string, id: string) {
    return tx.campaign.findMany({ where: { workspaceId, templateId: id }, select: { name: true }, take: 3 });
  },
};
