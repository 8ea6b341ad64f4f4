/**
 * The lead statuses (SPEC R1), in the order a lead moves through them. Their display names, and
 * the sources', are the leads namespace's `status.<value>` and `source.<value>`.
 */
import { type LeadStatus } from "../../gql/graphql.ts";

export const LEAD_STATUSES = [
  "NEW",
  "CONTACTED",
  "ENGAGED",
  "QUALIFIED",
  "BOOKED",
  "LOST",
] as const satisfies readonly LeadStatus[];

export function isLeadStatus(value: string): value is LeadStatus {
  return (LEAD_STATUSES as readonly string[]).includes(value);
}

/** The `?status=` filter of the leads page: a known status, or every status. */
export function statusFilterFrom(value: string | null): LeadStatus | undefined {
  return value !== null && isLeadStatus(value) ? value : undefined;
}
