/**
 * The Resolve dialog's form: an outcome picked from the usual ones or written out, and a note.
 * The limits and sentences are the API's (operators.service.ts `resolve`): an outcome is required
 * and at most 100 characters, a note at most 2,000.
 */
import i18next from "i18next";
import * as z from "zod/mini";

import { type ReviewReason } from "../../gql/graphql.ts";

export const REVIEW_OUTCOME_MAX = 100;
export const REVIEW_NOTE_MAX = 2000;

/** The form's sentences, in the current language (read when a form is checked, never at load). */
export const RESOLVE_MESSAGES = {
  get outcomeRequired(): string {
    return i18next.t("resolve.outcomeRequired", { ns: "review" });
  },
  get outcomeTooLong(): string {
    return i18next.t("resolve.outcomeTooLong", { ns: "review", max: REVIEW_OUTCOME_MAX });
  },
  get noteTooLong(): string {
    return i18next.t("resolve.noteTooLong", { ns: "review", max: REVIEW_NOTE_MAX });
  },
};

/**
 * The usual outcomes, as sent and stored (the English words: one value whatever the language of
 * whoever resolved it); shown in the reader's language by `outcomeText`.
 */
export const COMMON_OUTCOMES = ["Handled with the lead", "False alarm", "Escalated", "Resent manually"] as const;
export type CommonOutcome = (typeof COMMON_OUTCOMES)[number];

/** The translation key of a usual outcome (`resolve.outcomes.<key>` in the "review" namespace). */
export const OUTCOME_KEYS = {
  "Handled with the lead": "handledWithLead",
  "False alarm": "falseAlarm",
  Escalated: "escalated",
  "Resent manually": "resentManually",
} as const satisfies Record<CommonOutcome, string>;

/** An outcome as the reader reads it: a usual one in their language, a written-out one as written. */
export function outcomeText(outcome: string): string {
  const key = (OUTCOME_KEYS as Record<string, (typeof OUTCOME_KEYS)[CommonOutcome] | undefined>)[outcome];
  return key === undefined ? outcome : i18next.t(`resolve.outcomes.${key}`, { ns: "review" });
}
/** The select's value for "write my own". */
export const OTHER_OUTCOME = "other";

/** The usual outcome of a reason, chosen when the dialog opens. */
export function defaultOutcome(reason: ReviewReason): string {
  return reason === "SEND_FAILED" ? "Resent manually" : "Handled with the lead";
}

export const resolveForm = z
  .object({
    preset: z.string(),
    custom: z.string(),
    note: z.string().check(z.maxLength(REVIEW_NOTE_MAX, { error: () => RESOLVE_MESSAGES.noteTooLong })),
  })
  .check(
    z.superRefine((values, ctx) => {
      if (values.preset !== OTHER_OUTCOME) return;
      const custom = values.custom.trim();
      if (custom === "")
        ctx.issues.push({
          code: "custom",
          message: RESOLVE_MESSAGES.outcomeRequired,
          input: values.custom,
          path: ["custom"],
        });
      else if (custom.length > REVIEW_OUTCOME_MAX)
        ctx.issues.push({
          code: "custom",
          message: RESOLVE_MESSAGES.outcomeTooLong,
          input: values.custom,
          path: ["custom"],
        });
    }),
  );
export type ResolveFormValues = z.infer<typeof resolveForm>;

/** What resolveReviewItem receives: the outcome as written (trimmed), and the note or null. */
export function resolveVariables(values: ResolveFormValues): { outcome: string; note: string | null } {
  const outcome = values.preset === OTHER_OUTCOME ? values.custom.trim() : values.preset;
  const note = values.note.trim();
  return { outcome, note: note === "" ? null : note };
}
