import { describe, expect, it } from "@atrium/test-kit";

import {
  appendReviewPage,
  applyReviewEvent,
  conflictMessage,
  formatAge,
  isWaitingLong,
  itemActions,
  matchesFilter,
  reviewFilterFrom,
  reviewFilterParams,
  reviewVariables,
  type ReviewConnection,
  type ReviewFilter,
  type ReviewItem,
} from "./review-queue.ts";

const item = (id: string, createdAt: string, changes: Partial<ReviewItem> = {}): ReviewItem => ({
  __typename: "ReviewItem",
  id,
  reason: "SAFETY_FLAG",
  status: "OPEN",
  summary: `item ${id}`,
  excerpt: null,
  messageId: null,
  conversation: null,
  rule: null,
  claimedBy: null,
  claimedAt: null,
  resolvedBy: null,
  resolvedAt: null,
  outcome: null,
  note: null,
  createdAt,
  ...changes,
});

const connection = (
  items: ReviewItem[],
  hasNextPage: boolean,
  totalCount = items.length,
  totalCountExact = true,
): ReviewConnection => ({
  __typename: "ReviewItemConnection",
  totalCount,
  totalCountExact,
  pageInfo: { __typename: "PageInfo", hasNextPage, endCursor: items.at(-1)?.id ?? null },
  edges: items.map((node) => ({ __typename: "ReviewItemEdge", node })),
});

const ids = (list: ReviewConnection) => list.edges.map(({ node }) => node.id);
const ACTIVE: ReviewFilter = { status: "active", reason: null };

describe("review queue filters", () => {
  it("defaults to what still needs someone (open and claimed), any reason", () => {
    expect(reviewFilterFrom(new URLSearchParams(""))).toEqual(ACTIVE);
    expect(reviewVariables("w1", ACTIVE)).toEqual({
      workspaceId: "w1",
      first: 20,
      status: ["OPEN", "CLAIMED"],
      reason: null,
    });
  });

  it("reads a status and a reason from the address, and ignores unknown values", () => {
    expect(reviewFilterFrom(new URLSearchParams("status=resolved&reason=SEND_FAILED"))).toEqual({
      status: "resolved",
      reason: "SEND_FAILED",
    });
    expect(reviewFilterFrom(new URLSearchParams("status=DONE&reason=nope"))).toEqual(ACTIVE);
  });

  it("asks for every status when the filter is Everything", () => {
    expect(reviewVariables("w1", { status: "all", reason: "CALL_FLAGGED" })).toEqual({
      workspaceId: "w1",
      first: 20,
      status: null,
      reason: "CALL_FLAGGED",
    });
    expect(reviewVariables("w1", { status: "claimed", reason: null }).status).toEqual(["CLAIMED"]);
  });

  it("leaves the default out of the address, so the plain page is the usual view", () => {
    expect(reviewFilterParams(ACTIVE)).toEqual({});
    expect(reviewFilterParams({ status: "open", reason: "SAFETY_FLAG" })).toEqual({
      status: "open",
      reason: "SAFETY_FLAG",
    });
    expect(
      reviewFilterFrom(new URLSearchParams(reviewFilterParams({ status: "open", reason: "SAFETY_FLAG" }))),
    ).toEqual({ status: "open", reason: "SAFETY_FLAG" });
  });

  it("matches an item by status and reason", () => {
    expect(matchesFilter({ status: "CLAIMED", reason: "SEND_FAILED" }, ACTIVE)).toBe(true);
    expect(matchesFilter({ status: "RESOLVED", reason: "SEND_FAILED" }, ACTIVE)).toBe(false);
    expect(matchesFilter({ status: "OPEN", reason: "SEND_FAILED" }, { status: "open", reason: "SAFETY_FLAG" })).toBe(
      false,
    );
    expect(matchesFilter({ status: "RESOLVED", reason: "CALL_FLAGGED" }, { status: "all", reason: null })).toBe(true);
  });
});

