import { describe, expect, it } from "@atrium/test-kit";

import { normaliseContactEmail, normalisePhone } from "./contact-identity.ts";

describe("contact identity", () => {
  it.each([
    ["+44 20 7946-0958", "+442079460958"],
    ["0044 (20) 79460958", "+442079460958"],
    ["+1.415.555.0100", "+14155550100"],
    ["", null],
    [null, null],
  ])("normalises phone %j to %j", (raw, expected) => expect(normalisePhone(raw)).toBe(expected));

  it.each(["020 7946 0958", "+0 123 4567", "+12", "phone", `+${"1".repeat(16)}`])("refuses phone %j", (raw) => {
    expect(() => normalisePhone(raw)).toThrow(/country code/);
  });

  it("normalises e-mail case and spaces, refuses junk", () => {
    expect(normaliseContactEmail("  Ada@Example.COM ")).toBe("ada@example.com");
    expect(normaliseContactEmail(undefined)).toBeNull();
    expect(() => normaliseContactEmail("not-an-email")).toThrow();
  });
});
