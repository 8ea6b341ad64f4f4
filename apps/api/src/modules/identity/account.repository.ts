// Data access for a user's own account changes (issue 49): password reset links, e-mail changes
// and account deletion. Platform-level rows through the system client (identity data, like
// sessions); the caller passes the system client or one of its transactions.
import type { Prisma } from "@atrium/db";

type SystemTx = Prisma.TransactionClient;

export interface SoleOwnedWorkspace {
  id: string;
  slug: string;
  name: string;
}

export const accountRepository = {
  /**
   * A reset link for the live (not disabled) account with this address, in one statement that
   * runs the same whether or not the address is known (no row for an unknown one): the user's
   * id and name, or undefined.
   */
  async insertPasswordResetFor(
    tx: SystemTx,
    email: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<{ userId: string; name: string } | undefined> {
    const rows = await tx.$queryRaw<{ user_id: string; name: string }[]>`
          WITH u AS (SELECT id, name FROM users WHERE email = ${email} AND disabled_at IS NULL),
               ins AS (INSERT INTO password_resets (user_id, token_hash, expires_at) SELECT id, ${tokenHash}, ${expiresAt} FROM u RETURNING user_id)
          SELECT ins.user_id, u.name FROM ins JOIN u ON u.id = ins.user_id`;
    const row = rows[0];
    return row ? { userId: row.user_id, name: row.name } : undefined;
  },

  /** Marks where a reset request's mail is queued, so it can be undone for an unknown address. */
  async savepoint(tx: SystemTx): Promise<void> {
    await tx.$executeRaw`SAVEPOINT password_reset_mail`;
  },

  async releaseSavepoint(tx: SystemTx): Promise<void> {
    await tx.$executeRaw`RELEASE SAVEPOINT password_reset_mail`;
  },

  async rollbackToSavepoint(tx: SystemTx): Promise<void> {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT password_reset_mail`;
  },

  /** A live reset link (unused, unexpired, its account not disabled) with what the strength check needs. */
  async livePasswordReset(
    system: SystemTx,
    tokenHash: string,
  ): Promise<{ userId: string; email: string; name: string } | undefined> {
    const rows = await system.$queryRaw<{ user_id: string; email: string; name: string }[]>`
          SELECT r.user_id, u.email, u.name FROM password_resets r JOIN users u ON u.id = r.user_id
          WHERE r.token_hash = ${tokenHash} AND r.used_at IS NULL AND r.expires_at > now() AND u.disabled_at IS NULL`;
    const row = rows[0];
    return row ? { userId: row.user_id, email: row.email, name: row.name } : undefined;
  },

  /** Spends a live reset link (one conditional UPDATE: of two concurrent uses, one wins); its user's id. */
  async usePasswordReset(tx: SystemTx, tokenHash: string): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ user_id: string }[]>`
          UPDATE password_resets SET used_at = now()
          WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now()
          RETURNING user_id`;
    return rows[0]?.user_id;
  },

  /** Spends every live reset link of the user. */
  async voidPasswordResets(tx: SystemTx, userId: string): Promise<void> {
    await tx.$executeRaw`UPDATE password_resets SET used_at = now() WHERE user_id = ${userId}::uuid AND used_at IS NULL`;
  },

  async setPassword(tx: SystemTx, userId: string, passwordHash: string): Promise<void> {
    await tx.$executeRaw`UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${userId}::uuid`;
  },

  /** A pending sign-in made with the old password must not complete after it changed. */
  async dropSignInChallenges(tx: SystemTx, userId: string): Promise<void> {
    await tx.$executeRaw`DELETE FROM sign_in_challenges WHERE user_id = ${userId}::uuid`;
  },

  /** Ends every live session of the user but `keepSessionId`; the number ended. */
  async endOtherSessions(tx: SystemTx, userId: string, keepSessionId: string, at: Date): Promise<number> {
    return tx.$executeRaw`UPDATE sessions SET revoked_at = ${at} WHERE user_id = ${userId}::uuid AND revoked_at IS NULL AND id <> ${keepSessionId}::uuid`;
  },

  /**
   * The step-up lifetimes (minutes) of the workspaces of this user that require step-up (S7):
   * an account change asks for a verification as fresh as the strictest of them.
   */
  async stepUpLifetimes(system: SystemTx, userId: string): Promise<number[]> {
    const rows = await system.$queryRaw<{ minutes: number }[]>`
          SELECT w.step_up_lifetime_minutes AS minutes FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
          WHERE m.user_id = ${userId}::uuid AND w.require_step_up`;
    return rows.map((r) => r.minutes);
  },

  async userById(
    system: SystemTx,
    userId: string,
  ): Promise<{ id: string; email: string; name: string; passwordHash: string } | undefined> {
    const rows = await system.$queryRaw<{ id: string; email: string; name: string; password_hash: string }[]>`
          SELECT id, email, name, password_hash FROM users WHERE id = ${userId}::uuid AND disabled_at IS NULL`;
    const row = rows[0];
    return row ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash } : undefined;
  },

  async emailTaken(tx: SystemTx, email: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM users WHERE email = ${email}`;
    return rows.length > 0;
  },

  /** A pending e-mail change, replacing the user's earlier pending one (at most one at a time). */
  async replaceEmailChange(
    tx: SystemTx,
    change: { userId: string; oldEmail: string; newEmail: string; tokenHash: string; expiresAt: Date },
  ): Promise<void> {
    await tx.$executeRaw`DELETE FROM email_changes WHERE user_id = ${change.userId}::uuid AND confirmed_at IS NULL`;
    await tx.$executeRaw`
          INSERT INTO email_changes (user_id, old_email, new_email, token_hash, expires_at)
          VALUES (${change.userId}::uuid, ${change.oldEmail}, ${change.newEmail}, ${change.tokenHash}, ${change.expiresAt})`;
  },

  /** Claims a live confirmation link (one conditional UPDATE); the change, or undefined. */
  async confirmEmailChange(
    tx: SystemTx,
    tokenHash: string,
  ): Promise<{ id: string; userId: string; oldEmail: string; newEmail: string } | undefined> {
    const rows = await tx.$queryRaw<{ id: string; user_id: string; old_email: string; new_email: string }[]>`
          UPDATE email_changes SET confirmed_at = now()
          WHERE token_hash = ${tokenHash} AND confirmed_at IS NULL AND expires_at > now()
          RETURNING id, user_id, old_email, new_email`;
    const row = rows[0];
    return row ? { id: row.id, userId: row.user_id, oldEmail: row.old_email, newEmail: row.new_email } : undefined;
  },

  async setRevertToken(tx: SystemTx, id: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await tx.$executeRaw`UPDATE email_changes SET revert_token_hash = ${tokenHash}, revert_expires_at = ${expiresAt} WHERE id = ${id}::uuid`;
  },

  /** Claims a live revert link (one conditional UPDATE); the change, or undefined. */
  async revertEmailChange(
    tx: SystemTx,
    tokenHash: string,
  ): Promise<{ id: string; userId: string; oldEmail: string; newEmail: string } | undefined> {
    const rows = await tx.$queryRaw<{ id: string; user_id: string; old_email: string; new_email: string }[]>`
          UPDATE email_changes SET reverted_at = now()
          WHERE revert_token_hash = ${tokenHash} AND reverted_at IS NULL AND revert_expires_at > now()
          RETURNING id, user_id, old_email, new_email`;
    const row = rows[0];
    return row ? { id: row.id, userId: row.user_id, oldEmail: row.old_email, newEmail: row.new_email } : undefined;
  },

  /** Drops the user's pending (unconfirmed) e-mail changes. */
  async dropPendingEmailChanges(tx: SystemTx, userId: string): Promise<void> {
    await tx.$executeRaw`DELETE FROM email_changes WHERE user_id = ${userId}::uuid AND confirmed_at IS NULL`;
  },

  /** The user's address, with the row locked until `tx` ends (undefined: no such user). */
  async lockUserEmail(tx: SystemTx, userId: string): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ email: string }[]>`SELECT email FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    return rows[0]?.email;
  },

  async setEmail(tx: SystemTx, userId: string, email: string): Promise<void> {
    await tx.$executeRaw`UPDATE users SET email = ${email}, email_verified_at = now(), updated_at = now() WHERE id = ${userId}::uuid`;
  },

  /** Workspaces where the user is the only owner: deleting the account would leave them ownerless. */
  async soleOwnedWorkspaces(system: SystemTx, userId: string): Promise<SoleOwnedWorkspace[]> {
    return system.$queryRaw<SoleOwnedWorkspace[]>`
          SELECT w.id, w.slug, w.name FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
          WHERE m.user_id = ${userId}::uuid AND m.role = 'OWNER'
            AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.workspace_id = m.workspace_id AND o.role = 'OWNER' AND o.user_id <> m.user_id)
          ORDER BY w.name, w.id`;
  },

  /**
   * Account deletion's workspace side, in the caller's transaction: in every workspace of the
   * user, the API keys they created are revoked, the workspace's audit log records the departure
   * (actor: the user's id, which no longer leads to a person once the user row is gone), and the
   * membership is removed. The owner trigger still guards the last owner (check_violation).
   * Raw SQL across tenant tables: the system client owns them and this is the one place a user
   * leaves every workspace at once, like the workspace deletion removes every row of one.
   */
  async leaveEveryWorkspace(
    tx: SystemTx,
    userId: string,
    audit: { ip: string | null; userAgent: string | null; requestId: string },
  ): Promise<{ workspaces: number; apiKeysRevoked: number }> {
    const rows = await tx.$queryRaw<{ workspace_id: string; keys: number }[]>`
          WITH mine AS (SELECT workspace_id FROM memberships WHERE user_id = ${userId}::uuid),
               revoked AS (
                 UPDATE api_keys k SET revoked_at = now()
                 FROM mine WHERE k.workspace_id = mine.workspace_id AND k.created_by_user_id = ${userId}::uuid AND k.revoked_at IS NULL
                 RETURNING k.workspace_id)
          SELECT mine.workspace_id, (SELECT count(*)::int FROM revoked r WHERE r.workspace_id = mine.workspace_id) AS keys FROM mine ORDER BY mine.workspace_id`;
    // In workspace order: each audit row below takes its workspace's chain head until commit
    // (decision 0053), and one order for every such transaction cannot deadlock.
    for (const r of rows) {
      await tx.$executeRaw`
            INSERT INTO audit_events (workspace_id, actor_user_id, action, target_type, target_id, data, ip, user_agent, request_id)
            VALUES (${r.workspace_id}::uuid, ${userId}::uuid, 'member.account_deleted', 'Member', ${userId}, ${JSON.stringify({ apiKeysRevoked: r.keys })}::jsonb,
                    ${audit.ip}, ${audit.userAgent}, ${audit.requestId})`;
    }
    await tx.$executeRaw`DELETE FROM memberships WHERE user_id = ${userId}::uuid`;
    return { workspaces: rows.length, apiKeysRevoked: rows.reduce((n, r) => n + r.keys, 0) };
  },

  /** Deletes the user row: sessions, refresh tokens, factors, links and challenges go with it (ON DELETE CASCADE). */
  async deleteUser(tx: SystemTx, userId: string): Promise<number> {
    return tx.$executeRaw`DELETE FROM users WHERE id = ${userId}::uuid`;
  },
};
