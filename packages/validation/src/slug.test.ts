import { describe, expect, it } from "@atrium/test-kit";

import { problemOf } from "./problems.ts";
import {
  deriveSlug,
  optionalWorkspaceSlug,
  RESERVED_SLUGS,
  SLUG_MAX,
  SLUG_MESSAGES,
  slugCandidate,
  slugFromName,
  workspaceSlug,
} from "./slug.ts";

describe("workspaceSlug", () => {
  it.each(["abc", "a".repeat(48), "acme-sales", "team-42-eu", "a1b"])("accepts %j", (slug) => {
    expect(problemOf(workspaceSlug, slug)).toBeUndefined();
  });

  it.each([
    ["ab", SLUG_MESSAGES.length],
    ["", SLUG_MESSAGES.length],
    ["a".repeat(49), SLUG_MESSAGES.length],
    ["Acme", SLUG_MESSAGES.format],
    ["Bad Slug", SLUG_MESSAGES.format],
    ["acme--sales", SLUG_MESSAGES.format],
    ["-acme", SLUG_MESSAGES.format],
    ["acme-", SLUG_MESSAGES.format],
    ["acme_sales", SLUG_MESSAGES.format],
    ["admin", '"admin" is reserved.'],
    ["verify-email", '"verify-email" is reserved.'],
  ])("refuses %j: %s", (slug, message) => {
    expect(problemOf(workspaceSlug, slug)).toBe(message);
  });

  it("reserves every route-like word", () => {
    for (const word of RESERVED_SLUGS) expect(problemOf(workspaceSlug, word), word).toBe(SLUG_MESSAGES.reserved(word));
  });

  it("optional: empty means derive from the name", () => {
    expect(problemOf(optionalWorkspaceSlug, "")).toBeUndefined();
    expect(problemOf(optionalWorkspaceSlug, "ab")).toBe(SLUG_MESSAGES.length);
    expect(problemOf(optionalWorkspaceSlug, "api")).toBe('"api" is reserved.');
  });
});

describe("slugFromName", () => {
  it.each([
    ["Acme Sales Team", "acme-sales-team"],
    ["Acme -- Sales!!  & Support", "acme-sales-support"],
    ["  ***Acme***  ", "acme"],
    ["Café Zürich", "cafe-zurich"],
    ["Acme 東京 Team", "acme-team"],
    ["Team 42 (EU)", "team-42-eu"],
    ["!!! ???", ""],
  ])("%j → %j", (name, slug) => expect(slugFromName(name)).toBe(slug));

  it("cuts at 48 characters between words, without leaving a trailing hyphen", () => {
    expect(slugFromName(`${"a".repeat(47)} bcd`)).toBe("a".repeat(47));
    // Seen in a screenshot: the 53-character slug of this name used to end "…-operations-e".
    expect(slugFromName("Northwind Regional Customer Success Operations Europe")).toBe(
      "northwind-regional-customer-success-operations",
    );
    expect(slugFromName("Northwind Regional Customer Success Operations X")).toBe(
      "northwind-regional-customer-success-operations-x",
    );
    // One word longer than the limit, or a last word that is most of it: cut hard.
    expect(slugFromName("x".repeat(100))).toHaveLength(SLUG_MAX);
    expect(slugFromName(`ab ${"y".repeat(60)}`)).toBe(`ab-${"y".repeat(45)}`);
  });
});

describe("deriveSlug and slugCandidate", () => {
  it("pads names that give a short, empty or reserved slug", () => {
    expect(deriveSlug("Acme")).toBe("acme");
    expect(deriveSlug("Al")).toBe("al-ws");
    expect(deriveSlug("Admin")).toBe("admin-ws");
    expect(deriveSlug("!!!")).toBe("workspace-ws");
    for (const name of ["Al", "Admin", "!!!", "x"])
      expect(problemOf(workspaceSlug, deriveSlug(name)), name).toBeUndefined();
  });

  it("numbers candidates and keeps them within 48 characters", () => {
    expect(slugCandidate("acme", 1)).toBe("acme");
    expect(slugCandidate("acme", 2)).toBe("acme-2");
    const long = slugCandidate("a".repeat(48), 12);
    expect(long).toBe(`${"a".repeat(45)}-12`);
    expect(problemOf(workspaceSlug, long)).toBeUndefined();
    // A suffix never leaves a word cut in two either.
    expect(slugCandidate("northwind-regional-customer-success-operations", 2)).toBe(
      "northwind-regional-customer-success-operations-2",
    );
    expect(slugCandidate("northwind-regional-customer-success-operations", 12)).toBe(
      "northwind-regional-customer-success-12",
    );
  });
});
