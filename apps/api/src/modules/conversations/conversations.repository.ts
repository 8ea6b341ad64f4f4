// The only code that touches Prisma for conversations and their transcripts.
import type { Prisma, TenantTx } from "@atrium/db";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";

export type ConversationRow = Prisma.ConversationGetPayload<{ include: { contact: true } }>;
export type MessageRow = Prisma.MessageGetPayload<object>;

const include = { contact: true } as const;
/** A page's keyset (cursor.ts's `keyset`): the cursor's condition and the order of travel. */
type Keyset = { where: Prisma.ConversationWhereInput; orderBy: Prisma.ConversationOrderByWithRelationInput[] };

export const conversationsRepository = {
  /** The inbox: latest activity first by (lastActivityAt, id); `keyset` is the cursor's condition (for the page only) and the order of travel. */
  async inboxPage(
    tx: TenantTx,
    where: Prisma.ConversationWhereInput,
    keyset: Keyset,
    take: number,
  ): Promise<[ConversationRow[], number]> {
    return Promise.all([
      tx.conversation.findMany({
        where: { AND: [where, keyset.where] },
        include,
        orderBy: keyset.orderBy,
        take: take + 1,
      }),
      tx.conversation.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },
  /**
   * Conversations whose contact's name, or one of whose messages, contains `pattern` (an ILIKE
   * pattern, wildcards escaped), or whose contact's phone starts (after its "+") or ends with
   * `phoneDigits` (null: not searched), at most `limit`: `inbox_search`, which runs each arm on its
   * index within the tenant context's workspace (RLS would forbid the index for ILIKE; decision
   * 0032; the phone arms: migration 20261129020000).
   */
  async searchIds(tx: TenantTx, pattern: string, phoneDigits: string | null, limit: number): Promise<string[]> {
    const rows = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM inbox_search(${pattern}, ${phoneDigits}::text, ${limit}) AS id`;
    return rows.map((r) => r.id);
  },
  /** The latest message of each conversation (the inbox preview). */
  async lastMessages(tx: TenantTx, workspaceId: string, ids: string[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    return tx.$queryRaw<MessageRow[]>`
      SELECT DISTINCT ON (conversation_id) id, workspace_id AS "workspaceId", conversation_id AS "conversationId", direction, sender, sender_membership_id AS "senderMembershipId",
             body, status, provider_message_id AS "providerMessageId", error_code AS "errorCode", error_message AS "errorMessage", attempts, last_attempt_at AS "lastAttemptAt",
             in_reply_to_id AS "inReplyToId", status_updated_at AS "statusUpdatedAt", blocked_by_rule_id AS "blockedByRuleId", created_at AS "createdAt"
        FROM messages WHERE workspace_id = ${workspaceId}::uuid AND conversation_id = ANY(${ids}::uuid[])
       ORDER BY conversation_id, created_at DESC, id DESC`;
  },
  /** Inbound messages since the member last read each conversation. */
  async unreadCounts(
    tx: TenantTx,
    workspaceId: string,
    membershipId: string,
    ids: string[],
  ): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.$queryRaw<{ id: string; n: number }[]>`
      SELECT m.conversation_id AS id, count(*)::int AS n FROM messages m
        LEFT JOIN conversation_reads r ON r.workspace_id = m.workspace_id AND r.conversation_id = m.conversation_id AND r.membership_id = ${membershipId}::uuid
       WHERE m.workspace_id = ${workspaceId}::uuid AND m.conversation_id = ANY(${ids}::uuid[]) AND m.direction = 'INBOUND'
         AND (r.last_read_at IS NULL OR m.created_at > r.last_read_at)
       GROUP BY m.conversation_id`;
    return new Map(rows.map((r) => [r.id, r.n]));
  },
  async markRead(tx: TenantTx, workspaceId: string, conversationId: string, membershipId: string): Promise<void> {
    const now = new Date();
    await tx.conversationRead.upsert({
      where: { workspaceId_conversationId_membershipId: { workspaceId, conversationId, membershipId } },
      create: { workspaceId, conversationId, membershipId, lastReadAt: now },
      update: { lastReadAt: now },
    });
  },
  /** Moves a conversation only while `from` holds (one conditional UPDATE). */
  async updateWhere(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: Prisma.ConversationWhereInput,
    data: Prisma.ConversationUncheckedUpdateManyInput,
  ): Promise<boolean> {
    return (await tx.conversation.updateMany({ where: { AND: [{ workspaceId, id }, from] }, data })).count > 0;
  },
  /** The conversation's activity from the audit log (assignments, takeovers, closes, calls joined). */
  async activity(tx: TenantTx, workspaceId: string, conversationId: string) {
    return tx.auditEvent.findMany({
      where: { workspaceId, targetType: "Conversation", targetId: conversationId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 500,
      select: { id: true, action: true, actorMembershipId: true, data: true, createdAt: true },
    });
  },
  /** Newest first by (createdAt, id); `keyset` is the cursor's condition, ANDed with `where` for the page only, and the order of travel. */
  async page(
    tx: TenantTx,
    where: Prisma.ConversationWhereInput,
    keyset: Keyset,
    take: number,
  ): Promise<[ConversationRow[], number]> {
    return Promise.all([
      tx.conversation.findMany({
        where: { ...where, ...keyset.where },
        include,
        orderBy: keyset.orderBy,
        take: take + 1,
      }),
      tx.conversation.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<ConversationRow | null> {
    return tx.conversation.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include });
  },

  async findRow(tx: TenantTx, workspaceId: string, id: string) {
    return tx.conversation.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.ConversationUncheckedUpdateInput,
  ): Promise<ConversationRow> {
    return tx.conversation.update({ where: { workspaceId_id: { workspaceId, id } }, data, include });
  },

  /** One message matching `where` (which names its id), or null. */
  async findMessage(tx: TenantTx, where: Prisma.MessageWhereInput): Promise<MessageRow | null> {
    return tx.message.findFirst({ where });
  },

  /** Oldest first by (createdAt, id); `keyset` is the cursor's condition (for the page only) and the order of travel. */
  async messagePage(
    tx: TenantTx,
    where: Prisma.MessageWhereInput,
    keyset: { where: Prisma.MessageWhereInput; orderBy: Prisma.MessageOrderByWithRelationInput[] },
    take: number,
  ): Promise<[MessageRow[], number]> {
    return Promise.all([
      tx.message.findMany({
        where: { ...where, ...keyset.where },
        orderBy: keyset.orderBy,
        take: take + 1,
      }),
      tx.message.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },
};
