// The only code that touches Prisma for step-up: TOTP factors, recovery codes, passkeys and the
// per-session verification mark and WebAuthn challenge. Identity data: the system client only.
import type { Prisma, SystemClient } from "@atrium/db";

const PASSKEY_VIEW = { id: true, name: true, createdAt: true, lastUsedAt: true } as const;
/** The WebAuthn ceremony a challenge was issued for. */
export type WebAuthnCeremony = "registration" | "authentication";

export type PasskeyView = Prisma.PasskeyGetPayload<{ select: typeof PASSKEY_VIEW }>;

export const stepUpRepository = {
  async markSessionVerified(system: SystemClient, sessionId: string, at: Date): Promise<void> {
    await system.session.update({ where: { id: sessionId }, data: { stepUpVerifiedAt: at } });
  },

  async sessionVerifiedAt(system: SystemClient, sessionId: string): Promise<Date | null | undefined> {
    const s = await system.session.findUnique({ where: { id: sessionId }, select: { stepUpVerifiedAt: true } });
    return s?.stepUpVerifiedAt;
  },

  async hasConfirmedTotp(system: SystemClient, userId: string): Promise<boolean> {
    return (
      (await system.totpFactor.findFirst({
        where: { userId, confirmedAt: { not: null } },
        select: { userId: true },
      })) !== null
    );
  },

  async confirmedTotp(system: SystemClient, userId: string) {
    return system.totpFactor.findFirst({ where: { userId, confirmedAt: { not: null } } });
  },

  async totp(system: SystemClient, userId: string) {
    return system.totpFactor.findUnique({ where: { userId } });
  },

  async totpConfirmedAt(system: SystemClient, userId: string): Promise<{ confirmedAt: Date | null } | null> {
    return system.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
  },

  /** A pending (unconfirmed) factor; restarting replaces the secret and forgets the last step. */
  async saveTotpEnrolment(system: SystemClient, userId: string, sealed: { jwe: string; kid: string }): Promise<void> {
    await system.totpFactor.upsert({
      where: { userId },
      create: { userId, secretJwe: sealed.jwe, keyId: sealed.kid },
      update: { secretJwe: sealed.jwe, keyId: sealed.kid, lastTimeStep: null },
    });
  },

  async confirmTotp(system: SystemClient, userId: string, at: Date, step: bigint): Promise<void> {
    await system.totpFactor.update({ where: { userId }, data: { confirmedAt: at, lastTimeStep: step } });
  },

  /** Claims a time step (1: claimed; 0: that step or a later one was used already). */
  async claimTimeStep(system: SystemClient, userId: string, step: bigint): Promise<number> {
    return system.$executeRaw`
          UPDATE totp_factors SET last_time_step = ${step}, updated_at = now()
          WHERE user_id = ${userId}::uuid AND (last_time_step IS NULL OR last_time_step < ${step})`;
  },

  /** Uses an unused recovery code (1: used now; 0: unknown or used already). */
  async useRecoveryCode(system: SystemClient, userId: string, codeHash: string): Promise<number> {
    return system.$executeRaw`
        UPDATE recovery_codes SET used_at = now()
        WHERE user_id = ${userId}::uuid AND code_hash = ${codeHash} AND used_at IS NULL`;
  },

  async unusedRecoveryCodes(system: SystemClient, userId: string): Promise<number> {
    return system.recoveryCode.count({ where: { userId, usedAt: null } });
  },

  // The next three return Prisma's lazy promises, for the caller's batch `$transaction([...])`.
  deleteRecoveryCodes(system: SystemClient, userId: string): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return system.recoveryCode.deleteMany({ where: { userId } });
  },

  createRecoveryCodes(
    system: SystemClient,
    userId: string,
    codeHashes: string[],
  ): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return system.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash })) });
  },

  deleteTotp(system: SystemClient, userId: string): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return system.totpFactor.deleteMany({ where: { userId } });
  },

  async passkeyCount(system: SystemClient, userId: string): Promise<number> {
    return system.passkey.count({ where: { userId } });
  },

  /** Oldest first. */
  async passkeys(system: SystemClient, userId: string): Promise<PasskeyView[]> {
    return system.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: PASSKEY_VIEW });
  },

  async passkeyCredentials(system: SystemClient, userId: string) {
    return system.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } });
  },

  async passkeyByCredentialId(system: SystemClient, credentialId: string) {
    return system.passkey.findUnique({ where: { credentialId } });
  },

  async createPasskey(system: SystemClient, data: Prisma.PasskeyUncheckedCreateInput): Promise<PasskeyView> {
    return system.passkey.create({ data, select: PASSKEY_VIEW });
  },

  async recordPasskeyUse(system: SystemClient, id: string, counter: bigint, at: Date): Promise<void> {
    await system.passkey.update({ where: { id }, data: { counter, lastUsedAt: at } });
  },

  /** The number deleted (0: not the user's passkey, or gone). */
  async deletePasskey(system: SystemClient, userId: string, id: string): Promise<number> {
    return (await system.passkey.deleteMany({ where: { id, userId } })).count;
  },

  /**
   * Keeps the session's one pending WebAuthn challenge, tagged with the ceremony that issued it
   * (`registration` or `authentication`): a challenge answers only its own ceremony.
   */
  async setChallenge(
    system: SystemClient,
    sessionId: string,
    ceremony: WebAuthnCeremony,
    challenge: string,
    expiresAt: Date,
  ): Promise<void> {
    await system.session.update({
      where: { id: sessionId },
      data: { webauthnChallenge: `${ceremony}:${challenge}`, webauthnChallengeExpiresAt: expiresAt },
    });
  },

  /**
   * Consumes the session's live WebAuthn challenge (one use, whatever ceremony asks): the
   * challenge when it was issued for `ceremony`, else null (none, expired, or the other ceremony's).
   */
  async takeChallenge(system: SystemClient, sessionId: string, ceremony: WebAuthnCeremony): Promise<string | null> {
    const rows = await system.$queryRaw<{ challenge: string | null }[]>`
      UPDATE sessions s SET webauthn_challenge = NULL, webauthn_challenge_expires_at = NULL
      FROM (SELECT id, webauthn_challenge, webauthn_challenge_expires_at FROM sessions WHERE id = ${sessionId}::uuid FOR UPDATE) old
      WHERE s.id = old.id AND old.webauthn_challenge IS NOT NULL AND old.webauthn_challenge_expires_at > now()
      RETURNING old.webauthn_challenge AS challenge`;
    const tagged = rows[0]?.challenge;
    const prefix = `${ceremony}:`;
    return tagged?.startsWith(prefix) ? tagged.slice(prefix.length) : null;
  },
};
