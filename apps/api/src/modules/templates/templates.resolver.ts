import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { MessageView } from "../conversations/conversations.types.ts";
import { MessageTemplateInput, MessageTemplateView } from "./templates.types.ts";

@Resolver()
export class TemplatesResolver {
  @Query(() => [MessageTemplateView], { description: "The workspace's approved WhatsApp templates, by name." })
  @Can("read", "Workspace")
  async messageTemplates(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageTemplateView[]> {
    return ctx.services.templates.list(access);
  }

  @Mutation(() => MessageTemplateView, { description: "Adds an approved WhatsApp template (workspace.settings)." })
  @Can("update", "Workspace")
  async createMessageTemplate(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => MessageTemplateInput, {
      description: "The template: name, Content SID, approved text and its variables.",
    })
    input: MessageTemplateInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageTemplateView> {
    return ctx.services.templates.create(access, input, ctx.actor);
  }

  @Mutation(() => MessageTemplateView, { description: "Changes an approved WhatsApp template." })
  @Can("update", "Workspace")
  async updateMessageTemplate(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The template's ID." }) id: string,
    @Arg("input", () => MessageTemplateInput, { description: "The template's new settings (replacing the old ones)." })
    input: MessageTemplateInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageTemplateView> {
    return ctx.services.templates.update(access, id, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Refused (CONFLICT) while a campaign uses the template." })
  @Can("update", "Workspace")
  async deleteMessageTemplate(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The template's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.templates.remove(access, id, ctx.actor);
  }

  @Mutation(() => MessageView, {
    description:
      "Sends an approved template in a conversation taken over (message.send): how to write to a contact outside WhatsApp's 24-hour window.",
  })
  @Can("send", "Conversation")
  async sendTemplateMessage(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("conversationId", () => ID, { description: "The conversation's ID (under human takeover)." })
    conversationId: string,
    @Arg("templateId", () => ID, { description: "The approved template to send (messageTemplates)." })
    templateId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageView> {
    return ctx.services.templates.send(access, conversationId, templateId, ctx.actor);
  }
}
