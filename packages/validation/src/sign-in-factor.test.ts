import { describe, expect, it } from "@atrium/test-kit";

import { problemOf } from "./problems.ts";
import {
  normaliseRecoveryCode,
  normaliseTotpCode,
  RECOVERY_CODE_MESSAGES,
  recoveryCode,
  TOTP_CODE_MESSAGES,
  totpCode,
} from "./sign-in-factor.ts";

describe("second-step codes of sign-in", () => {
  it("a TOTP code is six digits, spaces as authenticator apps show them allowed", () => {
    expect(problemOf(totpCode, "123456")).toBeUndefined();
    expect(problemOf(totpCode, " 123 456 ")).toBeUndefined();
    expect(normaliseTotpCode(" 123 456 ")).toBe("123456");
    for (const bad of ["", "12345", "1234567", "12345a", "ABCDE-23456"])
      expect(problemOf(totpCode, bad)).toBe(TOTP_CODE_MESSAGES.invalid);
  });

  it("a recovery code is ten letters and digits, in any case, with or without its dash", () => {
    expect(problemOf(recoveryCode, "ABCDE-23456")).toBeUndefined();
    expect(problemOf(recoveryCode, " abcde23456 ")).toBeUndefined();
    expect(normaliseRecoveryCode(" abcde-23456 ")).toBe("ABCDE-23456");
    for (const bad of ["", "123456", "ABCDE-2345", "ABCDE-234567", "ABCDE_23456"])
      expect(problemOf(recoveryCode, bad)).toBe(RECOVERY_CODE_MESSAGES.invalid);
  });
});
