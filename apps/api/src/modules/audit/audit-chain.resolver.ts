import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { AuditChainStatusView } from "./audit-chain.types.ts";

@Resolver()
export class AuditChainResolver {
  @Query(() => AuditChainStatusView, {
    description:
      "Issue 50: the workspace's tamper-evident audit log — verified up to which signed checkpoint, rows not yet signed, and any problem found (audit.read).",
  })
  @Can("read", "AuditEvent")
  async auditChainStatus(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditChainStatusView> {
    return ctx.services.auditChain.status(access);
  }
}
