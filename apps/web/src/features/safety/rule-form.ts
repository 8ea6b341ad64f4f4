/**
 * The safety rule editor's logic, apart from React: the scopes and actions in order, the form's
 * values from a rule or a template and back to SafetyRuleInput, adding a phrase, and "Try it" —
 * @atrium/validation's own matcher run on a sample, so the preview says what the API would.
 */
import i18next from "i18next";
import type * as z from "zod/mini";

import {
  compileSafetyRule,
  normalizeForSafety,
  SAFETY_MESSAGES,
  SAFETY_PHRASE_MAX,
  SAFETY_PHRASES_MAX,
  safetyPatternProblem,
  type SafetyAction,
  type safetyRuleForm,
  type SafetyScope,
} from "@atrium/validation";

import {
  type SafetyRuleFieldsFragment,
  type SafetyRuleInput,
  type SafetyRuleTemplatesQuery,
} from "../../gql/graphql.ts";

export type SafetyRule = SafetyRuleFieldsFragment;
export type SafetyTemplate = SafetyRuleTemplatesQuery["safetyRuleTemplates"][number];
export type RuleFormValues = z.input<typeof safetyRuleForm>;

/** The scopes in the order the editor offers them; their words are `scopes.<SCOPE>` in the "safety" namespace. */
export const SCOPES: readonly SafetyScope[] = ["INBOUND", "AGENT_REPLY", "CALL_TRANSCRIPT"];

/** The actions from the mildest; their words are `actions.<ACTION>` in the "safety" namespace. */
export const ACTIONS: readonly SafetyAction[] = ["FLAG", "HAND_OVER", "BLOCK"];

/** The form's fields, named like SafetyRuleInput's (server field errors land beside them). */
export const RULE_FIELDS = ["name", "phrases", "pattern", "appliesTo", "action"] as const;

export function blankRule(): RuleFormValues {
  return { name: "", phrases: [], pattern: "", appliesTo: ["INBOUND"], action: "FLAG" };
}

export function formFromRule(
  rule: Pick<SafetyRule, "name" | "phrases" | "pattern" | "appliesTo" | "action">,
): RuleFormValues {
  return {
    name: rule.name,
    phrases: [...rule.phrases],
    pattern: rule.pattern ?? "",
    appliesTo: [...rule.appliesTo],
    action: rule.action,
  };
}

/** A template as the start of a new rule (its name stays editable: names are unique per workspace). */
export function formFromTemplate(template: SafetyTemplate): RuleFormValues {
  return formFromRule(template);
}

/** What createSafetyRule / updateSafetyRule receive: trimmed, blank phrases and an empty pattern left out. */
export function ruleInput(
  values: RuleFormValues,
  extra: { enabled: boolean; template: string | null },
): SafetyRuleInput {
  const pattern = (values.pattern ?? "").trim();
  return {
    name: values.name.trim(),
    phrases: values.phrases.map((p) => p.trim()).filter((p) => p !== ""),
    pattern: pattern === "" ? null : pattern,
    appliesTo: [...values.appliesTo],
    action: values.action,
    enabled: extra.enabled,
    template: extra.template,
  };
}

/** The rule as it is, with `enabled` changed (updateSafetyRule takes the whole rule). */
export function toggledInput(rule: SafetyRule, enabled: boolean): SafetyRuleInput {
  return ruleInput(formFromRule(rule), { enabled, template: rule.template });
}

/**
 * Adds what was typed to the phrases: each line a phrase (a pasted list), trimmed. A phrase
 * already there (as matching sees it: case and accents aside) is not added twice; one too long,
 * or one past the limit, is refused with the API's sentence.
 */
export function addPhrases(phrases: readonly string[], typed: string): { phrases: string[]; problem?: string } {
  const next = [...phrases];
  const seen = new Set(next.map(normalizeForSafety));
  for (const line of typed.split(/\r?\n/)) {
    const phrase = line.trim();
    if (phrase === "") continue;
    if (phrase.length > SAFETY_PHRASE_MAX) return { phrases: next, problem: SAFETY_MESSAGES.phraseTooLong };
    const key = normalizeForSafety(phrase);
    if (seen.has(key)) continue;
    if (next.length >= SAFETY_PHRASES_MAX) return { phrases: next, problem: SAFETY_MESSAGES.tooManyPhrases };
    seen.add(key);
    next.push(phrase);
  }
  return { phrases: next };
}

export type TryResult =
  | { readonly kind: "no-sample" }
  | { readonly kind: "nothing-to-match" }
  | { readonly kind: "invalid-pattern"; readonly problem: string }
  | { readonly kind: "match"; readonly matched: string }
  | { readonly kind: "no-match" };

/** "Try it": whether the rule being edited matches `sample`, and the words it matched. */
export function tryRule(values: Pick<RuleFormValues, "phrases" | "pattern">, sample: string): TryResult {
  const pattern = (values.pattern ?? "").trim();
  const phrases = values.phrases.filter((p) => p.trim() !== "");
  if (phrases.length === 0 && pattern === "") return { kind: "nothing-to-match" };
  if (pattern !== "") {
    const problem = safetyPatternProblem(pattern);
    if (problem !== undefined) return { kind: "invalid-pattern", problem };
  }
  if (sample.trim() === "") return { kind: "no-sample" };
  const matched = compileSafetyRule({ phrases, pattern: pattern === "" ? null : pattern }).test(sample);
  return matched === null ? { kind: "no-match" } : { kind: "match", matched };
}

/** "stop, unsubscribe, opt out +5 more": the first phrases of a rule, for the list. */
export function phrasesPreview(phrases: readonly string[], shown = 3): string {
  if (phrases.length === 0) return "";
  const head = phrases.slice(0, shown).join(", ");
  return phrases.length > shown
    ? i18next.t("list.phrasesMore", { ns: "safety", head, extra: phrases.length - shown })
    : head;
}
