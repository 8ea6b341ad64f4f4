// A person's own account (issue 49, decision 0038). The Contract's requestPasswordReset,
// resetPassword and changePassword, and around them: changing the e-mail address (with a revert
// link to the old one) and deleting the account. Signed-in operations are for a user session,
// never an API key; the link operations are public (a link may be opened in any browser).
import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";

import { currentPassword, emailAddress, newPassword, problemOf } from "@atrium/validation";

import { Authenticated, Public, requireUser } from "../../platform/authz/guards.ts";
import { badInput } from "../../platform/errors.ts";
import type { RequestContext, UserPrincipal } from "../../platform/graphql/context.ts";
import { clearAuthCookies } from "../../platform/http/cookies.ts";
import { SoleOwnedWorkspaceView } from "./account.types.ts";

const TOKEN_MAX = 512;

function checked(schema: Parameters<typeof problemOf>[0], value: string, field: string): string {
  const problem = problemOf(schema, value);
  if (problem) throw badInput(problem, { [field]: problem });
  return value;
}

function checkedToken(token: string): string {
  if (token.length === 0 || token.length > TOKEN_MAX) throw badInput("This link is invalid.", { token: "invalid" });
  return token;
}

const accountUser = (p: UserPrincipal) => ({
  userId: p.userId,
  sessionId: p.sessionId,
  stepUpVerifiedAt: p.stepUpVerifiedAt,
});

@Resolver()
export class AccountResolver {
  @Mutation(() => Boolean, {
    description:
      "Mails a password reset link (30 minutes, single use) if an account has this address. Always true, for known and unknown addresses alike; rate-limited per address and per IP.",
  })
  @Public()
  async requestPasswordReset(
    @Arg("email", () => String, { description: "The account's e-mail address, at most 254 characters." }) email: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.account.requestPasswordReset(checked(emailAddress, email, "email"), ctx.actor);
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with the token of a reset link. A weak password is BAD_USER_INPUT, reason WEAK_PASSWORD, with `extensions.feedback`, and keeps the link. Every session of the account ends.",
  })
  @Public()
  async resetPassword(
    @Arg("token", () => String, { description: "The token from the reset link (valid 30 minutes, once)." })
    token: string,
    @Arg("password", () => String, {
      description: "The new password: 10–256 characters, and not too guessable (WEAK_PASSWORD otherwise).",
    })
    password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    checkedToken(token);
    return ctx.services.account.resetPassword(token, checked(newPassword, password, "password"), ctx.actor);
  }

  @Mutation(() => Boolean, {
    description:
      "Changes the signed-in user's password: the current one is required (a wrong one is BAD_USER_INPUT, reason WRONG_PASSWORD), and a step-up verification when a workspace of the user requires it. Other sessions end.",
  })
  @Authenticated()
  async changePassword(
    @Arg("currentPassword", () => String, { description: "The current password, at most 256 characters." })
    current: string,
    @Arg("newPassword", () => String, {
      description: "The new password: 10–256 characters, and not too guessable (WEAK_PASSWORD otherwise).",
    })
    next: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const p = requireUser(ctx);
    return ctx.services.account.changePassword(
      accountUser(p),
      checked(currentPassword, current, "currentPassword"),
      checked(newPassword, next, "newPassword"),
      ctx.actor,
    );
  }

  @Mutation(() => Boolean, {
    description:
      "Asks to move the signed-in user's account to a new e-mail address: mails it a confirmation link (24 hours). Needs the current password (and step-up when required). Always true for a well-formed address.",
  })
  @Authenticated()
  async requestEmailChange(
    @Arg("newEmail", () => String, { description: "The new e-mail address, at most 254 characters." }) newEmail: string,
    @Arg("currentPassword", () => String, { description: "The account's current password, at most 256 characters." })
    current: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const p = requireUser(ctx);
    return ctx.services.account.requestEmailChange(
      accountUser(p),
      checked(emailAddress, newEmail, "newEmail"),
      checked(currentPassword, current, "currentPassword"),
      ctx.actor,
    );
  }

  @Mutation(() => Boolean, {
    description:
      "Confirms an e-mail change with the token mailed to the new address; the old address gets a revert link valid 7 days.",
  })
  @Public()
  async confirmEmailChange(
    @Arg("token", () => String, { description: "The token from the link mailed to the new address." }) token: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.account.confirmEmailChange(checkedToken(token), ctx.actor);
  }

  @Mutation(() => Boolean, {
    description:
      "Restores the previous e-mail address with the token mailed to it (7 days, once); every session of the account ends.",
  })
  @Public()
  async revertEmailChange(
    @Arg("token", () => String, {
      description: "The token from the link mailed to the previous address (valid 7 days, once).",
    })
    token: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.account.revertEmailChange(checkedToken(token), ctx.actor);
  }

  @Query(() => [SoleOwnedWorkspaceView], {
    description:
      "Workspaces the signed-in user is the only owner of: they block deleting the account until ownership is transferred or they are deleted.",
  })
  @Authenticated()
  async soleOwnedWorkspaces(@Ctx() ctx: RequestContext): Promise<SoleOwnedWorkspaceView[]> {
    return ctx.services.account.soleOwnedWorkspaces(requireUser(ctx).userId);
  }

  @Mutation(() => Boolean, {
    description:
      "Deletes the signed-in user's account: memberships, sessions, second factors and the API keys they created go; audit entries keep the user's id only. Refused with CONFLICT, reason SOLE_OWNER and `extensions.workspaces`, while the user is the only owner of a workspace. Needs the current password (and step-up when required).",
  })
  @Authenticated()
  async deleteAccount(
    @Arg("currentPassword", () => String, { description: "The account's current password, at most 256 characters." })
    current: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const p = requireUser(ctx);
    await ctx.services.account.deleteAccount(
      accountUser(p),
      checked(currentPassword, current, "currentPassword"),
      ctx.actor,
    );
    clearAuthCookies(ctx.reply);
    return true;
  }
}
