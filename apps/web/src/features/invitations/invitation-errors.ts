/**
 * What to tell someone whose invitation link does not work (SPEC M4). The API answers
 * BAD_USER_INPUT with a reason for used, revoked and expired links, NOT_FOUND for a token it
 * does not know, and FORBIDDEN (INVITATION_FOR_ANOTHER_ACCOUNT) when the signed-in account is
 * not the invited address.
 */
import i18n from "i18next";

import { describeError, errorCode, errorReason, type UserFacingError } from "../../platform/errors.ts";

export type InvitationProblem = "USED" | "REVOKED" | "EXPIRED" | "UNKNOWN_TOKEN" | "ANOTHER_ACCOUNT" | "ALREADY_MEMBER";

/** What to tell the person about a problem, in the page's language. */
export function invitationProblemMessage(problem: InvitationProblem): string {
  return i18n.t(`problems.${problem}`, { ns: "invitations" });
}

/** The invitation-specific problem behind an error, if it is one. */
export function invitationProblem(error: unknown): InvitationProblem | undefined {
  const reason = errorReason(error);
  if (reason === "INVITATION_USED") return "USED";
  if (reason === "INVITATION_REVOKED") return "REVOKED";
  if (reason === "INVITATION_EXPIRED") return "EXPIRED";
  if (reason === "INVITATION_FOR_ANOTHER_ACCOUNT") return "ANOTHER_ACCOUNT";
  const code = errorCode(error);
  if (code === "NOT_FOUND") return "UNKNOWN_TOKEN";
  // An over-long or malformed token is refused as input without a reason.
  if (code === "BAD_USER_INPUT") return "UNKNOWN_TOKEN";
  if (code === "CONFLICT") return "ALREADY_MEMBER";
  return undefined;
}

export function describeInvitationError(error: unknown): UserFacingError & { readonly problem?: InvitationProblem } {
  const problem = invitationProblem(error);
  const described = describeError(error);
  return problem === undefined ? described : { ...described, message: invitationProblemMessage(problem), problem };
}
