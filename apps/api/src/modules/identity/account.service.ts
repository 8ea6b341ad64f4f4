// A user's own account (issue 49, decision 0038): password reset by e-mail, password change,
// e-mail change with a revert link, account deletion. Identity data through the system client.
//
// Invariants:
// - No account enumeration: `requestPasswordReset` answers true for every well-formed address,
//   after the same budgets and the same statements (the reset row is inserted by a statement that
//   matches no user for an unknown address); only a known, live account gets a mail (queued in
//   that transaction, sent by the mail job).
// - Links are opaque 256-bit tokens; only their SHA-256 is stored. A reset link lives 30 minutes
//   and is spent once (one conditional UPDATE); a weak password is refused before it is spent.
// - A reset ends every session of the user; a password change every other one. Both mail a notice.
// - Changing the password or the address, or deleting the account, needs the current password
//   (failures budgeted per user) and, with STEP_UP_ENABLED and a workspace of the user requiring
//   it, a step-up verification as fresh as the strictest such workspace asks.
// - An account is never deleted while it is a workspace's only owner (typed CONFLICT naming the
//   workspaces; the database's owner trigger backs it under races). Deletion is one transaction.
import type { Db, SystemClient } from "@atrium/db";
import { normaliseEmail } from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordPlatformAudit, type Actor } from "../../platform/audit/audit.ts";
import { hashPassword, verifyPassword } from "../../platform/auth/password.ts";
import { hashOpaqueToken, newOpaqueToken } from "../../platform/auth/tokens.ts";
import { AppError, badInput, conflict, ErrorCode, postgresErrorOf } from "../../platform/errors.ts";
import type { MailOutbox } from "../../platform/mail/outbox.ts";
import type { RateLimiter } from "../../platform/rate-limit.ts";
import { accountRepository as repo, type SoleOwnedWorkspace } from "./account.repository.ts";
import { identityRepository } from "./identity.repository.ts";
import { assertStrongPassword } from "./password-strength.ts";

export const PASSWORD_RESET_TTL_MS = 30 * 60 * 1000;
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;
export const EMAIL_REVERT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Wrong current passwords a signed-in user may type per window (change password / e-mail, delete). */
export const CURRENT_PASSWORD_FAILURES_PER_WINDOW = 10;
/** E-mail change requests per user per window (each one mails an address the user typed). */
export const EMAIL_CHANGE_REQUESTS_PER_WINDOW = 5;

interface Deps {
  config: AppConfig;
  db: Db;
  mail: Pick<MailOutbox, "queue" | "notify">;
  rateLimiter: RateLimiter;
}

/** The signed-in user asking for a change (a session, never an API key). */
export interface AccountUser {
  userId: string;
  sessionId: string;
  stepUpVerifiedAt: Date | null;
}

const invalidResetLink = () =>
  new AppError(ErrorCode.BAD_USER_INPUT, "This reset link is invalid, already used or expired. Ask for a new one.", {
    reason: "INVALID_LINK",
    fields: { token: "invalid or expired" },
  });
const invalidEmailLink = () =>
  new AppError(ErrorCode.BAD_USER_INPUT, "This link is invalid, already used or expired.", {
    reason: "INVALID_LINK",
    fields: { token: "invalid or expired" },
  });

function soleOwnerError(workspaces: SoleOwnedWorkspace[]): AppError {
  const names = workspaces.map((w) => w.name).join(", ");
  return new AppError(
    ErrorCode.CONFLICT,
    `You are the only owner of ${names}. Transfer ownership to another member, or delete ${workspaces.length === 1 ? "that workspace" : "those workspaces"}, before deleting your account.`,
    { reason: "SOLE_OWNER", workspaces: workspaces.map((w) => ({ id: w.id, slug: w.slug, name: w.name })) },
  );
}

