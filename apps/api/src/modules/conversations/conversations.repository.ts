// The only code that touches Prisma for conversations and their transcripts.
import type { Prisma, TenantTx } from "@atrium/db";

export type ConversationRow = Prisma.ConversationGetPayload<{ include: { contact: true } }>;
export type MessageRow = Prisma.MessageGetPayload<object>;

const include = { contact: true } as const;

export const conversationsRepository = {
  /** Newest first by (createdAt, id); `after` is the keyset condition, ANDed with `where` for the page only. */
  async page(tx: TenantTx, where: Prisma.ConversationWhereInput, after: Prisma.ConversationWhereInput, take: number): Promise<[ConversationRow[], number]> {
    return Promise.all([
      tx.conversation.findMany({ where: { ...where, ...after }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: take + 1 }),
      tx.conversation.count({ where }),
    ]);
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<ConversationRow | null> {
    return tx.conversation.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include });
  },

  async findRow(tx: TenantTx, workspaceId: string, id: string) {
    return tx.conversation.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async update(tx: TenantTx, workspaceId: string, id: string, data: Prisma.ConversationUncheckedUpdateInput): Promise<ConversationRow> {
    return tx.conversation.update({ where: { workspaceId_id: { workspaceId, id } }, data, include });
  },

  /** One message matching `where` (which names its id), or null. */
  async findMessage(tx: TenantTx, where: Prisma.MessageWhereInput): Promise<MessageRow | null> {
    return tx.message.findFirst({ where });
  },

  /** Oldest first by (createdAt, id); `after` is the last row seen (keyset, forward in time), for the page only. */
  async messagePage(tx: TenantTx, where: Prisma.MessageWhereInput, after: { createdAt: Date; id: string } | null, take: number): Promise<[MessageRow[], number]> {
    return Promise.all([
      tx.message.findMany({
        where: after ? { ...where, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: take + 1,
      }),
      tx.message.count({ where }),
    ]);
  },
};
