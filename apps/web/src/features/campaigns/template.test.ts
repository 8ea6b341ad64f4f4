import { describe, expect, it } from "@atrium/test-kit";
import { isLive, previewTemplate, templateProblem } from "./template.ts";

describe("campaign template (web)", () => {
  it("refuses what the API refuses", () => {
    expect(templateProblem("Hi {{firstName}}")).toBeUndefined();
    expect(templateProblem("Hi {{nmae}}")).toMatch(/Unknown variable/);
    expect(templateProblem("Hi {{name")).toMatch(/not closed/);
  });
  it("previews for a sample contact", () => {
    expect(previewTemplate("Hi {{firstName}} ({{phone}})", { name: "Jane Doe", phone: "+1555" })).toBe("Hi Jane (+1555)");
  });
  it("polls only while numbers can move", () => {
    expect(isLive("RUNNING")).toBe(true);
    expect(isLive("COMPLETED")).toBe(false);
  });
});
