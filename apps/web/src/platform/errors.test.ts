import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

import { describe, expect, it } from "@atrium/test-kit";
import { ERROR_CODES } from "@atrium/validation";

import { describeError, errorCode, errorReason } from "./errors.ts";

function graphQLError(code: string, message = "server message", extensions: Record<string, unknown> = {}) {
  return new CombinedGraphQLErrors({ data: null, errors: [{ message, extensions: { code, ...extensions } }] });
}

describe("describeError", () => {
  it("gives every Contract code its own non-empty message", () => {
    const messages = ERROR_CODES.map((code) => describeError(graphQLError(code, "")).message);
    expect(messages.every((message) => message.length > 0)).toBe(true);
    expect(new Set(messages).size).toBe(ERROR_CODES.length);
  });

  it("never shows the server message for codes not written for users", () => {
    const described = describeError(graphQLError("INTERNAL_SERVER_ERROR", 'relation "users" does not exist'));
    expect(described.code).toBe("INTERNAL_SERVER_ERROR");
    expect(described.message).not.toContain("relation");
  });

  it("shows the server message and field errors for BAD_USER_INPUT", () => {
    const described = describeError(
      graphQLError("BAD_USER_INPUT", "Invalid input", { fields: { slug: "This slug is reserved", other: 3 } }),
    );
    expect(described).toEqual({
      code: "BAD_USER_INPUT",
      message: "Invalid input",
      fields: { slug: "This slug is reserved" },
    });
  });

  it("shows the server message for CONFLICT", () => {
    expect(describeError(graphQLError("CONFLICT", "That slug is taken")).message).toBe("That slug is taken");
  });

  it("tells an unverified user to verify their email", () => {
    const described = describeError(graphQLError("EMAIL_NOT_VERIFIED"));
    expect(described.code).toBe("EMAIL_NOT_VERIFIED");
    expect(described.message).toMatch(/verify your email/i);
  });

  it("lets a form override the message of one code", () => {
    const overrides = { UNAUTHENTICATED: "Email or password is incorrect." };
    expect(describeError(graphQLError("UNAUTHENTICATED"), overrides).message).toBe("Email or password is incorrect.");
    expect(describeError(graphQLError("RATE_LIMITED"), overrides).message).toMatch(/too many attempts/i);
  });

  it("maps an unknown code to a generic message", () => {
    const described = describeError(graphQLError("SOMETHING_NEW", "stack trace here"));
    expect(described.code).toBe("UNKNOWN");
    expect(described.message).not.toContain("stack trace");
  });

  it("reads the code from a non-2xx JSON body Apollo could not parse as GraphQL", () => {
    const body = JSON.stringify({ errors: [{ message: "slow down", extensions: { code: "RATE_LIMITED" } }] });
    const error = new ServerError("Response not successful", {
      response: new Response(body, { status: 429 }),
      bodyText: body,
    });
    expect(errorCode(error)).toBe("RATE_LIMITED");
    expect(describeError(error).message).toMatch(/too many attempts/i);
  });

  it("falls back to the HTTP status when the body is not GraphQL", () => {
    const error = new ServerError("Response not successful", {
      response: new Response("nope", { status: 401 }),
      bodyText: "nope",
    });
    expect(errorCode(error)).toBe("UNAUTHENTICATED");
  });

  it("reports a failed fetch as a network problem", () => {
    const described = describeError(new TypeError("Failed to fetch"));
    expect(described.code).toBe("NETWORK");
    expect(described.message).toMatch(/couldn't reach the server/i);
  });
});

describe("errorReason", () => {
  it("reads extensions.reason of the first error", () => {
    expect(errorReason(graphQLError("BAD_USER_INPUT", "used", { reason: "INVITATION_USED" }))).toBe("INVITATION_USED");
  });

  it("is undefined without a reason or for a network failure", () => {
    expect(errorReason(graphQLError("NOT_FOUND"))).toBeUndefined();
    expect(errorReason(new TypeError("Failed to fetch"))).toBeUndefined();
  });
});
