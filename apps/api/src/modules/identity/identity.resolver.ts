import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";

import { newPassword, problemOf, stepUpCode } from "@atrium/validation";

import { Authenticated, Public, requireUser } from "../../platform/authz/guards.ts";
import { badInput, unauthenticated } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { clearAuthCookies, readCookie, REFRESH_COOKIE, setAuthCookies } from "../../platform/http/cookies.ts";
import { MembershipView } from "../workspaces/workspaces.types.ts";
import type { IssuedSession } from "./identity.service.ts";
import {
  AuthPayload,
  EmailVerificationResult,
  SignInInput,
  SignUpInput,
  SignUpPayload,
  UserView,
  type GlobalRole,
} from "./identity.types.ts";

const TOKEN_MAX = 512;

function toAuthPayload(s: IssuedSession): AuthPayload {
  return {
    accessToken: s.accessToken,
    refreshToken: s.refreshToken,
    expiresAt: s.expiresAt,
    user: { ...s.user, globalRole: s.user.globalRole as GlobalRole, memberships: [] },
  };
}

@Resolver(() => UserView)
export class IdentityResolver {
  @Query(() => UserView, { nullable: true, description: "The signed-in user, or null when signed out." })
  @Public()
  async me(@Ctx() ctx: RequestContext): Promise<UserView | null> {
    if (!ctx.principal) {
      // A presented but refused credential is an error (the web app refreshes on it); no credential is null.
      if (ctx.authFailure) throw unauthenticated(ctx.authFailure);
      return null;
    }
    const user = await ctx.services.identity.me(ctx.principal.userId, ctx.actor);
    return user ? { ...user, globalRole: user.globalRole as GlobalRole, memberships: [] } : null;
  }

  @FieldResolver(() => [MembershipView])
  async memberships(@Root() user: UserView, @Ctx() ctx: RequestContext): Promise<MembershipView[]> {
    // Only ever the caller's own memberships (RLS: memberships of app.user_id).
    if (ctx.principal?.userId !== user.id) return [];
    return ctx.services.workspaces.listMemberships(user.id, ctx.actor);
  }

