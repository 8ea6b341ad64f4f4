/**
 * Why a session ended, as far as the app can tell, and what the sign-in page says about it.
 * A production workspace ends idle sessions after 15 minutes (SPEC W7): the API answers
 * UNAUTHENTICATED with `extensions.reason = "IDLE_TIMEOUT"` and has already ended the
 * session, so refreshing is pointless — the user is asked to sign in again, and told why.
 */
import i18n from "i18next";

import { errorCode, errorReason, IDLE_TIMEOUT_MESSAGE, idleTimeoutMessage } from "./errors.ts";

export { IDLE_TIMEOUT_MESSAGE };

export type SessionEndReason = "idle-timeout" | "expired";

/** True for the API's answer to a request after the production idle timeout. */
export function isIdleTimeout(error: unknown): boolean {
  return errorCode(error) === "UNAUTHENTICATED" && errorReason(error) === "IDLE_TIMEOUT";
}

/** The reason to pass to sign-in for an error that ended the session. */
export function sessionEndReason(error: unknown): SessionEndReason {
  return isIdleTimeout(error) ? "idle-timeout" : "expired";
}

/** The `reason` query parameter of /signin, read back; anything unknown says nothing. */
export function sessionEndMessage(reason: string | null): string | undefined {
  switch (reason) {
    case "idle-timeout":
      return idleTimeoutMessage();
    case "expired":
      return i18n.t("errors.UNAUTHENTICATED", { ns: "common" });
    default:
      return undefined;
  }
}
