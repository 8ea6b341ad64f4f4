/**
 * E-mail addresses, two rules as the API has always had them (decision 0020):
 *
 * Accounts and invitations (`emailAddress`, `isEmailAddress`): class-validator's `@IsEmail()`, i.e.
 * validator.js 13 `isEmail` with its default options, written out here so the web app gets it
 * without validator.js (email.test.ts compares the two). In short: `local@domain`, at most 254 characters; the local part at most 64 bytes (UTF-8), made
 * of dot-separated runs of letters (any script), digits and !#$%&'*+-/=?^_`{|}~, or quoted; the
 * domain at most 254 bytes, dot-separated labels of 1–63 letters, digits or inner hyphens (no
 * underscores, no full-width forms), ending in a top-level domain of 2+ letters or an `xn--` one.
 * No display names ("Ada <ada@example.com>") and no IP-address domains.
 */
import * as z from "zod/mini";

export const EMAIL_MAX = 254;

export const EMAIL_MESSAGES = {
  invalid: "Enter a valid e-mail address.",
  tooLong: `E-mail addresses are at most ${EMAIL_MAX} characters.`,
  required: "Enter your e-mail address.",
} as const;

const LOCAL_PART_MAX_BYTES = 64;
const DOMAIN_MAX_BYTES = 254;
const LABEL_MAX = 63;

const LOCAL_RUN = /^[a-z\d!#$%&'*+\-/=?^_`{|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+$/i;
// A quoted local part: printable ASCII but `"` and `\`, white space, escapes, and non-ASCII letters.
const QUOTED_LOCAL =
  // eslint-disable-next-line no-control-regex
  /^([\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]|(\\[\x01-\x09\x0b\x0c\x0d-\x7f\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]))*$/i;
const TLD = /^([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$/i;
const LABEL = /^[a-z\u00a1-\uffff0-9-]+$/i;
const FULL_WIDTH = /[\uff01-\uff5e]/;

/** Bytes in UTF-8 (no TextEncoder: not every environment the forms are tested in has one). */
function byteLength(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function isDomainName(domain: string): boolean {
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (labels.length < 2 || !TLD.test(tld) || /\s/.test(tld) || /^\d+$/.test(tld)) return false;
  return labels.every(
    (label) => label.length <= LABEL_MAX && LABEL.test(label) && !FULL_WIDTH.test(label) && !/^-|-$/.test(label),
  );
}

/** Whether `address` is an account's e-mail address, exactly as `@IsEmail()` judged one (no trimming). */
export function isEmailAddress(address: string): boolean {
  if (address.length > EMAIL_MAX) return false;
  const parts = address.split("@");
  const domain = parts.pop() ?? "";
  let local = parts.join("@");
  if (byteLength(local) > LOCAL_PART_MAX_BYTES || byteLength(domain) > DOMAIN_MAX_BYTES) return false;
  if (!isDomainName(domain)) return false;
  if (local.startsWith('"') && local.endsWith('"')) {
    local = local.slice(1, -1);
    return QUOTED_LOCAL.test(local);
  }
  return local.split(".").every((run) => LOCAL_RUN.test(run));
}

/** How addresses are stored and compared: trimmed, lower case. */
export const normaliseEmail = (address: string): string => address.trim().toLowerCase();

/** An account's or an invitee's address, as sent (sign-up, sign-in, invitations). */
export const emailAddress = z.string().check(
  z.maxLength(EMAIL_MAX, EMAIL_MESSAGES.tooLong),
  z.refine((value) => value.length > EMAIL_MAX || isEmailAddress(value), EMAIL_MESSAGES.invalid),
);

/**
 * Contacts and leads (and the voice agent's bookings) take any `something@something.something`
 * without white space, at most 254 characters, judged once trimmed and lower-cased. Looser than
 * the account rule (it takes `x@b.c`, `a..b@example.com`): kept as it was, so no stored contact
 * becomes uneditable; making it the account rule is a product decision of its own.
 */
export const CONTACT_EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isContactEmail(address: string): boolean {
  return address.length <= EMAIL_MAX && CONTACT_EMAIL_RE.test(address);
}

/** A contact's or lead's optional address, as typed: blank means none; otherwise normalised, then checked. */
export const optionalContactEmail = z
  .string()
  .check(
    z.refine((value) => normaliseEmail(value) === "" || isContactEmail(normaliseEmail(value)), EMAIL_MESSAGES.invalid),
  );
