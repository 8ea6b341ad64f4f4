import { describe, expect, it } from "@atrium/test-kit";

import { canMove, previewTemplate } from "./template.ts";

describe("campaign template (web)", () => {
  it("previews for a sample contact", () => {
    expect(previewTemplate("Hi {{firstName}} ({{phone}})", { name: "Jane Doe", phone: "+1555" })).toBe(
      "Hi Jane (+1555)",
    );
  });
  it("follows a campaign live only while it can still move", () => {
    expect(canMove("RUNNING")).toBe(true);
    expect(canMove("DRAFT")).toBe(true);
    expect(canMove("COMPLETED")).toBe(false);
    expect(canMove("CANCELLED")).toBe(false);
  });
});
