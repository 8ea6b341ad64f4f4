import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { DailyStatsView } from "./analytics.types.ts";

@Resolver()
export class AnalyticsResolver {
  @Query(() => [DailyStatsView], { description: "Per-day counts over UTC days `from`..`to` (YYYY-MM-DD, both included, at most 366 days)." })
  @Can("read", "Lead")
  async analytics(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("from", () => String) from: string, @Arg("to", () => String) to: string, @GrantedAccess() access: WorkspaceAccess, @Ctx() ctx: RequestContext): Promise<DailyStatsView[]> {
    return ctx.services.analytics.daily(access, from, to);
  }
}
