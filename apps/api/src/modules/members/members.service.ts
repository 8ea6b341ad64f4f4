// Members and invitations (M3–M7). Every check runs in the workspace's tenant transaction;
// escalation rules come from @atrium/policies (canGrant / canChangeMember), the "never zero
// owners" rule is enforced by the database (deferred constraint trigger, migration 2).
import { randomBytes } from "node:crypto";

import type { Db, TenantTx } from "@atrium/db";
import {
  canChangeMember,
  canGrant,
  effectivePolicies,
  findPreset,
  isPolicyAllowedForRole,
  isPolicyKey,
  ROLE_POLICIES,
  type MembershipRole,
} from "@atrium/policies";
import { normaliseEmail } from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { matchesSha256, sha256Hex } from "../../platform/crypto/digest.ts";
import { inTenant, type Caller } from "../../platform/data.ts";
import {
  AppError,
  badInput,
  conflict,
  ErrorCode,
  forbidden,
  notFound,
  postgresErrorOf,
} from "../../platform/errors.ts";
import type { MailOutbox } from "../../platform/mail/outbox.ts";
import type { EmitWebhookEvent } from "../webhooks/webhooks.service.ts";
import { membersRepository as repo, type InvitationRow, type MemberRow } from "./members.repository.ts";
import {
  InvitationStatus,
  type InvitationPreview,
  type InvitationView,
  type InviteMemberInput,
  type MemberView,
  type UpdateMemberInput,
} from "./members.types.ts";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** `<workspaceId>.<invitationId>.<secret>`: the token names its workspace (tenant context). */
export function parseInvitationToken(
  token: string,
): { workspaceId: string; invitationId: string; secret: string } | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [workspaceId, invitationId, secret] = parts as [string, string, string];
  if (!UUID_RE.test(workspaceId) || !UUID_RE.test(invitationId) || !/^[A-Za-z0-9_-]{32,64}$/.test(secret)) return null;
  return { workspaceId, invitationId, secret };
}

function statusOf(inv: InvitationRow, now = Date.now()): InvitationStatus {
  if (inv.acceptedAt) return InvitationStatus.ACCEPTED;
  if (inv.revokedAt) return InvitationStatus.REVOKED;
  if (inv.expiresAt.getTime() <= now) return InvitationStatus.EXPIRED;
  return InvitationStatus.PENDING;
}

function toInvitationView(inv: InvitationRow): InvitationView {
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role as never,
    policies: inv.policies,
    status: statusOf(inv),
    expiresAt: inv.expiresAt,
    createdAt: inv.createdAt,
  };
}

function toMemberView(m: MemberRow): MemberView {
  return {
    id: m.id,
    user: m.user,
    role: m.role as never,
    policies: m.policies,
    effectivePolicies: effectivePolicies(m.role, m.policies),
    createdAt: m.createdAt,
  };
}

/** Validates stored policies for a role: known keys only, none an agent may never hold. */
function checkPolicies(role: MembershipRole, policies: readonly string[]): string[] {
  const unknown = policies.filter((p) => !isPolicyKey(p));
  if (unknown.length)
    throw badInput(`Unknown policies: ${unknown.join(", ")}.`, { policies: `unknown: ${unknown.join(", ")}` });
  const refused = policies.filter((p) => isPolicyKey(p) && !isPolicyAllowedForRole(role, p));
  if (refused.length)
    throw badInput(`An ${role.toLowerCase()} cannot hold ${refused.join(", ")}.`, {
      policies: `not allowed for ${role}: ${refused.join(", ")}`,
    });
  // OWNER and ADMIN hold everything; storing a list for them would only mislead.
  return role === "AGENT" ? [...new Set(policies)] : [];
}

/** The deferred owner check (migration members_invitations): check_violation naming this constraint. */
const OWNER_INVARIANT = "memberships_keep_an_owner";
function isOwnerInvariantViolation(err: unknown): boolean {
  const pg = postgresErrorOf(err);
  return pg?.code === "23514" && pg.detail === OWNER_INVARIANT;
}
const lastOwner = () => conflict("A workspace must keep at least one owner. Transfer ownership first.");

