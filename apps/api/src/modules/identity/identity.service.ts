// Identity: sign-up with e-mail verification, sign-in, sessions with rotating refresh tokens.
// These are the flows that legitimately run before any tenant context exists, so they use the
// system client (owner role); nothing here touches workspace data.
import type { Db, SystemClient } from "@atrium/db";
import { normaliseEmail } from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordPlatformAudit, type Actor } from "../../platform/audit/audit.ts";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../../platform/auth/password.ts";
import { hashOpaqueToken, newOpaqueToken, type AccessTokens } from "../../platform/auth/tokens.ts";
import { inTenant, type Caller } from "../../platform/data.ts";
import { AppError, badInput, ErrorCode, unauthenticated } from "../../platform/errors.ts";
import type { JobTx } from "../../platform/jobs/job-queue.ts";
import type { MailOutbox } from "../../platform/mail/outbox.ts";
import type { RateLimiter } from "../../platform/rate-limit.ts";
import type { MembersService } from "../members/members.service.ts";
import type { StepUpService } from "../step-up/step-up.service.ts";
import { identityRepository as repo, type SessionState } from "./identity.repository.ts";

const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;
/** A sign-in waiting for its second factor: how long it lives and how many codes it may answer. */
const SIGN_IN_CHALLENGE_TTL_MS = 5 * 60 * 1000;
const SIGN_IN_CHALLENGE_ATTEMPTS = 5;
/** Sessions are re-validated on every request; last_seen_at is written at most this often. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  globalRole: "ADMIN" | "USER";
}

export interface IssuedSession {
  accessToken: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  user: PublicUser;
}

interface Deps {
  config: AppConfig;
  db: Db;
  tokens: AccessTokens;
  mail: Pick<MailOutbox, "queue" | "notify">;
  rateLimiter: RateLimiter;
  members: Pick<MembersService, "invitationAdmits">;
  /** The user's authenticator app: whether it guards sign-in, and the code check (step-up's own). */
  secondFactor: Pick<StepUpService, "protectsSignIn" | "verifySignInCode">;
  /**
   * Single sign-on's rule for password sign-in (issue 49, decision 0039): throws for an address
   * whose domain requires SSO, unless this user is that workspace's owner (break-glass, audited).
   * Called once the password is right.
   */
  passwordGate?: (user: { id: string; email: string }, actor: Actor) => Promise<void>;
}

/**
 * The password was right, but the account has an authenticator app: no session yet. The
 * challenge (opaque, 5 minutes, one session at most) goes to `completeSignIn` with a code.
 * UNAUTHENTICATED, for a caller that does not know the second step is not signed in.
 */
function secondFactorRequired(challenge: string, expiresAt: Date): AppError {
  return new AppError(
    ErrorCode.UNAUTHENTICATED,
    "Enter the 6-digit code from your authenticator app, or a recovery code, to finish signing in.",
    {
      reason: "SECOND_FACTOR_REQUIRED",
      challenge,
      challengeExpiresAt: expiresAt.toISOString(),
      methods: ["TOTP", "RECOVERY_CODE"],
    },
  );
}

const challengeExpired = () =>
  unauthenticated(
    "SIGN_IN_CHALLENGE_EXPIRED",
    "This sign-in has expired or was already used. Enter your password again.",
  );

function toPublicUser(u: {
  id: string;
  email: string;
  name: string;
  emailVerifiedAt: Date | null;
  globalRole: "ADMIN" | "USER";
}): PublicUser {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    emailVerified: u.emailVerifiedAt !== null,
    globalRole: u.globalRole,
  };
}

