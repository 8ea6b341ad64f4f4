import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { DailyStatsView } from "./analytics.types.ts";

@Resolver()
export class AnalyticsResolver {
  @Query(() => [DailyStatsView], {
    description: "Per-day counts over UTC days `from`..`to` (YYYY-MM-DD, both included, at most 366 days).",
  })
  @Can("read", "Lead")
  async analytics(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("from", () => String, { description: "First UTC day, YYYY-MM-DD (included)." }) from: string,
    @Arg("to", () => String, { description: "Last UTC day, YYYY-MM-DD (included); at most 366 days after from." })
    to: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<DailyStatsView[]> {
    return ctx.services.analytics.daily(access, from, to);
  }
}