export function createAccountService({ config, db, mail, rateLimiter }: Deps) {
  const system: SystemClient = db.system;
  const { windowSeconds } = config.rateLimits;

  /**
   * S7 for account changes: with the platform switch on, a user who belongs to a workspace that
   * requires step-up must have verified this session within the shortest lifetime among them.
   */
  async function requireStepUpIfAsked(user: AccountUser): Promise<void> {
    if (!config.stepUpEnabled) return;
    const lifetimes = await repo.stepUpLifetimes(system, user.userId);
    if (lifetimes.length === 0) return;
    const minutes = Math.min(...lifetimes);
    const at = user.stepUpVerifiedAt;
    if (at && Date.now() - at.getTime() <= minutes * 60_000) return;
    throw new AppError(
      ErrorCode.STEP_UP_REQUIRED,
      "A workspace you belong to asks you to confirm it's you with your second factor before changing your account.",
      {
        reason: "ACCOUNT_CHANGE",
        lifetimeMinutes: minutes,
      },
    );
  }

  /**
   * The current password of a signed-in user, against a per-user failure budget (a stolen session
   * must not become a password-guessing oracle): a unit is reserved first and given back when the
   * password is right. Wrong: BAD_USER_INPUT, reason WRONG_PASSWORD, on `field`.
   */
  async function checkCurrentPassword(userId: string, password: string, field: string, actor: Actor) {
    const key = `account:current-password:fail:${userId}`;
    const resetAt = await rateLimiter.take(key, CURRENT_PASSWORD_FAILURES_PER_WINDOW, windowSeconds);
    const user = await repo.userById(system, userId);
    if (!user || !(await verifyPassword(user.passwordHash, password))) {
      await recordPlatformAudit(system, { ...actor, userId }, { action: "user.current_password_refused" });
      throw new AppError(ErrorCode.BAD_USER_INPUT, "That is not your current password.", {
        reason: "WRONG_PASSWORD",
        fields: { [field]: "That is not your current password." },
      });
    }
    await rateLimiter.refund(key, resetAt);
    return user;
  }

  const noticeFooter = `\n\nIf this wasn't you, reset your password at once: ${config.publicUrl}/forgot-password`;

  return {
    /**
     * Always true for a well-formed address (no enumeration): the same budgets (per IP, per
     * address — counted for unknown addresses too) and the same statements for every address; a
     * mail only for a known, live account.
     */
    async requestPasswordReset(rawEmail: string, actor: Actor): Promise<boolean> {
      const email = normaliseEmail(rawEmail);
      await rateLimiter.hit(
        `password-reset:ip:${actor.ip ?? "unknown"}`,
        config.rateLimits.passwordResetPerIp,
        windowSeconds,
      );
      await rateLimiter.hit(
        `password-reset:account:${email}`,
        config.rateLimits.passwordResetPerAccount,
        windowSeconds,
      );
      const { token, hash } = newOpaqueToken();
      const expiresAt = new Date(Date.now() + PASSWORD_RESET_TTL_MS);
      const link = `${config.publicUrl}/reset-password?token=${token}`;
      // The same statements for every address, and a commit for every address (a rollback skips
      // the WAL flush a commit waits for, which shows under load): the insert matches no row for
      // an unknown address, and its mail is sealed and queued all the same, then rolled back to
      // a savepoint — nothing stored, nothing sent. The audit row is written either way (no
      // address in it).
      const queued = await system.$transaction(async (tx) => {
        const user = await repo.insertPasswordResetFor(tx, email, hash, expiresAt);
        await repo.savepoint(tx);
        await mail.queue(
          tx,
          {
            to: email,
            subject: "Reset your Atrium password",
            text: `Someone asked to reset the password of your Atrium account.\n\nTo choose a new password, open this link within 30 minutes (it works once):\n${link}\n\nEvery device signed in to your account will be signed out.\n\nIf you did not ask for this, ignore this message: your password stays as it is.`,
          },
          { kind: "password-reset", targetType: "User", targetId: user?.userId ?? "unknown" },
        );
        if (user) await repo.releaseSavepoint(tx);
        else await repo.rollbackToSavepoint(tx);
        await recordPlatformAudit(
          tx,
          { ...actor, userId: user?.userId ?? null },
          { action: "user.password_reset_requested" },
        );
        return user !== undefined;
      });
      if (queued) mail.notify();
      return true;
    },

    /**
     * Sets a new password with a reset link. The link's liveness is read first (no hashing for a
     * dead one), the password's strength next (a weak one keeps the link usable), then in one
     * transaction: the link is claimed, the password set, every session and pending sign-in of the
     * user ends, every other reset link is spent, and a notice is queued. A reset proves the
     * mailbox, so for an account never verified it is its first verification (decision 0024).
     */
    async resetPassword(token: string, password: string, actor: Actor): Promise<boolean> {
      const hash = hashOpaqueToken(token);
      const pending = await repo.livePasswordReset(system, hash);
      if (!pending) throw invalidResetLink();
      await assertStrongPassword(password, [pending.email, pending.name]);
      const passwordHash = await hashPassword(password);
      const done = await system.$transaction(async (tx) => {
        const userId = await repo.usePasswordReset(tx, hash);
        if (!userId) return false;
        const state = await identityRepository.lockVerificationState(tx, userId);
        const email = await repo.lockUserEmail(tx, userId);
        if (!state || !email) return false;
        const now = new Date();
        if (state.emailVerifiedAt === null) {
          await identityRepository.completeFirstVerification(tx, userId, passwordHash, now);
          await identityRepository.voidEmailVerifications(tx, userId);
        } else {
          await repo.setPassword(tx, userId, passwordHash);
        }
        const sessionsEnded = await identityRepository.endUserSessions(tx, userId, now);
        await repo.dropSignInChallenges(tx, userId);
        await repo.voidPasswordResets(tx, userId);
        await recordPlatformAudit(
          tx,
          { ...actor, userId },
          { action: "user.password_reset", data: { sessionsEnded, firstVerification: state.emailVerifiedAt === null } },
        );
        await mail.queue(
          tx,
          {
            to: email,
            subject: "Your Atrium password was reset",
            text: `The password of your Atrium account was reset just now with a link sent to this address.\nEvery device that was signed in has been signed out.${noticeFooter}`,
          },
          { kind: "account-notice", targetType: "User", targetId: userId },
        );
        return true;
      });
      if (!done) throw invalidResetLink();
      mail.notify();
      return true;
    },

    /** Changes the password: the current one required, step-up when asked; every other session ends. */
    async changePassword(
      user: AccountUser,
      currentPassword: string,
      newPassword: string,
      actor: Actor,
    ): Promise<boolean> {
      await requireStepUpIfAsked(user);
      const me = await checkCurrentPassword(user.userId, currentPassword, "currentPassword", actor);
      if (currentPassword === newPassword) {
        throw badInput("Choose a password different from your current one.", {
          newPassword: "Choose a password different from your current one.",
        });
      }
      await assertStrongPassword(newPassword, [me.email, me.name], "newPassword");
      const passwordHash = await hashPassword(newPassword);
      await system.$transaction(async (tx) => {
        await repo.setPassword(tx, user.userId, passwordHash);
        const sessionsEnded = await repo.endOtherSessions(tx, user.userId, user.sessionId, new Date());
        await repo.dropSignInChallenges(tx, user.userId);
        await repo.voidPasswordResets(tx, user.userId);
        await recordPlatformAudit(
          tx,
          { ...actor, userId: user.userId },
          { action: "user.password_changed", data: { otherSessionsEnded: sessionsEnded } },
        );
        await mail.queue(
          tx,
          {
            to: me.email,
            subject: "Your Atrium password was changed",
            text: `The password of your Atrium account was changed just now. Other devices that were signed in have been signed out.${noticeFooter}`,
          },
          { kind: "account-notice", targetType: "User", targetId: user.userId },
        );
      });
      mail.notify();
      return true;
    },

    /**
     * Asks to move the account to `newEmail`: the current password required, step-up when asked.
     * The new address gets a confirmation link (24 hours); an address that already has an account
     * gets a notice instead, and the caller the same answer (no enumeration of addresses).
     */
    async requestEmailChange(
      user: AccountUser,
      rawNewEmail: string,
      currentPassword: string,
      actor: Actor,
    ): Promise<boolean> {
      await requireStepUpIfAsked(user);
      const me = await checkCurrentPassword(user.userId, currentPassword, "currentPassword", actor);
      const newEmail = normaliseEmail(rawNewEmail);
      if (newEmail === me.email)
        throw badInput("This is already your address.", { newEmail: "This is already your address." });
      await rateLimiter.hit(`email-change:user:${user.userId}`, EMAIL_CHANGE_REQUESTS_PER_WINDOW, windowSeconds);
      const { token, hash } = newOpaqueToken();
      await system.$transaction(async (tx) => {
        if (await repo.emailTaken(tx, newEmail)) {
          await repo.dropPendingEmailChanges(tx, user.userId);
          await mail.queue(
            tx,
            {
              to: newEmail,
              subject: "Someone tried to use your address on Atrium",
              text: `Someone asked to move another Atrium account to this address. An account already exists for it, so nothing was changed.\n\nIf this was you, sign in with this address at ${config.publicUrl}/signin.`,
            },
            { kind: "email-change", targetType: "User", targetId: user.userId },
          );
          return;
        }
        await repo.replaceEmailChange(tx, {
          userId: user.userId,
          oldEmail: me.email,
          newEmail,
          tokenHash: hash,
          expiresAt: new Date(Date.now() + EMAIL_CHANGE_TTL_MS),
        });
        await mail.queue(
          tx,
          {
            to: newEmail,
            subject: "Confirm your new e-mail address for Atrium",
            text: `Someone asked to use this address for the Atrium account of ${me.name}.\n\nTo confirm, open this link within 24 hours:\n${config.publicUrl}/confirm-email?token=${token}\n\nIf it wasn't you, ignore this message.`,
          },
          { kind: "email-change", targetType: "User", targetId: user.userId },
        );
      });
      await recordPlatformAudit(system, { ...actor, userId: user.userId }, { action: "user.email_change_requested" });
      mail.notify();
      return true;
    },

    /**
     * Confirms an e-mail change with the link mailed to the new address. The old address is told,
     * with a link that restores it within 7 days. Refused (link not spent) when the new address
     * was taken meanwhile or the account's address changed since the request.
     */
    async confirmEmailChange(token: string, actor: Actor): Promise<boolean> {
      const revert = newOpaqueToken();
      await system.$transaction(async (tx) => {
        const change = await repo.confirmEmailChange(tx, hashOpaqueToken(token));
        if (!change) throw invalidEmailLink();
        const current = await repo.lockUserEmail(tx, change.userId);
        if (current !== change.oldEmail) throw invalidEmailLink();
        if (await repo.emailTaken(tx, change.newEmail))
          throw conflict("Another account uses this address now.", { token: "address taken" });
        await repo.setEmail(tx, change.userId, change.newEmail);
        await repo.setRevertToken(tx, change.id, revert.hash, new Date(Date.now() + EMAIL_REVERT_TTL_MS));
        await repo.dropPendingEmailChanges(tx, change.userId);
        await repo.voidPasswordResets(tx, change.userId);
        await recordPlatformAudit(tx, { ...actor, userId: change.userId }, { action: "user.email_changed" });
        await mail.queue(
          tx,
          {
            to: change.oldEmail,
            subject: "Your Atrium e-mail address was changed",
            text: `The e-mail address of your Atrium account was changed from ${change.oldEmail} to ${change.newEmail}.\n\nIf you did not do this, open this link within 7 days to restore ${change.oldEmail} and sign every device out:\n${config.publicUrl}/revert-email?token=${revert.token}`,
          },
          { kind: "email-change", targetType: "User", targetId: change.userId },
        );
      });
      mail.notify();
      return true;
    },

    /**
     * Restores the old address with the link mailed to it (7 days, once): the account's sessions
     * and pending sign-ins end and its links are spent, since whoever changed the address may hold
     * them. The password stays; the notice says to reset it.
     */
    async revertEmailChange(token: string, actor: Actor): Promise<boolean> {
      await system.$transaction(async (tx) => {
        const change = await repo.revertEmailChange(tx, hashOpaqueToken(token));
        if (!change) throw invalidEmailLink();
        const current = await repo.lockUserEmail(tx, change.userId);
        if (current === undefined) throw invalidEmailLink();
        if (current !== change.oldEmail && (await repo.emailTaken(tx, change.oldEmail))) {
          throw conflict("Another account uses this address now, so it cannot be restored. Contact support.", {
            token: "address taken",
          });
        }
        await repo.setEmail(tx, change.userId, change.oldEmail);
        const sessionsEnded = await identityRepository.endUserSessions(tx, change.userId, new Date());
        await repo.dropSignInChallenges(tx, change.userId);
        await repo.dropPendingEmailChanges(tx, change.userId);
        await repo.voidPasswordResets(tx, change.userId);
        await recordPlatformAudit(
          tx,
          { ...actor, userId: change.userId },
          { action: "user.email_change_reverted", data: { sessionsEnded } },
        );
        await mail.queue(
          tx,
          {
            to: change.oldEmail,
            subject: "Your Atrium e-mail address was restored",
            text: `Your Atrium account uses ${change.oldEmail} again, and every device was signed out.\n\nIf you did not change the address yourself, reset your password now: ${config.publicUrl}/forgot-password`,
          },
          { kind: "account-notice", targetType: "User", targetId: change.userId },
        );
      });
      mail.notify();
      return true;
    },

    /** The workspaces the user alone owns (what blocks deleting the account). */
    async soleOwnedWorkspaces(userId: string): Promise<SoleOwnedWorkspace[]> {
      return repo.soleOwnedWorkspaces(system, userId);
    },

    /**
     * Deletes the account: refused (CONFLICT, reason SOLE_OWNER, naming the workspaces) while the
     * user is the only owner of one. Otherwise one transaction revokes the API keys they created,
     * removes their memberships (each workspace's audit log records it) and deletes the user row
     * — sessions, refresh tokens, second factors and links with it. Audit rows keep the user's id,
     * which then leads to no person: the pseudonymous id.
     */
    async deleteAccount(user: AccountUser, currentPassword: string, actor: Actor): Promise<boolean> {
      await requireStepUpIfAsked(user);
      const me = await checkCurrentPassword(user.userId, currentPassword, "currentPassword", actor);
      const sole = await repo.soleOwnedWorkspaces(system, user.userId);
      if (sole.length > 0) throw soleOwnerError(sole);
      try {
        await system.$transaction(async (tx) => {
          const left = await repo.leaveEveryWorkspace(tx, user.userId, {
            ip: actor.ip,
            userAgent: actor.userAgent,
            requestId: actor.requestId,
          });
          await repo.deleteUser(tx, user.userId);
          await recordPlatformAudit(
            tx,
            { ...actor, userId: user.userId },
            { action: "user.account_deleted", data: left },
          );
          await mail.queue(
            tx,
            {
              to: me.email,
              subject: "Your Atrium account was deleted",
              text: `Your Atrium account and your memberships were deleted, and every device was signed out. Nothing else needs doing.\n\nIf you did not do this, contact the owners of your workspaces.`,
            },
            { kind: "account-notice" },
          );
        });
      } catch (err) {
        // A co-owner left meanwhile: the owner trigger refused the last owner's removal.
        if (postgresErrorOf(err)?.code === "23514") {
          const now = await repo.soleOwnedWorkspaces(system, user.userId);
          if (now.length > 0) throw soleOwnerError(now);
        }
        throw err;
      }
      mail.notify();
      return true;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
