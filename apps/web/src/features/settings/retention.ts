/**
 * Data retention (SPEC W6) as the settings form shows it: a preset (30, 90 or 365 days), a
 * custom number of days, or forever (null on the API, which disables the sweep).
 */
export const RETENTION_PRESETS = [30, 90, 365] as const;
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;

export type RetentionChoice = "30" | "90" | "365" | "custom" | "forever";

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

export type RetentionDays = { readonly ok: true; readonly days: number | null } | { readonly ok: false; readonly problem: string };

/** The `days` argument of setRetention for a form value, or why it cannot be sent. */
export function retentionDaysFromForm(value: RetentionFormValue): RetentionDays {
  switch (value.choice) {
    case "forever":
      return { ok: true, days: null };
    case "custom": {
      const text = value.customDays.trim();
      if (!/^\d+$/.test(text)) return { ok: false, problem: "Enter a whole number of days." };
      const days = Number(text);
      if (days < RETENTION_MIN_DAYS || days > RETENTION_MAX_DAYS) {
        return { ok: false, problem: `Enter between ${RETENTION_MIN_DAYS} and ${RETENTION_MAX_DAYS} days.` };
      }
      return { ok: true, days };
    }
    default:
      return { ok: true, days: Number(value.choice) };
  }
}

export function describeRetention(days: number | null | undefined): string {
  if (days === null || days === undefined) return "Kept forever";
  return `Deleted after ${days} ${days === 1 ? "day" : "days"}`;
}
