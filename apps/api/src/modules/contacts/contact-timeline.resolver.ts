// A contact's page (issue 48): the contact, its leads and its timeline.
import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { LeadTimelineEntry } from "../leads/leads-timeline.types.ts";
import { ContactView, LeadView } from "../leads/leads.types.ts";

const WORKSPACE = { description: "The workspace the contact belongs to." };
const CONTACT = { description: "The contact's id; another workspace's, an unknown or a malformed id is NOT_FOUND." };

@Resolver()
export class ContactTimelineResolver {
  @Query(() => ContactView, { description: "One contact (contact.read)." })
  @Can("read", "Contact")
  async contact(
    @Arg("workspaceId", () => ID, WORKSPACE) workspaceId: string,
    @Arg("id", () => ID, CONTACT) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ContactView> {
    return ctx.services.contactTimeline.get(access, id);
  }

  @Query(() => [LeadTimelineEntry], {
    description:
      "Everything that happened with the contact, across all its conversations and leads — messages, calls, bookings, status changes, campaign sends — newest first (contact.read). Bookings and status changes need lead.read too; message text conversation.read, as on a lead's timeline.",
  })
  @Can("read", "Contact")
  async contactTimeline(
    @Arg("workspaceId", () => ID, WORKSPACE) workspaceId: string,
    @Arg("contactId", () => ID, CONTACT) contactId: string,
    @Arg("first", () => Int, { nullable: true, description: "How many entries, the newest: 1–100 (default 50)." })
    first: number | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadTimelineEntry[]> {
    return ctx.services.contactTimeline.timeline(access, contactId, first);
  }

  @Query(() => [LeadView], {
    description: "The contact's leads, newest first (lead.read); each lead's `contact` needs contact.read.",
  })
  @Can("read", "Lead")
  async contactLeads(
    @Arg("workspaceId", () => ID, WORKSPACE) workspaceId: string,
    @Arg("contactId", () => ID, CONTACT) contactId: string,
    @Arg("first", () => Int, { nullable: true, description: "How many leads, the newest: 1–100 (default 20)." })
    first: number | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadView[]> {
    return ctx.services.contactTimeline.leads(access, contactId, first);
  }
}
