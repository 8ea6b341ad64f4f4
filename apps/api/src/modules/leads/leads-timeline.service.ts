// A lead's timeline (issue 48): messages (in, out, campaign sends), calls, bookings and status
// changes, newest first, read in one tenant transaction sent as one round trip (`tenantRead`).
import type { Db, ReadRows } from "@atrium/db";

import { readInWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { notFound } from "../../platform/errors.ts";
import { pageSize } from "../../platform/graphql/cursor.ts";
import { leadsTimelineRepository as repo, type TimelineRow } from "./leads-timeline.repository.ts";
import { LeadTimelineKind, type LeadTimelineEntry } from "./leads-timeline.types.ts";

export const TIMELINE_DEFAULT = 50;

/** What the caller may see beyond the lead's own history. */
interface TimelineReads {
  /** Message text (read Message: conversation.read); otherwise a message says only its direction. */
  messages: boolean;
  /** The campaign's name (campaign read). */
  campaigns: boolean;
}

const dateOf = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const words = (s: string) => s.toLowerCase().replace(/_/g, " ");

/** One row as an entry: a short summary with no secrets (no provider ids, no error text, no attendee details). */
export function toTimelineEntry(r: TimelineRow, reads: TimelineReads): LeadTimelineEntry {
  const base = {
    id: r.id,
    at: dateOf(r.at),
    conversationId: null,
    messageId: null,
    callId: null,
    bookingId: null,
    campaignId: null,
  };
  switch (r.source) {
    case "message": {
      const inbound = r.direction === "INBOUND";
      const text = reads.messages && r.body ? r.body.replace(/\s+/g, " ").trim() : null;
      const ids = { ...base, conversationId: r.conversation_id, messageId: r.id };
      if (r.campaign_id) {
        const name = reads.campaigns && r.campaign_name ? `Campaign “${r.campaign_name}”` : "Campaign message";
        return {
          ...ids,
          kind: LeadTimelineKind.CAMPAIGN_SEND,
          campaignId: r.campaign_id,
          summary: `${name} ${words(r.status ?? "queued")}`,
        };
      }
      if (inbound) return { ...ids, kind: LeadTimelineKind.MESSAGE_IN, summary: text ?? "Message received" };
      return { ...ids, kind: LeadTimelineKind.MESSAGE_OUT, summary: text ?? `Message ${words(r.status ?? "queued")}` };
    }
    case "call":
      return {
        ...base,
        kind: LeadTimelineKind.CALL,
        callId: r.id,
        summary: `Call ${words(r.status ?? "queued")}${r.detail ? ` (${words(r.detail)})` : ""}`,
      };
    case "booking":
      return {
        ...base,
        kind: LeadTimelineKind.BOOKING,
        bookingId: r.id,
        summary: `Booking ${words(r.status ?? "pending")}${r.starts_at ? ` for ${dateOf(r.starts_at).toISOString()}` : ""}`,
      };
    case "status": {
      const data = (r.data ?? {}) as { from?: unknown; to?: unknown; automatic?: unknown };
      const from = typeof data.from === "string" ? data.from : "NEW";
      const to = typeof data.to === "string" ? data.to : "NEW";
      return {
        ...base,
        kind: LeadTimelineKind.STATUS_CHANGE,
        summary: `Status ${from} → ${to}${data.automatic === true ? " (automatic)" : ""}`,
      };
    }
  }
}

export function createLeadsTimelineService({ db }: { db: Db }) {
  return {
    /** The lead's timeline, newest first; `first` 1–100 (default 50). Another workspace's lead, or no lead: NOT_FOUND. */
    async timeline(access: WorkspaceAccess, leadId: string, first: number | null): Promise<LeadTimelineEntry[]> {
      const take = first == null ? TIMELINE_DEFAULT : pageSize(first);
      if (!UUID_RE.test(leadId)) throw notFound("Lead");
      const statements = [
        repo.leadStatement(access.workspaceId, leadId),
        repo.timelineStatement(access.workspaceId, leadId, take),
      ];
      const rows: ReadRows[] = await readInWorkspace(db, access, statements);
      const lead = rows[0]?.[0];
      if (!lead) throw notFound("Lead");
      authorizeRow(access.ability, "read", "Lead", lead);
      const reads: TimelineReads = {
        messages: access.ability.can("read", "Message"),
        campaigns: access.ability.can("read", "Campaign"),
      };
      return (rows[1] as unknown as TimelineRow[]).map((r) => toTimelineEntry(r, reads));
    },
  };
}

export type LeadsTimelineService = ReturnType<typeof createLeadsTimelineService>;
