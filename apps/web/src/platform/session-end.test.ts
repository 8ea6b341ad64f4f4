import { CombinedGraphQLErrors } from "@apollo/client/errors";

import { describe, expect, it } from "@atrium/test-kit";

import { describeError } from "./errors.ts";
import { IDLE_TIMEOUT_MESSAGE, isIdleTimeout, sessionEndMessage, sessionEndReason } from "./session-end.ts";
import { signInPath } from "./session.tsx";

function graphQLError(extensions: Record<string, unknown>) {
  return new CombinedGraphQLErrors({ data: null, errors: [{ message: "Session ended", extensions }] });
}

const idle = graphQLError({ code: "UNAUTHENTICATED", reason: "IDLE_TIMEOUT" });
const expired = graphQLError({ code: "UNAUTHENTICATED" });

describe("idle timeout", () => {
  it("recognises UNAUTHENTICATED with reason IDLE_TIMEOUT only", () => {
    expect(isIdleTimeout(idle)).toBe(true);
    expect(isIdleTimeout(expired)).toBe(false);
    expect(isIdleTimeout(graphQLError({ code: "FORBIDDEN", reason: "IDLE_TIMEOUT" }))).toBe(false);
    expect(isIdleTimeout(new Error("network"))).toBe(false);
  });

  it("maps the error to the sign-in reason and the reason to the message", () => {
    expect(sessionEndReason(idle)).toBe("idle-timeout");
    expect(sessionEndReason(expired)).toBe("expired");
    expect(sessionEndMessage("idle-timeout")).toBe(IDLE_TIMEOUT_MESSAGE);
    expect(IDLE_TIMEOUT_MESSAGE).toMatch(/15 minutes of inactivity/);
    expect(sessionEndMessage("expired")).toMatch(/session has ended/);
    expect(sessionEndMessage(null)).toBeUndefined();
    expect(sessionEndMessage("<script>")).toBeUndefined();
  });

  it("describes the error with the inactivity message, not the generic one", () => {
    expect(describeError(idle).message).toBe(IDLE_TIMEOUT_MESSAGE);
    expect(describeError(expired).message).not.toBe(IDLE_TIMEOUT_MESSAGE);
  });

  it("carries the reason to the sign-in page with the path to return to", () => {
    expect(signInPath("/w/acme/settings", "idle-timeout")).toBe(
      "/signin?next=%2Fw%2Facme%2Fsettings&reason=idle-timeout",
    );
    expect(signInPath("/", "idle-timeout")).toBe("/signin?reason=idle-timeout");
    expect(signInPath("/w/acme")).toBe("/signin?next=%2Fw%2Facme");
    expect(signInPath("/")).toBe("/signin");
  });
});
