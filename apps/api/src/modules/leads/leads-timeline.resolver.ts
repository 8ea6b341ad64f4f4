import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { LeadTimelineEntry } from "./leads-timeline.types.ts";

@Resolver()
export class LeadTimelineResolver {
  @Query(() => [LeadTimelineEntry], {
    description:
      "Everything that happened to the lead — messages, calls, bookings, status changes, campaign sends — newest first. `first` is 1–100 (default 50).",
  })
  @Can("read", "Lead")
  async leadTimeline(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("leadId", () => ID, { description: "The lead's ID." }) leadId: string,
    @Arg("first", () => Int, { description: "Page size: 1–100 entries (default 50).", nullable: true })
    first: number | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadTimelineEntry[]> {
    return ctx.services.leadTimeline.timeline(access, leadId, first);
  }
}
