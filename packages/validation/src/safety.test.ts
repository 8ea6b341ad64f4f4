import { describe, expect, it } from "@atrium/test-kit";

import {
  compileSafetyRule,
  normalizeForSafety,
  SAFETY_TEMPLATES,
  safetyPatternProblem,
  safetyRuleForm,
} from "./safety.ts";

describe("safety rules", () => {
  it("normalises case, accents and white space", () => {
    expect(normalizeForSafety("  Médico   URGENTE\n")).toBe("medico urgente");
    expect(normalizeForSafety("ＳＴＯＰ")).toBe("stop");
  });

  it("matches phrases as whole words, case- and accent-insensitively", () => {
    const rule = compileSafetyRule({ phrases: ["stop", "Dolor en el pecho"], pattern: null });
    expect(rule.test("Please STOP.")).toBe("stop");
    expect(rule.test("tengo DOLOR en el pécho")).toBe("dolor en el pecho");
    expect(rule.test("a nonstop flight")).toBeNull();
    expect(rule.test("stopping by")).toBeNull();
  });

  it("runs patterns with RE2 on the normalised text, and refuses what RE2 cannot run", () => {
    const rule = compileSafetyRule({ phrases: [], pattern: "refund of \\d+" });
    expect(rule.test("You get a REFUND of 50 dollars")).toBe("refund of 50");
    expect(rule.test("no refund")).toBeNull();
    expect(safetyPatternProblem("(a)\\1")).toMatch(/not a valid regular expression/);
    expect(safetyPatternProblem("(?=x)")).toMatch(/not a valid regular expression/);
    expect(safetyPatternProblem("x".repeat(301))).toMatch(/at most 300/);
    // Linear time: the classic catastrophic pattern on a long input answers at once.
    const evil = compileSafetyRule({ phrases: [], pattern: "(a+)+$" });
    expect(evil.test(`${"a".repeat(50_000)}!`)).toBeNull();
    expect(evil.test("a".repeat(50_000))).toBe("a".repeat(50_000));
  });

  it("validates the form: a name, something to match, a scope", () => {
    expect(
      safetyRuleForm.safeParse({ name: "x", phrases: [], pattern: null, appliesTo: ["INBOUND"], action: "FLAG" })
        .success,
    ).toBe(false);
    expect(
      safetyRuleForm.safeParse({ name: "x", phrases: ["a"], pattern: null, appliesTo: [], action: "FLAG" }).success,
    ).toBe(false);
    expect(
      safetyRuleForm.safeParse({ name: " ", phrases: ["a"], pattern: null, appliesTo: ["INBOUND"], action: "FLAG" })
        .success,
    ).toBe(false);
    expect(
      safetyRuleForm.safeParse({ name: "x", phrases: [], pattern: "(", appliesTo: ["INBOUND"], action: "FLAG" })
        .success,
    ).toBe(false);
    expect(
      safetyRuleForm.safeParse({ name: "x", phrases: ["a"], pattern: null, appliesTo: ["INBOUND"], action: "BLOCK" })
        .success,
    ).toBe(true);
  });

  it("ships templates that are valid rules and match what they are named for", () => {
    for (const t of SAFETY_TEMPLATES)
      expect(safetyRuleForm.safeParse({ ...t, phrases: [...t.phrases], appliesTo: [...t.appliesTo] }).success).toBe(
        true,
      );
    const byKey = Object.fromEntries(SAFETY_TEMPLATES.map((t) => [t.key, compileSafetyRule(t)]));
    expect(byKey["opt-out"]!.test("STOP")).toBe("stop");
    expect(byKey["medical-emergency"]!.test("my father has chest pain")).toBe("chest pain");
    expect(byKey["self-harm"]!.test("I want to end my life")).toBe("end my life");
    expect(byKey["legal-threat"]!.test("I'll call my lawyer")).toBe("lawyer");
    expect(byKey["agent-promises"]!.test("We guarantee results")).toBe("guarantee");
  });
});
