// The only code that touches Prisma for platform administration: users and the registration
// settings, platform-level rows read and written through the system client.
import type { Prisma } from "@atrium/db";

import { escapeLike } from "../../platform/db/like.ts";

type SystemTx = Prisma.TransactionClient;

export const USER_SELECT = {
  id: true,
  email: true,
  name: true,
  globalRole: true,
  emailVerifiedAt: true,
  disabledAt: true,
  createdAt: true,
  _count: { select: { memberships: true } },
} as const;
export type UserRow = Prisma.UserGetPayload<{ select: typeof USER_SELECT }>;

export const platformAdminRepository = {
  /**
   * Issue 50: the workspaces that hold a person (a contact, lead or booking with this e-mail or
   * phone) — ids only, for the platform-wide data-subject request; the requests themselves read
   * each workspace through the tenant client.
   */
  async workspacesHoldingPerson(
    system: SystemTx,
    person: { email: string | null; phone: string | null },
  ): Promise<string[]> {
    const rows = await system.$queryRaw<{ workspace_id: string }[]>`
      SELECT workspace_id FROM contacts WHERE email = ${person.email} OR phone = ${person.phone}
      UNION SELECT workspace_id FROM leads WHERE lower(email) = ${person.email} OR phone = ${person.phone}
      UNION SELECT workspace_id FROM bookings WHERE lower(attendee_email) = ${person.email}
      ORDER BY 1`;
    return rows.map((r) => r.workspace_id);
  },

  /** `search`: a part of the e-mail (stored lower-case) or of the name (any case). */
  /** Newest first; `keyset`: the cursor's condition (for the page only) and the order of travel (cursor.ts's `keyset`). */
  async userPage(
    system: SystemTx,
    opts: {
      search: string | undefined;
      keyset: { where: Prisma.UserWhereInput; orderBy: Prisma.UserOrderByWithRelationInput[] };
      take: number;
    },
  ): Promise<[UserRow[], number]> {
    const { search, keyset } = opts;
    // `contains` is a LIKE pattern: what was typed is matched literally.
    const where: Prisma.UserWhereInput = search
      ? {
          OR: [
            { email: { contains: escapeLike(search.toLowerCase()) } },
            { name: { contains: escapeLike(search), mode: "insensitive" } },
          ],
        }
      : {};
    return Promise.all([
      system.user.findMany({
        where: { AND: [where, keyset.where] },
        select: USER_SELECT,
        orderBy: keyset.orderBy,
        take: opts.take + 1,
      }),
      system.user.count({ where }),
    ]);
  },

  async userExists(tx: SystemTx, userId: string): Promise<boolean> {
    return (await tx.user.findUnique({ where: { id: userId }, select: { id: true } })) !== null;
  },

  async setDisabledAt(tx: SystemTx, userId: string, disabledAt: Date | null): Promise<UserRow> {
    return tx.user.update({ where: { id: userId }, data: { disabledAt }, select: USER_SELECT });
  },

  async revokeSessions(tx: SystemTx, userId: string, at: Date): Promise<void> {
    await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  },

  async registrationSettings(system: SystemTx) {
    return system.platformSettings.findUniqueOrThrow({ where: { id: 1 } });
  },

  async updateRegistrationSettings(tx: SystemTx, data: Prisma.PlatformSettingsUncheckedUpdateInput) {
    return tx.platformSettings.update({ where: { id: 1 }, data });
  },

  async userByEmail(system: SystemTx, email: string): Promise<{ id: string; email: string } | null> {
    return system.user.findUnique({ where: { email }, select: { id: true, email: true } });
  },

  async makeAdmin(tx: SystemTx, userId: string): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { globalRole: "ADMIN" } });
  },
};