export function createIdentityService({
  config,
  db,
  tokens,
  mail,
  rateLimiter,
  members,
  secondFactor,
  passwordGate,
}: Deps) {
  const system: SystemClient = db.system;

  /** Records a session's activity when the last record is older than a minute; the time now on record (epoch ms). */
  async function touchSession(sessionId: string, lastSeenAt: number): Promise<number> {
    const now = Date.now();
    if (now - lastSeenAt <= LAST_SEEN_RESOLUTION_MS) return lastSeenAt;
    await repo.touchSession(system, sessionId, new Date(now));
    return now;
  }

  /**
   * A verification link and its mail, queued in `tx` (the mail goes out once `tx` commits).
   * `again`: someone signed up once more with the address of an account not verified yet.
   */
  async function queueVerificationMail(
    tx: Pick<SystemClient, "emailVerification"> & JobTx,
    userId: string,
    email: string,
    again = false,
  ): Promise<void> {
    const { token, hash } = newOpaqueToken();
    await repo.createEmailVerification(tx, userId, hash, new Date(Date.now() + VERIFICATION_TTL_MS));
    const link = `${config.publicUrl}/verify-email?token=${token}`;
    await mail.queue(
      tx,
      again
        ? {
            to: email,
            subject: "Finish signing up to Atrium",
            text: `Someone signed up to Atrium again with this address.\nIt is not verified yet.\n\nIf it was you, open this link within 24 hours:\n${link}\n\nYou will choose your password there.\n\nIf it wasn't you, ignore this message.`,
          }
        : {
            to: email,
            subject: "Verify your e-mail address for Atrium",
            text: `Welcome to Atrium.\n\nConfirm your e-mail address by opening this link within 24 hours:\n${link}\n\nYou will be asked for your password.\n\nIf you did not sign up, ignore this message.`,
          },
      { kind: "email-verification", targetType: "User", targetId: userId },
    );
  }

  /** `stepUpVerifiedAt`: the sign-in passed a second factor, so the session starts verified (S7). */
  async function issueSession(
    user: PublicUser,
    actor: Actor,
    stepUpVerifiedAt: Date | null = null,
  ): Promise<IssuedSession> {
    const refresh = newOpaqueToken();
    const refreshExpiresAt = new Date(Date.now() + config.refreshTokenTtlDays * 86_400_000);
    const session = await repo.createSession(system, {
      userId: user.id,
      ip: actor.ip,
      userAgent: actor.userAgent?.slice(0, 512) ?? null,
      refreshTokenHash: refresh.hash,
      refreshExpiresAt,
      stepUpVerifiedAt,
    });
    const access = await tokens.sign({ userId: user.id, sessionId: session.id });
    return {
      accessToken: access.token,
      expiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshExpiresAt,
      user,
    };
  }

  /**
   * The failure budgets of one sign-in attempt on `email` (decision 0024): every attempt counts
   * against its IP; a unit of the (account, IP) and the account budgets is reserved up front, so
   * concurrent guesses cannot overshoot. Any way out but `signedIn` / `passwordAccepted` leaves
   * both spent: a failure. The second step of sign-in spends from the same budgets, so a wrong
   * code counts like a wrong password.
   */
  async function reserveSignInBudget(email: string, ip: string) {
    const { windowSeconds } = config.rateLimits;
    await rateLimiter.hit(`signin:ip:${ip}`, config.rateLimits.signInPerIp, windowSeconds);
    const pairKey = `signin:fail:account-ip:${email}|${ip}`;
    const accountKey = `signin:fail:account:${email}`;
    const pairWindow = await rateLimiter.take(pairKey, config.rateLimits.signInPerAccount, windowSeconds);
    let accountWindow: Date;
    try {
      accountWindow = await rateLimiter.take(accountKey, config.rateLimits.signInFailuresPerAccount, windowSeconds);
    } catch (err) {
      await rateLimiter.refund(pairKey, pairWindow);
      throw err;
    }
    return {
      /** A session: costs nothing, and forgives this IP's failures on the account. */
      async signedIn(): Promise<void> {
        await Promise.all([rateLimiter.clear(pairKey), rateLimiter.refund(accountKey, accountWindow)]);
      },
      /** A right password that still needs its second factor: not a failure, not yet a success. */
      async passwordAccepted(): Promise<void> {
        await Promise.all([rateLimiter.refund(pairKey, pairWindow), rateLimiter.refund(accountKey, accountWindow)]);
      },
    };
  }

  /**
   * Spends a verification link (see `verifyEmail`): the account and whether this was its first
   * verification, or throws (link refused, password required).
   */
  async function spendVerificationLink(
    token: string,
    password: string | null | undefined,
    actor: Actor,
  ): Promise<{ userId: string; first: boolean }> {
    const hash = hashOpaqueToken(token);
    const invalid = () =>
      badInput("This verification link is invalid, already used or expired. Request a new one from the sign-in page.", {
        token: "invalid or expired",
      });
    // Only a live link is worth hashing a password for.
    if (!(await repo.liveEmailVerification(system, hash))) throw invalid();
    const passwordHash = password == null ? null : await hashPassword(password);
    const done = await system.$transaction(async (tx) => {
      const userId = await repo.useEmailVerification(tx, hash);
      if (!userId) return null;
      const state = await repo.lockVerificationState(tx, userId);
      if (!state) return null;
      const now = new Date();
      if (state.emailVerifiedAt === null) {
        // Thrown inside the transaction: the link is not spent.
        if (!passwordHash) {
          throw new AppError(
            ErrorCode.BAD_USER_INPUT,
            "Enter your password to finish: the one you chose when signing up, or a new one.",
            {
              reason: "PASSWORD_REQUIRED",
              fields: { password: "Enter your password." },
            },
          );
        }
        await repo.completeFirstVerification(tx, userId, passwordHash, now);
        const sessionsEnded = await repo.endUserSessions(tx, userId, now);
        await repo.voidEmailVerifications(tx, userId);
        await recordPlatformAudit(
          tx,
          { ...actor, userId },
          { action: "user.email_verified", data: { passwordSet: true, sessionsEnded } },
        );
        return { userId, first: true };
      }
      // Already verified (a second link): nothing to change; the password stays the owner's.
      await repo.voidEmailVerifications(tx, userId);
      return { userId, first: false };
    });
    if (!done) throw invalid();
    return done;
  }

  return {
    /**
     * Never reveals whether the e-mail is taken: an existing address gets the same answer (and a
     * mail telling its owner), after the same password-hashing work.
     */
    async signUp(
      input: { email: string; password: string; name: string; invitationToken?: string | null },
      actor: Actor,
    ): Promise<PublicUser> {
      await rateLimiter.hit(
        `signup:ip:${actor.ip ?? "unknown"}`,
        config.rateLimits.signUpPerIp,
        config.rateLimits.windowSeconds,
      );
      const email = normaliseEmail(input.email);
      // M9: registration mode. A live invitation for this very address admits in every mode but
      // CLOSED, and proves the mailbox (the link was mailed there), so it verifies the address.
      const settings = await repo.registrationSettings(system);
      const mode = settings?.registrationMode ?? "OPEN";
      const invited = input.invitationToken
        ? await members.invitationAdmits(input.invitationToken, email, actor)
        : false;
      if (mode === "CLOSED")
        throw new AppError(ErrorCode.FORBIDDEN, "Registration is closed.", { reason: "REGISTRATION_CLOSED" });
      if (mode === "INVITATION_ONLY" && !invited) {
        throw new AppError(
          ErrorCode.FORBIDDEN,
          "Registration is by invitation only. Use the link in your invitation.",
          { reason: "REGISTRATION_INVITATION_ONLY" },
        );
      }
      if (mode === "ALLOWED_DOMAINS" && !invited) {
        const domain = email.split("@")[1] ?? "";
        if (!(settings?.allowedEmailDomains ?? []).includes(domain)) {
          throw new AppError(
            ErrorCode.FORBIDDEN,
            "Addresses of this domain cannot register here. Ask for an invitation.",
            { reason: "REGISTRATION_DOMAIN_NOT_ALLOWED" },
          );
        }
      }
      const passwordHash = await hashPassword(input.password);
      const verifiedAt = invited ? new Date() : null;
      const created = await system.$transaction(async (tx) => {
        const id = await repo.insertUserIfNew(tx, {
          email,
          name: input.name.trim(),
          passwordHash,
          emailVerifiedAt: verifiedAt,
        });
        if (id) {
          await recordPlatformAudit(tx, { ...actor, userId: id }, { action: "user.signed_up" });
          if (!invited) await queueVerificationMail(tx, id, email);
          return id;
        }
        const existing = await repo.verificationStateByEmail(tx, email);
        if (existing && !existing.emailVerifiedAt && !existing.disabledAt) {
          // Not verified yet (decision 0024): whoever signed up first may not hold the mailbox.
          // The invitation was mailed to the address: this caller holds it, so this is the
          // account's first verification, with this caller's password (if still unverified once
          // the row is locked).
          if (invited && (await repo.lockVerificationState(tx, existing.id))?.emailVerifiedAt === null) {
            const now = new Date();
            await repo.completeFirstVerification(tx, existing.id, passwordHash, now);
            const sessionsEnded = await repo.endUserSessions(tx, existing.id, now);
            await repo.voidEmailVerifications(tx, existing.id);
            await recordPlatformAudit(
              tx,
              { ...actor, userId: existing.id },
              { action: "user.email_verified", data: { passwordSet: true, sessionsEnded, via: "invitation" } },
            );
            return existing.id;
          }
          // Nothing of this sign-up is stored (its password could be anyone's); the address
          // holder gets a link, which makes them choose the password.
          if (!invited) await queueVerificationMail(tx, existing.id, email, true);
        } else {
          await mail.queue(
            tx,
            {
              to: email,
              subject: "Someone tried to sign up to Atrium with your address",
              text: `An account already exists for this address. Sign in at ${config.publicUrl}/signin.\n\nIf this wasn't you, you can ignore this message.`,
            },
            { kind: "sign-up-attempt" },
          );
        }
        return id;
      });
      mail.notify();
      if (created) return { id: created, email, name: input.name.trim(), emailVerified: invited, globalRole: "USER" };
      // Same shape as a fresh sign-up; the id is random and leads nowhere.
      return { id: crypto.randomUUID(), email, name: input.name.trim(), emailVerified: invited, globalRole: "USER" };
    },

    /**
     * Spends a verification link. An account's first verification (decision 0024) also sets its
     * password: whoever opens the link holds the mailbox, while whoever signed up may not have —
     * so `password` is required then (the sign-up one confirmed, or a new one), replaces the
     * sign-up password, and every session from before ends. Without it nothing changes and the
     * link stays usable (BAD_USER_INPUT, reason PASSWORD_REQUIRED). Spends the account's other
     * links too.
     */
    async verifyEmail(token: string, password: string | null | undefined, actor: Actor): Promise<boolean> {
      await spendVerificationLink(token, password, actor);
      return true;
    },

    /**
     * `verifyEmail`, and the person is signed in (issue 56): an account's first verification
     * proves the mailbox and sets the password the caller just typed — what a sign-in proves.
     * No session (null) for a link of an already verified account (nothing was proved about the
     * password), for a disabled account, or for an account that has an authenticator app — which
     * the first verification deletes, so only a later link could meet one; that person signs in
     * with the second step like everyone else.
     */
    async verifyEmailAndSignIn(token: string, password: string, actor: Actor): Promise<IssuedSession | null> {
      const { userId, first } = await spendVerificationLink(token, password, actor);
      if (!first) return null;
      const user = await repo.userById(system, userId);
      if (!user || user.disabledAt || !user.emailVerifiedAt) return null;
      if (await secondFactor.protectsSignIn(userId)) return null;
      const session = await issueSession(toPublicUser(user), actor);
      await recordPlatformAudit(
        system,
        { ...actor, userId },
        { action: "user.signed_in", data: { via: "email-verification" } },
      );
      return session;
    },

    /** Always answers true (no account enumeration); sends a mail only to unverified accounts. */
    async resendVerification(rawEmail: string, actor: Actor): Promise<boolean> {
      await rateLimiter.hit(
        `verify-resend:ip:${actor.ip ?? "unknown"}`,
        config.rateLimits.signUpPerIp,
        config.rateLimits.windowSeconds,
      );
      const email = normaliseEmail(rawEmail);
      await rateLimiter.hit(`verify-resend:account:${email}`, 5, config.rateLimits.windowSeconds);
      const user = await repo.verificationStateByEmail(system, email);
      if (user && !user.emailVerifiedAt && !user.disabledAt) {
        await system.$transaction((tx) => queueVerificationMail(tx, user.id, email));
        mail.notify();
      }
      return true;
    },

    /**
     * Budgets (decision 0024): every attempt counts against its IP (a flood guard); only failures
     * count against the account — per (account, IP), so a stranger's guesses never lock the owner
     * out from their own IP, and per account from all IPs together, a higher ceiling on
     * distributed guessing. A unit of each is reserved before the password is checked (so
     * concurrent guesses cannot overshoot) and given back when the attempt succeeds; a success
     * also clears its (account, IP) failures. An unknown address is counted exactly like a known
     * one: same error, same budgets.
     */
    async signIn(input: { email: string; password: string }, actor: Actor): Promise<IssuedSession> {
      const email = normaliseEmail(input.email);
      const budget = await reserveSignInBudget(email, actor.ip ?? "unknown");
      // Any way out of here but a session (or a second step) leaves both units spent: a failure.
      const user = await repo.userByEmail(system, email);
      if (!user) {
        await burnPasswordCheck(input.password);
        throw unauthenticated("INVALID_CREDENTIALS", "Invalid e-mail or password.");
      }
      if (!(await verifyPassword(user.passwordHash, input.password)) || user.disabledAt) {
        throw unauthenticated("INVALID_CREDENTIALS", "Invalid e-mail or password.");
      }
      if (!user.emailVerifiedAt) {
        throw new AppError(
          ErrorCode.EMAIL_NOT_VERIFIED,
          "Verify your e-mail address first: open the link we sent you, or request a new one.",
        );
      }
      // Issue 49: a domain that requires SSO refuses the password (the budgets stay spent).
      if (passwordGate) await passwordGate({ id: user.id, email }, actor);
      if (await secondFactor.protectsSignIn(user.id)) {
        // An authenticator app guards this account (per user, whatever STEP_UP_ENABLED says): no
        // session for the password alone. Like Auth0's mfa_required + mfa_token.
        const challenge = newOpaqueToken();
        const expiresAt = new Date(Date.now() + SIGN_IN_CHALLENGE_TTL_MS);
        await repo.replaceSignInChallenge(system, user.id, challenge.hash, expiresAt);
        await budget.passwordAccepted();
        await recordPlatformAudit(
          system,
          { ...actor, userId: user.id },
          { action: "user.sign_in_second_factor_required" },
        );
        throw secondFactorRequired(challenge.token, expiresAt);
      }
      const session = await issueSession(toPublicUser(user), actor);
      await budget.signedIn();
      await recordPlatformAudit(system, { ...actor, userId: user.id }, { action: "user.signed_in" });
      return session;
    },

    /**
     * The second step of sign-in: the challenge `signIn` answered with, and a TOTP code or a
     * recovery code. The code is checked by step-up's own check (a TOTP time step claimed once,
     * a recovery code used up, the per-user failure budget) and a wrong one also counts against
     * the account's sign-in budgets. A challenge answers at most 5 codes in 5 minutes and creates
     * one session, which starts step-up verified: the person just proved the factor.
     */
    async completeSignIn(challenge: string, code: string, actor: Actor): Promise<IssuedSession> {
      const ip = actor.ip ?? "unknown";
      const pending = await repo.liveSignInChallenge(system, hashOpaqueToken(challenge), SIGN_IN_CHALLENGE_ATTEMPTS);
      if (!pending) {
        await rateLimiter.hit(`signin:ip:${ip}`, config.rateLimits.signInPerIp, config.rateLimits.windowSeconds);
        throw challengeExpired();
      }
      const budget = await reserveSignInBudget(pending.email, ip);
      if (!(await repo.countSignInAttempt(system, pending.id, SIGN_IN_CHALLENGE_ATTEMPTS))) throw challengeExpired();
      const method = await secondFactor.verifySignInCode(pending.userId, code, { ...actor, userId: pending.userId });
      // Claimed after the code: of two right answers to one challenge, one gets the session.
      if (!(await repo.useSignInChallenge(system, pending.id))) throw challengeExpired();
      const user = await repo.userById(system, pending.userId);
      // Disabled (or gone) since the password step.
      if (!user || user.disabledAt || !user.emailVerifiedAt)
        throw unauthenticated("INVALID_CREDENTIALS", "Invalid e-mail or password.");
      const session = await issueSession(toPublicUser(user), actor, new Date());
      await budget.signedIn();
      await recordPlatformAudit(
        system,
        { ...actor, userId: user.id },
        { action: "user.signed_in", data: { secondFactor: method } },
      );
      return session;
    },

    /**
     * Rotates a refresh token. Claiming is one conditional UPDATE, so two concurrent uses of the
     * same token cannot both succeed; presenting an already-rotated token revokes its session
     * (the whole family), since it means the token was copied.
     */
    async refresh(refreshToken: string, actor: Actor): Promise<IssuedSession> {
      const hash = hashOpaqueToken(refreshToken);
      const row = await repo.claimRefreshToken(system, hash);
      if (!row) {
        const reusedSessionId = await repo.sessionOfRefreshToken(system, hash);
        if (reusedSessionId) {
          await repo.endSession(system, reusedSessionId, new Date());
          await recordPlatformAudit(system, actor, {
            action: "session.refresh_token_reused",
            data: { sessionId: reusedSessionId },
          });
          throw unauthenticated("REFRESH_TOKEN_REUSED", "This session was ended for your safety. Sign in again.");
        }
        throw unauthenticated("REFRESH_TOKEN_INVALID", "Your session has ended. Sign in again.");
      }
      const session = await repo.sessionWithUser(system, row.session_id);
      if (session?.revokedAt && session.revokedReason === "IDLE_TIMEOUT") {
        throw unauthenticated(
          "IDLE_TIMEOUT",
          "You were signed out after a period of inactivity in a production workspace. Sign in again.",
        );
      }
      if (!session || session.revokedAt || session.user.disabledAt || row.expires_at.getTime() <= Date.now()) {
        throw unauthenticated("REFRESH_TOKEN_INVALID", "Your session has ended. Sign in again.");
      }
      const next = newOpaqueToken();
      const refreshExpiresAt = new Date(Date.now() + config.refreshTokenTtlDays * 86_400_000);
      await repo.createRefreshToken(system, session.id, next.hash, refreshExpiresAt);
      await repo.touchSession(system, session.id, new Date());
      const access = await tokens.sign({ userId: session.userId, sessionId: session.id });
      return {
        accessToken: access.token,
        expiresAt: access.expiresAt,
        refreshToken: next.token,
        refreshExpiresAt,
        user: toPublicUser(session.user),
      };
    },

    async signOut(sessionId: string, actor: Actor): Promise<void> {
      await repo.endSession(system, sessionId, new Date());
      await recordPlatformAudit(system, actor, { action: "session.signed_out", data: { sessionId } });
    },

    /** Ends a session for a reason a later refresh reports (IDLE_TIMEOUT). */
    async endSession(sessionId: string, reason: "IDLE_TIMEOUT", actor: Actor): Promise<void> {
      if ((await repo.endSession(system, sessionId, new Date(), { reason })) > 0)
        await recordPlatformAudit(system, actor, { action: "session.idle_timeout", data: { sessionId } });
    },

    /** The user's active sessions, newest activity first (S2 sessions page). */
    async listSessions(
      userId: string,
    ): Promise<{ id: string; createdAt: Date; lastSeenAt: Date; ip: string | null; userAgent: string | null }[]> {
      const cutoff = new Date(Date.now() - config.refreshTokenTtlDays * 86_400_000);
      return repo.activeSessions(system, userId, cutoff);
    },

    /** Ends one of the user's own sessions; another user's id reads as absent. */
    async revokeSession(userId: string, sessionId: string, actor: Actor): Promise<boolean> {
      if ((await repo.endSession(system, sessionId, new Date(), { userId, reason: "REVOKED" })) === 0)
        throw new AppError(ErrorCode.NOT_FOUND, "Session not found.");
      await recordPlatformAudit(system, actor, { action: "session.revoked", data: { sessionId } });
      return true;
    },

    async signOutEverywhere(userId: string, actor: Actor): Promise<number> {
      const ended = await repo.endUserSessions(system, userId, new Date());
      await recordPlatformAudit(system, actor, { action: "session.signed_out_everywhere", data: { sessions: ended } });
      return ended;
    },

    /**
     * Per-request session check: one read (session_state()). Returns null when the session was
     * ended (sign-out, sign-out everywhere, refresh-token reuse) or the user disabled. Records
     * activity at most once a minute.
     */
    async activeSession(sessionId: string, userId: string): Promise<SessionState | null> {
      const s = await repo.sessionState(system, sessionId);
      if (!s || s.userId !== userId || !s.live) return null;
      return { ...s, lastSeenAt: await touchSession(sessionId, s.lastSeenAt) };
    },

    touchSession,

    /**
     * The account of an address an OpenID Connect provider vouched for (issue 49, decision 0039):
     * the existing one, or a new one provisioned just in time (verified; an unusable random
     * password). An account never verified is verified now — the provider proved the mailbox —
     * and, as at a first verification (decision 0024), whatever password its sign-up chose is
     * replaced and its sessions end: whoever signed up may not have held the address. Null for a
     * disabled account.
     */
    async ssoAccount(
      input: { email: string; name: string },
      actor: Actor,
    ): Promise<{ userId: string; created: boolean } | null> {
      const email = normaliseEmail(input.email);
      const unusable = await hashPassword(newOpaqueToken().token);
      return system.$transaction(async (tx) => {
        const id = await repo.insertUserIfNew(tx, {
          email,
          name: input.name.trim().slice(0, 120) || email.split("@")[0]!,
          passwordHash: unusable,
          emailVerifiedAt: new Date(),
        });
        if (id) {
          await recordPlatformAudit(tx, { ...actor, userId: id }, { action: "user.signed_up", data: { via: "sso" } });
          return { userId: id, created: true };
        }
        const existing = await repo.verificationStateByEmail(tx, email);
        if (!existing || existing.disabledAt) return null;
        if (
          !existing.emailVerifiedAt &&
          (await repo.lockVerificationState(tx, existing.id))?.emailVerifiedAt === null
        ) {
          const now = new Date();
          await repo.completeFirstVerification(tx, existing.id, unusable, now);
          const sessionsEnded = await repo.endUserSessions(tx, existing.id, now);
          await repo.voidEmailVerifications(tx, existing.id);
          await recordPlatformAudit(
            tx,
            { ...actor, userId: existing.id },
            { action: "user.email_verified", data: { via: "sso", passwordSet: false, sessionsEnded } },
          );
        }
        return { userId: existing.id, created: false };
      });
    },

    /** A session for an account single sign-on just authenticated (the provider did what a password does). */
    async ssoSession(userId: string, actor: Actor, data: Record<string, unknown>): Promise<IssuedSession | null> {
      const user = await repo.userById(system, userId);
      if (!user || user.disabledAt || !user.emailVerifiedAt) return null;
      const session = await issueSession(toPublicUser(user), actor);
      await recordPlatformAudit(
        system,
        { ...actor, userId },
        { action: "user.signed_in", data: { via: "sso", ...data } },
      );
      return session;
    },

    async me(userId: string, caller: Caller) {
      return inTenant(db, caller, { userId }, async (tx) => {
        const user = await repo.user(tx, userId);
        return user ? toPublicUser(user) : null;
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
