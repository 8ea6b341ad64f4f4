import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { Environment, WorkspaceView } from "../workspaces/workspaces.types.ts";
import {
  AgentKnowledgeInput,
  AgentPersonaInput,
  AgentSettingsView,
  AuthDiagnostics,
  EnvironmentChangePreview,
  RetentionPreview,
  TestChatLeadInput,
  TestChatMessageInput,
  UpdateWorkspaceInput,
  WorkspaceSecurityInput,
} from "./workspace-settings.types.ts";

@Resolver()
export class WorkspaceSettingsResolver {
  @Mutation(() => WorkspaceView, { description: "Renames the workspace (name, slug, description)." })
  @Can("update", "Workspace", { arg: "id" })
  async updateWorkspace(
    @Arg("id", () => ID, { description: "The workspace's ID." }) id: string,
    @Arg("input", () => UpdateWorkspaceInput, { description: "The name, slug or description to change." })
    input: UpdateWorkspaceInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.update(access, input, ctx.actor);
  }

  @Mutation(() => WorkspaceView, { description: "Kill switch: while paused, leads still arrive but nothing is sent." })
  @Can("update", "Workspace")
  async setAgentPaused(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("paused", () => Boolean, { description: "True pauses the agent (nothing is sent); false resumes it." })
    paused: boolean,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setAgentPaused(access, paused, ctx.actor);
  }

  @Mutation(() => WorkspaceView, {
    description: "Agent persona: name, role, tone and ordered qualification questions.",
  })
  @Can("update", "Workspace")
  async updateAgentPersona(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => AgentPersonaInput, { description: "The persona's name, role, tone and questions." })
    input: AgentPersonaInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setPersona(access, input, ctx.actor);
  }

  @Query(() => AgentSettingsView, {
    description:
      "The agent's opening message and business knowledge; for voice workspaces, the Vapi server URL and the tools the assistant must define.",
  })
  @Can("update", "Workspace")
  async agentSettings(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AgentSettingsView> {
    return ctx.services.workspaceSettings.agentSettings(access);
  }

  @Mutation(() => AgentSettingsView, {
    description:
      "The opening message template and the business knowledge (opening hours, services, prices, FAQs). Fields left out keep their value; null clears one.",
  })
  @Can("update", "Workspace")
  async updateAgentKnowledge(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => AgentKnowledgeInput, { description: "The opening message and knowledge fields to change." })
    input: AgentKnowledgeInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AgentSettingsView> {
    return ctx.services.workspaceSettings.updateAgentKnowledge(access, input, ctx.actor);
  }

  @Mutation(() => String, {
    description:
      "The agent's reply to a test conversation, written exactly as a lead's would be (same prompt, same OpenAI card). Nothing is stored or sent to Twilio or Vapi.",
  })
  @Can("update", "Workspace")
  async testAgentChat(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("messages", () => [TestChatMessageInput], {
      description: "The conversation so far, oldest first: at most 30 messages.",
    })
    messages: TestChatMessageInput[],
    @Arg("lead", () => TestChatLeadInput, {
      nullable: true,
      description: 'The pretend lead: name and form message (default: "Test lead", none).',
    })
    lead: TestChatLeadInput | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<string> {
    return ctx.services.workspaceSettings.testAgentChat(access, messages, lead ?? null);
  }

  @Query(() => EnvironmentChangePreview, { description: "The compliance warnings of moving to another environment." })
  @Can("update", "Workspace")
  async previewEnvironmentChange(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("environment", () => Environment, { description: "The environment to preview moving to." })
    environment: Environment,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<EnvironmentChangePreview> {
    return ctx.services.workspaceSettings.previewEnvironmentChange(access, environment);
  }

  @Mutation(() => WorkspaceView, {
    description: "Moves the workspace to another environment; confirm: true after reviewing the preview's warnings.",
  })
  @Can("update", "Workspace", { signedIn: true })
  async changeEnvironment(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("environment", () => Environment, { description: "The environment to move to." }) environment: Environment,
    @Arg("confirm", () => Boolean, {
      description:
        "True once previewEnvironmentChange's warnings were reviewed; false is refused (CONFIRMATION_REQUIRED) when the move has warnings.",
    })
    confirm: boolean,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.changeEnvironment(access, environment, confirm, ctx.actor);
  }

  @Mutation(() => WorkspaceView, {
    description: "Data retention in days (1–3650), or null for forever (disables the sweep).",
  })
  @Can("update", "Workspace")
  async setRetention(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("days", () => Int, {
      description: "Days to keep leads and transcripts: 1–3650; null keeps them forever.",
      nullable: true,
    })
    days: number | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setRetention(access, days, ctx.actor);
  }

  @Mutation(() => WorkspaceView, {
    description:
      "S7: require a recent second factor for this workspace's operations (when the platform enables step-up), and how long one lasts.",
  })
  @Can("update", "Workspace", { signedIn: true })
  async setWorkspaceSecurity(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => WorkspaceSecurityInput, {
      description: "Whether step-up is required, and how long a verification lasts.",
    })
    input: WorkspaceSecurityInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setSecurity(access, input, ctx.actor);
  }

  @Query(() => RetentionPreview, {
    description: "What the next retention sweep would delete now (cutoff null: retention is forever).",
  })
  @Can("update", "Workspace")
  async retentionPreview(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<RetentionPreview> {
    return ctx.services.retention.preview(access);
  }

  @Query(() => AuthDiagnostics, {
    description: "Whether the platform's signing secret and integrations key are configured (never their values).",
  })
  @Can("update", "Workspace")
  authDiagnostics(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): AuthDiagnostics {
    return ctx.services.workspaceSettings.diagnostics(access);
  }

  @Mutation(() => Boolean, {
    description: "Deletes the workspace and everything in it. Owner only; confirmSlug must be the slug.",
  })
  @Can("delete", "Workspace", { arg: "id" })
  async deleteWorkspace(
    @Arg("id", () => ID, { description: "The workspace's ID." }) id: string,
    @Arg("confirmSlug", () => String, { description: "The workspace's slug, typed again to confirm." })
    confirmSlug: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.workspaceSettings.delete(access, confirmSlug, ctx.actor);
  }
}
