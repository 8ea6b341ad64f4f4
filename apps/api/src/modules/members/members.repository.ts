// The only code that touches Prisma for members and invitations. The "never zero owners" check
// is the database's (deferred, at commit); the service maps its error.
import type { MembershipRole, Prisma, TenantTx } from "@atrium/db";

export type InvitationRow = Prisma.InvitationGetPayload<object>;
export type MembershipRow = Prisma.MembershipGetPayload<object>;
const withUser = { user: { select: { id: true, email: true, name: true } } } as const;
export type MemberRow = Prisma.MembershipGetPayload<{ include: typeof withUser }>;

export const membersRepository = {
  async memberByUser(tx: TenantTx, workspaceId: string, userId: string): Promise<MemberRow | null> {
    return tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      include: withUser,
    });
  },

  async membership(tx: TenantTx, workspaceId: string, userId: string): Promise<MembershipRow | null> {
    return tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  },

  async hasMemberWithEmail(tx: TenantTx, workspaceId: string, email: string): Promise<boolean> {
    return (await tx.membership.findFirst({ where: { workspaceId, user: { email } }, select: { id: true } })) !== null;
  },

  /** `filter`: the rows the caller may read. Oldest first. */
  async list(tx: TenantTx, workspaceId: string, filter: Prisma.MembershipWhereInput): Promise<MemberRow[]> {
    return tx.membership.findMany({
      where: { ...filter, workspaceId },
      include: withUser,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  },

  async createMembership(tx: TenantTx, data: Prisma.MembershipUncheckedCreateInput): Promise<MembershipRow> {
    return tx.membership.create({ data });
  },

  async setRole(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    role: MembershipRole,
    policies: string[],
  ): Promise<MemberRow> {
    return tx.membership.update({
      where: { workspaceId_id: { workspaceId, id } },
      data: { role, policies },
      include: withUser,
    });
  },

  /** Like setRole, without reading the row back. */
  async writeRole(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    role: MembershipRole,
    policies: string[],
  ): Promise<void> {
    await tx.membership.update({ where: { workspaceId_id: { workspaceId, id } }, data: { role, policies } });
  },

  /** Conditional delete; the number of rows deleted (0: removed meanwhile). */
  async deleteMember(tx: TenantTx, workspaceId: string, id: string): Promise<number> {
    return (await tx.membership.deleteMany({ where: { workspaceId, id } })).count;
  },

  async deleteMembershipOfUser(tx: TenantTx, workspaceId: string, userId: string): Promise<number> {
    return (await tx.membership.deleteMany({ where: { workspaceId, userId } })).count;
  },

  /** Serialises ownership changes in the workspace until the transaction ends. */
  async lockWorkspace(tx: TenantTx, workspaceId: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM workspaces WHERE id = ${workspaceId}::uuid FOR NO KEY UPDATE`;
  },

  /** Serialises invitations to one address in one workspace until the transaction ends. */
  async lockInvitationAddress(tx: TenantTx, workspaceId: string, email: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`invitation:${workspaceId}:${email}`}, 0))`;
  },

  async workspaceName(tx: TenantTx, workspaceId: string): Promise<string> {
    return (await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true } })).name;
  },

  async workspaceNameAndSlug(tx: TenantTx, workspaceId: string): Promise<{ name: string; slug: string }> {
    return tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true, slug: true } });
  },

  async workspaceSlug(tx: TenantTx, workspaceId: string): Promise<string> {
    return (await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { slug: true } })).slug;
  },

  async invitation(tx: TenantTx, workspaceId: string, id: string): Promise<InvitationRow | null> {
    return tx.invitation.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async getInvitation(tx: TenantTx, workspaceId: string, id: string): Promise<InvitationRow> {
    return tx.invitation.findUniqueOrThrow({ where: { workspaceId_id: { workspaceId, id } } });
  },

  /** `filter`: the rows the caller may read. Pending (or expired) ones, newest first. */
  async openInvitations(
    tx: TenantTx,
    workspaceId: string,
    filter: Prisma.InvitationWhereInput,
  ): Promise<InvitationRow[]> {
    return tx.invitation.findMany({
      where: { ...filter, workspaceId, acceptedAt: null, revokedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
  },

  async createInvitation(tx: TenantTx, data: Prisma.InvitationUncheckedCreateInput): Promise<InvitationRow> {
    return tx.invitation.create({ data });
  },

  async revokeOpenInvitationsTo(tx: TenantTx, workspaceId: string, email: string, at: Date): Promise<void> {
    await tx.invitation.updateMany({
      where: { workspaceId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: at },
    });
  },

  // The next three are conditional on the invitation being neither accepted nor revoked; each returns the number changed.
  async renewInvitation(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<number> {
    const r = await tx.invitation.updateMany({
      where: { workspaceId, id, acceptedAt: null, revokedAt: null },
      data: { tokenHash, expiresAt },
    });
    return r.count;
  },

  async revokeInvitation(tx: TenantTx, workspaceId: string, id: string, at: Date): Promise<number> {
    const r = await tx.invitation.updateMany({
      where: { workspaceId, id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: at },
    });
    return r.count;
  },

  async claimInvitation(tx: TenantTx, workspaceId: string, id: string, userId: string, at: Date): Promise<number> {
    const r = await tx.invitation.updateMany({
      where: { workspaceId, id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: at, acceptedByUserId: userId },
    });
    return r.count;
  },
};
