import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { SearchHit } from "./search.types.ts";

@Resolver()
export class SearchResolver {
  @Query(() => [SearchHit], {
    description:
      "The command palette's search (issue 48): leads, contacts and conversations whose name (or contact's name) contains `query`, or whose phone number starts (after the +) or ends with its digits. Each kind only when the caller may read it (conversations need contact.read too); at most `first` (1–100, default 5) per kind. `query`: 3–100 characters.",
  })
  @Can("read", "Workspace")
  async search(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("query", () => String, { description: "The text to find: 3–100 characters (BAD_USER_INPUT when shorter)." })
    query: string,
    @Arg("first", () => Int, { description: "Hits per kind: 1–100 (default 5).", nullable: true }) first: number | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SearchHit[]> {
    return ctx.services.search.search(access, { query, first });
  }
}
