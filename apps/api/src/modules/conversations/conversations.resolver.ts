import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import { CallActionView, GuidanceNoteView } from "../operators/operators.types.ts";
import {
  ConversationActivityView,
  ConversationConnection,
  ConversationFilter,
  ConversationView,
  ManualReplyInput,
  MessageConnection,
  MessageView,
} from "./conversations.types.ts";

@Resolver()
export class ConversationsResolver {
  @Query(() => ConversationConnection, { description: "The workspace's conversations, latest activity first." })
  @Can("read", "Conversation")
  async conversations(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationConnection> {
    return ctx.services.conversations.list(access, { first, after, last, before });
  }

  @Query(() => ConversationConnection, {
    description: "The inbox (issue 47): filtered and searched, latest activity first, with the caller's unread counts.",
  })
  @Can("read", "Conversation")
  async inbox(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("filter", () => ConversationFilter, {
      description: "Status, mode and assignee filters; null for none.",
      nullable: true,
    })
    filter: ConversationFilter | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationConnection> {
    return ctx.services.conversations.inbox(access, { first, after, last, before, filter });
  }

  @Query(() => [GuidanceNoteView], { description: "A conversation's guidance notes, oldest first." })
  @Can("read", "Conversation")
  async guidanceNotes(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation's ID." }) conversationId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<GuidanceNoteView[]> {
    return ctx.services.conversations.guidanceNotes(access, conversationId);
  }

  @Query(() => [CallActionView], { description: "A voice conversation's Live Call Control requests, oldest first." })
  @Can("read", "Conversation")
  async callActions(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The voice conversation's ID." }) conversationId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CallActionView[]> {
    return ctx.services.conversations.callActions(access, conversationId);
  }

  @Query(() => [ConversationActivityView], { description: "Who did what in a conversation, oldest first." })
  @Can("read", "Conversation")
  async conversationActivity(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation's ID." }) conversationId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationActivityView[]> {
    return ctx.services.conversations.activity(access, conversationId);
  }

  @Mutation(() => ConversationView, {
    description: "Assigns the conversation to a member (their user id), or unassigns it (userId null).",
  })
  @Can("assign", "Conversation")
  async assignConversation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @Arg("userId", () => ID, { description: "The member's user ID; null unassigns the conversation.", nullable: true })
    userId: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.assign(access, id, userId, ctx.actor);
  }

  @Mutation(() => ConversationView, {
    description: "Mode HUMAN: the agent stops replying; an unassigned conversation is assigned to the caller.",
  })
  @Can("update", "Conversation")
  async takeOverConversation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.takeOver(access, id, ctx.actor);
  }

  @Mutation(() => ConversationView, { description: "Mode AI: the agent replies again." })
  @Can("update", "Conversation")
  async handBackConversation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.handBack(access, id, ctx.actor);
  }

  @Mutation(() => ConversationView, { description: "Closes the conversation (a new inbound message reopens it)." })
  @Can("update", "Conversation")
  async closeConversation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.close(access, id, ctx.actor);
  }

  @Mutation(() => ConversationView, { description: "Reopens a closed conversation." })
  @Can("update", "Conversation")
  async reopenConversation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.reopen(access, id, ctx.actor);
  }

  @Mutation(() => ConversationView, {
    description: "The caller has read the conversation: its unreadCount drops to 0.",
  })
  @Can("read", "Conversation")
  async markConversationRead(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.markRead(access, id);
  }

  @Mutation(() => GuidanceNoteView, {
    description:
      "A private note for the agent (never sent to the lead): a system message in its next reply; on a call in progress, sent to the call.",
  })
  @Can("update", "Conversation")
  async addGuidance(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation to guide." }) conversationId: string,
    @Arg("text", () => String, { description: "The note: 1–2,000 characters, not blank." }) text: string,
    @Arg("mentionUserIds", () => [ID], { nullable: true, description: "Teammates to notify (user ids)." })
    mentionUserIds: string[] | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<GuidanceNoteView> {
    return ctx.services.conversations.addGuidance(access, conversationId, text, mentionUserIds, ctx.actor);
  }

  @Mutation(() => ConversationView, {
    description:
      "Joins the call in progress: Vapi transfers it to this phone number (E.164); the conversation goes to HUMAN mode.",
  })
  @Can("update", "Conversation")
  async joinCall(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The voice conversation of the call in progress." })
    conversationId: string,
    @Arg("phone", () => String, {
      description: "The member's phone number, with its country code; normalised to E.164.",
    })
    phone: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.joinCall(access, conversationId, phone, ctx.actor);
  }

  @Query(() => ConversationView, { description: "One conversation." })
  @Can("read", "Conversation")
  async conversation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The conversation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.get(access, id);
  }

  @Query(() => MessageConnection, { description: "A conversation's transcript, oldest first." })
  @Can("read", "Message")
  async messages(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation's ID." }) conversationId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageConnection> {
    return ctx.services.conversations.messages(access, conversationId, { first, after, last, before });
  }

  @Mutation(() => ConversationView, {
    description:
      "Starts or ends human takeover (conversation.manage); takeOverConversation and handBackConversation say the same.",
  })
  @Can("update", "Conversation")
  async setHumanTakeover(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation's ID." }) conversationId: string,
    @Arg("enabled", () => Boolean, {
      description: "True takes the conversation over (HUMAN); false hands it back to the agent (AI).",
    })
    enabled: boolean,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.setHumanTakeover(access, conversationId, enabled, ctx.actor);
  }

  @Mutation(() => MessageView, {
    description: "A manual reply; only with message.send on a conversation under human takeover.",
  })
  @Can("send", "Conversation")
  async sendManualReply(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation's ID (under human takeover)." })
    conversationId: string,
    @Arg("input", () => ManualReplyInput, { description: "The reply's text." }) input: ManualReplyInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageView> {
    return ctx.services.conversations.sendManualReply(access, conversationId, input.body, ctx.actor);
  }
}
