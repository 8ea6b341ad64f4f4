// R2 deduplication keys: a normalised e-mail and an E.164 phone number.
import { badInput } from "../../platform/errors.ts";

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseContactEmail(raw: string | null | undefined): string | null {
  const v = raw?.trim().toLowerCase();
  if (!v) return null;
  if (v.length > 254 || !EMAIL_RE.test(v)) throw badInput("Enter a valid e-mail address.", { email: "invalid" });
  return v;
}

/** "+44 20 7946-0958", "0044 (20) 79460958" → "+442079460958". A country code is required. */
export function normalisePhone(raw: string | null | undefined): string | null {
  const v = raw?.trim();
  if (!v) return null;
  let digits = v.replace(/[\s().-]/g, "");
  if (digits.startsWith("00")) digits = `+${digits.slice(2)}`;
  if (!/^\+[1-9]\d{6,14}$/.test(digits)) {
    throw badInput("Enter the phone number with its country code, e.g. +44 20 7946 0958.", { phone: "not an international number" });
  }
  return digits;
}
