// New-password strength (issue 49): zxcvbn-ts with the common and English dictionaries, the
// person's own e-mail and name counted as guessable words. Score 0–4; at least
// MIN_PASSWORD_SCORE is required when a password is reset or changed. The length rules
// (@atrium/validation `newPassword`) are checked before this, by the resolver.
//
// The dictionaries cost about half a second and ~8 MB of heap, so they are imported and the
// checker built on first use, once per process (an API that never sees a new password never
// holds them: decision 0055, "memory"), and never in the web bundle: the web app shows the API's
// feedback (extensions.feedback) beside the field.
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

import { AppError, ErrorCode } from "../../platform/errors.ts";
import { loadOnce } from "../../platform/load-once.ts";

/** "Safely unguessable" in zxcvbn's terms: about 10^10 guesses. */
export const MIN_PASSWORD_SCORE = 3;

const zxcvbn = loadOnce(async (): Promise<ZxcvbnFactory> => {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-en"),
  ]);
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
});

export interface PasswordVerdict {
  score: number;
  warning: string | null;
  suggestions: string[];
}

/** zxcvbn's verdict on `password`, with the words of `personal` (e-mail, name) counted as known. */
export async function ratePassword(password: string, personal: readonly string[]): Promise<PasswordVerdict> {
  const words = personal.flatMap((p) => [p, ...p.split(/[^\p{L}\p{N}]+/u)]).filter((w) => w.length >= 3);
  const r = (await zxcvbn()).check(password, words);
  return { score: r.score, warning: r.feedback.warning ?? null, suggestions: r.feedback.suggestions };
}

/**
 * Throws BAD_USER_INPUT, reason WEAK_PASSWORD, with zxcvbn's feedback (a warning and suggestions a
 * person can act on) in the message, `fields[field]` and `extensions.feedback`.
 */
export async function assertStrongPassword(
  password: string,
  personal: readonly string[],
  field = "password",
): Promise<void> {
  const v = await ratePassword(password, personal);
  if (v.score >= MIN_PASSWORD_SCORE) return;
  const advice = [v.warning, ...v.suggestions].filter((s): s is string => !!s);
  const message = `This password is too easy to guess.${advice.length ? ` ${advice.join(" ")}` : " Add more words that are less common."}`;
  throw new AppError(ErrorCode.BAD_USER_INPUT, message, {
    reason: "WEAK_PASSWORD",
    fields: { [field]: message },
    feedback: { score: v.score, minScore: MIN_PASSWORD_SCORE, warning: v.warning, suggestions: v.suggestions },
  });
}
