import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { ApiKeyCan, Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { VerifiedByItsWrite } from "../../platform/graphql/handler.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import { selectedFields, selectsTotal } from "../../platform/graphql/selection.ts";
import { LeadConnection, LeadOrder, LeadStatus, LeadStatusChange, LeadView, SubmitLeadInput } from "./leads.types.ts";

@Resolver()
export class LeadsResolver {
  @Query(() => LeadConnection, {
    description:
      "Leads, newest first unless `orderBy` says otherwise; pages forwards with `first`/`after`, backwards with `last`/`before` (each capped at 100).",
  })
  @Can("read", "Lead")
  async leads(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("status", () => LeadStatus, { description: "Only leads with this status.", nullable: true })
    status: LeadStatus | null,
    @Arg("orderBy", () => LeadOrder, {
      nullable: true,
      description:
        "Sort by a column (issue 48); absent: newest first. Pass `after`/`before` cursors only to the same order they came from.",
    })
    orderBy: LeadOrder | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LeadConnection> {
    return ctx.services.leads.list(access, {
      first,
      after,
      last,
      before,
      status,
      orderBy,
      withTotal: selectsTotal(info),
      fields: {
        lead: selectedFields(info, ["edges", "node"]),
        contact: selectedFields(info, ["edges", "node", "contact"]),
      },
    });
  }

  @Query(() => LeadView, { description: "One lead." })
  @Can("read", "Lead")
  async lead(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The lead's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadView> {
    return ctx.services.leads.get(access, id);
  }

  @Query(() => [LeadStatusChange], {
    description: "The lead's status changes, oldest first: by hand, and as the conversation moved it (issue 56).",
  })
  @Can("read", "Lead")
  async leadStatusHistory(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The lead's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadStatusChange[]> {
    return ctx.services.leads.statusHistory(access, id);
  }

  @Mutation(() => LeadView, { description: "Sets a lead's status by hand (recorded in leadStatusHistory)." })
  @Can("update", "Lead")
  async updateLeadStatus(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The lead's ID." }) id: string,
    @Arg("status", () => LeadStatus, { description: "The new status." }) status: LeadStatus,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadView> {
    return ctx.services.leads.updateStatus(access, id, status, ctx.actor);
  }

  @Mutation(() => LeadView, {
    description:
      "Public API: submit a lead with an API key holding the lead.manage scope. Works while the agent is paused.",
  })
  @ApiKeyCan("create", "Lead")
  // Checks the key's ability from its context, then writes the contact, the lead and its audit row
  // in one pipeline, its only write (a denial is recorded in a transaction that checks first too).
  @VerifiedByItsWrite()
  async submitLead(
    @Arg("input", () => SubmitLeadInput, { description: "The lead's name, e-mail, phone and message." })
    input: SubmitLeadInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LeadView> {
    const key = ctx.apiKey!;
    return ctx.services.leads.submitWithApiKey(key.access, key.keyId, input, ctx.actor, {
      lead: selectedFields(info, []),
      contact: selectedFields(info, ["contact"]),
    });
  }
}
