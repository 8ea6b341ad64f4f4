import { describe, expect, it } from "@atrium/test-kit";

import { ACTION_PREFIXES, auditFilterVariables, dateRangeProblem, hasFilters, NO_FILTERS } from "./filters.ts";

describe("audit log filters", () => {
  it("sends nothing without filters", () => {
    expect(auditFilterVariables(NO_FILTERS)).toEqual({});
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });

  it("offers only prefixes the API accepts (ending in a dot)", () => {
    expect(ACTION_PREFIXES.every(({ value }) => value.endsWith("."))).toBe(true);
  });

  it("sends a chosen prefix, or the typed action when custom", () => {
    expect(auditFilterVariables({ ...NO_FILTERS, action: "member." })).toEqual({ action: "member." });
    expect(auditFilterVariables({ ...NO_FILTERS, action: "custom", customAction: " workspace.updated " })).toEqual({
      action: "workspace.updated",
    });
    expect(auditFilterVariables({ ...NO_FILTERS, action: "custom", customAction: "  " })).toEqual({});
    // The typed text is ignored unless "custom" is chosen.
    expect(auditFilterVariables({ ...NO_FILTERS, action: "", customAction: "lead.created" })).toEqual({});
  });

  it("sends the actor", () => {
    expect(auditFilterVariables({ ...NO_FILTERS, actorUserId: "user-1" })).toEqual({ actorUserId: "user-1" });
  });

  it("turns dates into local midnights, the end date inclusive", () => {
    const variables = auditFilterVariables({ ...NO_FILTERS, from: "2025-03-01", to: "2025-03-31" });
    expect(variables.since).toBe(new Date(2025, 2, 1).toISOString());
    expect(variables.until).toBe(new Date(2025, 3, 1).toISOString());
    expect(auditFilterVariables({ ...NO_FILTERS, from: "not a date" })).toEqual({});
  });

  it("refuses a range that ends before it starts", () => {
    expect(dateRangeProblem({ ...NO_FILTERS, from: "2025-03-02", to: "2025-03-01" })).toBeDefined();
    expect(dateRangeProblem({ ...NO_FILTERS, from: "2025-03-01", to: "2025-03-01" })).toBeUndefined();
    expect(dateRangeProblem({ ...NO_FILTERS, from: "2025-03-01" })).toBeUndefined();
  });
});
