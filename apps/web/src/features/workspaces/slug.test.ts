import { describe, expect, it } from "@atrium/test-kit";
import { SLUG_MAX_LENGTH, slugFormatProblem, slugFromName } from "./slug.ts";

describe("slugFromName", () => {
  it("lowercases and joins words with single hyphens", () => {
    expect(slugFromName("Acme Sales Team")).toBe("acme-sales-team");
  });

  it("collapses runs of punctuation and spaces into one hyphen", () => {
    expect(slugFromName("Acme -- Sales!!  & Support")).toBe("acme-sales-support");
  });

  it("trims hyphens from both ends", () => {
    expect(slugFromName("  ***Acme***  ")).toBe("acme");
  });

  it("drops accents, like the server", () => {
    expect(slugFromName("Café Zürich")).toBe("cafe-zurich");
  });

  it("treats other non-ASCII characters as separators", () => {
    expect(slugFromName("Acme 東京 Team")).toBe("acme-team");
  });

  it("keeps digits", () => {
    expect(slugFromName("Team 42 (EU)")).toBe("team-42-eu");
  });

  it("cuts at 48 characters without leaving a trailing hyphen", () => {
    const name = `${"a".repeat(47)} bcd`;
    const slug = slugFromName(name);
    expect(slug).toBe("a".repeat(47));
    expect(slugFromName("x".repeat(100))).toHaveLength(SLUG_MAX_LENGTH);
  });

  it("gives an empty slug for a name without letters or digits", () => {
    expect(slugFromName("!!! ???")).toBe("");
  });
});

describe("slugFormatProblem", () => {
  it("accepts a derived slug", () => {
    expect(slugFormatProblem(slugFromName("Acme Sales"))).toBeUndefined();
  });

  it("refuses slugs that are too short, too long or malformed", () => {
    expect(slugFormatProblem("ab")).toMatch(/at least 3/);
    expect(slugFormatProblem("a".repeat(49))).toMatch(/at most 48/);
    expect(slugFormatProblem("Acme")).toMatch(/lowercase/);
    expect(slugFormatProblem("acme--sales")).toMatch(/single hyphens/);
    expect(slugFormatProblem("-acme")).toMatch(/start or end/);
  });
});
