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
  /**
   * The latest message of each conversation (the inbox preview): one backward step on
   * (workspace_id, conversation_id, created_at, id) per conversation, whatever its length (issue 52:
   * DISTINCT ON read and sorted every message of the page's conversations, 1,700 rows at scale).
   */
  async lastMessages(tx: TenantTx, workspaceId: string, ids: string[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    return tx.$queryRaw<MessageRow[]>`
      SELECT m.id, m.workspace_id AS "workspaceId", m.conversation_id AS "conversationId", m.direction, m.sender, m.sender_membership_id AS "senderMembershipId",
             m.body, m.status, m.provider_message_id AS "providerMessageId", m.error_code AS "errorCode", m.error_message AS "errorMessage", m.attempts, m.last_attempt_at AS "lastAttemptAt",
             m.in_reply_to_id AS "inReplyToId", m.status_updated_at AS "statusUpdatedAt", m.blocked_by_rule_id AS "blockedByRuleId", m.created_at AS "createdAt"
        FROM unnest(${ids}::uuid[]) AS c(id)
        CROSS JOIN LATERAL (
          SELECT * FROM messages
           WHERE workspace_id = ${workspaceId}::uuid AND conversation_id = c.id
           ORDER BY created_at DESC, id DESC
           LIMIT 1) m`;
  },
  /**
   * Inbound messages since the member last read each conversation: per conversation, the index
   * range after its last read (all of it when never read), not every message of the page's
   * conversations filtered afterwards.
   */
  async unreadCounts(
    tx: TenantTx,
    workspaceId: string,
    membershipId: string,
    ids: string[],
  ): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.$queryRaw<{ id: string; n: number }[]>`
      SELECT c.id, u.n FROM unnest(${ids}::uuid[]) AS c(id)
        LEFT JOIN conversation_reads r
          ON r.workspace_id = ${workspaceId}::uuid AND r.conversation_id = c.id AND r.membership_id = ${membershipId}::uuid
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS n FROM messages m
           WHERE m.workspace_id = ${workspaceId}::uuid AND m.conversation_id = c.id AND m.direction = 'INBOUND'
             AND m.created_at > COALESCE(r.last_read_at, '-infinity'::timestamptz)) u
       WHERE u.n > 0`;
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
