// The only code that touches Prisma for workspaces and the caller's own memberships.
import type { Prisma, TenantTx } from "@atrium/db";

export type WorkspaceRow = Prisma.WorkspaceGetPayload<object>;
export type MembershipRow = Prisma.MembershipGetPayload<object>;

export const workspacesRepository = {
  /** A slug another workspace retired less than 30 days ago (W3). */
  async slugReservedForOther(tx: TenantTx, slug: string, workspaceId: string): Promise<boolean> {
    const rows = await tx.$queryRaw<
      { reserved: boolean }[]
    >`SELECT slug_reserved_for_other(${slug}, ${workspaceId}::uuid) AS reserved`;
    return rows[0]?.reserved === true;
  },

  async create(tx: TenantTx, data: Prisma.WorkspaceUncheckedCreateInput): Promise<WorkspaceRow> {
    return tx.workspace.create({ data });
  },

  async createMembership(tx: TenantTx, data: Prisma.MembershipUncheckedCreateInput): Promise<MembershipRow> {
    return tx.membership.create({ data });
  },

  async find(tx: TenantTx, id: string): Promise<WorkspaceRow | null> {
    return tx.workspace.findUnique({ where: { id } });
  },

  async membership(tx: TenantTx, workspaceId: string, userId: string): Promise<MembershipRow | null> {
    return tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  },

  /** Oldest first. */
  async membershipsOfUser(tx: TenantTx, userId: string) {
    return tx.membership.findMany({
      where: { userId },
      include: { workspace: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  },
};
