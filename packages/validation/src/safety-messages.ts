/**
 * The safety rules' limits and messages (issue 47), apart from ./safety.ts so that reading them
 * (messages.ts, the catalog the web app translates with) does not load the RE2 engine. Exported
 * from ./safety.ts as well.
 */
export const SAFETY_RULE_NAME_MAX = 80;
export const SAFETY_PHRASES_MAX = 50;
export const SAFETY_PHRASE_MAX = 100;
export const SAFETY_PATTERN_MAX = 300;

export const SAFETY_MESSAGES = {
  nameBlank: "Enter a name.",
  nameTooLong: `Names are at most ${SAFETY_RULE_NAME_MAX} characters.`,
  nothingToMatch: "Add at least one phrase or a pattern.",
  tooManyPhrases: `At most ${SAFETY_PHRASES_MAX} phrases.`,
  phraseTooLong: `Phrases are at most ${SAFETY_PHRASE_MAX} characters.`,
  phraseBlank: "Phrases cannot be blank.",
  patternTooLong: `Patterns are at most ${SAFETY_PATTERN_MAX} characters.`,
  patternInvalid: (why: string) => `The pattern is not a valid regular expression: ${why}`,
  /** The rule form's verdict on a pattern `safetyPatternProblem` refuses (the editor shows that problem instead). */
  patternRefused: "invalid pattern",
  noScope: "Choose where the rule applies.",
} as const;
