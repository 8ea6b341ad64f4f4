import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Can, accessOf } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { Environment, WorkspaceView } from "../workspaces/workspaces.types.ts";
import { AgentPersonaInput, AuthDiagnostics, EnvironmentChangePreview, RetentionPreview, UpdateWorkspaceInput, WorkspaceSecurityInput } from "./workspace-settings.types.ts";

@Resolver()
export class WorkspaceSettingsResolver {
  @Mutation(() => WorkspaceView, { description: "Renames the workspace (name, slug, description)." })
  @Can("update", "Workspace", { arg: "id" })
  async updateWorkspace(@Arg("id", () => ID) id: string, @Arg("input", () => UpdateWorkspaceInput) input: UpdateWorkspaceInput, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.update(await accessOf(ctx, id), input, ctx.actor);
  }

  @Mutation(() => WorkspaceView, { description: "Kill switch: while paused, leads still arrive but nothing is sent." })
  @Can("update", "Workspace")
  async setAgentPaused(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("paused", () => Boolean) paused: boolean, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setAgentPaused(await accessOf(ctx, workspaceId), paused, ctx.actor);
  }

  @Mutation(() => WorkspaceView, { description: "Agent persona: name, role, tone and ordered qualification questions." })
  @Can("update", "Workspace")
  async updateAgentPersona(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("input", () => AgentPersonaInput) input: AgentPersonaInput, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setPersona(await accessOf(ctx, workspaceId), input, ctx.actor);
  }

  @Query(() => EnvironmentChangePreview, { description: "The compliance warnings of moving to another environment." })
  @Can("update", "Workspace")
  async previewEnvironmentChange(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("environment", () => Environment) environment: Environment, @Ctx() ctx: RequestContext): Promise<EnvironmentChangePreview> {
    return ctx.services.workspaceSettings.previewEnvironmentChange(await accessOf(ctx, workspaceId), environment);
  }

  @Mutation(() => WorkspaceView, { description: "Moves the workspace to another environment; confirm: true after reviewing the preview's warnings." })
  @Can("update", "Workspace")
  async changeEnvironment(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("environment", () => Environment) environment: Environment,
    @Arg("confirm", () => Boolean) confirm: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.changeEnvironment(await accessOf(ctx, workspaceId), environment, confirm, ctx.actor);
  }

  @Mutation(() => WorkspaceView, { description: "Data retention in days (1–3650), or null for forever (disables the sweep)." })
  @Can("update", "Workspace")
  async setRetention(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("days", () => Int, { nullable: true }) days: number | null, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setRetention(await accessOf(ctx, workspaceId), days, ctx.actor);
  }

  @Mutation(() => WorkspaceView, { description: "S7: require a recent second factor for this workspace's operations (when the platform enables step-up), and how long one lasts." })
  @Can("update", "Workspace")
  async setWorkspaceSecurity(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("input", () => WorkspaceSecurityInput) input: WorkspaceSecurityInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    return ctx.services.workspaceSettings.setSecurity(await accessOf(ctx, workspaceId), input, ctx.actor);
  }

  @Query(() => RetentionPreview, { description: "What the next retention sweep would delete now (cutoff null: retention is forever)." })
  @Can("update", "Workspace")
  async retentionPreview(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: RequestContext): Promise<RetentionPreview> {
    return ctx.services.retention.preview(await accessOf(ctx, workspaceId));
  }

  @Query(() => AuthDiagnostics, { description: "Whether the platform's signing secret and integrations key are configured (never their values)." })
  @Can("update", "Workspace")
  async authDiagnostics(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: RequestContext): Promise<AuthDiagnostics> {
    return ctx.services.workspaceSettings.diagnostics(await accessOf(ctx, workspaceId));
  }

  @Mutation(() => Boolean, { description: "Deletes the workspace and everything in it. Owner only; confirmSlug must be the slug." })
  @Can("delete", "Workspace", { arg: "id" })
  async deleteWorkspace(@Arg("id", () => ID) id: string, @Arg("confirmSlug", () => String) confirmSlug: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.workspaceSettings.delete(await accessOf(ctx, id), confirmSlug, ctx.actor);
  }
}
