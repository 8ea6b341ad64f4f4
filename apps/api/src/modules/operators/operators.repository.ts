// The only code that touches Prisma for the operator console (issue 47): safety rules, the review
// queue, notifications, guidance notes, Live Call Control requests and round-robin assignment.
import type { Prisma, TenantTx } from "@atrium/db";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";

type SystemTx = Prisma.TransactionClient;

export type SafetyRuleRow = Prisma.SafetyRuleGetPayload<object>;
export type ReviewItemRow = Prisma.ReviewItemGetPayload<object>;
export type NotificationRow = Prisma.NotificationGetPayload<object>;
export type GuidanceNoteRow = Prisma.GuidanceNoteGetPayload<object>;
export type CallActionRow = Prisma.CallActionGetPayload<object>;

export const operatorsRepository = {
  // ---------------------------------------------------------------- safety rules
  async enabledRules(
    tx: TenantTx,
    workspaceId: string,
    where: SafetyRuleRow["appliesTo"][number],
  ): Promise<SafetyRuleRow[]> {
    return tx.safetyRule.findMany({
      where: { workspaceId, enabled: true, appliesTo: { has: where } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  },
  async rules(tx: TenantTx, where: Prisma.SafetyRuleWhereInput): Promise<SafetyRuleRow[]> {
    return tx.safetyRule.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  },
  async rule(tx: TenantTx, workspaceId: string, id: string): Promise<SafetyRuleRow | null> {
    return tx.safetyRule.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },
  async createRule(tx: TenantTx, data: Prisma.SafetyRuleUncheckedCreateInput): Promise<SafetyRuleRow> {
    return tx.safetyRule.create({ data });
  },
  async updateRule(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.SafetyRuleUncheckedUpdateInput,
  ): Promise<SafetyRuleRow> {
    return tx.safetyRule.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },
  async deleteRule(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.safetyRule.delete({ where: { workspaceId_id: { workspaceId, id } } });
  },

  // ---------------------------------------------------------------- review queue
  /** Files an item; one per (message, reason): a second filing returns the first. */
  async fileReview(
    tx: TenantTx,
    data: Prisma.ReviewItemCreateManyInput,
  ): Promise<{ item: ReviewItemRow; created: boolean }> {
    if (data.messageId) {
      const existing = await tx.reviewItem.findFirst({
        where: { workspaceId: data.workspaceId, messageId: data.messageId, reason: data.reason },
      });
      if (existing) return { item: existing, created: false };
      const rows = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO review_items (workspace_id, reason, conversation_id, message_id, rule_id, summary, excerpt)
        VALUES (${data.workspaceId}::uuid, ${data.reason}::review_reason, ${data.conversationId ?? null}::uuid, ${data.messageId}::uuid, ${data.ruleId ?? null}::uuid, ${data.summary}, ${data.excerpt ?? null})
        ON CONFLICT (workspace_id, message_id, reason) DO NOTHING RETURNING id`;
      const item = await tx.reviewItem.findFirst({
        where: { workspaceId: data.workspaceId, messageId: data.messageId, reason: data.reason },
      });
      return { item: item!, created: rows.length > 0 };
    }
    return { item: await tx.reviewItem.create({ data }), created: true };
  },
  /** Newest first; `keyset`: the cursor's condition (for the page only) and the order of travel (cursor.ts's `keyset`). */
  async reviewPage(
    tx: TenantTx,
    where: Prisma.ReviewItemWhereInput,
    keyset: { where: Prisma.ReviewItemWhereInput; orderBy: Prisma.ReviewItemOrderByWithRelationInput[] },
    take: number,
  ): Promise<[ReviewItemRow[], number]> {
    return Promise.all([
      tx.reviewItem.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: take + 1 }),
      tx.reviewItem.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },
  async reviewItem(tx: TenantTx, workspaceId: string, id: string): Promise<ReviewItemRow | null> {
    return tx.reviewItem.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },
  /** Moves an item only while its status is one of `from` (one claimant wins a race). */
  async moveReview(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: Prisma.ReviewItemWhereInput,
    data: Prisma.ReviewItemUncheckedUpdateManyInput,
  ): Promise<boolean> {
    return (await tx.reviewItem.updateMany({ where: { AND: [{ workspaceId, id }, from] }, data })).count > 0;
  },
  async openReviewCounts(tx: TenantTx, workspaceId: string, conversationIds: string[]): Promise<Map<string, number>> {
    const rows = await tx.reviewItem.groupBy({
      by: ["conversationId"],
      where: { workspaceId, conversationId: { in: conversationIds }, status: { in: ["OPEN", "CLAIMED"] } },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.conversationId!, r._count._all]));
  },

  // ---------------------------------------------------------------- members
  /** Members with their user's name and e-mail, by membership id. */
  async members(tx: TenantTx, workspaceId: string, ids: string[]) {
    if (ids.length === 0) return [];
    return tx.membership.findMany({
      where: { workspaceId, id: { in: ids } },
      include: { user: { select: { id: true, name: true, email: true } } },
    });
  },
  async membershipOfUser(tx: TenantTx, workspaceId: string, userId: string) {
    return tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      include: { user: { select: { id: true, name: true, email: true } } },
    });
  },
  async allMembers(tx: TenantTx, workspaceId: string) {
    return tx.membership.findMany({
      where: { workspaceId },
      include: { user: { select: { id: true, name: true, email: true, disabledAt: true } } },
      orderBy: { createdAt: "asc" },
    });
  },
  /** The next available member for round-robin (least recently assigned first), locked until the transaction ends. */
  async nextAvailable(tx: TenantTx, workspaceId: string, candidates: string[]): Promise<string | null> {
    if (candidates.length === 0) return null;
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM memberships WHERE workspace_id = ${workspaceId}::uuid AND id = ANY(${candidates}::uuid[]) AND available
       ORDER BY last_assigned_at ASC NULLS FIRST, created_at ASC LIMIT 1 FOR UPDATE`;
    return rows[0]?.id ?? null;
  },
  async markAssigned(tx: TenantTx, workspaceId: string, membershipId: string): Promise<void> {
    await tx.membership.updateMany({ where: { workspaceId, id: membershipId }, data: { lastAssignedAt: new Date() } });
  },
  async updateMembership(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.MembershipUncheckedUpdateManyInput,
  ): Promise<void> {
    await tx.membership.updateMany({ where: { workspaceId, id }, data });
  },
  async inboxSettings(tx: TenantTx, workspaceId: string, membershipId: string) {
    return tx.membership.findUnique({
      where: { workspaceId_id: { workspaceId, id: membershipId } },
      select: { available: true, emailNotifications: true },
    });
  },
  async setAutoAssign(tx: TenantTx, workspaceId: string, enabled: boolean): Promise<void> {
    await tx.workspace.update({ where: { id: workspaceId }, data: { autoAssign: enabled } });
  },

  // ---------------------------------------------------------------- conversations (the rules' effects)
  /** HUMAN mode, when not already. */
  async handOver(tx: TenantTx, workspaceId: string, conversationId: string): Promise<void> {
    await tx.conversation.updateMany({
      where: { workspaceId, id: conversationId, humanTakeover: false },
      data: { humanTakeover: true },
    });
  },
  async callControl(tx: TenantTx, workspaceId: string, conversationId: string) {
    return tx.conversation.findUnique({
      where: { workspaceId_id: { workspaceId, id: conversationId } },
      select: { callControlUrl: true, callStatus: true },
    });
  },
  async assigneeOf(tx: TenantTx, workspaceId: string, conversationId: string): Promise<string | null> {
    return (
      (
        await tx.conversation.findUnique({
          where: { workspaceId_id: { workspaceId, id: conversationId } },
          select: { assigneeMembershipId: true },
        })
      )?.assigneeMembershipId ?? null
    );
  },
  /** Assigns only a conversation nobody has yet; false when someone had it. */
  async assignIfUnassigned(
    tx: TenantTx,
    workspaceId: string,
    conversationId: string,
    membershipId: string,
  ): Promise<boolean> {
    return (
      (
        await tx.conversation.updateMany({
          where: { workspaceId, id: conversationId, assigneeMembershipId: null },
          data: { assigneeMembershipId: membershipId },
        })
      ).count > 0
    );
  },
  async workspaceFlags(tx: TenantTx, workspaceId: string) {
    return tx.workspace.findUnique({
      where: { id: workspaceId },
      select: { autoAssign: true, name: true, slug: true },
    });
  },

  // ---------------------------------------------------------------- notifications
  async createNotifications(tx: TenantTx, rows: Prisma.NotificationCreateManyInput[]): Promise<NotificationRow[]> {
    return tx.notification.createManyAndReturn({ data: rows });
  },
  /** Newest first; `keyset`: the cursor's condition (for the page only) and the order of travel (cursor.ts's `keyset`). */
  async notificationPage(
    tx: TenantTx,
    where: Prisma.NotificationWhereInput,
    keyset: { where: Prisma.NotificationWhereInput; orderBy: Prisma.NotificationOrderByWithRelationInput[] },
    take: number,
  ): Promise<[NotificationRow[], number, number]> {
    return Promise.all([
      tx.notification.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: take + 1 }),
      tx.notification.count({ where }),
      tx.notification.count({ where: { AND: [where, { readAt: null }] } }),
    ]);
  },
  async notification(tx: TenantTx, workspaceId: string, id: string): Promise<NotificationRow | null> {
    return tx.notification.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },
  async markNotificationsRead(tx: TenantTx, where: Prisma.NotificationWhereInput): Promise<number> {
    return (
      await tx.notification.updateMany({ where: { AND: [where, { readAt: null }] }, data: { readAt: new Date() } })
    ).count;
  },
  async markEmailed(tx: TenantTx, workspaceId: string, ids: string[]): Promise<void> {
    await tx.notification.updateMany({ where: { workspaceId, id: { in: ids } }, data: { emailedAt: new Date() } });
  },
  /** Digest: unread notifications not yet e-mailed, of one member. */
  async pendingDigest(tx: TenantTx, workspaceId: string, membershipId: string): Promise<NotificationRow[]> {
    return tx.notification.findMany({
      where: { workspaceId, membershipId, readAt: null, emailedAt: null },
      orderBy: { createdAt: "asc" },
      take: 200,
    });
  },
  /** Workspaces with members on the daily digest who have something to read (across workspaces: the system client). */
  async digestWorkspaces(client: SystemTx): Promise<{ workspace_id: string; membership_id: string }[]> {
    return client.$queryRawUnsafe(
      `SELECT DISTINCT n.workspace_id, n.membership_id FROM notifications n
         JOIN memberships m ON m.workspace_id = n.workspace_id AND m.id = n.membership_id
        WHERE m.email_notifications = 'DAILY' AND n.read_at IS NULL AND n.emailed_at IS NULL`,
    );
  },

  // ---------------------------------------------------------------- guidance and call control
  async createGuidance(tx: TenantTx, data: Prisma.GuidanceNoteUncheckedCreateInput): Promise<GuidanceNoteRow> {
    return tx.guidanceNote.create({ data });
  },
  async guidanceOf(
    tx: TenantTx,
    workspaceId: string,
    conversationId: string,
    take: number,
  ): Promise<GuidanceNoteRow[]> {
    const rows = await tx.guidanceNote.findMany({
      where: { workspaceId, conversationId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
    return rows.reverse();
  },
  async guidanceNote(tx: TenantTx, workspaceId: string, id: string): Promise<GuidanceNoteRow | null> {
    return tx.guidanceNote.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },
  async createCallAction(tx: TenantTx, data: Prisma.CallActionUncheckedCreateInput): Promise<CallActionRow> {
    return tx.callAction.create({ data });
  },
  async callActionsOf(tx: TenantTx, workspaceId: string, conversationId: string): Promise<CallActionRow[]> {
    return tx.callAction.findMany({
      where: { workspaceId, conversationId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 200,
    });
  },
  async callAction(tx: TenantTx, workspaceId: string, id: string): Promise<CallActionRow | null> {
    return tx.callAction.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },
  async lockCallAction(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM call_actions WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR UPDATE`;
  },
  async updateCallAction(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: CallActionRow["status"][],
    data: Prisma.CallActionUncheckedUpdateManyInput,
  ): Promise<boolean> {
    return (await tx.callAction.updateMany({ where: { workspaceId, id, status: { in: from } }, data })).count > 0;
  },
};
