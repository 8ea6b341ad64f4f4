// The only code that touches Prisma for a user's preferences (users.theme, users.locale): the
// tenant client, as the user themselves (users_select / users_update_self).
import type { TenantTx } from "@atrium/db";

export const preferencesRepository = {
  async read(tx: TenantTx, userId: string): Promise<{ theme: string; locale: string | null } | null> {
    return tx.user.findUnique({ where: { id: userId }, select: { theme: true, locale: true } });
  },

  /** Writes what is given; the number of rows changed (0: no such user visible to the caller). */
  async write(tx: TenantTx, userId: string, data: { theme?: string; locale?: string | null }): Promise<number> {
    const updated = await tx.user.updateMany({ where: { id: userId }, data: { ...data, updatedAt: new Date() } });
    return updated.count;
  },
};
