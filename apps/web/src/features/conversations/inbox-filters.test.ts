import { describe, expect, it } from "@atrium/test-kit";

import {
  DEFAULT_FILTERS,
  emptyInboxText,
  filtersFromParams,
  filtersToSearch,
  inboxFilterVariables,
  isFiltered,
  searchState,
} from "./inbox-filters.ts";

const params = (query: string) => new URLSearchParams(query);

describe("inbox filters", () => {
  it("opens on every open conversation, whoever has it, with no filter in the URL", () => {
    expect(filtersFromParams(params(""))).toEqual(DEFAULT_FILTERS);
    expect(filtersToSearch(DEFAULT_FILTERS)).toBe("");
    expect(inboxFilterVariables(DEFAULT_FILTERS)).toEqual({ status: "OPEN" });
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
  });

  it('maps the tabs, status, review toggle and search to the query\'s filter, leaving "All" out', () => {
    expect(inboxFilterVariables({ assignee: "ME", status: "ALL", needsReview: true, search: " ana " })).toEqual({
      assignee: "ME",
      needsReview: true,
      search: "ana",
    });
    expect(inboxFilterVariables({ assignee: "UNASSIGNED", status: "CLOSED", needsReview: false, search: "" })).toEqual({
      assignee: "UNASSIGNED",
      status: "CLOSED",
    });
    // Off means "any", not "only those without a review" (needsReview: false).
    expect(inboxFilterVariables({ ...DEFAULT_FILTERS, needsReview: false })).not.toHaveProperty("needsReview");
  });

  it("does not send a search shorter than three characters (the API refuses it) and says why", () => {
    expect(searchState("")).toEqual({ kind: "none" });
    expect(searchState("  ")).toEqual({ kind: "none" });
    expect(searchState("an")).toEqual({ kind: "short", message: "Type at least 3 characters to search." });
    expect(searchState(" ana ")).toEqual({ kind: "ready", term: "ana" });
    expect(inboxFilterVariables({ ...DEFAULT_FILTERS, search: "an" })).toEqual({ status: "OPEN" });
  });

  it("round-trips through the URL, so links and the back button keep the filters", () => {
    const filters = { assignee: "UNASSIGNED", status: "ALL", needsReview: true, search: "thursday" } as const;
    const search = filtersToSearch(filters);
    expect(search).toBe("?view=unassigned&status=all&review=1&q=thursday");
    expect(filtersFromParams(params(search.slice(1)))).toEqual(filters);
    expect(filtersToSearch({ ...DEFAULT_FILTERS, assignee: "ME" })).toBe("?view=mine");
  });

  it("falls back to the defaults for values it does not know", () => {
    expect(filtersFromParams(params("view=everyone&status=snoozed&review=yes"))).toEqual(DEFAULT_FILTERS);
    expect(filtersFromParams(params(`q=${"x".repeat(150)}`)).search).toHaveLength(100);
  });

  it("says why a filtered list is empty", () => {
    expect(emptyInboxText({ ...DEFAULT_FILTERS, search: "zed" })).toBe("No conversations match “zed”.");
    expect(emptyInboxText({ ...DEFAULT_FILTERS, needsReview: true })).toBe("No conversations need review.");
    expect(emptyInboxText({ ...DEFAULT_FILTERS, assignee: "ME" })).toBe("Nothing is assigned to you right now.");
    expect(emptyInboxText({ ...DEFAULT_FILTERS, assignee: "UNASSIGNED" })).toBe(
      "Every conversation has someone on it.",
    );
    expect(emptyInboxText(DEFAULT_FILTERS)).toBe("No open conversations: everything is closed.");
  });
});
