// R2 deduplication keys: a normalised e-mail and an E.164 phone number. The rules and their
// messages are @atrium/validation's (the web forms say the same); a refusal names the field with
// the sentence to show beside it.
import { EMAIL_MESSAGES, isContactEmail, normaliseEmail, PHONE_MESSAGES, toE164 } from "@atrium/validation";

import { badInput } from "../../platform/errors.ts";

export function normaliseContactEmail(raw: string | null | undefined): string | null {
  const v = raw == null ? "" : normaliseEmail(raw);
  if (!v) return null;
  if (!isContactEmail(v)) throw badInput(EMAIL_MESSAGES.invalid, { email: EMAIL_MESSAGES.invalid });
  return v;
}

/**
 * "+44 20 7946-0958", "0044 (20) 79460958" → "+442079460958"; null when blank. A country code is
 * required. `field` names the input field in the refusal (`phone`, or a phone config's `number`).
 */
export function normalisePhone(raw: string | null | undefined, field = "phone"): string | null {
  if (!raw?.trim()) return null;
  const e164 = toE164(raw);
  if (e164 === undefined) throw badInput(PHONE_MESSAGES.invalid, { [field]: PHONE_MESSAGES.invalid });
  return e164;
}
