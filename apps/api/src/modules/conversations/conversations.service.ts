// Conversations and messages (R3): transcripts, human takeover and manual replies; the inbox
// (issue 47, decision 0032): filters, search, unread counts, assignment, AI/HUMAN modes, close
// and reopen, guidance to the agent and to live calls, and each conversation's activity.
import { subject } from "@casl/ability";

import type { Db, TenantTx } from "@atrium/db";
import { E164_RE, GUIDANCE_MAX, GUIDANCE_MESSAGES } from "@atrium/validation";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { nestedReadsOf, type NestedReads } from "../../platform/authz/nested-reads.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import { QUEUES } from "../../platform/jobs/job-queue.ts";
import type { MemberUserView } from "../members/members.types.ts";
import { messagingRepository } from "../messaging/messaging.repository.ts";
import type { MessagingService } from "../messaging/messaging.service.ts";
import { NOT_SENT } from "../messaging/not-sent.ts";
import { operatorsRepository } from "../operators/operators.repository.ts";
import type { OperatorsService } from "../operators/operators.service.ts";
import type { GuidanceNoteView } from "../operators/operators.types.ts";
import { phoneDigits } from "../search/search.service.ts";
import { conversationsRepository as repo, type ConversationRow, type MessageRow } from "./conversations.repository.ts";
import {
  AssigneeFilter,
  ConversationMode,
  type ConversationConnection,
  type ConversationFilter,
  type ConversationView,
  type MessageConnection,
  type MessageView,
} from "./conversations.types.ts";

/** Search: at least this many characters (a trigram needs three), at most 100. */
export const SEARCH_MIN = 3;
const SEARCH_MAX = 100;
/** Matches beyond this many conversations are not listed (the search should be narrower). */
const SEARCH_LIMIT = 500;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");

/** Per-row facts the inbox shows beside the conversation itself, loaded for a whole page at once. */
interface Extras {
  assignees: Map<string, MemberUserView>;
  lastMessages: Map<string, MessageRow>;
  unread: Map<string, number>;
  reviews: Map<string, number>;
}

/**
 * FORBIDDEN unless `access` may send in conversation `c` by hand: with the agent in charge the
 * caller must take over first (`takeOverFirst` says so); under a takeover, message.send is missing.
 */
export function authorizeSend<T extends { humanTakeover: boolean }>(
  access: WorkspaceAccess,
  c: T,
  takeOverFirst: string,
): T {
  return authorizeRow(
    access.ability,
    "send",
    "Conversation",
    c,
    c.humanTakeover ? "You cannot send messages in this workspace (message.send)." : takeOverFirst,
  );
}

export const toMessageView = (m: MessageRow): MessageView => ({
  ...m,
  direction: m.direction as never,
  status: m.status as never,
});

/** `reads`: what the caller may see nested in the conversation (its contact needs contact.read). */
const toConversationView = (
  c: ConversationRow,
  reads: NestedReads,
  x: Extras,
  readsMessages: boolean,
): ConversationView => ({
  id: c.id,
  contact: reads.contact ? c.contact : null,
  leadId: c.leadId,
  humanTakeover: c.humanTakeover,
  mode: (c.humanTakeover ? "HUMAN" : "AI") as never,
  status: c.status as never,
  channel: (c.providerCallId || c.callControlUrl ? "VOICE" : "WHATSAPP") as never,
  assignee: c.assigneeMembershipId ? (x.assignees.get(c.assigneeMembershipId) ?? null) : null,
  lastActivityAt: c.lastActivityAt,
  lastMessage: readsMessages && x.lastMessages.has(c.id) ? toMessageView(x.lastMessages.get(c.id)!) : null,
  unreadCount: x.unread.get(c.id) ?? 0,
  openReviewCount: x.reviews.get(c.id) ?? 0,
  callStatus: c.callStatus,
  callLive: !!c.callControlUrl && c.callStatus !== "ended",
  lastMessageAt: c.lastMessageAt,
  recordingUrl: c.recordingUrl,
  transcript: c.transcript,
  createdAt: c.createdAt,
});

