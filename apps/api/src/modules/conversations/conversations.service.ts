// Conversations and messages (R3): transcripts, human takeover and manual replies.
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import type { Db } from "@atrium/db";
import { subject } from "@casl/ability";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { nestedReadsOf, type NestedReads } from "../../platform/authz/nested-reads.ts";
import { forbidden, notFound } from "../../platform/errors.ts";
import { decodeCursor, pageSize } from "../../platform/graphql/cursor.ts";
import { beforeCursor, connection } from "../../platform/graphql/cursor.ts";
import type { MessagingService } from "../messaging/messaging.service.ts";
import { messagingRepository } from "../messaging/messaging.repository.ts";
import { NOT_SENT } from "../messaging/not-sent.ts";
import { QUEUES } from "../../platform/jobs/job-queue.ts";
import { conversationsRepository as repo, type ConversationRow, type MessageRow } from "./conversations.repository.ts";
import type { ConversationConnection, ConversationView, MessageConnection, MessageView } from "./conversations.types.ts";

/** `reads`: what the caller may see nested in the conversation (its contact needs contact.read). */
const toConversationView = (c: ConversationRow, reads: NestedReads): ConversationView => ({
  id: c.id,
  contact: reads.contact ? c.contact : null,
  leadId: c.leadId,
  humanTakeover: c.humanTakeover,
  lastMessageAt: c.lastMessageAt,
  recordingUrl: c.recordingUrl,
  transcript: c.transcript,
  createdAt: c.createdAt,
});
const toMessageView = (m: MessageRow): MessageView => ({ ...m, direction: m.direction as never, status: m.status as never });

export function createConversationsService({ db, messaging }: { db: Db; messaging: Pick<MessagingService, "queueOutbound" | "notify"> }) {

  return {
    async list(access: WorkspaceAccess, args: { first?: number | null; after?: string | null }): Promise<ConversationConnection> {
      const take = pageSize(args.first);
      // Only rows the ability allows (FORBIDDEN when none), and always this workspace's.
      const where = { AND: accessibleWhere(access.ability, "read", "Conversation").AND, workspaceId: access.workspaceId };
      const [rows, total] = await inWorkspace(db, access, (tx) => repo.page(tx, where, beforeCursor(args.after), take));
      const reads = nestedReadsOf(access);
      return connection(rows, take, total, (c) => toConversationView(c, reads));
    },

    async get(access: WorkspaceAccess, id: string): Promise<ConversationView> {
      if (!UUID_RE.test(id)) throw notFound("Conversation");
      const c = await inWorkspace(db, access, (tx) => repo.find(tx, access.workspaceId, id));
      if (!c) throw notFound("Conversation");
      if (!access.ability.can("read", subject("Conversation", c))) throw forbidden();
      return toConversationView(c, nestedReadsOf(access));
    },

    /** Oldest first (a transcript reads top to bottom); `after` pages forward in time. */
    async messages(access: WorkspaceAccess, conversationId: string, args: { first?: number | null; after?: string | null }): Promise<MessageConnection> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const take = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after) : null;
      const where = { AND: accessibleWhere(access.ability, "read", "Message").AND, workspaceId: access.workspaceId, conversationId };
      const result = await inWorkspace(db, access, async (tx) => {
        const conv = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!conv) return null;
        // A transcript is read through its conversation: that row must be readable too.
        authorizeRow(access.ability, "read", "Conversation", conv);
        return repo.messagePage(tx, where, after, take);
      });
      if (!result) throw notFound("Conversation");
      return connection(result[0], take, result[1], toMessageView);
    },

    /** One message the caller may read, in a conversation it may read, or null (live updates: `conversationEvents`). */
    async message(access: WorkspaceAccess, conversationId: string, id: string): Promise<MessageView | null> {
      if (!UUID_RE.test(conversationId) || !UUID_RE.test(id)) return null;
      if (!access.ability.can("read", "Message")) return null;
      const where = { AND: accessibleWhere(access.ability, "read", "Message").AND, workspaceId: access.workspaceId, conversationId, id };
      const row = await inWorkspace(db, access, async (tx) => {
        const conv = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!conv || !access.ability.can("read", subject("Conversation", conv))) return null;
        return repo.findMessage(tx, where);
      });
      return row ? toMessageView(row) : null;
    },

    async setHumanTakeover(access: WorkspaceAccess, conversationId: string, enabled: boolean, actor: Actor): Promise<ConversationView> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      return inWorkspace(db, access, async (tx) => {
        const c = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!c) throw notFound("Conversation");
        if (!access.ability.can("update", subject("Conversation", c))) throw forbidden();
        const updated = await repo.update(tx, access.workspaceId, conversationId, { humanTakeover: enabled });
        // The agent's replies not yet handed to Twilio (queued, or held by the quota) never go out
        // once a person has the conversation, even after it is handed back (issue 56); the send
        // job checks the takeover again for one it claims later.
        if (enabled) await messagingRepository.stopUnsentMessages(tx, access.workspaceId, { conversationId, sender: "AGENT" }, NOT_SENT.takenOver);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: enabled ? "conversation.takeover_started" : "conversation.takeover_ended", actorMembershipId: access.membershipId, targetType: "Conversation", targetId: conversationId });
        return toConversationView(updated, nestedReadsOf(access));
      });
    },

    /** Allowed only with message.send on a conversation under human takeover (a CASL condition on the row). */
    async sendManualReply(access: WorkspaceAccess, conversationId: string, body: string, actor: Actor): Promise<MessageView> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const { view, queued } = await inWorkspace(db, access, async (tx) => {
        const c = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!c) throw notFound("Conversation");
        if (!access.ability.can("send", subject("Conversation", c))) {
          throw forbidden(c.humanTakeover ? "You cannot send messages in this workspace." : "Take over the conversation before replying by hand.");
        }
        // Through the messaging outbox: SUPPRESSED while paused, else QUEUED with its send job.
        const { message: m, queued } = await messaging.queueOutbound(tx, { workspaceId: access.workspaceId, conversationId, body: body.trim(), sender: "MEMBER", senderMembershipId: access.membershipId });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "message.manual_reply", actorMembershipId: access.membershipId, targetType: "Message", targetId: m.id, data: { conversationId, status: m.status } });
        return { view: toMessageView(m), queued };
      });
      if (queued) messaging.notify([QUEUES.sendMessage]);
      return view;
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
