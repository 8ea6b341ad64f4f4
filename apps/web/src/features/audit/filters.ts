/**
 * The audit log's filters (SPEC S3) and the `auditEvents` arguments they become. Actions are
 * filtered exactly or by a prefix ending in "." (e.g. "member."), as the API takes them;
 * dates are whole days in the browser's time zone. Each prefix's name is the audit namespace's
 * `filters.prefixes.<key>`.
 */
import i18n from "i18next";

export const ACTION_PREFIXES = [
  { value: "workspace.", key: "workspace" },
  { value: "agent.", key: "agent" },
  { value: "retention.", key: "retention" },
  { value: "member.", key: "member" },
  { value: "invitation.", key: "invitation" },
  { value: "api_key.", key: "api_key" },
  { value: "lead.", key: "lead" },
  { value: "conversation.", key: "conversation" },
  { value: "message.", key: "message" },
] as const;

export interface AuditFilters {
  /** A prefix from ACTION_PREFIXES, "" for all, or "custom" to use `customAction`. */
  readonly action: string;
  readonly customAction: string;
  readonly actorUserId: string;
  /** `YYYY-MM-DD` from a date input, or "". */
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: AuditFilters = { action: "", customAction: "", actorUserId: "", from: "", to: "" };

export interface AuditFilterVariables {
  action?: string;
  actorUserId?: string;
  since?: string;
  until?: string;
}

/** Local midnight of a `YYYY-MM-DD` date, `days` later; undefined for anything else. */
function localMidnight(date: string, days = 0): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return undefined;
  const value = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days);
  return Number.isNaN(value.getTime()) ? undefined : value;
}

/** The query arguments for the filters; empty filters are left out. `to` includes its whole day. */
export function auditFilterVariables(filters: AuditFilters): AuditFilterVariables {
  const variables: AuditFilterVariables = {};
  const action = (filters.action === "custom" ? filters.customAction : filters.action).trim();
  if (action !== "") variables.action = action;
  if (filters.actorUserId !== "") variables.actorUserId = filters.actorUserId;
  const since = localMidnight(filters.from);
  if (since !== undefined) variables.since = since.toISOString();
  const until = localMidnight(filters.to, 1);
  if (until !== undefined) variables.until = until.toISOString();
  return variables;
}

/** A date range that ends before it starts finds nothing: say so instead of asking. */
export function dateRangeProblem(filters: AuditFilters): string | undefined {
  if (filters.from === "" || filters.to === "") return undefined;
  return filters.from > filters.to ? i18n.t("filters.rangeProblem", { ns: "audit" }) : undefined;
}

export function hasFilters(filters: AuditFilters): boolean {
  return Object.keys(auditFilterVariables(filters)).length > 0;
}
