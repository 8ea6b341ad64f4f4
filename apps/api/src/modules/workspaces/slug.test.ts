import { describe, expect, it } from "@atrium/test-kit";

import { deriveSlug, slugCandidate, slugProblem } from "./slug.ts";

describe("slugs", () => {
  it.each([
    ["Acme WhatsApp", "acme-whatsapp"],
    ["  Crème   Brûlée -- Co.  ", "creme-brulee-co"],
    ["Ünïcödé_and___underscores", "unicode-and-underscores"],
    ["AB", "ab-ws"],
    ["!!!", "workspace-ws"],
    ["admin", "admin-ws"],
    ["x".repeat(80), "x".repeat(48)],
  ])("derives %j as %j, always valid", (name, slug) => {
    expect(deriveSlug(name)).toBe(slug);
    expect(slugProblem(deriveSlug(name))).toBeNull();
  });

  it.each(["ab", "a".repeat(49), "Acme", "acme--co", "-acme", "acme-", "acme_co", "acme co", "forms", "graphql"])(
    "refuses %j",
    (slug) => {
      expect(slugProblem(slug)).not.toBeNull();
    },
  );

  it("numbers collisions without exceeding 48 characters", () => {
    expect(slugCandidate("acme", 1)).toBe("acme");
    expect(slugCandidate("acme", 2)).toBe("acme-2");
    const long = slugCandidate("a".repeat(48), 12);
    expect(long).toHaveLength(48);
    expect(long.endsWith("-12")).toBe(true);
  });
});
