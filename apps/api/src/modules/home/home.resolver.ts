import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, ID, Info, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { selectsField } from "../../platform/graphql/selection.ts";
import { WorkspaceHomeView } from "./home.types.ts";

@Resolver()
export class HomeResolver {
  @Query(() => WorkspaceHomeView, {
    description:
      "The workspace's home (issue 48): the onboarding checklist, the last 24 hours beside the 24 before, and the latest activity — each part as far as the caller may read it. Parts not selected are not read.",
  })
  @Can("read", "Workspace")
  async workspaceHome(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<WorkspaceHomeView> {
    return ctx.services.home.home(access, {
      checklist: selectsField(info, "checklist"),
      glance: selectsField(info, "glance"),
      activity: selectsField(info, "activity"),
    });
  }
}
