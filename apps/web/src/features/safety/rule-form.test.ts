import { describe, expect, it } from "@atrium/test-kit";
import { SAFETY_MESSAGES, SAFETY_TEMPLATES, safetyRuleForm } from "@atrium/validation";

import {
  addPhrases,
  blankRule,
  formFromRule,
  formFromTemplate,
  phrasesPreview,
  ruleInput,
  toggledInput,
  tryRule,
  type SafetyRule,
} from "./rule-form.ts";

const rule: SafetyRule = {
  __typename: "SafetyRule",
  id: "r1",
  name: "Opt-out words",
  phrases: ["stop", "unsubscribe"],
  pattern: null,
  appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
  action: "HAND_OVER",
  enabled: true,
  template: "opt-out",
  updatedAt: "2026-11-27T10:00:00.000Z",
};

describe("the rule form's values", () => {
  it("fills the form from every shipped template, and the form accepts each as it is", () => {
    for (const template of SAFETY_TEMPLATES) {
      const values = formFromTemplate({
        __typename: "SafetyRuleTemplate",
        ...template,
        phrases: [...template.phrases],
        appliesTo: [...template.appliesTo],
      });
      expect(values.name, template.key).toBe(template.name);
      expect(safetyRuleForm.safeParse(values).success, template.key).toBe(true);
    }
  });

  it("refuses a blank rule with the API's sentences", () => {
    const result = safetyRuleForm.safeParse(blankRule());
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(
      expect.arrayContaining([SAFETY_MESSAGES.nameBlank, SAFETY_MESSAGES.nothingToMatch]),
    );
  });

  it("sends the rule trimmed, without blank phrases, and no pattern when none is written", () => {
    expect(
      ruleInput(
        { name: "  Legal ", phrases: [" lawyer ", " "], pattern: "  ", appliesTo: ["INBOUND"], action: "FLAG" },
        { enabled: true, template: null },
      ),
    ).toEqual({
      name: "Legal",
      phrases: ["lawyer"],
      pattern: null,
      appliesTo: ["INBOUND"],
      action: "FLAG",
      enabled: true,
      template: null,
    });
  });

  it("switches a rule on or off by sending it whole, template kept", () => {
    expect(toggledInput(rule, false)).toEqual({
      name: "Opt-out words",
      phrases: ["stop", "unsubscribe"],
      pattern: null,
      appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
      action: "HAND_OVER",
      enabled: false,
      template: "opt-out",
    });
  });

  it("edits a rule from its values, the missing pattern as an empty box", () => {
    expect(formFromRule(rule)).toEqual({
      name: "Opt-out words",
      phrases: ["stop", "unsubscribe"],
      pattern: "",
      appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
      action: "HAND_OVER",
    });
  });
});

describe("adding phrases", () => {
  it("adds what was typed, trimmed, and a pasted list line by line", () => {
    expect(addPhrases(["stop"], "  opt out ")).toEqual({ phrases: ["stop", "opt out"] });
    expect(addPhrases([], "lawyer\nattorney\r\n\nsue you")).toEqual({ phrases: ["lawyer", "attorney", "sue you"] });
  });

  it("does not add a phrase twice, whatever its case or accents", () => {
    expect(addPhrases(["Médico"], "MEDICO")).toEqual({ phrases: ["Médico"] });
  });

  it("refuses a phrase over 100 characters and the 51st phrase, with the API's sentences", () => {
    expect(addPhrases([], "x".repeat(101))).toEqual({ phrases: [], problem: SAFETY_MESSAGES.phraseTooLong });
    const fifty = Array.from({ length: 50 }, (_, i) => `p${i}`);
    expect(addPhrases(fifty, "one more")).toEqual({ phrases: fifty, problem: SAFETY_MESSAGES.tooManyPhrases });
  });
});

describe("Try it", () => {
  it("says which word matched, as whole words whatever the case", () => {
    expect(tryRule({ phrases: ["stop"], pattern: "" }, "Please STOP texting me.")).toEqual({
      kind: "match",
      matched: "stop",
    });
    expect(tryRule({ phrases: ["stop"], pattern: "" }, "This is a nonstop offer")).toEqual({ kind: "no-match" });
  });

  it("matches without accents, as the server normalises text", () => {
    expect(tryRule({ phrases: ["medico"], pattern: null }, "Necesito un médico")).toEqual({
      kind: "match",
      matched: "medico",
    });
  });

  it("runs the pattern and says what it matched", () => {
    expect(tryRule({ phrases: [], pattern: "\\brefund(s)?\\b" }, "I promise a REFUND today")).toEqual({
      kind: "match",
      matched: "refund",
    });
  });

  it("says why it cannot try yet: nothing to match, a pattern RE2 refuses, no sample", () => {
    expect(tryRule({ phrases: [], pattern: "" }, "hello")).toEqual({ kind: "nothing-to-match" });
    const invalid = tryRule({ phrases: ["stop"], pattern: "(?=look)ahead" }, "hello");
    expect(invalid.kind).toBe("invalid-pattern");
    expect(tryRule({ phrases: ["stop"], pattern: "" }, "   ")).toEqual({ kind: "no-sample" });
  });
});

describe("the list's phrase preview", () => {
  it("shows the first three phrases and how many more", () => {
    expect(phrasesPreview(["a", "b"])).toBe("a, b");
    expect(phrasesPreview(["a", "b", "c", "d", "e"])).toBe("a, b, c +2 more");
    expect(phrasesPreview([])).toBe("");
  });
});
