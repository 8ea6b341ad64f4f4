import { describe, expect, it } from "@atrium/test-kit";

import {
  campaignMessage,
  campaignMessageText,
  campaignName,
  campaignTag,
  campaignTemplateProblem,
  TEMPLATE_MESSAGES,
} from "./fields.ts";
import { campaignForm } from "./forms.ts";
import { fieldProblems, problemOf } from "./problems.ts";

describe("campaigns", () => {
  it("a name is 1–120 characters with something in it", () => {
    expect(problemOf(campaignName, "n".repeat(120))).toBeUndefined();
    expect(problemOf(campaignName, "n".repeat(121))).toBe("Names are at most 120 characters.");
    expect(problemOf(campaignName, " ")).toBe("Enter a name.");
  });

  it("a message is 1–1600 characters; the input checks only that", () => {
    expect(problemOf(campaignMessageText, "m".repeat(1600))).toBeUndefined();
    expect(problemOf(campaignMessageText, "m".repeat(1601))).toBe("Messages are at most 1600 characters.");
    expect(problemOf(campaignMessageText, "\n")).toBe("Enter a message.");
    expect(problemOf(campaignMessageText, "Hi {{frist}}")).toBeUndefined();
  });

  it("placeholders: the four variables, with or without inner spaces; anything else is named", () => {
    expect(campaignTemplateProblem("Hi {{firstName}}, {{ name }} {{email}} {{phone}}")).toBeUndefined();
    expect(campaignTemplateProblem("Hi {{frist}}")).toBe(
      "Unknown variable {{frist}}. Use {{name}}, {{firstName}}, {{email}}, {{phone}}.",
    );
    expect(campaignTemplateProblem("Hi {{firstName}")).toBe(TEMPLATE_MESSAGES.unbalanced);
    expect(campaignTemplateProblem("Hi firstName}}")).toBe(TEMPLATE_MESSAGES.unbalanced);
    expect(problemOf(campaignMessage, "Hi {{frist}}")).toBe(TEMPLATE_MESSAGES.unknown("frist"));
    expect(problemOf(campaignMessage, "")).toBe("Enter a message.");
  });

  it("a tag is optional, at most 60 characters", () => {
    expect(problemOf(campaignTag, "")).toBeUndefined();
    expect(problemOf(campaignTag, "t".repeat(60))).toBeUndefined();
    expect(problemOf(campaignTag, "t".repeat(61))).toBe("Tags are at most 60 characters.");
  });

  it("the draft form reports each field", () => {
    expect(fieldProblems(campaignForm, { name: "Spring", message: "Hi {{firstName}}", tag: "" })).toEqual({});
    expect(fieldProblems(campaignForm, { name: "", message: "Hi {{x}}", tag: "t".repeat(61) })).toEqual({
      name: "Enter a name.",
      message: TEMPLATE_MESSAGES.unknown("x"),
      tag: "Tags are at most 60 characters.",
    });
  });
});
