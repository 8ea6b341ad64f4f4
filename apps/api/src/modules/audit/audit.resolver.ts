import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { Can } from "../../platform/authz/guards.ts";
import { notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { AuditEventConnection } from "./audit.types.ts";

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "The workspace's audit trail, newest first. Requires audit.read." })
  @Can("read", "AuditEvent")
  async auditEvents(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditEventConnection> {
    const access = await ctx.access!.forWorkspace(workspaceId);
    if (!access) throw notFound("Workspace");
    return ctx.services.audit.list(access, { first, after });
  }
}
