// Bookings (R4): consultations booked through Cal.com v2 by the voice agent, listed per
// workspace, cancelled or rescheduled from the app with Cal.com's answer written back.
// Cal.com is called while the caller waits (the voice agent needs the answer during the call,
// a person needs it on the page); a Cal.com error is reported, and nothing is stored for it.
import { subject } from "@casl/ability";

import type { Db, Prisma, TenantTx } from "@atrium/db";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere } from "../../platform/authz/accessible.ts";
import { nestedReadsOf, NO_NESTED_READS, type NestedReads } from "../../platform/authz/nested-reads.ts";
import { inTenant, type Caller } from "../../platform/data.ts";
import { AppError, badInput, ErrorCode, forbidden, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import type { IntegrationsService, ProviderAdapters } from "../integrations/integrations.service.ts";
import { IntegrationProvider } from "../integrations/integrations.types.ts";
import type { CalBooking } from "../integrations/providers/calcom.ts";
import { ProviderError } from "../integrations/providers/provider-error.ts";
import { toLeadView, type LeadRow, type LeadsService } from "../leads/leads.service.ts";
import type { EmitWebhookEvent } from "../webhooks/webhooks.service.ts";
import { bookingsRepository as repo, type BookingRow } from "./bookings.repository.ts";
import { BookingStatus, type BookingConnection, type BookingView } from "./bookings.types.ts";

/** `reads`: what the caller may see nested in the booking's lead (its contact needs contact.read). */
const toView = (b: BookingRow, reads: NestedReads): BookingView => ({
  id: b.id,
  startsAt: b.startsAt,
  endsAt: b.endsAt,
  status: b.status as BookingStatus,
  lead: b.lead ? toLeadView(b.lead, reads) : null,
  attendeeName: b.attendeeName,
  attendeeEmail: b.attendeeEmail,
  providerUid: b.providerUid,
  createdAt: b.createdAt,
});

/** Cal.com's booking status → ours. */
export function statusOf(cal: string): BookingStatus {
  switch (cal.toLowerCase()) {
    case "accepted":
      return BookingStatus.ACCEPTED;
    case "cancelled":
    case "canceled":
      return BookingStatus.CANCELLED;
    case "rejected":
      return BookingStatus.REJECTED;
    default:
      return BookingStatus.PENDING;
  }
}

const providerFailure = (err: ProviderError) =>
  new AppError(ErrorCode.CONFLICT, `Cal.com did not accept the change: ${err.describe()}`, {
    reason: "PROVIDER_ERROR",
  });

export function createBookingsService(deps: {
  db: Db;
  integrations: IntegrationsService;
  providers: ProviderAdapters;
  leads: Pick<LeadsService, "markBooked">;
  emit?: EmitWebhookEvent;
}) {
  const { db, integrations, providers, leads, emit } = deps;

  const calcom = async (workspaceId: string, caller: Caller) => {
    const creds = await inTenant(db, caller, { workspaceId }, (tx) =>
      integrations.credentials(tx, workspaceId, IntegrationProvider.CALCOM),
    );
    if (!creds)
      throw badInput("Cal.com is not configured for this workspace (Settings → Integrations).", { provider: "CALCOM" });
    return creds;
  };

  /**
   * A booking has no subject of its own: it is part of its lead (lead.read / lead.manage). The
   * ability is checked on the booking's lead row; a booking whose lead was deleted is checked as
   * a lead of the workspace with no other fields (so a grant with conditions on the lead fails
   * closed).
   */
  const leadOf = (b: BookingRow) => b.lead ?? { workspaceId: b.workspaceId };
  const canOnLead = (access: WorkspaceAccess, action: "read" | "update", b: BookingRow) =>
    access.ability.can(action, subject("Lead", { ...leadOf(b) }));

  /** The `where` of the bookings whose lead the ability may read (see `leadOf`). */
  function readableBookings(access: WorkspaceAccess): Prisma.BookingWhereInput {
    const leadWhere = accessibleWhere(access.ability, "read", "Lead") as Prisma.LeadWhereInput;
    const orphansReadable = access.ability.can("read", subject("Lead", { workspaceId: access.workspaceId }));
    return { OR: [{ lead: { is: leadWhere } }, ...(orphansReadable ? [{ leadId: null }] : [])] };
  }

  async function change(
    access: WorkspaceAccess,
    id: string,
    actor: Actor,
    action: "cancel" | "reschedule",
    call: (uid: string) => Promise<CalBooking>,
  ): Promise<BookingView> {
    if (!UUID_RE.test(id)) throw notFound("Booking");
    const row = await inWorkspace(db, access, (tx) => repo.find(tx, access.workspaceId, id));
    if (!row) throw notFound("Booking");
    if (!canOnLead(access, "update", row)) throw forbidden();
    if (row.status === "CANCELLED") throw badInput("This booking is already cancelled.", { id: "cancelled" });
    let answer: CalBooking;
    try {
      answer = await call(row.providerUid);
    } catch (err) {
      if (err instanceof ProviderError) throw providerFailure(err);
      throw err;
    }
    return inWorkspace(db, access, async (tx) => {
      const updated = await repo.update(tx, access.workspaceId, id, {
        status: statusOf(answer.status),
        startsAt: new Date(answer.start),
        endsAt: new Date(answer.end),
        providerUid: answer.uid,
        providerBookingId: Number.isInteger(answer.id) ? answer.id : null,
      });
      await recordWorkspaceAudit(tx, access.workspaceId, actor, {
        action: `booking.${action}`,
        actorMembershipId: access.membershipId,
        targetType: "Booking",
        targetId: id,
        data: { status: updated.status, startsAt: updated.startsAt.toISOString() },
      });
      return toView(updated, nestedReadsOf(access));
    });
  }

  return {
    async list(access: WorkspaceAccess, args: PageArgs & { leadId?: string | null }): Promise<BookingConnection> {
      const filter = readableBookings(access);
      if (args.leadId && !UUID_RE.test(args.leadId)) throw notFound("Lead");
      const page = pageRequest(args);
      const [rows, total] = await inWorkspace(db, access, (tx) =>
        repo.page(tx, access.workspaceId, { leadId: args.leadId, take: page.take, keyset: keyset(page), filter }),
      );
      const reads = nestedReadsOf(access);
      return connection(rows, page, total, (b) => toView(b, reads));
    },

    /** One booking the caller may read, or null (live updates: `bookingEvents`). */
    async one(access: WorkspaceAccess, id: string): Promise<BookingView | null> {
      if (!UUID_RE.test(id)) return null;
      const filter = readableBookings(access);
      const row = await inWorkspace(db, access, (tx) =>
        repo
          .page(tx, access.workspaceId, {
            take: 1,
            keyset: { where: {}, orderBy: [] },
            filter: { AND: [filter, { id }] },
          })
          .then(([rows]) => rows[0] ?? null),
      );
      return row ? toView(row, nestedReadsOf(access)) : null;
    },

    cancel(access: WorkspaceAccess, id: string, reason: string | null, actor: Actor): Promise<BookingView> {
      return change(access, id, actor, "cancel", async (uid) =>
        providers.calcom.cancel(await calcom(access.workspaceId, access), uid, reason),
      );
    },

    reschedule(access: WorkspaceAccess, id: string, start: string, actor: Actor): Promise<BookingView> {
      if (Number.isNaN(new Date(start).getTime()))
        throw badInput("Use an ISO 8601 date and time.", { start: "invalid" });
      return change(access, id, actor, "reschedule", async (uid) =>
        providers.calcom.reschedule(await calcom(access.workspaceId, access), uid, new Date(start).toISOString()),
      );
    },

    /** list_slots (voice agent): free starts from Cal.com. Throws ProviderError / a plain Error with words for the assistant. */
    async freeSlots(workspaceId: string, start: Date, end: Date, caller: Caller): Promise<string[]> {
      const creds = await inTenant(db, caller, { workspaceId }, (tx) =>
        integrations.credentials(tx, workspaceId, IntegrationProvider.CALCOM),
      );
      if (!creds) throw new Error("Booking is not available: Cal.com is not configured.");
      return providers.calcom.slots(creds, start, end);
    },

    /** book_consultation (voice agent): books on Cal.com, then stores the booking and marks the lead BOOKED. */
    async book(
      workspaceId: string,
      lead: LeadRow,
      b: { start: string; name: string; email: string },
      caller: Caller,
    ): Promise<BookingView> {
      const creds = await inTenant(db, caller, { workspaceId }, (tx) =>
        integrations.credentials(tx, workspaceId, IntegrationProvider.CALCOM),
      );
      if (!creds) throw new Error("Booking is not available: Cal.com is not configured.");
      const answer = await providers.calcom.book(creds, {
        start: b.start,
        name: b.name,
        email: b.email,
        phone: lead.phone,
      });
      return inTenant(db, caller, { workspaceId }, async (tx: TenantTx) => {
        const row = await repo.create(tx, {
          workspaceId,
          leadId: lead.id,
          providerBookingId: Number.isInteger(answer.id) ? answer.id : null,
          providerUid: answer.uid,
          startsAt: new Date(answer.start),
          endsAt: new Date(answer.end),
          status: statusOf(answer.status),
          attendeeName: b.name,
          attendeeEmail: b.email,
        });
        await leads.markBooked(tx, workspaceId, lead.id);
        await recordWorkspaceAudit(
          tx,
          workspaceId,
          { userId: null, ip: null, userAgent: "vapi", requestId: "vapi-tool-call" },
          {
            action: "booking.created",
            targetType: "Booking",
            targetId: row.id,
            data: { leadId: lead.id, startsAt: row.startsAt.toISOString() },
          },
        );
        await emit?.(tx, workspaceId, "booking.created", {
          id: row.id,
          leadId: lead.id,
          startsAt: row.startsAt.toISOString(),
          endsAt: row.endsAt.toISOString(),
          status: row.status,
          attendeeName: row.attendeeName,
          attendeeEmail: row.attendeeEmail,
          providerUid: row.providerUid,
        });
        // For the voice agent's tool answer, never a GraphQL client: the lead's contact is not needed there.
        return toView({ ...row, lead: row.lead ? { ...row.lead, status: "BOOKED" } : null }, NO_NESTED_READS);
      });
    },
  };
}

export type BookingsService = ReturnType<typeof createBookingsService>;
