/**
 * The review queue's logic, apart from React: the filters and the variables they make, how a
 * live event (or an action's answer) changes the list on screen, how old an item reads, and
 * which actions an item offers whom. The list is always a prefix of the API's order (newest
 * first, then id), so an event can be placed in it exactly without reading the list again.
 */
import i18next from "i18next";

import {
  type ReviewItemFieldsFragment,
  type ReviewItemsQuery,
  type ReviewReason,
  type ReviewStatus,
} from "../../gql/graphql.ts";
import { TOTAL_COUNT_CAP } from "../../platform/format.ts";

export type ReviewItem = ReviewItemFieldsFragment;
export type ReviewConnection = ReviewItemsQuery["reviewItems"];

export const REVIEW_PAGE_SIZE = 20;

/** The reasons, in the filter's order; their words are `reasons.<REASON>` (and statuses `statuses.<STATUS>`) in the "review" namespace. */
export const REVIEW_REASONS: readonly ReviewReason[] = ["SAFETY_FLAG", "SEND_FAILED", "CALL_FLAGGED"];

/** The status filter: "active" (open or claimed, the default) is what still needs someone. */
export type StatusFilter = "active" | "open" | "claimed" | "resolved" | "all";
/** The status filter's choices, in order; their words are `statusFilters.<value>` in the "review" namespace. */
export const STATUS_FILTERS: readonly StatusFilter[] = ["active", "open", "claimed", "resolved", "all"];
const STATUSES_OF: Record<StatusFilter, readonly ReviewStatus[] | null> = {
  active: ["OPEN", "CLAIMED"],
  open: ["OPEN"],
  claimed: ["CLAIMED"],
  resolved: ["RESOLVED"],
  all: null,
};

export interface ReviewFilter {
  readonly status: StatusFilter;
  readonly reason: ReviewReason | null;
}

const isStatusFilter = (value: string | null): value is StatusFilter => STATUS_FILTERS.some((f) => f === value);
const isReason = (value: string | null): value is ReviewReason => REVIEW_REASONS.some((r) => r === value);

/** The filter in the page's address (`?status=resolved&reason=SEND_FAILED`); anything unknown is the default. */
export function reviewFilterFrom(params: URLSearchParams): ReviewFilter {
  const status = params.get("status");
  const reason = params.get("reason");
  return { status: isStatusFilter(status) ? status : "active", reason: isReason(reason) ? reason : null };
}

/** The address's query for a filter: the default leaves it out, so a plain /review is the usual view. */
export function reviewFilterParams(filter: ReviewFilter): Record<string, string> {
  return {
    ...(filter.status !== "active" ? { status: filter.status } : {}),
    ...(filter.reason !== null ? { reason: filter.reason } : {}),
  };
}

export function reviewVariables(
  workspaceId: string,
  filter: ReviewFilter,
): { workspaceId: string; first: number; status: ReviewStatus[] | null; reason: ReviewReason | null } {
  const statuses = STATUSES_OF[filter.status];
  return {
    workspaceId,
    first: REVIEW_PAGE_SIZE,
    status: statuses === null ? null : [...statuses],
    reason: filter.reason,
  };
}

export function matchesFilter(item: Pick<ReviewItem, "status" | "reason">, filter: ReviewFilter): boolean {
  const statuses = STATUSES_OF[filter.status];
  return (
    (statuses === null || statuses.includes(item.status)) && (filter.reason === null || item.reason === filter.reason)
  );
}

/** The API's order: newest first, then the greater id first (its keyset cursor). */
function comesBefore(a: Pick<ReviewItem, "createdAt" | "id">, b: Pick<ReviewItem, "createdAt" | "id">): boolean {
  const at = Date.parse(a.createdAt);
  const bt = Date.parse(b.createdAt);
  return at !== bt ? at > bt : a.id > b.id;
}

/**
 * The list after `item` changed (a live event, or the answer to one's own action): left as it is
 * when the item is listed and still matches (the cache holds items by id, so it shows the change
 * already); taken out when it no longer matches the filter; put in its place when it now matches
 * and falls inside what is loaded (past the last loaded item, the next page brings it). Returns
 * `list` itself when nothing changes, so applying an event twice is harmless.
 */
/**
 * The total after one item came or went: an exact count moves (past the API's cap it becomes
 * "more than 1,000", as the API would answer); a capped one stays capped, its true size unknown.
 */
