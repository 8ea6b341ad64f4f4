import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import { BookingConnection, BookingView, CancelBookingInput, RescheduleBookingInput } from "./bookings.types.ts";

@Resolver()
export class BookingsResolver {
  @Query(() => BookingConnection, {
    description: "R4: consultations booked through Cal.com, newest first (lead.read). `leadId` narrows to one lead.",
  })
  @Can("read", "Lead")
  async bookings(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("leadId", () => ID, { description: "Only this lead's bookings.", nullable: true }) leadId: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<BookingConnection> {
    return ctx.services.bookings.list(access, { first, after, last, before, leadId });
  }

  @Mutation(() => BookingView, { description: "Cancels on Cal.com and stores its answer (lead.manage)." })
  @Can("update", "Lead")
  async cancelBooking(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The booking's ID." }) id: string,
    @Arg("input", () => CancelBookingInput, { description: "Why it is cancelled (optional).", nullable: true })
    input: CancelBookingInput | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<BookingView> {
    return ctx.services.bookings.cancel(access, id, input?.reason ?? null, ctx.actor);
  }

  @Mutation(() => BookingView, {
    description: "Reschedules on Cal.com and stores its answer (the new uid and times) (lead.manage).",
  })
  @Can("update", "Lead")
  async rescheduleBooking(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The booking's ID." }) id: string,
    @Arg("input", () => RescheduleBookingInput, { description: "The new start time." }) input: RescheduleBookingInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<BookingView> {
    return ctx.services.bookings.reschedule(access, id, input.start, ctx.actor);
  }
}
