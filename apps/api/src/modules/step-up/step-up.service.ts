// Step-up verification (S7): a second factor after sign-in — TOTP (RFC 6238), one-time recovery
// codes and passkeys (WebAuthn) — and the per-session mark that a workspace gate reads.
// Identity data: every table here is reached through the system client only (like sessions).
//
// Invariants:
// - A TOTP secret is stored sealed (JWE dir + A256GCM, bound to the user), never in clear;
//   a code's time step is remembered, so a code cannot be replayed.
// - Recovery codes are stored as SHA-256 and claimed with one conditional UPDATE (used once).
// - A user's failed attempts are rate-limited (per user) and audited, never skipped.
// - A first factor may be enrolled with the session alone (that is the enrolment offered at the
//   step-up prompt); every factor change once one exists (add or remove a passkey, start or
//   confirm or disable TOTP, new recovery codes) needs a fresh verification of this session,
//   checked when the change is made, not only when its options were issued.
// - A WebAuthn challenge is tagged with the ceremony that issued it and answers only that one:
//   a registration can never consume a step-up (authentication) challenge, nor the reverse.
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { generateSecret, generateURI, verify as verifyTotpCode } from "otplib";

import type { Db, SystemClient } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import { recordPlatformAudit, type Actor } from "../../platform/audit/audit.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { SecretBox } from "../../platform/crypto/secret-box.ts";
import { AppError, badInput, conflict, ErrorCode } from "../../platform/errors.ts";
import type { RateLimiter } from "../../platform/rate-limit.ts";
import { stepUpRepository as repo, type WebAuthnCeremony } from "./step-up.repository.ts";

/** Marks the error of a verification that failed (its budget unit stays spent). */
const kFailedAttempt = Symbol("atrium.stepUp.failedAttempt");

/** Failed second-factor attempts a user may make per window before RATE_LIMITED. */
export const STEP_UP_FAILURES_PER_WINDOW = 10;
const STEP_UP_WINDOW_SECONDS = 15 * 60;
const RECOVERY_CODE_COUNT = 10;
const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Adding a factor when one exists needs a verification at most this old. */
const FRESH_FOR_ENROLMENT_MS = 15 * 60 * 1000;
const ISSUER = "Atrium";

interface Deps {
  config: AppConfig;
  db: Db;
  box: SecretBox;
  rateLimiter: RateLimiter;
}

/** The second factor a code matched. */
export type SecondFactorMethod = "totp" | "recovery-code";

export interface SecurityStatus {
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  stepUpVerifiedAt: Date | null;
}

/** The RFC 6238 time step a valid TOTP code matched (otplib's TOTP result carries it); null otherwise. */
function matchedStep(r: { valid: boolean }): bigint | null {
  const step = (r as { timeStep?: unknown }).timeStep;
  return r.valid && typeof step === "number" ? BigInt(step) : null;
}

/** Recovery codes are typed by hand: case, spaces and dashes do not matter. */
const normaliseRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");
/** What a TOTP secret's JWE is bound to (the key rotation re-seals with the same binding). */
export const totpBinding = (userId: string) => ({ workspaceId: `user:${userId}`, provider: "totp" });

