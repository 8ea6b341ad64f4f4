import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";

import { Authenticated, Can, Public, requireUser } from "../../platform/authz/guards.ts";
import { notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { deriveSlug } from "./slug.ts";
import { CreateWorkspaceInput, WorkspaceView } from "./workspaces.types.ts";

@Resolver(() => WorkspaceView)
export class WorkspacesResolver {
  @Mutation(() => WorkspaceView, {
    description: "Creates a workspace; the caller becomes its OWNER. The channel can never change.",
  })
  @Authenticated()
  async createWorkspace(
    @Arg("input", () => CreateWorkspaceInput, {
      description: "The workspace's name, slug, description, channel and environment.",
    })
    input: CreateWorkspaceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    const principal = requireUser(ctx);
    return ctx.services.workspaces.create(principal.userId, input, ctx.actor);
  }

  @Query(() => WorkspaceView, { description: "A workspace the caller belongs to. Anything else: NOT_FOUND." })
  @Can("read", "Workspace", { by: "slug" })
  async workspace(
    @Arg("slug", () => String, { description: "The workspace's slug." }) slug: string,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkspaceView> {
    const access = await ctx.access!.forSlug(slug);
    if (!access) throw notFound("Workspace");
    return ctx.services.workspaces.getBySlug(access);
  }

  @Query(() => String, {
    description: "The slug createWorkspace would derive from this name (before collision suffixes).",
  })
  @Public()
  slugSuggestion(
    @Arg("name", () => String, { description: "The workspace name to derive a slug from." }) name: string,
  ): string {
    return deriveSlug(name.slice(0, 200));
  }
}
