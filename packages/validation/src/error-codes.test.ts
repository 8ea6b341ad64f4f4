import { describe, expect, it } from "@atrium/test-kit";

import { ERROR_CODES, ErrorCode, isErrorCode } from "./error-codes.ts";

describe("error codes", () => {
  it("lists the Contract's codes, each its own name", () => {
    expect(ERROR_CODES).toEqual([
      "UNAUTHENTICATED",
      "FORBIDDEN",
      "NOT_FOUND",
      "BAD_USER_INPUT",
      "CONFLICT",
      "RATE_LIMITED",
      "EMAIL_NOT_VERIFIED",
      "PERSISTED_QUERY_NOT_FOUND",
      "STEP_UP_REQUIRED",
      "SERVICE_UNAVAILABLE",
      "INTERNAL_SERVER_ERROR",
    ]);
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });

  it("recognises a code", () => {
    expect(isErrorCode("CONFLICT")).toBe(true);
    expect(isErrorCode("NETWORK")).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
