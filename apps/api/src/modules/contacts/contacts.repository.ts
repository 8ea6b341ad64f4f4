// The only code that touches Prisma for contacts.
import type { Prisma, TenantTx } from "@atrium/db";

export type ContactRow = Prisma.ContactGetPayload<object>;

/** The columns of the CSV export. */
const EXPORT_SELECT = { id: true, name: true, email: true, phone: true, tags: true, createdAt: true } as const satisfies Prisma.ContactSelect;
export type ExportRow = Prisma.ContactGetPayload<{ select: typeof EXPORT_SELECT }>;

export const contactsRepository = {
  async idByEmail(tx: TenantTx, workspaceId: string, email: string) {
    return tx.contact.findUnique({ where: { workspaceId_email: { workspaceId, email } }, select: { id: true } });
  },

  async idByPhone(tx: TenantTx, workspaceId: string, phone: string) {
    return tx.contact.findUnique({ where: { workspaceId_phone: { workspaceId, phone } }, select: { id: true } });
  },

  async byEmail(tx: TenantTx, workspaceId: string, email: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_email: { workspaceId, email } } });
  },

  async byPhone(tx: TenantTx, workspaceId: string, phone: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_phone: { workspaceId, phone } } });
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  /** The contact with how many leads, conversations and calls still point at it. */
  async findWithUses(tx: TenantTx, workspaceId: string, id: string) {
    return tx.contact.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include: { _count: { select: { leads: true, conversations: true, calls: true } } } });
  },

  /**
   * Newest first by (createdAt, id); `after` is the keyset condition, ANDed with `where` for the
   * page only. No count statement when `withTotal` is false.
   */
  async page(tx: TenantTx, where: Prisma.ContactWhereInput, after: Prisma.ContactWhereInput, take: number, withTotal: boolean): Promise<[ContactRow[], number]> {
    return Promise.all([
      tx.contact.findMany({ where: { ...where, ...after }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: take + 1 }),
      withTotal ? tx.contact.count({ where }) : Promise.resolve(0),
    ]);
  },

  /**
   * One batch of the export: by id, ascending, `take` at most (one statement; `where` carries the
   * keyset condition `id > last`, which the primary key (workspace_id, id) serves).
   */
  async exportBatch(tx: TenantTx, where: Prisma.ContactWhereInput, take: number): Promise<ExportRow[]> {
    return tx.contact.findMany({ where, orderBy: { id: "asc" }, take, select: EXPORT_SELECT });
  },

  /** The workspace's slug (the export's file name); RLS shows only the caller's own. */
  async workspaceSlug(tx: TenantTx, workspaceId: string): Promise<string | null> {
    const ws = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { slug: true } });
    return ws?.slug ?? null;
  },

  /** Every tag of the workspace, sorted, at most 500. */
  async allTags(tx: TenantTx, workspaceId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ tag: string }[]>`SELECT DISTINCT unnest(tags) AS tag FROM contacts WHERE workspace_id = ${workspaceId}::uuid ORDER BY 1 LIMIT 500`;
    return rows.map((r) => r.tag);
  },

  /** The tags of the contacts matching `where` that have any. */
  async tagsOf(tx: TenantTx, workspaceId: string, where: Prisma.ContactWhereInput) {
    return tx.contact.findMany({ where: { ...where, workspaceId, NOT: { tags: { isEmpty: true } } }, select: { tags: true } });
  },

  async create(tx: TenantTx, data: Prisma.ContactUncheckedCreateInput): Promise<ContactRow> {
    return tx.contact.create({ data });
  },

  async update(tx: TenantTx, workspaceId: string, id: string, data: Prisma.ContactUncheckedUpdateInput): Promise<ContactRow> {
    return tx.contact.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  async delete(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.contact.delete({ where: { workspaceId_id: { workspaceId, id } } });
  },
};
