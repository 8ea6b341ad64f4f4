/**
 * Data retention (SPEC W6) as the settings form shows it: a preset (30, 90 or 365 days), a
 * custom number of days, or forever (null on the API, which disables the sweep).
 *
 * The days rule is the form's own (decision 0020, "Later"): the API takes the same range, but
 * checks it in the service after authorisation, in other words ("Retention is 1–3650 days, or
 * forever.") and with a token (`{ retentionDays: "out of range" }`), which the form shows beside
 * the days field.
 */
import i18next from "i18next";
import * as z from "zod/mini";

import { problemOf } from "@atrium/validation";

export const RETENTION_PRESETS = [30, 90, 365] as const;
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;

export const RETENTION_CHOICES = ["30", "90", "365", "custom", "forever"] as const;
export type RetentionChoice = (typeof RETENTION_CHOICES)[number];

/** The days field's sentences, in the page's language (read when the field is checked, never at load). */
export const RETENTION_MESSAGES = {
  get wholeNumber(): string {
    return i18next.t("retention.wholeNumber", { ns: "settings" });
  },
  get range(): string {
    return i18next.t("retention.range", { ns: "settings", min: RETENTION_MIN_DAYS, max: RETENTION_MAX_DAYS });
  },
};

/** Custom days as typed (trimmed): a whole number from RETENTION_MIN_DAYS to RETENTION_MAX_DAYS. */
export const customRetentionDays = z.string().check(
  z.superRefine((typed, ctx) => {
    const text = typed.trim();
    const problem = !/^\d+$/.test(text)
      ? RETENTION_MESSAGES.wholeNumber
      : Number(text) < RETENTION_MIN_DAYS || Number(text) > RETENTION_MAX_DAYS
        ? RETENTION_MESSAGES.range
        : undefined;
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: typed });
  }),
);

/**
 * The settings form: `retention` is the radio choice (the radios' name), `retentionDays` the custom
 * days as typed (named as the API names it in its field errors), checked only when custom is chosen.
 */
export const retentionForm = z.object({ retention: z.enum(RETENTION_CHOICES), retentionDays: z.string() }).check(
  z.superRefine((value, ctx) => {
    if (value.retention !== "custom") return;
    const message = problemOf(customRetentionDays, value.retentionDays);
    if (message !== undefined)
      ctx.issues.push({ code: "custom", message, input: value.retentionDays, path: ["retentionDays"] });
  }),
);
export type RetentionForm = z.output<typeof retentionForm>;

export interface RetentionFormValue {
  readonly choice: RetentionChoice;
  /** The custom number of days as typed (kept when another choice is picked). */
  readonly customDays: string;
}

/** The form's starting value for the workspace's current setting. */
export function retentionFormValue(days: number | null | undefined): RetentionFormValue {
  if (days === null || days === undefined) return { choice: "forever", customDays: "" };
  const preset = RETENTION_PRESETS.find((value) => value === days);
  if (preset !== undefined) return { choice: String(preset) as RetentionChoice, customDays: "" };
  return { choice: "custom", customDays: String(days) };
}

export type RetentionDays =
  | { readonly ok: true; readonly days: number | null }
  | { readonly ok: false; readonly problem: string };

/** The `days` argument of setRetention for a form value, or why it cannot be sent. */
export function retentionDaysFromForm(value: RetentionFormValue): RetentionDays {
  switch (value.choice) {
    case "forever":
      return { ok: true, days: null };
    case "custom": {
      const problem = problemOf(customRetentionDays, value.customDays);
      if (problem !== undefined) return { ok: false, problem };
      return { ok: true, days: Number(value.customDays.trim()) };
    }
    default:
      return { ok: true, days: Number(value.choice) };
  }
}

export function describeRetention(days: number | null | undefined): string {
  if (days === null || days === undefined) return i18next.t("retention.keptForever", { ns: "settings" });
  return i18next.t("retention.deletedAfter", { ns: "settings", count: days });
}
