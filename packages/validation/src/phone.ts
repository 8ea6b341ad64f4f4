/**
 * Phone numbers (R2, R6): typed loosely — spaces, brackets, dots and hyphens, `00` for `+` —
 * and kept in E.164 (`+` and 7–15 digits, no leading zero). A country code is required.
 */
import * as z from "zod/mini";

/** E.164: what is stored, and what a provider's webhook must send. */
export const E164_RE = /^\+[1-9]\d{6,14}$/;

/** The longest phone number accepted as typed (formatting included). */
export const PHONE_INPUT_MAX = 32;

export const PHONE_MESSAGES = {
  invalid: "Enter the phone number with its country code, e.g. +44 20 7946 0958.",
  required: "Enter the phone number with its country code.",
  tooLong: `Phone numbers are at most ${PHONE_INPUT_MAX} characters.`,
  /** A Vapi number is known to Vapi by its id (providerRef). */
  vapiIdRequired: "A Vapi number needs its phoneNumberId (Vapi dashboard → Phone Numbers).",
} as const;

/**
 * "+44 20 7946-0958", "0044 (20) 79460958" → "+442079460958". Undefined when `raw` is not an
 * international number (blank included).
 */
export function toE164(raw: string): string | undefined {
  let digits = raw.trim().replace(/[\s().-]/g, "");
  if (digits.startsWith("00")) digits = `+${digits.slice(2)}`;
  return E164_RE.test(digits) ? digits : undefined;
}

/** An optional number as typed (contacts, leads): blank means none. */
export const optionalPhoneNumber = z.string().check(
  z.maxLength(PHONE_INPUT_MAX, PHONE_MESSAGES.tooLong),
  z.refine((value) => value.trim() === "" || toE164(value) !== undefined, PHONE_MESSAGES.invalid),
);

/** A number that must be there (a workspace's phone numbers). */
export const phoneNumber = z.string().check(
  z.maxLength(PHONE_INPUT_MAX, PHONE_MESSAGES.tooLong),
  z.refine((value) => value.trim() !== "", PHONE_MESSAGES.required),
  z.refine((value) => value.trim() === "" || toE164(value) !== undefined, PHONE_MESSAGES.invalid),
);
