import { describe, expect, it } from "@atrium/test-kit";

import {
  ACCOUNT_MESSAGES,
  changeEmailForm,
  changePasswordForm,
  deleteAccountForm,
  forgotPasswordForm,
  resetPasswordForm,
} from "./account.ts";
import { PASSWORD_MESSAGES } from "./fields.ts";
import { fieldProblems } from "./problems.ts";

describe("account forms", () => {
  it("forgot password needs a well-formed address", () => {
    expect(fieldProblems(forgotPasswordForm, { email: "jane@example.com" })).toEqual({});
    expect(Object.keys(fieldProblems(forgotPasswordForm, { email: "not an address" }))).toEqual(["email"]);
  });

  it("a reset password is long enough and typed the same twice", () => {
    expect(
      fieldProblems(resetPasswordForm, {
        password: "violet-orbit-kettle-57",
        confirmPassword: "violet-orbit-kettle-57",
      }),
    ).toEqual({});
    expect(fieldProblems(resetPasswordForm, { password: "short", confirmPassword: "short" })).toEqual({
      password: PASSWORD_MESSAGES.tooShort,
    });
    expect(
      fieldProblems(resetPasswordForm, {
        password: "violet-orbit-kettle-57",
        confirmPassword: "violet-orbit-kettle-58",
      }),
    ).toEqual({ confirmPassword: ACCOUNT_MESSAGES.passwordsDiffer });
  });

  it("changing the password or the address needs the current password", () => {
    expect(fieldProblems(changePasswordForm, { currentPassword: "", newPassword: "violet-orbit-kettle-57" })).toEqual({
      currentPassword: PASSWORD_MESSAGES.required,
    });
    expect(fieldProblems(changePasswordForm, { currentPassword: "old", newPassword: "short" })).toEqual({
      newPassword: PASSWORD_MESSAGES.tooShort,
    });
    expect(fieldProblems(changeEmailForm, { newEmail: "new@example.com", currentPassword: "" })).toEqual({
      currentPassword: PASSWORD_MESSAGES.required,
    });
  });

  it("deleting the account needs the typed phrase", () => {
    expect(fieldProblems(deleteAccountForm, { currentPassword: "x", confirmation: " Delete my account " })).toEqual({});
    expect(fieldProblems(deleteAccountForm, { currentPassword: "x", confirmation: "delete" })).toEqual({
      confirmation: ACCOUNT_MESSAGES.deleteConfirmation,
    });
  });
});
