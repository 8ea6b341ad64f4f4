// The only code that touches Prisma for messaging: contacts reached by phone, conversations,
// messages and their delivery state, and voice call attempts.
import { type Prisma, type TenantTx } from "@atrium/db";

import type { LeadContext, Persona } from "./agent-prompt.ts";

export type MessageRow = Prisma.MessageGetPayload<object>;
export type CallRow = Prisma.CallGetPayload<object>;
export type Status = MessageRow["status"];

/**
 * A message not yet handed to the provider: held by the quota, or queued and never attempted (an
 * attempted one may be at the provider already; its send job decides, after looking it up).
 */
const UNSENT = {
  direction: "OUTBOUND",
  providerMessageId: null,
  OR: [{ status: "HELD_QUOTA" }, { status: "QUEUED", attempts: 0 }],
} satisfies Prisma.MessageWhereInput;

export const messagingRepository = {
  async workspace(
    tx: TenantTx,
    workspaceId: string,
  ): Promise<(Persona & { channel: string; agentPaused: boolean }) | null> {
    const ws = await tx.workspace.findUnique({
      where: { id: workspaceId },
      select: {
        name: true,
        channel: true,
        agentPaused: true,
        agentName: true,
        agentRole: true,
        agentTone: true,
        qualificationQuestions: true,
        openingMessageTemplate: true,
        knowledgeHours: true,
        knowledgeServices: true,
        knowledgePrices: true,
        knowledgeFaqs: true,
      },
    });
    return ws
      ? {
          workspaceName: ws.name,
          channel: ws.channel,
          agentPaused: ws.agentPaused,
          agentName: ws.agentName,
          agentRole: ws.agentRole,
          agentTone: ws.agentTone,
          qualificationQuestions: ws.qualificationQuestions,
          openingMessageTemplate: ws.openingMessageTemplate,
          knowledge: {
            hours: ws.knowledgeHours,
            services: ws.knowledgeServices,
            prices: ws.knowledgePrices,
            faqs: ws.knowledgeFaqs,
          },
        }
      : null;
  },

  /** The lead of an outbound message's conversation (issue 56: a delivery makes it CONTACTED), or null. */
  async leadOfOutbound(tx: TenantTx, workspaceId: string, messageId: string): Promise<string | null> {
    const m = await tx.message.findUnique({
      where: { workspaceId_id: { workspaceId, id: messageId } },
      select: { direction: true, conversation: { select: { leadId: true } } },
    });
    return m?.direction === "OUTBOUND" ? m.conversation.leadId : null;
  },

  /** What the agent is told about a conversation's lead in every turn (issue 56): the form message, recorded answers. */
  async leadContext(tx: TenantTx, workspaceId: string, leadId: string | null): Promise<LeadContext | null> {
    if (!leadId) return null;
    const lead = await tx.lead.findUnique({
      where: { workspaceId_id: { workspaceId, id: leadId } },
      select: { name: true, message: true, qualificationAnswers: true },
    });
    if (!lead) return null;
    const answers = Array.isArray(lead.qualificationAnswers)
      ? (lead.qualificationAnswers as { question?: unknown; answer?: unknown }[])
      : [];
    return {
      name: lead.name,
      message: lead.message,
      answers: answers.filter((a) => typeof a.question === "string" && typeof a.answer === "string") as {
        question: string;
        answer: string;
      }[],
    };
  },

  async contactByPhone(tx: TenantTx, workspaceId: string, phone: string, name: string) {
    const existing = await tx.contact.findUnique({ where: { workspaceId_phone: { workspaceId, phone } } });
    return existing ?? tx.contact.create({ data: { workspaceId, phone, name } });
  },

  async agentPaused(tx: TenantTx, workspaceId: string): Promise<boolean | null> {
    return (
      (await tx.workspace.findUnique({ where: { id: workspaceId }, select: { agentPaused: true } }))?.agentPaused ??
      null
    );
  },

  /** Opts a contact out of campaigns (true) or back in (false); a no-op when already so. */
  async setOptedOut(tx: TenantTx, workspaceId: string, contactId: string, optedOut: boolean): Promise<void> {
    if (optedOut)
      await tx.contact.updateMany({
        where: { workspaceId, id: contactId, optedOutAt: null },
        data: { optedOutAt: new Date() },
      });
    else
      await tx.contact.updateMany({
        where: { workspaceId, id: contactId, optedOutAt: { not: null } },
        data: { optedOutAt: null },
      });
  },

  async latestLeadOfContact(tx: TenantTx, workspaceId: string, contactId: string) {
    return tx.lead.findFirst({ where: { workspaceId, contactId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  },

  /** The contact's current conversation (the latest text one), or a new one (`created`). */
  async openConversation(tx: TenantTx, workspaceId: string, contactId: string, leadId: string | null) {
    const existing = await tx.conversation.findFirst({
      where: { workspaceId, contactId, providerCallId: null, callControlUrl: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    if (existing) {
      if (!existing.leadId && leadId)
        return {
          ...(await tx.conversation.update({
            where: { workspaceId_id: { workspaceId, id: existing.id } },
            data: { leadId },
          })),
          created: false,
        };
      return { ...existing, created: false };
    }
    return { ...(await tx.conversation.create({ data: { workspaceId, contactId, leadId } })), created: true };
  },

  async conversation(tx: TenantTx, workspaceId: string, id: string) {
    return tx.conversation.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include: { contact: true } });
  },

  /** The latest message's time (the inbox order); `reopen`: a lead's new message reopens a closed conversation. */
  async touchConversation(tx: TenantTx, workspaceId: string, id: string, at: Date, opts: { reopen?: boolean } = {}) {
    await tx.conversation.update({
      where: { workspaceId_id: { workspaceId, id } },
      data: { lastMessageAt: at, lastActivityAt: at, ...(opts.reopen ? { status: "OPEN", closedAt: null } : {}) },
    });
  },

  /** The latest guidance notes of a conversation, oldest first (issue 47). */
  async guidance(tx: TenantTx, workspaceId: string, conversationId: string, limit: number) {
    const rows = await tx.guidanceNote.findMany({
      where: { workspaceId, conversationId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: { body: true },
    });
    return rows.reverse();
  },

  async createMessage(tx: TenantTx, data: Prisma.MessageUncheckedCreateInput): Promise<MessageRow> {
    return tx.message.create({ data });
  },

  /** The conversation a call's end-of-call report was stored as. */
  async conversationOfCall(tx: TenantTx, workspaceId: string, providerCallId: string) {
    return tx.conversation.findUnique({
      where: { workspaceId_providerCallId: { workspaceId, providerCallId } },
      select: { id: true },
    });
  },

  async createConversation(tx: TenantTx, data: Prisma.ConversationUncheckedCreateInput) {
    return tx.conversation.create({ data });
  },

  /** A voice conversation by its call id, with whether it has messages yet. */
  async callConversation(tx: TenantTx, workspaceId: string, providerCallId: string) {
    return tx.conversation.findUnique({
      where: { workspaceId_providerCallId: { workspaceId, providerCallId } },
      include: { _count: { select: { messages: true } } },
    });
  },

  async updateConversation(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.ConversationUncheckedUpdateInput,
  ): Promise<void> {
    await tx.conversation.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  /** The control URL Vapi gave when the call was placed (POST /call). */
  async callControlUrl(tx: TenantTx, workspaceId: string, providerCallId: string): Promise<string | null> {
    return (
      (await tx.call.findFirst({ where: { workspaceId, providerCallId }, select: { controlUrl: true } }))?.controlUrl ??
      null
    );
  },

  async createMessages(tx: TenantTx, data: Prisma.MessageCreateManyInput[]): Promise<void> {
    await tx.message.createMany({ data });
  },

  async messageBySid(tx: TenantTx, workspaceId: string, sid: string) {
    return tx.message.findUnique({
      where: { workspaceId_providerMessageId: { workspaceId, providerMessageId: sid } },
      select: { id: true },
    });
  },

  async message(tx: TenantTx, workspaceId: string, id: string) {
    return tx.message.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      include: { conversation: { include: { contact: true } } },
    });
  },

  async replyTo(tx: TenantTx, workspaceId: string, inboundId: string) {
    return tx.message.findUnique({
      where: { workspaceId_inReplyToId: { workspaceId, inReplyToId: inboundId } },
      select: { id: true },
    });
  },

  /** Locks the message row until the transaction ends (the send job's claim). */
  async lockMessage(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM messages WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR UPDATE`;
  },

  /**
   * The campaign a message was written for (null: none), its row locked FOR SHARE until the
   * transaction ends: a cancel or pause waits for the claim, and a claim after it sees it.
   */
  async campaignOfMessage(
    tx: TenantTx,
    workspaceId: string,
    messageId: string,
  ): Promise<{ recipientId: string; status: string } | null> {
    const rows = await tx.$queryRaw<{ recipient_id: string; status: string }[]>`
      SELECT r.id AS recipient_id, c.status::text AS status FROM campaign_recipients r
        JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id
       WHERE r.workspace_id = ${workspaceId}::uuid AND r.message_id = ${messageId}::uuid
         FOR SHARE OF c`;
    return rows[0] ? { recipientId: rows[0].recipient_id, status: rows[0].status } : null;
  },

  async updateRecipient(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.CampaignRecipientUncheckedUpdateManyInput,
  ): Promise<void> {
    await tx.campaignRecipient.updateMany({ where: { workspaceId, id }, data });
  },

  /**
   * A decision that stops sends (kill switch, opt-out, takeover): every message of `where` not yet
   * handed to the provider becomes SUPPRESSED with the reason. Returns how many.
   */
  async stopUnsentMessages(
    tx: TenantTx,
    workspaceId: string,
    where: Prisma.MessageWhereInput,
    reason: string,
  ): Promise<number> {
    const r = await tx.message.updateMany({
      where: { AND: [{ workspaceId }, where, UNSENT] },
      data: { status: "SUPPRESSED", errorMessage: reason, statusUpdatedAt: new Date() },
    });
    return r.count;
  },

  /** The same for calls not yet placed (held by the quota, or queued and never attempted). */
  async stopUnsentCalls(tx: TenantTx, workspaceId: string, reason: string): Promise<number> {
    const r = await tx.call.updateMany({
      where: { workspaceId, providerCallId: null, OR: [{ status: "HELD_QUOTA" }, { status: "QUEUED", attempts: 0 }] },
      data: { status: "SUPPRESSED", errorMessage: reason },
    });
    return r.count;
  },

  /** Updates a message only while its status is one of `from` (a status never moves backwards). */
  async updateMessage(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: Status[],
    data: Prisma.MessageUpdateManyMutationInput,
  ): Promise<boolean> {
    const r = await tx.message.updateMany({ where: { workspaceId, id, status: { in: from } }, data });
    return r.count > 0;
  },

  /** Stores Twilio's id for the message (with `ifUnset`, only when it has none yet) and clears the last error. */
  async setProviderMessageId(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    sid: string,
    opts: { ifUnset?: boolean } = {},
  ): Promise<void> {
    await tx.message.updateMany({
      where: { workspaceId, id, ...(opts.ifUnset ? { providerMessageId: null } : {}) },
      data: { providerMessageId: sid, errorCode: null, errorMessage: null },
    });
  },

  async countMessageAttempt(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.message.updateMany({
      where: { workspaceId, id },
      data: { attempts: { increment: 1 }, lastAttemptAt: new Date() },
    });
  },

  /** The error of an attempt that will be retried, on a message still QUEUED. */
  async noteMessageRetry(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    error: { errorCode: string; errorMessage: string },
  ): Promise<void> {
    await tx.message.updateMany({ where: { workspaceId, id, status: "QUEUED" }, data: error });
  },

  /** The outbound message a Twilio status callback names: by id, with no provider id yet or this one. */
  async outboundForCallback(tx: TenantTx, workspaceId: string, id: string, sid: string) {
    return tx.message.findFirst({
      where: { workspaceId, id, direction: "OUTBOUND", OR: [{ providerMessageId: null }, { providerMessageId: sid }] },
      select: { id: true },
    });
  },

  /** The latest `limit` messages of a conversation, oldest first, for the agent's context. */
  async transcript(tx: TenantTx, workspaceId: string, conversationId: string, limit: number) {
    const rows = await tx.message.findMany({
      where: { workspaceId, conversationId, status: { notIn: ["SUPPRESSED", "FAILED", "BLOCKED"] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: { direction: true, body: true },
    });
    return rows.reverse();
  },

  async createCall(tx: TenantTx, data: Prisma.CallUncheckedCreateInput): Promise<CallRow> {
    return tx.call.create({ data });
  },

  async call(tx: TenantTx, workspaceId: string, id: string) {
    return tx.call.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include: { contact: true } });
  },

  /** Locks the call row until the transaction ends (the call job's claim). */
  async lockCall(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM calls WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR UPDATE`;
  },

  async callByProviderId(tx: TenantTx, workspaceId: string, providerCallId: string) {
    return tx.call.findFirst({ where: { workspaceId, providerCallId }, select: { id: true } });
  },

  async countCallAttempt(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.call.updateMany({ where: { workspaceId, id }, data: { attempts: { increment: 1 } } });
  },

  /** The error of an attempt that will be retried, on a call still QUEUED. */
  async noteCallRetry(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    error: { errorCode: string; errorMessage: string },
  ): Promise<void> {
    await tx.call.updateMany({ where: { workspaceId, id, status: "QUEUED" }, data: error });
  },

  /** Vapi's status update, unless the call has already ended (ENDED, FAILED, SUPPRESSED). */
  async advanceCallByProviderId(
    tx: TenantTx,
    workspaceId: string,
    providerCallId: string,
    status: CallRow["status"],
  ): Promise<void> {
    await tx.call.updateMany({
      where: { workspaceId, providerCallId, status: { notIn: ["ENDED", "FAILED", "SUPPRESSED"] } },
      data: { status },
    });
  },

  async updateCall(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: CallRow["status"][],
    data: Prisma.CallUpdateManyMutationInput,
  ): Promise<boolean> {
    const r = await tx.call.updateMany({ where: { workspaceId, id, status: { in: from } }, data });
    return r.count > 0;
  },

  async updateCallByProviderId(
    tx: TenantTx,
    workspaceId: string,
    providerCallId: string,
    data: Prisma.CallUpdateManyMutationInput,
  ): Promise<void> {
    await tx.call.updateMany({ where: { workspaceId, providerCallId }, data });
  },
};