function newRecoveryCode(): string {
  // 10 characters of Crockford-like base32 (50 bits), shown as XXXXX-XXXXX.
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(10);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

export function createStepUpService({ config, db, box, rateLimiter }: Deps) {
  const system: SystemClient = db.system;
  const origin = new URL(config.publicUrl).origin;
  const rpID = new URL(config.publicUrl).hostname;

  /** A verification that failed: audited; its unit of the budget (reserved by `attempt`) stays spent. */
  async function failed(userId: string, actor: Actor, method: string): Promise<never> {
    await recordPlatformAudit(system, { ...actor, userId }, { action: "step_up.failed", data: { method } });
    throw Object.assign(
      badInput("That code is not valid. Check your authenticator app and try again.", { code: "invalid" }),
      { [kFailedAttempt]: true },
    );
  }

  /**
   * Runs one verification against the user's failure budget: a unit is reserved first, in one
   * statement (so parallel guesses cannot all pass a check made before any failure is counted),
   * and given back unless the verification failed. Over the budget: RATE_LIMITED before any work.
   */
  async function attempt<T>(userId: string, verify: () => Promise<T>): Promise<T> {
    const key = `step-up:user:${userId}`;
    const resetAt = await rateLimiter.take(key, STEP_UP_FAILURES_PER_WINDOW, STEP_UP_WINDOW_SECONDS);
    try {
      const result = await verify();
      await rateLimiter.refund(key, resetAt);
      return result;
    } catch (err) {
      if (!(err instanceof Error && kFailedAttempt in err)) await rateLimiter.refund(key, resetAt);
      throw err;
    }
  }

  async function markVerified(sessionId: string, userId: string, actor: Actor, method: string): Promise<void> {
    await repo.markSessionVerified(system, sessionId, new Date());
    await recordPlatformAudit(
      system,
      { ...actor, userId },
      { action: "step_up.verified", data: { method, sessionId } },
    );
  }

  async function hasFactor(userId: string): Promise<boolean> {
    const [totp, passkeys] = await Promise.all([
      repo.hasConfirmedTotp(system, userId),
      repo.passkeyCount(system, userId),
    ]);
    return totp || passkeys > 0;
  }

  /** Once a factor exists, adding another needs a recent verification of this session. */
  async function requireFreshIfEnrolled(userId: string, sessionId: string): Promise<void> {
    if (!(await hasFactor(userId))) return;
    await requireFresh(sessionId);
  }

  /** This session passed a second factor within FRESH_FOR_ENROLMENT_MS, or STEP_UP_REQUIRED. */
  async function requireFresh(sessionId: string): Promise<void> {
    const verifiedAt = await repo.sessionVerifiedAt(system, sessionId);
    if (!verifiedAt || Date.now() - verifiedAt.getTime() > FRESH_FOR_ENROLMENT_MS) {
      throw new AppError(ErrorCode.STEP_UP_REQUIRED, "Confirm it's you with your current second factor first.", {
        reason: "FACTOR_CHANGE",
      });
    }
  }

  async function issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await system.$transaction([
      repo.deleteRecoveryCodes(system, userId),
      repo.createRecoveryCodes(
        system,
        userId,
        codes.map((c) => sha256Hex(normaliseRecoveryCode(c))),
      ),
    ]);
    return codes;
  }

  async function confirmTotpNow(
    user: { userId: string; sessionId: string },
    code: string,
    actor: Actor,
  ): Promise<string[]> {
    const factor = await repo.totp(system, user.userId);
    if (!factor) throw badInput("Start setting up an authenticator app first.", { code: "no enrolment in progress" });
    if (factor.confirmedAt) throw conflict("This authenticator app is already active.", { code: "already confirmed" });
    // A pending enrolment may have started before another factor existed: confirming it is a factor change too.
    await requireFreshIfEnrolled(user.userId, user.sessionId);
    const { secret } = await box.open(factor.secretJwe, totpBinding(user.userId));
    const step = matchedStep(await verifyTotpCode({ secret: secret!, token: code.trim(), epochTolerance: 30 }));
    if (step === null) return failed(user.userId, actor, "totp-confirm");
    await repo.confirmTotp(system, user.userId, new Date(), step);
    const codes = await issueRecoveryCodes(user.userId);
    await recordPlatformAudit(system, actor, { action: "step_up.totp_enabled" });
    // The code just proved the factor: this session counts as verified.
    await markVerified(user.sessionId, user.userId, actor, "totp");
    return codes;
  }

  /**
   * Checks a TOTP code (its time step claimed, so it cannot be used again) or a recovery code
   * (used up): the method that matched, or a failed attempt. The one check behind both step-up
   * and the second step of sign-in.
   */
  async function checkCodeNow(userId: string, rawCode: string, actor: Actor): Promise<SecondFactorMethod> {
    const code = rawCode.trim();
    if (/^\d{6}$/.test(code)) {
      const factor = await repo.totp(system, userId);
      if (!factor?.confirmedAt) return failed(userId, actor, "totp");
      const { secret } = await box.open(factor.secretJwe, totpBinding(userId));
      const step = matchedStep(
        await verifyTotpCode({
          secret: secret!,
          token: code,
          epochTolerance: 30,
          ...(factor.lastTimeStep !== null ? { afterTimeStep: Number(factor.lastTimeStep) } : {}),
        }),
      );
      if (step === null) return failed(userId, actor, "totp");
      // Claim the time step; a concurrent use of the same code loses here.
      const claimed = await repo.claimTimeStep(system, userId, step);
      if (claimed !== 1) return failed(userId, actor, "totp");
      return "totp";
    }
    const normalised = normaliseRecoveryCode(code);
    if (normalised.length !== 10) return failed(userId, actor, "recovery-code");
    const used = await repo.useRecoveryCode(system, userId, sha256Hex(normalised));
    if (used !== 1) return failed(userId, actor, "recovery-code");
    return "recovery-code";
  }

  async function verifyCodeNow(
    user: { userId: string; sessionId: string },
    rawCode: string,
    actor: Actor,
  ): Promise<boolean> {
    const method = await checkCodeNow(user.userId, rawCode, actor);
    await markVerified(user.sessionId, user.userId, actor, method);
    return true;
  }

  return {
    async status(userId: string, sessionId: string): Promise<SecurityStatus> {
      const [totp, left, passkeys, verifiedAt] = await Promise.all([
        repo.totpConfirmedAt(system, userId),
        repo.unusedRecoveryCodes(system, userId),
        repo.passkeys(system, userId),
        repo.sessionVerifiedAt(system, sessionId),
      ]);
      return {
        totpEnabled: !!totp?.confirmedAt,
        recoveryCodesLeft: left,
        passkeys,
        stepUpVerifiedAt: verifiedAt ?? null,
      };
    },

    /** Starts (or restarts) TOTP enrolment; the factor is active only after confirmTotp. */
    async enrollTotp(
      user: { userId: string; sessionId: string; email: string },
      actor: Actor,
    ): Promise<{ secret: string; otpauthUrl: string }> {
      const existing = await repo.totpConfirmedAt(system, user.userId);
      if (existing?.confirmedAt)
        throw conflict("An authenticator app is already set up. Remove it before adding another.", {
          totp: "already enabled",
        });
      await requireFreshIfEnrolled(user.userId, user.sessionId);
      const secret = generateSecret();
      const sealed = await box.seal({ secret }, totpBinding(user.userId));
      await repo.saveTotpEnrolment(system, user.userId, sealed);
      await recordPlatformAudit(system, actor, { action: "step_up.totp_enrolment_started" });
      return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label: user.email, secret }) };
    },

    /** Activates the pending TOTP factor with a first code; returns fresh recovery codes (shown once). */
    async confirmTotp(user: { userId: string; sessionId: string }, code: string, actor: Actor): Promise<string[]> {
      return attempt(user.userId, () => confirmTotpNow(user, code, actor));
    },

    /**
     * Whether sign-in needs a second step for this user: a confirmed authenticator app (per user,
     * whatever STEP_UP_ENABLED says; a passkey alone is a step-up factor, not a sign-in one).
     */
    async protectsSignIn(userId: string): Promise<boolean> {
      return repo.hasConfirmedTotp(system, userId);
    },

    /**
     * The second step of sign-in: a TOTP or recovery code of the user, checked exactly as a
     * step-up code (same failure budget, audit and replay rules); the method that matched. The
     * caller creates the session and marks it verified.
     */
    async verifySignInCode(userId: string, rawCode: string, actor: Actor): Promise<SecondFactorMethod> {
      return attempt(userId, () => checkCodeNow(userId, rawCode, actor));
    },

    /** A TOTP code or a recovery code; marks this session verified. */
    async verifyCode(user: { userId: string; sessionId: string }, rawCode: string, actor: Actor): Promise<boolean> {
      return attempt(user.userId, () => verifyCodeNow(user, rawCode, actor));
    },

    async regenerateRecoveryCodes(user: { userId: string; sessionId: string }, actor: Actor): Promise<string[]> {
      await requireFresh(user.sessionId);
      if (!(await repo.confirmedTotp(system, user.userId))) {
        throw badInput("Set up an authenticator app first.", { totp: "not enabled" });
      }
      const codes = await issueRecoveryCodes(user.userId);
      await recordPlatformAudit(system, actor, { action: "step_up.recovery_codes_regenerated" });
      return codes;
    },

    async disableTotp(user: { userId: string; sessionId: string }, actor: Actor): Promise<boolean> {
      await requireFreshIfEnrolled(user.userId, user.sessionId);
      await system.$transaction([repo.deleteTotp(system, user.userId), repo.deleteRecoveryCodes(system, user.userId)]);
      await recordPlatformAudit(system, actor, { action: "step_up.totp_disabled" });
      return true;
    },

    /** WebAuthn registration options (JSON) for a new passkey; the challenge is kept on the session. */
    async passkeyRegistrationOptions(user: { userId: string; sessionId: string; email: string }): Promise<string> {
      await requireFreshIfEnrolled(user.userId, user.sessionId);
      const existing = await repo.passkeyCredentials(system, user.userId);
      const options = await generateRegistrationOptions({
        rpName: ISSUER,
        rpID,
        userName: user.email,
        userID: new TextEncoder().encode(user.userId),
        attestationType: "none",
        excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
        authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
      });
      await repo.setChallenge(
        system,
        user.sessionId,
        "registration",
        options.challenge,
        new Date(Date.now() + CHALLENGE_TTL_MS),
      );
      return JSON.stringify(options);
    },

    async registerPasskey(
      user: { userId: string; sessionId: string },
      responseJson: string,
      name: string,
      actor: Actor,
    ): Promise<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }> {
      return attempt(user.userId, () => registerPasskeyNow(user, responseJson, name, actor));
    },

    async removePasskey(user: { userId: string; sessionId: string }, id: string, actor: Actor): Promise<boolean> {
      await requireFreshIfEnrolled(user.userId, user.sessionId);
      if ((await repo.deletePasskey(system, user.userId, id)) === 0)
        throw new AppError(ErrorCode.NOT_FOUND, "Passkey not found.");
      await recordPlatformAudit(system, actor, { action: "step_up.passkey_removed", targetId: id });
      return true;
    },

    /** WebAuthn authentication options (JSON) for a step-up with one of the user's passkeys. */
    async passkeyStepUpOptions(user: { userId: string; sessionId: string }): Promise<string> {
      const creds = await repo.passkeyCredentials(system, user.userId);
      if (creds.length === 0)
        throw badInput("You have no passkey yet. Add one in your account's security settings.", { passkey: "none" });
      const options = await generateAuthenticationOptions({
        rpID,
        allowCredentials: creds.map((c) => ({ id: c.credentialId, transports: c.transports })),
        userVerification: "preferred",
      });
      await repo.setChallenge(
        system,
        user.sessionId,
        "authentication",
        options.challenge,
        new Date(Date.now() + CHALLENGE_TTL_MS),
      );
      return JSON.stringify(options);
    },

    async verifyPasskey(
      user: { userId: string; sessionId: string },
      responseJson: string,
      actor: Actor,
    ): Promise<boolean> {
      return attempt(user.userId, () => verifyPasskeyNow(user, responseJson, actor));
    },
  };

  async function registerPasskeyNow(
    user: { userId: string; sessionId: string },
    responseJson: string,
    name: string,
    actor: Actor,
  ): Promise<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }> {
    // Checked again here, not only when the options were issued: the options are not the gate.
    await requireFreshIfEnrolled(user.userId, user.sessionId);
    const challenge = await takeChallenge(user.sessionId, "registration");
    let response: RegistrationResponseJSON;
    try {
      response = JSON.parse(responseJson) as RegistrationResponseJSON;
    } catch {
      throw badInput("The passkey response is not valid JSON.", { response: "invalid" });
    }
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: false,
      });
    } catch {
      return failed(user.userId, actor, "passkey-register");
    }
    if (!verified.verified) return failed(user.userId, actor, "passkey-register");
    const cred = verified.registrationInfo.credential;
    const row = await repo.createPasskey(system, {
      userId: user.userId,
      credentialId: cred.id,
      publicKey: Buffer.from(cred.publicKey),
      counter: BigInt(cred.counter),
      transports: cred.transports ?? [],
      name: name.trim() || "Passkey",
    });
    await recordPlatformAudit(system, actor, { action: "step_up.passkey_added", targetId: row.id });
    await markVerified(user.sessionId, user.userId, actor, "passkey");
    return row;
  }

  async function verifyPasskeyNow(
    user: { userId: string; sessionId: string },
    responseJson: string,
    actor: Actor,
  ): Promise<boolean> {
    const challenge = await takeChallenge(user.sessionId, "authentication");
    let response: AuthenticationResponseJSON;
    try {
      response = JSON.parse(responseJson) as AuthenticationResponseJSON;
    } catch {
      throw badInput("The passkey response is not valid JSON.", { response: "invalid" });
    }
    const stored = typeof response.id === "string" ? await repo.passkeyByCredentialId(system, response.id) : null;
    if (!stored || stored.userId !== user.userId) return failed(user.userId, actor, "passkey");
    let result;
    try {
      result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: false,
        credential: {
          id: stored.credentialId,
          publicKey: new Uint8Array(stored.publicKey),
          counter: Number(stored.counter),
          transports: stored.transports,
        },
      });
    } catch {
      return failed(user.userId, actor, "passkey");
    }
    if (!result.verified) return failed(user.userId, actor, "passkey");
    await repo.recordPasskeyUse(system, stored.id, BigInt(result.authenticationInfo.newCounter), new Date());
    await markVerified(user.sessionId, user.userId, actor, "passkey");
    return true;
  }

  /** The session's pending WebAuthn challenge for `ceremony`, consumed (one use) — or BAD_USER_INPUT when none. */
  async function takeChallenge(sessionId: string, ceremony: WebAuthnCeremony): Promise<string> {
    const c = await repo.takeChallenge(system, sessionId, ceremony);
    if (!c) throw badInput("This passkey request has expired. Try again.", { response: "challenge expired" });
    return c;
  }
}

export type StepUpService = ReturnType<typeof createStepUpService>;
