import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { ConversationConnection, ConversationView, ManualReplyInput, MessageConnection, MessageView } from "./conversations.types.ts";

@Resolver()
export class ConversationsResolver {
  @Query(() => ConversationConnection)
  @Can("read", "Conversation")
  async conversations(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationConnection> {
    return ctx.services.conversations.list(access, { first, after });
  }

  @Query(() => ConversationView)
  @Can("read", "Conversation")
  async conversation(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("id", () => ID) id: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<ConversationView> {
    return ctx.services.conversations.get(access, id);
  }

  @Query(() => MessageConnection, { description: "A conversation's transcript, oldest first." })
  @Can("read", "Message")
  async messages(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("conversationId", () => ID) conversationId: string,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageConnection> {
    return ctx.services.conversations.messages(access, conversationId, { first, after });
  }

  @Mutation(() => ConversationView, { description: "Starts or ends human takeover of a conversation (message.send)." })
  @Can("update", "Conversation")
  async setHumanTakeover(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("conversationId", () => ID) conversationId: string,
    @Arg("enabled", () => Boolean) enabled: boolean,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationView> {
    return ctx.services.conversations.setHumanTakeover(access, conversationId, enabled, ctx.actor);
  }

  @Mutation(() => MessageView, { description: "A manual reply; only with message.send on a conversation under human takeover." })
  @Can("send", "Conversation")
  async sendManualReply(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("conversationId", () => ID) conversationId: string,
    @Arg("input", () => ManualReplyInput) input: ManualReplyInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageView> {
    return ctx.services.conversations.sendManualReply(access, conversationId, input.body, ctx.actor);
  }
}