  @Mutation(() => SignUpPayload, {
    description: "Creates an account and sends a verification e-mail. Never reveals whether the address is taken.",
  })
  @Public()
  async signUp(
    @Arg("input", () => SignUpInput, {
      description: "The new account's e-mail, password and name, and an invitation token if any.",
    })
    input: SignUpInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SignUpPayload> {
    const user = await ctx.services.identity.signUp(input, ctx.actor);
    return { user: { ...user, globalRole: user.globalRole as GlobalRole, memberships: [] } };
  }

  @Mutation(() => Boolean, {
    description:
      "Verifies an e-mail address with the token from its link. An account's first verification also sets its password: `password` is required then (the one chosen at sign-up, or a new one), and sessions from before end.",
  })
  @Public()
  async verifyEmail(
    @Arg("token", () => String, { description: "The token from the verification link." }) token: string,
    @Arg("password", () => String, {
      description:
        "The password to set: required on an account's first verification when it has none (PASSWORD_REQUIRED otherwise); 10–256 characters.",
      nullable: true,
    })
    password: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    if (token.length === 0 || token.length > TOKEN_MAX)
      throw badInput("This verification link is invalid.", { token: "invalid" });
    if (password != null) {
      const problem = problemOf(newPassword, password);
      if (problem) throw badInput(problem, { password: problem });
    }
    return ctx.services.identity.verifyEmail(token, password, ctx.actor);
  }

  @Mutation(() => EmailVerificationResult, {
    description:
      "verifyEmail with the password, and signs the person in: an account's first verification proves the mailbox and sets the password, so it starts a session (also set as the web app's cookies).",
  })
  @Public()
  async verifyEmailAndSignIn(
    @Arg("token", () => String, { description: "The token from the verification link." }) token: string,
    @Arg("password", () => String, {
      description: "The account's password (set now on a first verification): 10–256 characters.",
    })
    password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<EmailVerificationResult> {
    if (token.length === 0 || token.length > TOKEN_MAX)
      throw badInput("This verification link is invalid.", { token: "invalid" });
    const problem = problemOf(newPassword, password);
    if (problem) throw badInput(problem, { password: problem });
    const session = await ctx.services.identity.verifyEmailAndSignIn(token, password, ctx.actor);
    if (!session) return { session: null };
    setAuthCookies(ctx.reply, session, ctx.services.config);
    return { session: toAuthPayload(session) };
  }

  @Mutation(() => Boolean, {
    description: "Sends a new verification link if the account exists and is unverified; always true.",
  })
  @Public()
  async resendVerificationEmail(
    @Arg("email", () => String, { description: "The account's e-mail address, at most 254 characters." }) email: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    if (email.length > 254 || !email.includes("@"))
      throw badInput("Enter a valid e-mail address.", { email: "invalid" });
    return ctx.services.identity.resendVerification(email, ctx.actor);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Signs in. Also sets httpOnly session cookies for the web app. An account with an authenticator app gets no session for the password alone: UNAUTHENTICATED, reason SECOND_FACTOR_REQUIRED, with `extensions.challenge` for completeSignIn (5 minutes).",
  })
  @Public()
  async signIn(
    @Arg("input", () => SignInInput, { description: "The account's e-mail address and password." }) input: SignInInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    const session = await ctx.services.identity.signIn(input, ctx.actor);
    setAuthCookies(ctx.reply, session, ctx.services.config);
    return toAuthPayload(session);
  }

  @Mutation(() => AuthPayload, {
    description:
      "The second step of signing in to an account with an authenticator app: signIn's challenge and a 6-digit code or a recovery code. Creates the session (verified for step-up); also sets the web app's cookies. A wrong code is BAD_USER_INPUT and counts against the sign-in budgets; an expired or used challenge is UNAUTHENTICATED, reason SIGN_IN_CHALLENGE_EXPIRED.",
  })
  @Public()
  async completeSignIn(
    @Arg("challenge", () => String, {
      description: "The challenge signIn returned in extensions (valid for 5 minutes).",
    })
    challenge: string,
    @Arg("code", () => String, {
      description: "A 6-digit code from the authenticator app, or an unused recovery code; at most 32 characters.",
    })
    code: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    if (challenge.length === 0 || challenge.length > TOKEN_MAX)
      throw badInput("This sign-in is invalid. Enter your password again.", { challenge: "invalid" });
    const problem = problemOf(stepUpCode, code);
    if (problem) throw badInput(problem, { code: problem });
    const session = await ctx.services.identity.completeSignIn(challenge, code.trim(), ctx.actor);
    setAuthCookies(ctx.reply, session, ctx.services.config);
    return toAuthPayload(session);
  }

  @Mutation(() => AuthPayload, {
    description: "Rotates a refresh token (argument, or the web app's cookie) into a new session pair.",
  })
  @Public()
  async refreshSession(
    @Arg("refreshToken", () => String, {
      description: "The refresh token; null uses the web app's httpOnly cookie.",
      nullable: true,
    })
    refreshToken: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    const token = refreshToken ?? readCookie(ctx.request, REFRESH_COOKIE);
    if (!token || token.length > TOKEN_MAX)
      throw unauthenticated("REFRESH_TOKEN_INVALID", "Your session has ended. Sign in again.");
    try {
      const session = await ctx.services.identity.refresh(token, ctx.actor);
      setAuthCookies(ctx.reply, session, ctx.services.config);
      return toAuthPayload(session);
    } catch (err) {
      clearAuthCookies(ctx.reply);
      throw err;
    }
  }

  @Mutation(() => Boolean, {
    description: "Ends this session at once: its access token stops working on the next request.",
  })
  @Authenticated()
  async signOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    const principal = requireUser(ctx);
    await ctx.services.identity.signOut(principal.sessionId, ctx.actor);
    clearAuthCookies(ctx.reply);
    return true;
  }

  @Mutation(() => Boolean, { description: "Ends every session of the signed-in user, on every device." })
  @Authenticated()
  async signOutEverywhere(@Ctx() ctx: RequestContext): Promise<boolean> {
    const principal = requireUser(ctx);
    await ctx.services.identity.signOutEverywhere(principal.userId, ctx.actor);
    clearAuthCookies(ctx.reply);
    return true;
  }
}
