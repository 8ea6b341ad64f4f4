/**
 * The Resolve dialog's form: an outcome picked from the usual ones or written out, and a note.
 * The limits and sentences are the API's (operators.service.ts `resolve`): an outcome is required
 * and at most 100 characters, a note at most 2,000.
 */
import * as z from "zod/mini";
import { type ReviewReason } from "../../gql/graphql.ts";

export const REVIEW_OUTCOME_MAX = 100;
export const REVIEW_NOTE_MAX = 2000;

export const RESOLVE_MESSAGES = {
  outcomeRequired: "Say what the outcome was.",
  outcomeTooLong: `Outcomes are at most ${REVIEW_OUTCOME_MAX} characters.`,
  noteTooLong: `Notes are at most ${REVIEW_NOTE_MAX} characters.`,
} as const;

export const COMMON_OUTCOMES = ["Handled with the lead", "False alarm", "Escalated", "Resent manually"] as const;
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
    note: z.string().check(z.maxLength(REVIEW_NOTE_MAX, RESOLVE_MESSAGES.noteTooLong)),
  })
  .check(
    z.superRefine((values, ctx) => {
      if (values.preset !== OTHER_OUTCOME) return;
      const custom = values.custom.trim();
      if (custom === "") ctx.issues.push({ code: "custom", message: RESOLVE_MESSAGES.outcomeRequired, input: values.custom, path: ["custom"] });
      else if (custom.length > REVIEW_OUTCOME_MAX) ctx.issues.push({ code: "custom", message: RESOLVE_MESSAGES.outcomeTooLong, input: values.custom, path: ["custom"] });
    }),
  );
export type ResolveFormValues = z.infer<typeof resolveForm>;

/** What resolveReviewItem receives: the outcome as written (trimmed), and the note or null. */
export function resolveVariables(values: ResolveFormValues): { outcome: string; note: string | null } {
  const outcome = values.preset === OTHER_OUTCOME ? values.custom.trim() : values.preset;
  const note = values.note.trim();
  return { outcome, note: note === "" ? null : note };
}
