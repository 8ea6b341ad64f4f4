import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Can, GrantedAccess, PlatformAdmin } from "../../platform/authz/guards.ts";
import type { WorkspaceAccess } from "../../platform/authz/access.ts";
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
  createPlan(@Arg("input", () => PlanInput) input: PlanInput, @Ctx() ctx: RequestContext): Promise<PlanView> {
    return ctx.services.usage.createPlan(input, ctx.actor);
  }

  @Mutation(() => PlanView, { description: "Changes a plan; held sends of its workspaces go out as far as the new quotas allow. Platform admins only." })
  @PlatformAdmin()
  updatePlan(@Arg("id", () => ID) id: string, @Arg("input", () => PlanInput) input: PlanInput, @Ctx() ctx: RequestContext): Promise<PlanView> {
    return ctx.services.usage.updatePlan(id, input, ctx.actor, ctx.scope);
  }

  @Mutation(() => PlanView, { nullable: true, description: "Assigns a plan (any, offered or not; null = no plan, unlimited) to the workspace with this slug. Platform admins only." })
  @PlatformAdmin()
  assignPlan(@Arg("slug", () => String) slug: string, @Arg("planId", () => ID, { nullable: true }) planId: string | null, @Ctx() ctx: RequestContext): Promise<PlanView | null> {
    return ctx.services.usage.assignPlan(slug, planId, ctx.actor, ctx.scope);
  }

  @Query(() => [PlanView], { description: "The plans this workspace may switch to." })
  @Can("read", "Billing")
  async availablePlans(@Arg("workspaceId", () => ID) workspaceId: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<PlanView[]> {
    return ctx.services.usage.offeredPlans(access);
  }

  @Query(() => UsageView, { description: "This month's metered usage against the plan's quotas, and the last six months." })
  @Can("read", "Billing")
  async usage(@Arg("workspaceId", () => ID) workspaceId: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<UsageView> {
    return ctx.services.usage.usage(access);
  }

  @Mutation(() => UsageView, { description: "Switches the workspace to an offered plan; held sends go out as far as the new quotas allow." })
  @Can("update", "Billing")
  async switchPlan(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("planId", () => ID) planId: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<UsageView> {
    return ctx.services.usage.switchPlan(access, planId, ctx.actor);
  }
}