function countedWith(list: ReviewConnection, delta: number): Pick<ReviewConnection, "totalCount" | "totalCountExact"> {
  if (!list.totalCountExact) return { totalCount: list.totalCount, totalCountExact: false };
  const totalCount = Math.max(0, list.totalCount + delta);
  return totalCount > TOTAL_COUNT_CAP
    ? { totalCount: TOTAL_COUNT_CAP + 1, totalCountExact: false }
    : { totalCount, totalCountExact: true };
}

export function applyReviewEvent(list: ReviewConnection, item: ReviewItem, filter: ReviewFilter): ReviewConnection {
  const index = list.edges.findIndex(({ node }) => node.id === item.id);
  const matches = matchesFilter(item, filter);
  if (index !== -1) {
    if (matches) return list;
    return { ...list, ...countedWith(list, -1), edges: list.edges.filter((_, i) => i !== index) };
  }
  if (!matches) return list;
  const at = list.edges.findIndex(({ node }) => comesBefore(item, node));
  if (at === -1 && list.pageInfo.hasNextPage) return list;
  const edge = { __typename: "ReviewItemEdge" as const, node: item };
  const edges = at === -1 ? [...list.edges, edge] : [...list.edges.slice(0, at), edge, ...list.edges.slice(at)];
  return { ...list, ...countedWith(list, 1), edges };
}

/** "Load more": the next page after what is shown (an item already shown, moved by a live event, is not repeated). */
export function appendReviewPage(list: ReviewConnection, next: ReviewConnection): ReviewConnection {
  const shown = new Set(list.edges.map(({ node }) => node.id));
  return { ...next, edges: [...list.edges, ...next.edges.filter(({ node }) => !shown.has(node.id))] };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** An item still waiting after this long is shown as overdue. */
export const WAITING_LONG_MS = HOUR;

/** "just now", "12 min ago", "3 h ago", "2 days ago" (in the page's language); a date in the future (a clock ahead) reads "just now". */
export function formatAge(iso: string, now: number): string {
  const elapsed = now - Date.parse(iso);
  if (Number.isNaN(elapsed)) return iso;
  if (elapsed < MINUTE) return i18next.t("age.justNow", { ns: "review" });
  if (elapsed < HOUR) return i18next.t("age.minutes", { ns: "review", count: Math.floor(elapsed / MINUTE) });
  if (elapsed < DAY) return i18next.t("age.hours", { ns: "review", count: Math.floor(elapsed / HOUR) });
  return i18next.t("age.days", { ns: "review", count: Math.floor(elapsed / DAY) });
}

/** Not resolved, and filed more than an hour ago. */
export function isWaitingLong(item: Pick<ReviewItem, "status" | "createdAt">, now: number): boolean {
  return item.status !== "RESOLVED" && now - Date.parse(item.createdAt) > WAITING_LONG_MS;
}

export interface Viewer {
  readonly userId: string;
  /** OWNER and ADMIN may release an item someone else holds (the API's rule). */
  readonly isAdmin: boolean;
  /** review.claim: claim, release, resolve. */
  readonly canClaim: boolean;
}

export interface ItemActions {
  readonly claim: boolean;
  readonly release: boolean;
  readonly resolve: boolean;
  /** Someone else holds it: their name, to say why the viewer cannot resolve it. */
  readonly heldBy: string | null;
}

/**
 * What the API would let the viewer do with the item: claim an open one; resolve an open one (it
 * claims in passing) or one they hold; release one they hold, or, as an admin, anyone's.
 */
export function itemActions(item: Pick<ReviewItem, "status" | "claimedBy">, viewer: Viewer): ItemActions {
  const mine = item.claimedBy?.id === viewer.userId;
  const heldBy =
    item.status === "CLAIMED" && !mine ? (item.claimedBy?.name ?? i18next.t("card.someone", { ns: "review" })) : null;
  if (!viewer.canClaim || item.status === "RESOLVED") return { claim: false, release: false, resolve: false, heldBy };
  return {
    claim: item.status === "OPEN",
    release: item.status === "CLAIMED" && (mine || viewer.isAdmin),
    resolve: item.status === "OPEN" || mine,
    heldBy,
  };
}

/**
 * What a CONFLICT answer to an action means, in the user's words. `why` is the API's
 * `extensions.fields.id`: "resolved" when someone resolved the item first; otherwise someone
 * else holds it (or, for a release, nobody does any more).
 */
export function conflictMessage(action: "claim" | "release" | "resolve", why: string | undefined): string {
  if (why === "resolved") return i18next.t("conflict.resolved", { ns: "review" });
  if (action === "release") return i18next.t("conflict.released", { ns: "review" });
  return i18next.t("conflict.claimed", { ns: "review" });
}
