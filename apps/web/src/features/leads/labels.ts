/** Display names of the lead enums (SPEC R1), in the order a lead moves through them. */
import { type LeadSource, type LeadStatus } from "../../gql/graphql.ts";

export const LEAD_STATUSES = ["NEW", "CONTACTED", "ENGAGED", "QUALIFIED", "BOOKED", "LOST"] as const satisfies readonly LeadStatus[];

export const LEAD_STATUS_LABELS: Record<LeadStatus, string> = {
  NEW: "New",
  CONTACTED: "Contacted",
  ENGAGED: "Engaged",
  QUALIFIED: "Qualified",
  BOOKED: "Booked",
  LOST: "Lost",
};

export const LEAD_SOURCE_LABELS: Record<LeadSource, string> = { FORM: "Public form", API: "API", MANUAL: "Manual", PHONE: "Phone call" };

export function isLeadStatus(value: string): value is LeadStatus {
  return (LEAD_STATUSES as readonly string[]).includes(value);
}

/** The `?status=` filter of the leads page: a known status, or every status. */
export function statusFilterFrom(value: string | null): LeadStatus | undefined {
  return value !== null && isLeadStatus(value) ? value : undefined;
}