export function createMembersService({
  config,
  db,
  mail,
  emit,
}: {
  config: AppConfig;
  db: Db;
  mail: Pick<MailOutbox, "queue" | "notify">;
  emit?: EmitWebhookEvent;
}) {
  /** Runs a membership change; the deferred owner check fires at commit and becomes CONFLICT. */
  async function ownerSafe<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isOwnerInvariantViolation(err)) throw lastOwner();
      throw err;
    }
  }

  async function findMemberByUser(tx: TenantTx, workspaceId: string, userId: string) {
    if (!UUID_RE.test(userId)) return null;
    return repo.memberByUser(tx, workspaceId, userId);
  }

  /** The invitation's mail, queued in `tx`: it goes out once the invitation is committed. */
  async function queueInvitationMail(
    access: WorkspaceAccess,
    tx: TenantTx,
    inv: { id: string; email: string; role: string },
    secret: string,
  ) {
    const workspaceName = await repo.workspaceName(tx, access.workspaceId);
    // Issue 56: the mail names who invited (an API key's invitation: the key's creator).
    const inviter = (await repo.memberByUser(tx, access.workspaceId, access.userId))?.user;
    const by = inviter ? `${inviter.name} (${inviter.email})` : "A member";
    const token = `${access.workspaceId}.${inv.id}.${secret}`;
    await mail.queue(
      tx,
      {
        to: inv.email,
        subject: inviter
          ? `${inviter.name} invited you to ${workspaceName} on Atrium`
          : `You are invited to ${workspaceName} on Atrium`,
        text: `${by} invited you to join the workspace "${workspaceName}" on Atrium as ${inv.role.toLowerCase()}.\n\nAccept the invitation within 7 days:\n${config.publicUrl}/invitations/accept?token=${token}\n\nNo account yet? The link lets you create one.`,
      },
      { kind: "invitation", workspaceId: access.workspaceId, targetType: "Invitation", targetId: inv.id },
    );
  }

  return {
    async list(access: WorkspaceAccess): Promise<MemberView[]> {
      const filter = accessibleWhere(access.ability, "read", "Member");
      const rows = await inWorkspace(db, access, (tx) => repo.list(tx, access.workspaceId, filter));
      return rows.map(toMemberView);
    },

    async update(
      access: WorkspaceAccess,
      targetUserId: string,
      input: UpdateMemberInput,
      actor: Actor,
    ): Promise<MemberView> {
      return ownerSafe(() =>
        inWorkspace(db, access, async (tx) => {
          const current = await findMemberByUser(tx, access.workspaceId, targetUserId);
          if (!current) throw notFound("Member");
          authorizeRow(access.ability, "update", "Member", current);
          const role = input.role ?? current.role;
          const requested = input.policies ?? (role === current.role ? current.policies : []);
          const policies = checkPolicies(role, requested);
          const grantor = { role: access.role, policies: access.policies };
          if (!canChangeMember(grantor, { role: current.role, policies: current.policies }, { role, policies })) {
            throw forbidden(
              current.role === "OWNER" || role === "OWNER"
                ? "Only an owner can change an owner."
                : "You cannot grant a role or policy you do not hold.",
            );
          }
          const updated = await repo.setRole(tx, current.workspaceId, current.id, role, policies);
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "member.updated",
            actorMembershipId: access.membershipId,
            targetType: "Member",
            targetId: current.userId,
            data: { from: { role: current.role, policies: current.policies }, to: { role, policies } },
          });
          return toMemberView(updated);
        }),
      );
    },

    async remove(access: WorkspaceAccess, targetUserId: string, actor: Actor): Promise<boolean> {
      return ownerSafe(() =>
        inWorkspace(db, access, async (tx) => {
          const current = await findMemberByUser(tx, access.workspaceId, targetUserId);
          if (!current) throw notFound("Member");
          authorizeRow(access.ability, "delete", "Member", current);
          if (
            !canGrant(
              { role: access.role, policies: access.policies },
              { role: current.role, policies: current.policies },
            )
          ) {
            throw forbidden(
              current.role === "OWNER"
                ? "Only an owner can remove an owner."
                : "You cannot remove a member with more access than you.",
            );
          }
          // Conditional delete: of concurrent removals only one finds the row; the others are NOT_FOUND.
          if ((await repo.deleteMember(tx, current.workspaceId, current.id)) === 0) throw notFound("Member");
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "member.removed",
            actorMembershipId: current.id === access.membershipId ? undefined : access.membershipId,
            targetType: "Member",
            targetId: current.userId,
            data: { email: current.user.email, role: current.role },
          });
          await emit?.(tx, access.workspaceId, "member.removed", {
            userId: current.userId,
            email: current.user.email,
            role: current.role,
            reason: "removed",
          });
          return true;
        }),
      );
    },

    async leave(access: WorkspaceAccess, actor: Actor): Promise<boolean> {
      return ownerSafe(() =>
        inWorkspace(db, access, async (tx) => {
          if ((await repo.deleteMembershipOfUser(tx, access.workspaceId, access.userId)) === 0)
            throw notFound("Workspace");
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "member.left",
            targetType: "Member",
            targetId: access.userId,
          });
          await emit?.(tx, access.workspaceId, "member.removed", {
            userId: access.userId,
            role: access.role,
            reason: "left",
          });
          return true;
        }),
      );
    },

    async transferOwnership(access: WorkspaceAccess, targetUserId: string, actor: Actor): Promise<void> {
      await ownerSafe(() =>
        inWorkspace(db, access, async (tx) => {
          authorizeRow(
            access.ability,
            "transfer",
            "Workspace",
            { workspaceId: access.workspaceId },
            "Only an owner can transfer ownership.",
          );
          // Lock the workspace: concurrent transfers and demotions serialise here.
          await repo.lockWorkspace(tx, access.workspaceId);
          const me = await findMemberByUser(tx, access.workspaceId, access.userId);
          if (me?.role !== "OWNER") throw forbidden("Only an owner can transfer ownership.");
          if (targetUserId === access.userId) throw badInput("You already own this workspace.", { userId: "is you" });
          const target = await findMemberByUser(tx, access.workspaceId, targetUserId);
          if (!target) throw notFound("Member");
          authorizeRow(access.ability, "update", "Member", target);
          await repo.writeRole(tx, access.workspaceId, target.id, "OWNER", []);
          await repo.writeRole(tx, access.workspaceId, me.id, "ADMIN", []);
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "workspace.ownership_transferred",
            actorMembershipId: me.id,
            targetType: "Member",
            targetId: target.userId,
            data: { from: access.userId, to: target.userId },
          });
        }),
      );
    },

    async invite(access: WorkspaceAccess, input: InviteMemberInput, actor: Actor): Promise<InvitationView> {
      const preset = input.preset ? findPreset(input.preset) : undefined;
      const role = input.role ?? preset?.role ?? "AGENT";
      // An agent invited with neither a preset nor policies gets the AGENT defaults (M1).
      const requested =
        preset && preset.role === role
          ? [...preset.policies, ...(input.policies ?? [])]
          : (input.policies ?? (role === "AGENT" ? ROLE_POLICIES.AGENT : []));
      const policies = checkPolicies(role, requested);
      authorizeRow(access.ability, "create", "Invitation", { workspaceId: access.workspaceId });
      if (!canGrant({ role: access.role, policies: access.policies }, { role, policies })) {
        throw forbidden(
          role === "OWNER"
            ? "Only an owner can invite an owner."
            : "You cannot grant a role or policy you do not hold.",
        );
      }
      const email = normaliseEmail(input.email);
      const secret = randomBytes(32).toString("base64url");
      const view = await inWorkspace(db, access, async (tx) => {
        // Invitations to one address in one workspace are serialised: each replaces the pending
        // one before it, so concurrent invites leave exactly one working link (the partial unique
        // index invitations_one_pending_per_email enforces it in the database too).
        await repo.lockInvitationAddress(tx, access.workspaceId, email);
        if (await repo.hasMemberWithEmail(tx, access.workspaceId, email))
          throw conflict(`${email} is already a member of this workspace.`, { email: "already a member" });
        // Inviting again replaces a pending invitation (new role, new link, new expiry).
        await repo.revokeOpenInvitationsTo(tx, access.workspaceId, email, new Date());
        const inv = await repo.createInvitation(tx, {
          workspaceId: access.workspaceId,
          email,
          role,
          policies,
          tokenHash: sha256Hex(secret),
          invitedByMembershipId: access.membershipId,
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "invitation.created",
          actorMembershipId: access.membershipId,
          targetType: "Invitation",
          targetId: inv.id,
          data: { email, role, policies },
        });
        await queueInvitationMail(access, tx, inv, secret);
        return toInvitationView(inv);
      });
      mail.notify();
      return view;
    },

    async listInvitations(access: WorkspaceAccess): Promise<InvitationView[]> {
      const filter = accessibleWhere(access.ability, "read", "Invitation");
      const rows = await inWorkspace(db, access, (tx) => repo.openInvitations(tx, access.workspaceId, filter));
      return rows.map(toInvitationView);
    },

    /** A fresh link and expiry for a pending (or expired) invitation; the old link stops working. */
    async resendInvitation(access: WorkspaceAccess, invitationId: string, actor: Actor): Promise<InvitationView> {
      if (!UUID_RE.test(invitationId)) throw notFound("Invitation");
      const secret = randomBytes(32).toString("base64url");
      const view = await inWorkspace(db, access, async (tx) => {
        const inv = await repo.invitation(tx, access.workspaceId, invitationId);
        if (!inv || inv.acceptedAt || inv.revokedAt) throw notFound("Invitation");
        authorizeRow(access.ability, "create", "Invitation", inv);
        if (!canGrant({ role: access.role, policies: access.policies }, { role: inv.role, policies: inv.policies }))
          throw forbidden();
        // Conditional: an invitation revoked or accepted meanwhile is not revived with a new link.
        if (
          (await repo.renewInvitation(
            tx,
            access.workspaceId,
            inv.id,
            sha256Hex(secret),
            new Date(Date.now() + INVITATION_TTL_MS),
          )) === 0
        )
          throw notFound("Invitation");
        const updated = await repo.getInvitation(tx, access.workspaceId, inv.id);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "invitation.resent",
          actorMembershipId: access.membershipId,
          targetType: "Invitation",
          targetId: inv.id,
          data: { email: inv.email },
        });
        await queueInvitationMail(access, tx, updated, secret);
        return toInvitationView(updated);
      });
      mail.notify();
      return view;
    },

    async revokeInvitation(access: WorkspaceAccess, invitationId: string, actor: Actor): Promise<boolean> {
      if (!UUID_RE.test(invitationId)) throw notFound("Invitation");
      return inWorkspace(db, access, async (tx) => {
        const inv = await repo.invitation(tx, access.workspaceId, invitationId);
        if (!inv || inv.acceptedAt || inv.revokedAt) throw notFound("Invitation");
        authorizeRow(access.ability, "delete", "Invitation", inv);
        if ((await repo.revokeInvitation(tx, access.workspaceId, invitationId, new Date())) === 0)
          throw notFound("Invitation");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "invitation.revoked",
          actorMembershipId: access.membershipId,
          targetType: "Invitation",
          targetId: invitationId,
        });
        return true;
      });
    },

    /** Loads and checks an invitation token in its workspace's context (no membership needed). */
    async openInvitation(tx: TenantTx, token: string): Promise<InvitationRow> {
      const parsed = parseInvitationToken(token);
      if (!parsed) throw notFound("Invitation");
      const inv = await repo.invitation(tx, parsed.workspaceId, parsed.invitationId);
      if (!inv) throw notFound("Invitation");
      if (!matchesSha256(inv.tokenHash, parsed.secret)) throw notFound("Invitation");
      const status = statusOf(inv);
      if (status === InvitationStatus.ACCEPTED)
        throw new AppError(ErrorCode.BAD_USER_INPUT, "This invitation has already been used.", {
          reason: "INVITATION_USED",
        });
      if (status === InvitationStatus.REVOKED)
        throw new AppError(ErrorCode.BAD_USER_INPUT, "This invitation was revoked. Ask for a new one.", {
          reason: "INVITATION_REVOKED",
        });
      if (status === InvitationStatus.EXPIRED)
        throw new AppError(ErrorCode.BAD_USER_INPUT, "This invitation has expired. Ask for a new one.", {
          reason: "INVITATION_EXPIRED",
        });
      return inv;
    },

    async previewInvitation(token: string, caller: Caller): Promise<InvitationPreview> {
      const parsed = parseInvitationToken(token);
      if (!parsed) throw notFound("Invitation");
      return inTenant(db, caller, { workspaceId: parsed.workspaceId }, async (tx) => {
        const inv = await this.openInvitation(tx, token);
        const ws = await repo.workspaceNameAndSlug(tx, inv.workspaceId);
        return {
          workspaceName: ws.name,
          workspaceSlug: ws.slug,
          email: inv.email,
          role: inv.role as never,
          expiresAt: inv.expiresAt,
        };
      });
    },

    /** True when `token` is a live invitation for `email` (sign-up in restricted registration modes). */
    async invitationAdmits(token: string, email: string, caller: Caller): Promise<boolean> {
      const parsed = parseInvitationToken(token);
      if (!parsed) return false;
      try {
        const inv = await inTenant(db, caller, { workspaceId: parsed.workspaceId }, (tx) =>
          this.openInvitation(tx, token),
        );
        return inv.email === normaliseEmail(email);
      } catch {
        return false;
      }
    },

    async accept(
      user: { userId: string; email: string },
      token: string,
      actor: Actor,
    ): Promise<{ workspaceId: string; slug: string }> {
      const parsed = parseInvitationToken(token);
      if (!parsed) throw notFound("Invitation");
      return inTenant(db, actor, { userId: user.userId, workspaceId: parsed.workspaceId }, async (tx) => {
        const inv = await this.openInvitation(tx, token);
        if (inv.email !== user.email) {
          throw new AppError(
            ErrorCode.FORBIDDEN,
            `This invitation is for ${inv.email}. Sign in with that address to accept it.`,
            { reason: "INVITATION_FOR_ANOTHER_ACCOUNT" },
          );
        }
        if ((await repo.claimInvitation(tx, inv.workspaceId, inv.id, user.userId, new Date())) === 0)
          throw new AppError(ErrorCode.BAD_USER_INPUT, "This invitation has already been used.", {
            reason: "INVITATION_USED",
          });
        if (await repo.membership(tx, inv.workspaceId, user.userId))
          throw conflict("You are already a member of this workspace.");
        const m = await repo.createMembership(tx, {
          workspaceId: inv.workspaceId,
          userId: user.userId,
          role: inv.role,
          policies: inv.policies,
        });
        await recordWorkspaceAudit(tx, inv.workspaceId, actor, {
          action: "invitation.accepted",
          actorMembershipId: m.id,
          targetType: "Invitation",
          targetId: inv.id,
          data: { email: inv.email, role: inv.role, policies: inv.policies },
        });
        await emit?.(tx, inv.workspaceId, "member.added", {
          userId: user.userId,
          email: inv.email,
          role: inv.role,
          policies: inv.policies,
        });
        return { workspaceId: inv.workspaceId, slug: await repo.workspaceSlug(tx, inv.workspaceId) };
      });
    },

    /**
     * Single sign-on (issue 49): a person the workspace's provider authenticated, for one of its
     * verified domains, joins with the preset the owner chose — once; an existing member keeps
     * their role. The workspace's slug, and whether this made them a member.
     */
    async joinBySso(
      user: { userId: string; email: string },
      workspaceId: string,
      presetId: string,
      actor: Actor,
    ): Promise<{ slug: string; joined: boolean }> {
      const preset = findPreset(presetId);
      if (!preset) throw new Error(`Unknown SSO preset ${presetId}`);
      return inTenant(db, actor, { userId: user.userId, workspaceId }, async (tx) => {
        const slug = await repo.workspaceSlug(tx, workspaceId);
        if (await repo.membership(tx, workspaceId, user.userId)) return { slug, joined: false };
        const policies = [...preset.policies];
        const m = await repo.createMembership(tx, { workspaceId, userId: user.userId, role: preset.role, policies });
        await recordWorkspaceAudit(
          tx,
          workspaceId,
          { ...actor, userId: user.userId },
          {
            action: "member.joined_by_sso",
            actorMembershipId: m.id,
            targetType: "Member",
            targetId: user.userId,
            data: { email: user.email, preset: preset.id, role: preset.role, policies },
          },
        );
        await emit?.(tx, workspaceId, "member.added", {
          userId: user.userId,
          email: user.email,
          role: preset.role,
          policies,
        });
        return { slug, joined: true };
      });
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
