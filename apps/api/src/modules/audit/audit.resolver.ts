import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, GraphQLISODateTime, ID, Info, Int, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import { badInput } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import { selectedFields, selectsTotal } from "../../platform/graphql/selection.ts";
import { AuditEventConnection } from "./audit.types.ts";

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "The workspace's audit trail, newest first. Requires audit.read." })
  @Can("read", "AuditEvent")
  async auditEvents(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("actorUserId", () => ID, { description: "Only entries by this user.", nullable: true })
    actorUserId: string | null,
    @Arg("action", () => String, {
      nullable: true,
      description: "Exact action, or a prefix ending in '.' (e.g. \"member.\").",
    })
    action: string | null,
    @Arg("since", () => GraphQLISODateTime, {
      description: "Only entries at or after this time (ISO 8601).",
      nullable: true,
    })
    since: Date | null,
    @Arg("until", () => GraphQLISODateTime, {
      description: "Only entries before this time (ISO 8601).",
      nullable: true,
    })
    until: Date | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AuditEventConnection> {
    if (action && action.length > 100) throw badInput("action is at most 100 characters.", { action: "too long" });
    return ctx.services.audit.list(access, {
      first,
      after,
      last,
      before,
      actorUserId,
      action,
      since,
      until,
      withTotal: selectsTotal(info),
      fields: selectedFields(info, ["edges", "node"]),
    });
  }
}
