// The only code that touches Prisma for identity: users, e-mail verifications, sessions and
// refresh tokens. Platform-level rows: the caller passes the system client or one of its
// transactions (the tenant client only for a user reading their own row).
import type { Prisma, TenantTx } from "@atrium/db";

type SystemTx = Prisma.TransactionClient;

/** What session_state() says about a session (times in epoch milliseconds). */
export interface SessionState {
  userId: string;
  /** Not revoked, and its user not disabled. */
  live: boolean;
  globalRole: "ADMIN" | "USER";
  email: string;
  stepUpVerifiedAt: number | null;
  lastSeenAt: number;
}

export const identityRepository = {
  async registrationSettings(system: SystemTx) {
    return system.platformSettings.findUnique({ where: { id: 1 } });
  },

  /** The new user's id, or undefined when the e-mail is taken. */
  async insertUserIfNew(
    tx: SystemTx,
    user: { email: string; name: string; passwordHash: string; emailVerifiedAt: Date | null },
  ): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO users (email, name, password_hash, email_verified_at) VALUES (${user.email}, ${user.name}, ${user.passwordHash}, ${user.emailVerifiedAt})
          ON CONFLICT (email) DO NOTHING RETURNING id`;
    return rows[0]?.id;
  },

  async createEmailVerification(
    tx: Pick<SystemTx, "emailVerification">,
    userId: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<void> {
    await tx.emailVerification.create({ data: { userId, tokenHash, expiresAt } });
  },

  /** Marks a live verification used; its user's id, or undefined (unknown, used or expired). */
  async useEmailVerification(tx: SystemTx, tokenHash: string): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ user_id: string }[]>`
          UPDATE email_verifications SET used_at = now()
          WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now()
          RETURNING user_id`;
    return rows[0]?.user_id;
  },

  /** Whether a verification token is live (unused, unexpired): a read, before the work of hashing a password. */
  async liveEmailVerification(system: SystemTx, tokenHash: string): Promise<boolean> {
    const rows = await system.$queryRaw<{ one: number }[]>`
          SELECT 1 AS one FROM email_verifications WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now()`;
    return rows.length > 0;
  },

  /** The user's verification time, with the row locked until `tx` ends (undefined: no such user). */
  async lockVerificationState(tx: SystemTx, userId: string): Promise<{ emailVerifiedAt: Date | null } | undefined> {
    const rows = await tx.$queryRaw<
      { email_verified_at: Date | null }[]
    >`SELECT email_verified_at FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    return rows[0] ? { emailVerifiedAt: rows[0].email_verified_at } : undefined;
  },

  /**
   * An account's first verification (decision 0024): the address holder's password replaces the
   * sign-up one, and what anyone else could have set up before it is gone — second factors
   * (none can be enrolled without a session, so this is defence in depth).
   */
  async completeFirstVerification(tx: SystemTx, userId: string, passwordHash: string, at: Date): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: at, passwordHash } });
    await tx.totpFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.passkey.deleteMany({ where: { userId } });
  },

  /** Spends every live verification link of the user (the one used, and any older ones). */
  async voidEmailVerifications(tx: SystemTx, userId: string): Promise<void> {
    await tx.emailVerification.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } });
  },

  async userByEmail(system: SystemTx, email: string) {
    return system.user.findUnique({ where: { email } });
  },

  async verificationStateByEmail(system: SystemTx, email: string) {
    return system.user.findUnique({ where: { email }, select: { id: true, emailVerifiedAt: true, disabledAt: true } });
  },

  /** A user reading their own row (tenant client). */
  async user(tx: TenantTx, userId: string) {
    return tx.user.findUnique({ where: { id: userId } });
  },

  async userById(system: SystemTx, userId: string) {
    return system.user.findUnique({ where: { id: userId } });
  },

  /**
   * A session with its first refresh token. `stepUpVerifiedAt`: the sign-in itself passed a
   * second factor (the session starts verified).
   */
  async createSession(
    system: SystemTx,
    session: {
      userId: string;
      ip: string | null;
      userAgent: string | null;
      refreshTokenHash: string;
      refreshExpiresAt: Date;
      stepUpVerifiedAt?: Date | null;
    },
  ): Promise<{ id: string }> {
    return system.session.create({
      data: {
        userId: session.userId,
        ip: session.ip,
        userAgent: session.userAgent,
        stepUpVerifiedAt: session.stepUpVerifiedAt ?? null,
        refreshTokens: { create: { tokenHash: session.refreshTokenHash, expiresAt: session.refreshExpiresAt } },
      },
    });
  },

  /** The user's pending sign-in, replacing any earlier one (at most one per user). */
  async replaceSignInChallenge(system: SystemTx, userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await system.$executeRaw`
          WITH replaced AS (DELETE FROM sign_in_challenges WHERE user_id = ${userId}::uuid)
          INSERT INTO sign_in_challenges (user_id, token_hash, expires_at) VALUES (${userId}::uuid, ${tokenHash}, ${expiresAt})`;
  },

  /** A pending sign-in that may still be answered (unused, unexpired, attempts left), with its user's e-mail. */
  async liveSignInChallenge(
    system: SystemTx,
    tokenHash: string,
    maxAttempts: number,
  ): Promise<{ id: string; userId: string; email: string } | undefined> {
    const rows = await system.$queryRaw<{ id: string; user_id: string; email: string }[]>`
          SELECT c.id, c.user_id, u.email FROM sign_in_challenges c JOIN users u ON u.id = c.user_id
          WHERE c.token_hash = ${tokenHash} AND c.used_at IS NULL AND c.expires_at > now() AND c.attempts < ${maxAttempts}`;
    const row = rows[0];
    return row ? { id: row.id, userId: row.user_id, email: row.email } : undefined;
  },

  /**
   * Counts one code against a pending sign-in, in one conditional UPDATE (concurrent attempts
   * cannot overshoot): false when it is used, expired or out of attempts.
   */
  async countSignInAttempt(system: SystemTx, id: string, maxAttempts: number): Promise<boolean> {
    const n = await system.$executeRaw`
          UPDATE sign_in_challenges SET attempts = attempts + 1
          WHERE id = ${id}::uuid AND used_at IS NULL AND expires_at > now() AND attempts < ${maxAttempts}`;
    return n === 1;
  },

  /** Spends a pending sign-in (one conditional UPDATE: of two concurrent claims, one wins). */
  async useSignInChallenge(system: SystemTx, id: string): Promise<boolean> {
    const n = await system.$executeRaw`
          UPDATE sign_in_challenges SET used_at = now() WHERE id = ${id}::uuid AND used_at IS NULL AND expires_at > now()`;
    return n === 1;
  },

  /** One conditional UPDATE: of two concurrent claims of the same token, one gets the row. */
  async claimRefreshToken(
    system: SystemTx,
    tokenHash: string,
  ): Promise<{ session_id: string; expires_at: Date } | undefined> {
    const claimed = await system.$queryRaw<{ session_id: string; expires_at: Date }[]>`
        UPDATE refresh_tokens SET rotated_at = now()
        WHERE token_hash = ${tokenHash} AND rotated_at IS NULL
        RETURNING session_id, expires_at`;
    return claimed[0];
  },

  async sessionOfRefreshToken(system: SystemTx, tokenHash: string): Promise<string | null> {
    const t = await system.refreshToken.findUnique({ where: { tokenHash }, select: { sessionId: true } });
    return t?.sessionId ?? null;
  },

  async createRefreshToken(system: SystemTx, sessionId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await system.refreshToken.create({ data: { sessionId, tokenHash, expiresAt } });
  },

  async sessionWithUser(system: SystemTx, sessionId: string) {
    return system.session.findUnique({ where: { id: sessionId }, include: { user: true } });
  },

  /** The per-request check's one read: session_state() (the same function tenant transactions verify a cached session with). */
  async sessionState(system: SystemTx, sessionId: string): Promise<SessionState | null> {
    const rows = await system.$queryRaw<{ s: SessionState | null }[]>`SELECT session_state(${sessionId}::uuid) AS s`;
    return rows[0]?.s ?? null;
  },

  async touchSession(system: SystemTx, sessionId: string, at: Date): Promise<void> {
    await system.session.update({ where: { id: sessionId }, data: { lastSeenAt: at } });
  },

  /** Ends a live session (of `userId` only, when given); the number ended (0 or 1). */
  async endSession(
    system: SystemTx,
    sessionId: string,
    at: Date,
    opts: { userId?: string; reason?: string } = {},
  ): Promise<number> {
    const r = await system.session.updateMany({
      where: { id: sessionId, ...(opts.userId ? { userId: opts.userId } : {}), revokedAt: null },
      data: { revokedAt: at, ...(opts.reason ? { revokedReason: opts.reason } : {}) },
    });
    return r.count;
  },

  /** Ends every live session of the user; the number ended. */
  async endUserSessions(system: SystemTx, userId: string, at: Date): Promise<number> {
    const r = await system.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
    return r.count;
  },

  /** Live sessions active since `cutoff`, newest activity first. */
  async activeSessions(
    system: SystemTx,
    userId: string,
    cutoff: Date,
  ): Promise<{ id: string; createdAt: Date; lastSeenAt: Date; ip: string | null; userAgent: string | null }[]> {
    return system.session.findMany({
      where: { userId, revokedAt: null, lastSeenAt: { gt: cutoff } },
      orderBy: { lastSeenAt: "desc" },
      select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
      take: 200,
    });
  },
};
