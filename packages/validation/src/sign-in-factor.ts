/**
 * The second step of signing in to an account with an authenticator app (issue 56): a 6-digit
 * code from the app, or one of the account's recovery codes. Authenticator apps show the code as
 * "123 456" and recovery codes are typed by hand, so both are checked (and sent) normalised; the
 * API accepts either in one `code` argument (`stepUpCode`) and tells them apart the same way.
 */
import * as z from "zod/mini";

export const TOTP_CODE_MESSAGES = { invalid: "Enter the 6-digit code from your authenticator app." } as const;
export const RECOVERY_CODE_MESSAGES = {
  invalid: "Enter one of your recovery codes: 10 letters and digits, like ABCDE-23456.",
} as const;

/** "123 456" → "123456". */
export const normaliseTotpCode = (code: string): string => code.replace(/\s/g, "");
/** " abcde-23456 " → "ABCDE-23456": upper case, no spaces (the dash may stay; the API ignores it). */
export const normaliseRecoveryCode = (code: string): string => code.toUpperCase().replace(/\s/g, "");

export const totpCode = z
  .string()
  .check(z.refine((code) => /^\d{6}$/.test(normaliseTotpCode(code)), TOTP_CODE_MESSAGES.invalid));
export const recoveryCode = z
  .string()
  .check(
    z.refine(
      (code) => /^[A-Z0-9]{10}$/.test(normaliseRecoveryCode(code).replace(/-/g, "")),
      RECOVERY_CODE_MESSAGES.invalid,
    ),
  );

/** The second step with the authenticator app. */
export const signInTotpForm = z.object({ code: totpCode });
export type SignInTotpForm = z.infer<typeof signInTotpForm>;

/** The second step with a recovery code. */
export const signInRecoveryForm = z.object({ code: recoveryCode });
export type SignInRecoveryForm = z.infer<typeof signInRecoveryForm>;
