import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { MessageView } from "../conversations/conversations.types.ts";
import { MessageTemplateInput, MessageTemplateView } from "./templates.types.ts";

@Resolver()
export class TemplatesResolver {
  @Query(() => [MessageTemplateView], { description: "The workspace's approved WhatsApp templates, by name." })
  @Can("read", "Workspace")
  async messageTemplates(@Arg("workspaceId", () => ID) workspaceId: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<MessageTemplateView[]> {
    return ctx.services.templates.list(access);
  }

  @Mutation(() => MessageTemplateView, { description: "Adds an approved WhatsApp template (workspace.settings)." })
  @Can("update", "Workspace")
  async createMessageTemplate(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("input", () => MessageTemplateInput) input: MessageTemplateInput, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<MessageTemplateView> {
    return ctx.services.templates.create(access, input, ctx.actor);
  }

  @Mutation(() => MessageTemplateView)
  @Can("update", "Workspace")
  async updateMessageTemplate(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("id", () => ID) id: string, @Arg("input", () => MessageTemplateInput) input: MessageTemplateInput, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<MessageTemplateView> {
    return ctx.services.templates.update(access, id, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Refused (CONFLICT) while a campaign uses the template." })
  @Can("update", "Workspace")
  async deleteMessageTemplate(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("id", () => ID) id: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.templates.remove(access, id, ctx.actor);
  }

  @Mutation(() => MessageView, { description: "Sends an approved template in a conversation taken over (message.send): how to write to a contact outside WhatsApp's 24-hour window." })
  @Can("send", "Conversation")
  async sendTemplateMessage(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("conversationId", () => ID) conversationId: string, @Arg("templateId", () => ID) templateId: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<MessageView> {
    return ctx.services.templates.send(access, conversationId, templateId, ctx.actor);
  }
}
