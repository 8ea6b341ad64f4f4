/**
 * Safety rules (issue 47): what a rule is, how text is matched against it, and the templates the
 * product ships. Shared by the API (which runs the rules on every inbound message, agent reply and
 * call transcript line) and the web app (whose rule editor tests a sample text as you type), so
 * both say the same thing about the same text.
 *
 * Matching is case- and accent-insensitive: text and phrases are NFKD-normalised, stripped of
 * combining marks and lower-cased ("Médico" matches "medico"). A phrase matches whole words
 * ("stop" matches "please STOP." but not "nonstop"). A pattern is a regular expression run by
 * RE2 (re2js): linear time whatever the pattern, so a workspace cannot stall the pipeline with a
 * catastrophic expression, and no look-around or back-references (RE2 refuses them).
 */
import { RE2JS } from "re2js";
import * as z from "zod/mini";

import {
  SAFETY_MESSAGES,
  SAFETY_PATTERN_MAX,
  SAFETY_PHRASE_MAX,
  SAFETY_PHRASES_MAX,
  SAFETY_RULE_NAME_MAX,
} from "./safety-messages.ts";

export const SAFETY_SCOPES = ["INBOUND", "AGENT_REPLY", "CALL_TRANSCRIPT"] as const;
export type SafetyScope = (typeof SAFETY_SCOPES)[number];
export const SAFETY_ACTIONS = ["FLAG", "HAND_OVER", "BLOCK"] as const;
export type SafetyAction = (typeof SAFETY_ACTIONS)[number];

// The limits and messages live in ./safety-messages.ts (no RE2 there: the web app's message
// catalog reads them without loading the engine); exported from here as before.
export * from "./safety-messages.ts";

/** Lower case, compatibility-decomposed, without combining marks, white space collapsed. */
export function normalizeForSafety(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const escapeRe = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/** Why a pattern cannot be used, or undefined. */
export function safetyPatternProblem(pattern: string): string | undefined {
  if (pattern.length > SAFETY_PATTERN_MAX) return SAFETY_MESSAGES.patternTooLong;
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    return SAFETY_MESSAGES.patternInvalid(err instanceof Error ? err.message : String(err));
  }
}

export interface SafetyRuleShape {
  phrases: readonly string[];
  pattern: string | null;
}

/** A compiled rule: `test(text)` returns the matched words, or null. */
export interface SafetyMatcher {
  test(text: string): string | null;
}

/**
 * Compiles a rule once (the API caches per rule and update time). Phrases become one RE2
 * alternation with word boundaries over the normalised text; the pattern runs on the normalised
 * text too, case-insensitively.
 */
export function compileSafetyRule(rule: SafetyRuleShape): SafetyMatcher {
  const phrases = rule.phrases.map(normalizeForSafety).filter((p) => p !== "");
  const phraseRe =
    phrases.length > 0 ? RE2JS.compile(`(?:^|[^\\pL\\pN])(${phrases.map(escapeRe).join("|")})(?:$|[^\\pL\\pN])`) : null;
  const patternRe = rule.pattern ? RE2JS.compile(rule.pattern, RE2JS.CASE_INSENSITIVE) : null;
  return {
    test(text: string): string | null {
      const t = normalizeForSafety(text);
      if (phraseRe) {
        const m = phraseRe.matcher(t);
        if (m.find()) return m.group(1);
      }
      if (patternRe) {
        const m = patternRe.matcher(t);
        if (m.find()) return m.group(0) || rule.pattern;
      }
      return null;
    },
  };
}

/** The rule form (API input and the web editor): the same verdicts, field by field. */
export const safetyRuleForm = z
  .object({
    name: z
      .string()
      .check(z.regex(/\S/, SAFETY_MESSAGES.nameBlank), z.maxLength(SAFETY_RULE_NAME_MAX, SAFETY_MESSAGES.nameTooLong)),
    phrases: z
      .array(
        z
          .string()
          .check(
            z.regex(/\S/, SAFETY_MESSAGES.phraseBlank),
            z.maxLength(SAFETY_PHRASE_MAX, SAFETY_MESSAGES.phraseTooLong),
          ),
      )
      .check(z.maxLength(SAFETY_PHRASES_MAX, SAFETY_MESSAGES.tooManyPhrases)),
    pattern: z.nullable(
      z.string().check(
        z.refine((p) => p === "" || safetyPatternProblem(p) === undefined, {
          message: SAFETY_MESSAGES.patternRefused,
        }),
      ),
    ),
    appliesTo: z.array(z.enum(SAFETY_SCOPES)).check(z.minLength(1, SAFETY_MESSAGES.noScope)),
    action: z.enum(SAFETY_ACTIONS),
  })
  .check(
    z.refine((r) => r.phrases.length > 0 || (r.pattern ?? "").trim() !== "", {
      message: SAFETY_MESSAGES.nothingToMatch,
      path: ["phrases"],
    }),
  );

export interface SafetyTemplate {
  key: string;
  name: string;
  description: string;
  phrases: readonly string[];
  pattern: string | null;
  appliesTo: readonly SafetyScope[];
  action: SafetyAction;
}

/** The templates shipped with the product (a starting point: each becomes an editable rule). */
export const SAFETY_TEMPLATES: readonly SafetyTemplate[] = [
  {
    key: "opt-out",
    name: "Opt-out words",
    description: "The lead asks to stop being contacted: a person takes over and the agent stops replying.",
    phrases: [
      "stop",
      "stopall",
      "unsubscribe",
      "opt out",
      "do not contact me",
      "don't contact me",
      "leave me alone",
      "remove me",
    ],
    pattern: null,
    appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
    action: "HAND_OVER",
  },
  {
    key: "medical-emergency",
    name: "Medical emergency",
    description: "Someone describes an emergency: the agent's reply is held and a person takes over at once.",
    phrases: [
      "chest pain",
      "can't breathe",
      "cannot breathe",
      "heart attack",
      "stroke",
      "overdose",
      "unconscious",
      "bleeding heavily",
      "call an ambulance",
      "emergency",
    ],
    pattern: null,
    appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
    action: "BLOCK",
  },
  {
    key: "self-harm",
    name: "Self-harm",
    description: "Signs of self-harm or suicide: the agent's reply is held and a person takes over at once.",
    phrases: [
      "kill myself",
      "suicide",
      "suicidal",
      "end my life",
      "self harm",
      "self-harm",
      "hurt myself",
      "want to die",
    ],
    pattern: null,
    appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
    action: "BLOCK",
  },
  {
    key: "legal-threat",
    name: "Legal threat",
    description: "The lead mentions lawyers or legal action: flagged for review, the conversation goes on.",
    phrases: ["lawyer", "attorney", "lawsuit", "sue you", "legal action", "solicitor", "court"],
    pattern: null,
    appliesTo: ["INBOUND", "CALL_TRANSCRIPT"],
    action: "FLAG",
  },
  {
    key: "agent-promises",
    name: "Agent promises",
    description: "The agent promises a refund, a guarantee or a discount: the reply is held for a person.",
    phrases: [],
    pattern: "\\b(guarantee[ds]?|refund|100% (sure|certain)|free of charge|discount of \\d+)\\b",
    appliesTo: ["AGENT_REPLY"],
    action: "BLOCK",
  },
];
