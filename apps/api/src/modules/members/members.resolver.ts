import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import { PRESETS } from "@atrium/policies";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Authenticated, Can, GrantedAccess, Public, requireUser } from "../../platform/authz/guards.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { WorkspaceView } from "../workspaces/workspaces.types.ts";
import {
  InvitationPreview,
  InvitationView,
  InviteMemberInput,
  MemberView,
  RolePresetView,
  UpdateMemberInput,
} from "./members.types.ts";

const TOKEN_MAX = 256;

@Resolver()
export class MembersResolver {
  @Query(() => [MemberView], { description: "Members of the workspace with their role and policies." })
  @Can("read", "Member")
  async members(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MemberView[]> {
    return ctx.services.members.list(access);
  }

  @Mutation(() => MemberView, {
    description:
      "Changes a member's role and/or policies. Nobody grants what they do not hold; only an owner changes an owner.",
  })
  @Can("update", "Member")
  async updateMember(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("userId", () => ID, { description: "The member's user ID." }) userId: string,
    @Arg("input", () => UpdateMemberInput, { description: "The new role and/or policies." }) input: UpdateMemberInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MemberView> {
    return ctx.services.members.update(access, userId, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Removes a member from the workspace; their account stays." })
  @Can("delete", "Member")
  async removeMember(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("userId", () => ID, { description: "The member's user ID." }) userId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.members.remove(access, userId, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Leaves the workspace. The last owner must transfer ownership first." })
  @Can("read", "Workspace", { signedIn: true })
  async leaveWorkspace(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.members.leave(access, ctx.actor);
  }

  @Mutation(() => WorkspaceView, {
    description: "Makes another member the owner; the caller becomes an admin. Owner only.",
  })
  @Can("transfer", "Workspace")
  async transferOwnership(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("userId", () => ID, { description: "The user ID of the member who becomes the owner." }) userId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    await ctx.services.members.transferOwnership(access, userId, ctx.actor);
    const fresh = await ctx.services.workspaces.accessFor(requireUser(ctx).userId, workspaceId, ctx.actor);
    if (!fresh) throw notFound("Workspace");
    return ctx.services.workspaces.getBySlug(fresh);
  }

  @Mutation(() => InvitationView, {
    description: "Invites an e-mail address with a role and policies (or a preset). The link expires in 7 days.",
  })
  @Can("create", "Invitation")
  async inviteMember(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => InviteMemberInput, { description: "The address, role, policies or preset." })
    input: InviteMemberInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<InvitationView> {
    return ctx.services.members.invite(access, input, ctx.actor);
  }

  @Query(() => [InvitationView], {
    description: "Pending invitations (not accepted or revoked; expired ones included).",
  })
  @Can("read", "Invitation")
  async invitations(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<InvitationView[]> {
    return ctx.services.members.listInvitations(access);
  }

  @Mutation(() => InvitationView, {
    description: "Sends a new link (the old one stops working) and restarts the 7 days.",
  })
  @Can("create", "Invitation")
  async resendInvitation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The invitation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<InvitationView> {
    return ctx.services.members.resendInvitation(access, id, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Revokes a pending invitation; its link stops working." })
  @Can("delete", "Invitation")
  async revokeInvitation(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The invitation's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.members.revokeInvitation(access, id, ctx.actor);
  }

  @Query(() => InvitationPreview, {
    description: "What an invitation link is for (workspace, e-mail, role), for the accept page.",
  })
  @Public()
  async invitation(
    @Arg("token", () => String, { description: "The token from the invitation link." }) token: string,
    @Ctx() ctx: RequestContext,
  ): Promise<InvitationPreview> {
    if (token.length > TOKEN_MAX) throw badInput("This invitation link is invalid.", { token: "invalid" });
    return ctx.services.members.previewInvitation(token, ctx.actor);
  }

  @Mutation(() => WorkspaceView, {
    description: "Accepts an invitation as the signed-in user (whose e-mail must match it).",
  })
  @Authenticated()
  async acceptInvitation(
    @Arg("token", () => String, { description: "The token from the invitation link." }) token: string,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    const principal = requireUser(ctx);
    if (token.length > TOKEN_MAX) throw badInput("This invitation link is invalid.", { token: "invalid" });
    const { workspaceId } = await ctx.services.members.accept(
      { userId: principal.userId, email: principal.email },
      token,
      ctx.actor,
    );
    const access = await ctx.services.workspaces.accessFor(principal.userId, workspaceId, ctx.actor);
    if (!access) throw notFound("Workspace");
    return ctx.services.workspaces.getBySlug(access);
  }

  @Query(() => [RolePresetView], { description: "Named policy sets offered when inviting or editing members (M3)." })
  @Public()
  rolePresets(): RolePresetView[] {
    return PRESETS.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      role: p.role as never,
      policies: [...p.policies],
    }));
  }
}
