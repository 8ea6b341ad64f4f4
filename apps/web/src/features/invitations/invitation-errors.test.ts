import { CombinedGraphQLErrors } from "@apollo/client/errors";

import { describe, expect, it } from "@atrium/test-kit";

import { describeInvitationError, invitationProblem } from "./invitation-errors.ts";

function graphQLError(code: string, extensions: Record<string, unknown> = {}) {
  return new CombinedGraphQLErrors({
    data: null,
    errors: [{ message: "server says", extensions: { code, ...extensions } }],
  });
}

describe("invitationProblem", () => {
  it.each([
    ["BAD_USER_INPUT", "INVITATION_USED", "USED"],
    ["BAD_USER_INPUT", "INVITATION_REVOKED", "REVOKED"],
    ["BAD_USER_INPUT", "INVITATION_EXPIRED", "EXPIRED"],
    ["FORBIDDEN", "INVITATION_FOR_ANOTHER_ACCOUNT", "ANOTHER_ACCOUNT"],
  ])("maps %s/%s to %s", (code, reason, problem) => {
    expect(invitationProblem(graphQLError(code, { reason }))).toBe(problem);
  });

  it("treats an unknown or malformed token as an invalid link", () => {
    expect(invitationProblem(graphQLError("NOT_FOUND"))).toBe("UNKNOWN_TOKEN");
    expect(invitationProblem(graphQLError("BAD_USER_INPUT", { fields: { token: "invalid" } }))).toBe("UNKNOWN_TOKEN");
  });

  it("leaves other errors to the generic messages", () => {
    expect(invitationProblem(graphQLError("RATE_LIMITED"))).toBeUndefined();
    expect(describeInvitationError(graphQLError("RATE_LIMITED")).message).toMatch(/too many attempts/i);
  });

  it("explains an expired link in words, not the server's", () => {
    const described = describeInvitationError(graphQLError("BAD_USER_INPUT", { reason: "INVITATION_EXPIRED" }));
    expect(described.problem).toBe("EXPIRED");
    expect(described.message).toMatch(/expired/);
    expect(described.message).not.toBe("server says");
  });
});
