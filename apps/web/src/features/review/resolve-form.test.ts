import { describe, expect, it } from "@atrium/test-kit";

import { defaultOutcome, OTHER_OUTCOME, RESOLVE_MESSAGES, resolveForm, resolveVariables } from "./resolve-form.ts";

const messages = (values: unknown) => {
  const result = resolveForm.safeParse(values);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("the Resolve form", () => {
  it("sends a usual outcome as it reads, and no note when none is written", () => {
    expect(resolveVariables({ preset: "False alarm", custom: "ignored", note: "  " })).toEqual({
      outcome: "False alarm",
      note: null,
    });
  });

  it("sends a written-out outcome and a note, trimmed", () => {
    expect(
      resolveVariables({ preset: OTHER_OUTCOME, custom: "  Called the lead back ", note: " Apologised. " }),
    ).toEqual({ outcome: "Called the lead back", note: "Apologised." });
  });

  it("asks for the outcome when Other is chosen and nothing is written", () => {
    expect(messages({ preset: OTHER_OUTCOME, custom: "   ", note: "" })).toEqual([
      `custom: ${RESOLVE_MESSAGES.outcomeRequired}`,
    ]);
  });

  it("refuses an outcome over 100 characters and a note over 2,000, with the API's sentences", () => {
    expect(messages({ preset: OTHER_OUTCOME, custom: "x".repeat(101), note: "" })).toEqual([
      `custom: ${RESOLVE_MESSAGES.outcomeTooLong}`,
    ]);
    expect(messages({ preset: OTHER_OUTCOME, custom: "x".repeat(100), note: "" })).toEqual([]);
    expect(messages({ preset: "Escalated", custom: "", note: "n".repeat(2001) })).toEqual([
      `note: ${RESOLVE_MESSAGES.noteTooLong}`,
    ]);
  });

  it("starts on the outcome that usually fits the reason", () => {
    expect(defaultOutcome("SEND_FAILED")).toBe("Resent manually");
    expect(defaultOutcome("SAFETY_FLAG")).toBe("Handled with the lead");
  });
});
