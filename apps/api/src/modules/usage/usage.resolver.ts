import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess, PlatformAdmin } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PlanInput, PlanView, UsageView } from "./usage.types.ts";

@Resolver()
export class UsageResolver {
  @Query(() => [PlanView], { description: "Every plan. Platform admins only." })
  @PlatformAdmin()
  plans(@Ctx() ctx: RequestContext): Promise<PlanView[]> {
    return ctx.services.usage.listPlans();
  }

  @Mutation(() => PlanView, { description: "Defines a plan (monthly quotas; null = unlimited). Platform admins only." })
  @PlatformAdmin()
  createPlan(
    @Arg("input", () => PlanInput, { description: "The plan's name and quotas." }) input: PlanInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PlanView> {
    return ctx.services.usage.createPlan(input, ctx.actor);
  }

  @Mutation(() => PlanView, {
    description:
      "Changes a plan; held sends of its workspaces go out as far as the new quotas allow. Platform admins only.",
  })
  @PlatformAdmin()
  updatePlan(
    @Arg("id", () => ID, { description: "The plan's ID." }) id: string,
    @Arg("input", () => PlanInput, { description: "The plan's new name, quotas and offered flag." }) input: PlanInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PlanView> {
    return ctx.services.usage.updatePlan(id, input, ctx.actor);
  }

  @Mutation(() => PlanView, {
    nullable: true,
    description:
      "Assigns a plan (any, offered or not; null = no plan, unlimited) to the workspace with this slug. Platform admins only.",
  })
  @PlatformAdmin()
  assignPlan(
    @Arg("slug", () => String, { description: "The workspace's slug." }) slug: string,
    @Arg("planId", () => ID, { description: "The plan's ID; null removes the plan (unlimited).", nullable: true })
    planId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PlanView | null> {
    return ctx.services.usage.assignPlan(slug, planId, ctx.actor);
  }

  @Query(() => [PlanView], { description: "The plans this workspace may switch to." })
  @Can("read", "Billing")
  async availablePlans(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<PlanView[]> {
    return ctx.services.usage.offeredPlans(access);
  }

  @Query(() => UsageView, {
    description: "This month's metered usage against the plan's quotas, and the last six months.",
  })
  @Can("read", "Billing")
  async usage(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<UsageView> {
    return ctx.services.usage.usage(access);
  }

  @Mutation(() => UsageView, {
    description: "Switches the workspace to an offered plan; held sends go out as far as the new quotas allow.",
  })
  @Can("update", "Billing")
  async switchPlan(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("planId", () => ID, { description: "The offered plan's ID (plans)." }) planId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<UsageView> {
    return ctx.services.usage.switchPlan(access, planId, ctx.actor);
  }
}
