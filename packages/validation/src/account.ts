/**
 * A person's own account (issue 49, decision 0038): asking for a password reset, choosing the new
 * password from the link, changing the password or the e-mail address, deleting the account. The
 * API checks the same fields with the same rules (and, for a new password, its strength with
 * zxcvbn on the server: the dictionaries are too large for the web bundle).
 */
import * as z from "zod/mini";

import { emailAddress } from "./email.ts";
import { currentPassword, newPassword } from "./fields.ts";

/** The phrase typed to confirm deleting one's account. */
export const DELETE_ACCOUNT_PHRASE = "delete my account";
export const ACCOUNT_MESSAGES = {
  deleteConfirmation: `Type “${DELETE_ACCOUNT_PHRASE}” to confirm.`,
  passwordsDiffer: "The two passwords are not the same.",
} as const;

/** "Forgot password?": the address to send the link to. */
export const forgotPasswordForm = z.object({ email: emailAddress });
export type ForgotPasswordForm = z.infer<typeof forgotPasswordForm>;

/** The page a reset link opens: the new password, typed twice. */
export const resetPasswordForm = z.object({ password: newPassword, confirmPassword: z.string() }).check(
  z.refine((v) => v.password === v.confirmPassword, {
    message: ACCOUNT_MESSAGES.passwordsDiffer,
    path: ["confirmPassword"],
  }),
);
export type ResetPasswordForm = z.infer<typeof resetPasswordForm>;

/** Account → change password. */
export const changePasswordForm = z.object({ currentPassword, newPassword });
export type ChangePasswordForm = z.infer<typeof changePasswordForm>;

/** Account → change e-mail address (the password confirms it is the account's holder). */
export const changeEmailForm = z.object({ newEmail: emailAddress, currentPassword });
export type ChangeEmailForm = z.infer<typeof changeEmailForm>;

/** Account → delete my account. */
export const deleteAccountForm = z.object({
  currentPassword,
  confirmation: z
    .string()
    .check(z.refine((v) => v.trim().toLowerCase() === DELETE_ACCOUNT_PHRASE, ACCOUNT_MESSAGES.deleteConfirmation)),
});
export type DeleteAccountForm = z.infer<typeof deleteAccountForm>;
