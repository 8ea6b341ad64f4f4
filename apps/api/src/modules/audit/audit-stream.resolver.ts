import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import {
  AuditStreamTestResult,
  AuditStreamView,
  CreatedAuditStream,
  SetAuditStreamInput,
} from "./audit-stream.types.ts";

const WORKSPACE_ID = {
  description:
    "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
};

@Resolver()
export class AuditStreamResolver {
  @Query(() => AuditStreamView, {
    nullable: true,
    description:
      "Issue 50: the workspace's audit stream and its delivery status; null when none is set up (audit.read).",
  })
  @Can("read", "AuditEvent")
  async auditStream(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditStreamView | null> {
    return ctx.services.auditStream.get(access);
  }

  @Mutation(() => CreatedAuditStream, {
    description:
      "Sets up the audit stream (from the next event on; the signing secret is returned once) or changes its URL or turns it on/off (workspace.settings).",
  })
  @Can("update", "Workspace")
  async setAuditStream(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @Arg("input", () => SetAuditStreamInput, { description: "The URL, and whether it is on." })
    input: SetAuditStreamInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedAuditStream> {
    return ctx.services.auditStream.set(access, input, ctx.actor);
  }

  @Mutation(() => CreatedAuditStream, {
    description:
      "A new signing secret, returned once; the previous one still signs during the overlap window (workspace.settings).",
  })
  @Can("update", "Workspace")
  async rotateAuditStreamSecret(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedAuditStream> {
    return ctx.services.auditStream.rotateSecret(access, ctx.actor);
  }

  @Mutation(() => AuditStreamView, {
    description: "Retries a failing stream now instead of after its backoff (workspace.settings).",
  })
  @Can("update", "Workspace")
  async retryAuditStream(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditStreamView> {
    return ctx.services.auditStream.retryNow(access);
  }

  @Mutation(() => AuditStreamTestResult, {
    description:
      "Sends one signed test line (type audit_stream.test) to the stream's URL now and answers what the endpoint said; the stream's cursor does not move (workspace.settings).",
  })
  @Can("update", "Workspace")
  async testAuditStream(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditStreamTestResult> {
    return ctx.services.auditStream.test(access);
  }

  @Mutation(() => Boolean, { description: "Removes the audit stream and its cursor (workspace.settings)." })
  @Can("update", "Workspace")
  async removeAuditStream(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.auditStream.remove(access, ctx.actor);
  }
}
