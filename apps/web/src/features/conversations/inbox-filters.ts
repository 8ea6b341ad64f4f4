/**
 * The inbox's filters (issue 47): what the URL says (`?view=mine&status=closed&review=1&q=ana`,
 * so a link, the back button and the console's "← Inbox" keep them) and the `inbox` query's
 * `filter` argument they become. Defaults are left out of both, so the usual inbox has one
 * address and one cache entry.
 */
import i18next from "i18next";

import { type AssigneeFilter, type ConversationFilter, type ConversationStatus } from "../../gql/graphql.ts";

/** The API refuses shorter searches (BAD_USER_INPUT): a trigram needs three characters. */
export const SEARCH_MIN = 3;
export const SEARCH_MAX = 100;

export type StatusChoice = ConversationStatus | "ALL";

export interface InboxFilters {
  readonly assignee: AssigneeFilter;
  readonly status: StatusChoice;
  readonly needsReview: boolean;
  /** As typed; searched only from SEARCH_MIN characters (`searchTerm`). */
  readonly search: string;
}

export const DEFAULT_FILTERS: InboxFilters = { assignee: "ANY", status: "OPEN", needsReview: false, search: "" };

/** The tabs over the list, in order; their words are `filters.assignee.<value>` (namespace "conversations"). */
export const ASSIGNEE_TABS: readonly AssigneeFilter[] = ["ME", "UNASSIGNED", "ANY"];

/** The status choices, in order; their words are `filters.status.<value>`. */
export const STATUS_CHOICES: readonly StatusChoice[] = ["OPEN", "CLOSED", "ALL"];

const VIEW_PARAM: Readonly<Record<string, AssigneeFilter>> = { mine: "ME", unassigned: "UNASSIGNED", all: "ANY" };
const STATUS_PARAM: Readonly<Record<string, StatusChoice>> = { open: "OPEN", closed: "CLOSED", all: "ALL" };

/** The filters a URL's query string names; anything unknown falls back to the default. */
export function filtersFromParams(params: URLSearchParams): InboxFilters {
  return {
    assignee: VIEW_PARAM[params.get("view") ?? ""] ?? DEFAULT_FILTERS.assignee,
    status: STATUS_PARAM[params.get("status") ?? ""] ?? DEFAULT_FILTERS.status,
    needsReview: params.get("review") === "1",
    search: (params.get("q") ?? "").slice(0, SEARCH_MAX),
  };
}

/** The query string for `filters` (defaults left out; "" when every filter is the default). */
export function filtersToSearch(filters: InboxFilters): string {
  const params = new URLSearchParams();
  if (filters.assignee !== DEFAULT_FILTERS.assignee)
    params.set("view", filters.assignee === "ME" ? "mine" : filters.assignee === "UNASSIGNED" ? "unassigned" : "all");
  if (filters.status !== DEFAULT_FILTERS.status) params.set("status", filters.status.toLowerCase());
  if (filters.needsReview) params.set("review", "1");
  if (filters.search.trim() !== "") params.set("q", filters.search.trim());
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

export type SearchState =
  | { readonly kind: "none" }
  /** 1–2 characters: not sent (the API would refuse it); the hint says why. */
  | { readonly kind: "short"; readonly message: string }
  | { readonly kind: "ready"; readonly term: string };

export function searchState(text: string): SearchState {
  const term = text.trim();
  if (term === "") return { kind: "none" };
  if (term.length < SEARCH_MIN)
    return { kind: "short", message: i18next.t("filters.searchTooShort", { ns: "conversations", min: SEARCH_MIN }) };
  return { kind: "ready", term };
}

/** The `inbox` query's `filter`: only what narrows the list (an "All" choice is no filter). */
export function inboxFilterVariables(filters: InboxFilters): ConversationFilter {
  const filter: ConversationFilter = {};
  if (filters.assignee !== "ANY") filter.assignee = filters.assignee;
  if (filters.status !== "ALL") filter.status = filters.status;
  // false would mean "only those without a review": the toggle off means "any".
  if (filters.needsReview) filter.needsReview = true;
  const search = searchState(filters.search);
  if (search.kind === "ready") filter.search = search.term;
  return filter;
}

/** Whether "Clear filters" changes anything. */
export function isFiltered(filters: InboxFilters): boolean {
  return filtersToSearch(filters) !== "";
}

/** What an empty list says, for the filters that emptied it. */
export function emptyInboxText(filters: InboxFilters): string {
  const ns = "conversations";
  const search = searchState(filters.search);
  if (search.kind === "ready") return i18next.t("empty.search", { ns, term: search.term });
  if (filters.needsReview) return i18next.t("empty.needsReview", { ns });
  if (filters.assignee === "ME")
    return filters.status === "CLOSED" ? i18next.t("empty.mineClosed", { ns }) : i18next.t("empty.mine", { ns });
  if (filters.assignee === "UNASSIGNED") return i18next.t("empty.unassigned", { ns });
  if (filters.status === "CLOSED") return i18next.t("empty.closed", { ns });
  if (filters.status === "OPEN") return i18next.t("empty.open", { ns });
  return i18next.t("empty.filtered", { ns });
}
