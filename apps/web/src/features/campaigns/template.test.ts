import { describe, expect, it } from "@atrium/test-kit";
import { isLive, previewTemplate } from "./template.ts";

describe("campaign template (web)", () => {
  it("previews for a sample contact", () => {
    expect(previewTemplate("Hi {{firstName}} ({{phone}})", { name: "Jane Doe", phone: "+1555" })).toBe("Hi Jane (+1555)");
  });
  it("polls only while numbers can move", () => {
    expect(isLive("RUNNING")).toBe(true);
    expect(isLive("COMPLETED")).toBe(false);
  });
});