export function createConversationsService({
  db,
  messaging,
  operators,
}: {
  db: Db;
  messaging: Pick<MessagingService, "queueOutbound" | "notify">;
  operators: OperatorsService;
}) {
  async function extrasOf(tx: TenantTx, access: WorkspaceAccess, rows: ConversationRow[]): Promise<Extras> {
    const ids = rows.map((r) => r.id);
    const assignees = await operators.teammates(
      tx,
      access.workspaceId,
      rows.map((r) => r.assigneeMembershipId),
    );
    const last = access.ability.can("read", "Message") ? await repo.lastMessages(tx, access.workspaceId, ids) : [];
    const unread = await repo.unreadCounts(tx, access.workspaceId, access.membershipId, ids);
    const reviews = await operatorsRepository.openReviewCounts(tx, access.workspaceId, ids);
    return { assignees, lastMessages: new Map(last.map((m) => [m.conversationId, m])), unread, reviews };
  }
  const readsMessages = (access: WorkspaceAccess) => access.ability.can("read", "Message");
  async function viewOf(tx: TenantTx, access: WorkspaceAccess, c: ConversationRow): Promise<ConversationView> {
    return toConversationView(c, nestedReadsOf(access), await extrasOf(tx, access, [c]), readsMessages(access));
  }
  async function viewsOf(
    tx: TenantTx,
    access: WorkspaceAccess,
    rows: ConversationRow[],
  ): Promise<(c: ConversationRow) => ConversationView> {
    const x = await extrasOf(tx, access, rows);
    const reads = nestedReadsOf(access);
    const rm = readsMessages(access);
    return (c) => toConversationView(c, reads, x, rm);
  }
  /** Loads the row and checks `action` on it (NOT_FOUND for another workspace's or an unknown id). */
  async function loadFor(
    tx: TenantTx,
    access: WorkspaceAccess,
    id: string,
    action: "read" | "update" | "assign",
  ): Promise<ConversationRow> {
    const c = await repo.find(tx, access.workspaceId, id);
    if (!c) throw notFound("Conversation");
    return authorizeRow(
      access.ability,
      action,
      "Conversation",
      c,
      action === "update"
        ? "You cannot take over, hand back, close or guide conversations here (conversation.manage)."
        : action === "assign"
          ? "You cannot assign conversations here (conversation.assign)."
          : undefined,
    );
  }
  const audit = (
    tx: TenantTx,
    access: WorkspaceAccess,
    actor: Actor,
    action: string,
    conversationId: string,
    data?: Record<string, unknown>,
  ) =>
    recordWorkspaceAudit(tx, access.workspaceId, actor, {
      action,
      actorMembershipId: access.membershipId,
      targetType: "Conversation",
      targetId: conversationId,
      data,
    });
  const contactName = (c: ConversationRow) => c.contact.name || c.contact.phone || "a contact";

  /** Switches the mode (issue 47); taking over also assigns an unassigned conversation to the caller. */
  async function setMode(
    access: WorkspaceAccess,
    conversationId: string,
    human: boolean,
    actor: Actor,
  ): Promise<ConversationView> {
    if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
    return inWorkspace(db, access, async (tx) => {
      const c = await loadFor(tx, access, conversationId, "update");
      if (c.humanTakeover !== human) {
        await repo.updateWhere(
          tx,
          access.workspaceId,
          conversationId,
          {},
          {
            humanTakeover: human,
            ...(human && !c.assigneeMembershipId ? { assigneeMembershipId: access.membershipId } : {}),
          },
        );
        // The agent's replies not yet handed to Twilio (queued, or held by the quota) never go out
        // once a person has the conversation, even after it is handed back (issue 56); the send
        // job checks the takeover again for one it claims later.
        if (human)
          await messagingRepository.stopUnsentMessages(
            tx,
            access.workspaceId,
            { conversationId, sender: "AGENT" },
            NOT_SENT.takenOver,
          );
        await audit(
          tx,
          access,
          actor,
          human ? "conversation.takeover_started" : "conversation.takeover_ended",
          conversationId,
        );
      }
      return viewOf(tx, access, (await repo.find(tx, access.workspaceId, conversationId))!);
    });
  }

  async function setStatus(
    access: WorkspaceAccess,
    id: string,
    status: "OPEN" | "CLOSED",
    actor: Actor,
  ): Promise<ConversationView> {
    if (!UUID_RE.test(id)) throw notFound("Conversation");
    return inWorkspace(db, access, async (tx) => {
      const c = await loadFor(tx, access, id, "update");
      if (c.status !== status) {
        await repo.updateWhere(
          tx,
          access.workspaceId,
          id,
          {},
          { status, closedAt: status === "CLOSED" ? new Date() : null },
        );
        await audit(tx, access, actor, status === "CLOSED" ? "conversation.closed" : "conversation.reopened", id);
      }
      return viewOf(tx, access, (await repo.find(tx, access.workspaceId, id))!);
    });
  }

  return {
    async list(access: WorkspaceAccess, args: PageArgs): Promise<ConversationConnection> {
      const page = pageRequest(args);
      const ks = keyset(page);
      // Only rows the ability allows (FORBIDDEN when none), and always this workspace's.
      const where = {
        AND: accessibleWhere(access.ability, "read", "Conversation").AND,
        workspaceId: access.workspaceId,
      };
      return inWorkspace(db, access, async (tx) => {
        const [rows, total] = await repo.page(tx, where, ks, page.take);
        return connection(rows, page, total, await viewsOf(tx, access, rows.slice(0, page.take)));
      });
    },

    /**
     * The inbox (issue 47): filtered, searched (trigram indexes), latest activity first, with the
     * caller's unread counts. Only rows the ability allows, and always this workspace's.
     */
    async inbox(
      access: WorkspaceAccess,
      args: PageArgs & { filter?: ConversationFilter | null },
    ): Promise<ConversationConnection> {
      const page = pageRequest(args);
      const f = args.filter ?? {};
      const search = f.search?.trim() ?? "";
      if (search && search.length < SEARCH_MIN)
        throw badInput(`Search for at least ${SEARCH_MIN} characters.`, { search: "too short" });
      if (search.length > SEARCH_MAX)
        throw badInput(`Search for at most ${SEARCH_MAX} characters.`, { search: "too long" });
      // The cursor is over (lastActivityAt, id): the order of this list.
      const ks = keyset(page, { key: "lastActivityAt" });
      const open = { status: { in: ["OPEN", "CLAIMED"] as ("OPEN" | "CLAIMED")[] } };
      return inWorkspace(db, access, async (tx) => {
        const ids = search
          ? await repo.searchIds(tx, `%${escapeLike(search)}%`, phoneDigits(search), SEARCH_LIMIT)
          : null;
        const where = {
          AND: [
            ...accessibleWhere(access.ability, "read", "Conversation").AND,
            { workspaceId: access.workspaceId },
            f.assignee === AssigneeFilter.ME
              ? { assigneeMembershipId: access.membershipId }
              : f.assignee === AssigneeFilter.UNASSIGNED
                ? { assigneeMembershipId: null }
                : {},
            f.status ? { status: f.status } : {},
            f.mode ? { humanTakeover: f.mode === ConversationMode.HUMAN } : {},
            f.needsReview === true
              ? { reviewItems: { some: open } }
              : f.needsReview === false
                ? { reviewItems: { none: open } }
                : {},
            ids ? { id: { in: ids } } : {},
          ],
        };
        const [rows, total] = await repo.inboxPage(tx, where, ks, page.take);
        const view = await viewsOf(tx, access, rows.slice(0, page.take));
        return connection(
          rows.map((r) => ({ row: r, createdAt: r.lastActivityAt, id: r.id })),
          page,
          total,
          (r) => view(r.row),
        );
      });
    },

    async get(access: WorkspaceAccess, id: string): Promise<ConversationView> {
      if (!UUID_RE.test(id)) throw notFound("Conversation");
      return inWorkspace(db, access, async (tx) => {
        const c = await repo.find(tx, access.workspaceId, id);
        if (!c) throw notFound("Conversation");
        authorizeRow(access.ability, "read", "Conversation", c);
        return viewOf(tx, access, c);
      });
    },

    /** The view a review item nests (null when the conversation is gone or not readable). */
    async viewIn(tx: TenantTx, access: WorkspaceAccess, id: string): Promise<ConversationView | null> {
      const c = await repo.find(tx, access.workspaceId, id);
      if (!c || !access.ability.can("read", subject("Conversation", c))) return null;
      return viewOf(tx, access, c);
    },

    /** Oldest first (a transcript reads top to bottom); `after` pages forward in time, `before` back (the latest messages: `last` alone). */
    async messages(access: WorkspaceAccess, conversationId: string, args: PageArgs): Promise<MessageConnection> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const page = pageRequest(args);
      const ks = keyset(page, { ascending: true });
      const where = {
        AND: accessibleWhere(access.ability, "read", "Message").AND,
        workspaceId: access.workspaceId,
        conversationId,
      };
      const result = await inWorkspace(db, access, async (tx) => {
        const conv = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!conv) return null;
        // A transcript is read through its conversation: that row must be readable too.
        authorizeRow(access.ability, "read", "Conversation", conv);
        return repo.messagePage(tx, where, ks, page.take);
      });
      if (!result) throw notFound("Conversation");
      return connection(result[0], page, result[1], toMessageView);
    },

    /** One message the caller may read, in a conversation it may read, or null (live updates: `conversationEvents`). */
    async message(access: WorkspaceAccess, conversationId: string, id: string): Promise<MessageView | null> {
      if (!UUID_RE.test(conversationId) || !UUID_RE.test(id)) return null;
      if (!access.ability.can("read", "Message")) return null;
      const where = {
        AND: accessibleWhere(access.ability, "read", "Message").AND,
        workspaceId: access.workspaceId,
        conversationId,
        id,
      };
      const row = await inWorkspace(db, access, async (tx) => {
        const conv = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!conv || !access.ability.can("read", subject("Conversation", conv))) return null;
        return repo.findMessage(tx, where);
      });
      return row ? toMessageView(row) : null;
    },

    async setHumanTakeover(
      access: WorkspaceAccess,
      conversationId: string,
      enabled: boolean,
      actor: Actor,
    ): Promise<ConversationView> {
      return setMode(access, conversationId, enabled, actor);
    },
    takeOver: (access: WorkspaceAccess, id: string, actor: Actor) => setMode(access, id, true, actor),
    handBack: (access: WorkspaceAccess, id: string, actor: Actor) => setMode(access, id, false, actor),
    close: (access: WorkspaceAccess, id: string, actor: Actor) => setStatus(access, id, "CLOSED", actor),
    reopen: (access: WorkspaceAccess, id: string, actor: Actor) => setStatus(access, id, "OPEN", actor),

    /** Assigns to a member (by user id), or unassigns (null). The assignee is told (a notification). */
    async assign(access: WorkspaceAccess, id: string, userId: string | null, actor: Actor): Promise<ConversationView> {
      if (!UUID_RE.test(id)) throw notFound("Conversation");
      if (userId !== null && !UUID_RE.test(userId)) throw notFound("Member");
      return inWorkspace(db, access, async (tx) => {
        const c = await loadFor(tx, access, id, "assign");
        let membershipId: string | null = null;
        if (userId) {
          const m = await operatorsRepository.membershipOfUser(tx, access.workspaceId, userId);
          if (!m) throw notFound("Member");
          if (m.role === "AGENT" && !m.policies.includes("conversation.read"))
            throw badInput(
              `${m.user.name} cannot see conversations (conversation.read): give them that policy first.`,
              { userId: "cannot read conversations" },
            );
          membershipId = m.id;
        }
        if (c.assigneeMembershipId !== membershipId) {
          await repo.updateWhere(tx, access.workspaceId, id, {}, { assigneeMembershipId: membershipId });
          await audit(
            tx,
            access,
            actor,
            membershipId ? "conversation.assigned" : "conversation.unassigned",
            id,
            membershipId ? { assigneeUserId: userId } : undefined,
          );
          if (membershipId)
            await operators.notify(
              tx,
              access.workspaceId,
              [membershipId],
              {
                kind: "ASSIGNED",
                title: `You were assigned the conversation with ${contactName(c)}`,
                conversationId: id,
              },
              access.membershipId,
            );
        }
        return viewOf(tx, access, (await repo.find(tx, access.workspaceId, id))!);
      });
    },

    /** The caller has read the conversation up to now (its unread count drops to 0). */
    async markRead(access: WorkspaceAccess, id: string): Promise<ConversationView> {
      if (!UUID_RE.test(id)) throw notFound("Conversation");
      return inWorkspace(db, access, async (tx) => {
        const c = await loadFor(tx, access, id, "read");
        await repo.markRead(tx, access.workspaceId, id, access.membershipId);
        return viewOf(tx, access, c);
      });
    },

    /**
     * Guidance (issue 47): a private note the agent gets as a system message in its next
     * completions for this conversation, and — on a call in progress — sent to the call through
     * Live Call Control. Never sent to the lead. Mentioned teammates get a notification.
     */
    async addGuidance(
      access: WorkspaceAccess,
      conversationId: string,
      text: string,
      mentionUserIds: string[] | null,
      actor: Actor,
    ): Promise<GuidanceNoteView> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const body = text.trim();
      if (!body) throw badInput(GUIDANCE_MESSAGES.blank, { text: "required" });
      if (body.length > GUIDANCE_MAX) throw badInput(GUIDANCE_MESSAGES.tooLong, { text: "too long" });
      const mentionIds = [...new Set(mentionUserIds ?? [])];
      if (mentionIds.length > 20 || mentionIds.some((u) => !UUID_RE.test(u)))
        throw badInput("mentionUserIds: at most 20 member ids.", { mentionUserIds: "invalid" });
      const { view, toCall } = await inWorkspace(db, access, async (tx) => {
        const c = await loadFor(tx, access, conversationId, "update");
        const mentioned = [];
        for (const userId of mentionIds) {
          const m = await operatorsRepository.membershipOfUser(tx, access.workspaceId, userId);
          if (!m)
            throw badInput("Only members of this workspace can be mentioned.", { mentionUserIds: "not a member" });
          mentioned.push(m);
        }
        const note = await operatorsRepository.createGuidance(tx, {
          workspaceId: access.workspaceId,
          conversationId,
          authorMembershipId: access.membershipId,
          body,
          mentionedMembershipIds: mentioned.map((m) => m.id),
        });
        const action =
          c.callControlUrl && c.callStatus !== "ended"
            ? await operators.queueCallAction(tx, {
                workspaceId: access.workspaceId,
                conversationId,
                membershipId: access.membershipId,
                kind: "GUIDANCE",
                payload: { type: "add-message", message: { role: "system", content: body } },
              })
            : null;
        await audit(tx, access, actor, "conversation.guidance_added", conversationId, {
          guidanceNoteId: note.id,
          toCall: action !== null,
        });
        if (mentioned.length)
          await operators.notify(
            tx,
            access.workspaceId,
            mentioned.map((m) => m.id),
            {
              kind: "MENTION",
              title: `You were mentioned in a note on the conversation with ${contactName(c)}`,
              body,
              conversationId,
            },
            access.membershipId,
          );
        const people = await operators.teammates(tx, access.workspaceId, [
          access.membershipId,
          ...mentioned.map((m) => m.id),
        ]);
        const v: GuidanceNoteView = {
          id: note.id,
          conversationId,
          text: note.body,
          author: people.get(access.membershipId) ?? null,
          mentions: mentioned.map((m) => people.get(m.id)).filter((m): m is MemberUserView => !!m),
          callAction: action ? operators.callActionView(action, people) : null,
          createdAt: note.createdAt,
        };
        return { view: v, toCall: action !== null };
      });
      if (toCall) messaging.notify([QUEUES.callControl]);
      return view;
    },

    /** A conversation's guidance notes, oldest first (the transcript interleaves them with messages). */
    async guidanceNotes(access: WorkspaceAccess, conversationId: string): Promise<GuidanceNoteView[]> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      return inWorkspace(db, access, async (tx) => {
        await loadFor(tx, access, conversationId, "read");
        const notes = await operatorsRepository.guidanceOf(tx, access.workspaceId, conversationId, 500);
        const actions = (await operatorsRepository.callActionsOf(tx, access.workspaceId, conversationId)).filter(
          (a) => a.kind === "GUIDANCE",
        );
        const people = await operators.teammates(tx, access.workspaceId, [
          ...notes.flatMap((n) => [n.authorMembershipId, ...n.mentionedMembershipIds]),
          ...actions.map((a) => a.membershipId),
        ]);
        return notes.map((n) => {
          // The call action queued with the note (same author, same text, same moment).
          const a = actions.find(
            (x) =>
              x.membershipId === n.authorMembershipId &&
              (x.payload as { message?: { content?: string } }).message?.content === n.body &&
              Math.abs(x.createdAt.getTime() - n.createdAt.getTime()) < 5_000,
          );
          return {
            id: n.id,
            conversationId,
            text: n.body,
            author: n.authorMembershipId ? (people.get(n.authorMembershipId) ?? null) : null,
            mentions: n.mentionedMembershipIds.map((m) => people.get(m)).filter((m): m is MemberUserView => !!m),
            callAction: a ? operators.callActionView(a, people) : null,
            createdAt: n.createdAt,
          };
        });
      });
    },

    /** A conversation's Live Call Control requests (guidance to the call, transfers), oldest first. */
    async callActions(access: WorkspaceAccess, conversationId: string) {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      return inWorkspace(db, access, async (tx) => {
        await loadFor(tx, access, conversationId, "read");
        const rows = await operatorsRepository.callActionsOf(tx, access.workspaceId, conversationId);
        const people = await operators.teammates(
          tx,
          access.workspaceId,
          rows.map((a) => a.membershipId),
        );
        return rows.map((a) => operators.callActionView(a, people));
      });
    },

    /** Live Call Control: transfers the call in progress to the operator's phone and takes the conversation over. */
    async joinCall(
      access: WorkspaceAccess,
      conversationId: string,
      phone: string,
      actor: Actor,
    ): Promise<ConversationView> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const number = phone.trim();
      if (!E164_RE.test(number))
        throw badInput("Enter your phone number in international format, e.g. +14155550123.", {
          phone: "E.164 required",
        });
      const view = await inWorkspace(db, access, async (tx) => {
        const c = await loadFor(tx, access, conversationId, "update");
        if (!c.callControlUrl || c.callStatus === "ended")
          throw badInput("There is no call in progress in this conversation.", { conversationId: "no live call" });
        await operators.queueCallAction(tx, {
          workspaceId: access.workspaceId,
          conversationId,
          membershipId: access.membershipId,
          kind: "TRANSFER",
          payload: { type: "transfer", destination: { type: "number", number } },
        });
        await repo.updateWhere(
          tx,
          access.workspaceId,
          conversationId,
          {},
          { humanTakeover: true, ...(!c.assigneeMembershipId ? { assigneeMembershipId: access.membershipId } : {}) },
        );
        await audit(tx, access, actor, "conversation.call_joined", conversationId, {
          to: `${number.slice(0, 4)}…${number.slice(-2)}`,
        });
        return viewOf(tx, access, (await repo.find(tx, access.workspaceId, conversationId))!);
      });
      messaging.notify([QUEUES.callControl]);
      return view;
    },

    /** Who did what in a conversation (from the audit log), oldest first. */
    async activity(access: WorkspaceAccess, conversationId: string) {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      return inWorkspace(db, access, async (tx) => {
        await loadFor(tx, access, conversationId, "read");
        const rows = await repo.activity(tx, access.workspaceId, conversationId);
        const people = await operators.teammates(
          tx,
          access.workspaceId,
          rows.map((r) => r.actorMembershipId),
        );
        const subjects = new Map<string, MemberUserView>();
        for (const r of rows) {
          const uid = (r.data as { assigneeUserId?: string } | null)?.assigneeUserId;
          if (uid && !subjects.has(uid)) {
            const m = await operatorsRepository.membershipOfUser(tx, access.workspaceId, uid);
            if (m) subjects.set(uid, { id: m.user.id, name: m.user.name, email: m.user.email });
          }
        }
        return rows.map((r) => {
          const uid = (r.data as { assigneeUserId?: string } | null)?.assigneeUserId;
          return {
            id: r.id,
            action: r.action,
            actor: r.actorMembershipId ? (people.get(r.actorMembershipId) ?? null) : null,
            subject: uid ? (subjects.get(uid) ?? null) : null,
            createdAt: r.createdAt,
          };
        });
      });
    },

    /** Allowed only with message.send on a conversation under human takeover (a CASL condition on the row). */
    async sendManualReply(
      access: WorkspaceAccess,
      conversationId: string,
      body: string,
      actor: Actor,
    ): Promise<MessageView> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const { view, queued } = await inWorkspace(db, access, async (tx) => {
        const c = await repo.findRow(tx, access.workspaceId, conversationId);
        if (!c) throw notFound("Conversation");
        authorizeSend(access, c, "Take over the conversation before replying by hand.");
        // Through the messaging outbox: SUPPRESSED while paused, else QUEUED with its send job.
        const { message: m, queued } = await messaging.queueOutbound(tx, {
          workspaceId: access.workspaceId,
          conversationId,
          body: body.trim(),
          sender: "MEMBER",
          senderMembershipId: access.membershipId,
          refuse: true,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "message.manual_reply",
          actorMembershipId: access.membershipId,
          targetType: "Message",
          targetId: m.id,
          data: { conversationId, status: m.status },
        });
        return { view: toMessageView(m), queued };
      });
      if (queued) messaging.notify([QUEUES.sendMessage]);
      return view;
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