describe("live changes to the list on screen", () => {
  const a = item("a", "2026-11-27T10:00:00.000Z");
  const b = item("b", "2026-11-27T09:00:00.000Z");
  const c = item("c", "2026-11-27T08:00:00.000Z");

  it("puts a newly filed item on top and counts it", () => {
    const list = connection([b, c], false);
    const next = applyReviewEvent(list, a, ACTIVE);
    expect(ids(next)).toEqual(["a", "b", "c"]);
    expect(next.totalCount).toBe(3);
  });

  it("takes out an item that no longer matches the filter (resolved, under All open)", () => {
    const next = applyReviewEvent(connection([a, b, c], false), { ...b, status: "RESOLVED" }, ACTIVE);
    expect(ids(next)).toEqual(["a", "c"]);
    expect(next.totalCount).toBe(2);
  });

  it("leaves the list as it is when a listed item changes and still matches (claimed, under All open)", () => {
    const list = connection([a, b], false);
    expect(applyReviewEvent(list, { ...b, status: "CLAIMED" }, ACTIVE)).toBe(list);
  });

  it("puts an item released back into Open where it belongs by age", () => {
    const list = connection([a, c], false);
    const next = applyReviewEvent(list, b, { status: "open", reason: null });
    expect(ids(next)).toEqual(["a", "b", "c"]);
  });

  it("orders items filed at the same instant by id, as the API's cursor does", () => {
    const same = "2026-11-27T09:00:00.000Z";
    const next = applyReviewEvent(connection([item("z", same), item("m", same)], false), item("q", same), ACTIVE);
    expect(ids(next)).toEqual(["z", "q", "m"]);
  });

  it("does not add an item older than the last one loaded while more pages remain (the next page brings it)", () => {
    const list = connection([a, b], true, 5);
    expect(applyReviewEvent(list, c, ACTIVE)).toBe(list);
  });

  it("adds an older item at the end when everything is loaded", () => {
    expect(ids(applyReviewEvent(connection([a, b], false), c, ACTIVE))).toEqual(["a", "b", "c"]);
  });

  it("ignores an item of another reason than the filter's", () => {
    const list = connection([b], false);
    expect(applyReviewEvent(list, { ...a, reason: "SEND_FAILED" }, { status: "active", reason: "SAFETY_FLAG" })).toBe(
      list,
    );
  });

  it("is harmless twice: the event and the action's own answer", () => {
    const once = applyReviewEvent(connection([b], false), a, ACTIVE);
    expect(applyReviewEvent(once, a, ACTIVE)).toBe(once);
    const removed = applyReviewEvent(once, { ...a, status: "RESOLVED" }, ACTIVE);
    expect(applyReviewEvent(removed, { ...a, status: "RESOLVED" }, ACTIVE)).toBe(removed);
    expect(removed.totalCount).toBe(1);
  });

  it("keeps a total past the API's cap capped (1,001, not exact), and caps an exact one that passes it", () => {
    const capped = connection([b, c], true, 1001, false);
    const added = applyReviewEvent(capped, a, ACTIVE);
    expect([added.totalCount, added.totalCountExact]).toEqual([1001, false]);
    const removed = applyReviewEvent(capped, { ...b, status: "RESOLVED" }, ACTIVE);
    expect([removed.totalCount, removed.totalCountExact]).toEqual([1001, false]);
    const full = applyReviewEvent(connection([b, c], true, 1000), a, ACTIVE);
    expect([full.totalCount, full.totalCountExact]).toEqual([1001, false]);
    const below = applyReviewEvent(connection([a, b, c], true, 1000), { ...b, status: "RESOLVED" }, ACTIVE);
    expect([below.totalCount, below.totalCountExact]).toEqual([999, true]);
  });

  it("appends the next page without repeating an item already shown", () => {
    const next = appendReviewPage(connection([a, b], true, 3), connection([b, c], false, 3));
    expect(ids(next)).toEqual(["a", "b", "c"]);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });
});

describe("how old an item reads", () => {
  const now = Date.parse("2026-11-27T12:00:00.000Z");
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it("says just now, minutes, hours and days", () => {
    expect(formatAge(ago(20_000), now)).toBe("just now");
    expect(formatAge(ago(12 * 60_000), now)).toBe("12 min ago");
    expect(formatAge(ago(59 * 60_000 + 59_000), now)).toBe("59 min ago");
    expect(formatAge(ago(3 * 3_600_000 + 5 * 60_000), now)).toBe("3 h ago");
    expect(formatAge(ago(26 * 3_600_000), now)).toBe("1 day ago");
    expect(formatAge(ago(9 * 86_400_000), now)).toBe("9 days ago");
  });

  it("reads a time slightly in the future (a clock ahead) as just now", () => {
    expect(formatAge(ago(-5_000), now)).toBe("just now");
  });

  it("marks items still waiting after an hour, but not resolved ones", () => {
    expect(isWaitingLong({ status: "OPEN", createdAt: ago(61 * 60_000) }, now)).toBe(true);
    expect(isWaitingLong({ status: "CLAIMED", createdAt: ago(61 * 60_000) }, now)).toBe(true);
    expect(isWaitingLong({ status: "OPEN", createdAt: ago(59 * 60_000) }, now)).toBe(false);
    expect(isWaitingLong({ status: "RESOLVED", createdAt: ago(5 * 3_600_000) }, now)).toBe(false);
  });
});

describe("what an item offers whom", () => {
  const operator = { userId: "u1", isAdmin: false, canClaim: true };
  const admin = { userId: "u9", isAdmin: true, canClaim: true };
  const viewer = { userId: "u2", isAdmin: false, canClaim: false };
  const mine = { status: "CLAIMED" as const, claimedBy: { __typename: "MemberUser" as const, id: "u1", name: "Ana" } };
  const theirs = {
    status: "CLAIMED" as const,
    claimedBy: { __typename: "MemberUser" as const, id: "u3", name: "Ben" },
  };

  it("lets an operator claim or resolve an open item", () => {
    expect(itemActions({ status: "OPEN", claimedBy: null }, operator)).toEqual({
      claim: true,
      release: false,
      resolve: true,
      heldBy: null,
    });
  });

  it("lets the holder resolve or release their item", () => {
    expect(itemActions(mine, operator)).toEqual({ claim: false, release: true, resolve: true, heldBy: null });
  });

  it("shows an operator who holds someone else's item, with nothing to do", () => {
    expect(itemActions(theirs, operator)).toEqual({ claim: false, release: false, resolve: false, heldBy: "Ben" });
  });

  it("lets an admin release someone else's item, not resolve it", () => {
    expect(itemActions(theirs, admin)).toEqual({ claim: false, release: true, resolve: false, heldBy: "Ben" });
  });

  it("offers nothing without review.claim, and nothing on a resolved item", () => {
    expect(itemActions({ status: "OPEN", claimedBy: null }, viewer)).toEqual({
      claim: false,
      release: false,
      resolve: false,
      heldBy: null,
    });
    expect(itemActions({ status: "RESOLVED", claimedBy: mine.claimedBy }, operator)).toEqual({
      claim: false,
      release: false,
      resolve: false,
      heldBy: null,
    });
  });

  it("explains a lost race in words", () => {
    expect(conflictMessage("claim", "claimed")).toBe("Someone else claimed it first. The list is up to date.");
    expect(conflictMessage("resolve", "resolved")).toBe("Someone resolved it already. The list is up to date.");
    expect(conflictMessage("release", "not claimed by you")).toMatch(/no longer hold/);
  });
});
