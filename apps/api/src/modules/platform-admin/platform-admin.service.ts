// Platform administration (M8, M9): users and registration. Platform-level data, so it uses the
// system client; it never reads workspace data (a platform admin needs a membership for that).
import type { Db } from "@atrium/db";
import { recordPlatformAudit, type Actor } from "../../platform/audit/audit.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import { decodeCursor, encodeCursor, pageSize } from "../../platform/graphql/cursor.ts";
import { UUID_RE } from "../../platform/authz/access.ts";
import type { GlobalRole } from "../identity/identity.types.ts";
import { RegistrationMode, type PlatformUserConnection, type PlatformUserView, type RegistrationSettingsView } from "./platform-admin.types.ts";

type UserRow = { id: string; email: string; name: string; globalRole: string; emailVerifiedAt: Date | null; disabledAt: Date | null; createdAt: Date; _count: { memberships: number } };

const toView = (u: UserRow): PlatformUserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  globalRole: u.globalRole as GlobalRole,
  emailVerified: u.emailVerifiedAt !== null,
  disabled: u.disabledAt !== null,
  workspaceCount: u._count.memberships,
  createdAt: u.createdAt,
});

const USER_SELECT = { id: true, email: true, name: true, globalRole: true, emailVerifiedAt: true, disabledAt: true, createdAt: true, _count: { select: { memberships: true } } } as const;

export function createPlatformAdminService({ db }: { db: Db }) {
  const system = db.system;
  return {
    async listUsers(args: { search?: string | null; first?: number | null; after?: string | null }): Promise<PlatformUserConnection> {
      const take = pageSize(args.first);
      const search = args.search?.trim().slice(0, 100);
      const where = search ? { OR: [{ email: { contains: search.toLowerCase() } }, { name: { contains: search, mode: "insensitive" as const } }] } : {};
      const after = args.after ? decodeCursor(args.after) : null;
      const [rows, totalCount] = await Promise.all([
        system.user.findMany({
          where: after ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] } : where,
          select: USER_SELECT,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: take + 1,
        }),
        system.user.count({ where }),
      ]);
      const page = rows.slice(0, take);
      const last = page.at(-1);
      return { nodes: page.map(toView), totalCount, hasNextPage: rows.length > take, endCursor: last ? encodeCursor(last.createdAt, last.id) : null };
    },

    /** Disabling ends every session of the user at once (checked on each request). */
    async setUserDisabled(userId: string, disabled: boolean, actor: Actor): Promise<PlatformUserView> {
      if (!UUID_RE.test(userId)) throw notFound("User");
      if (userId === actor.userId && disabled) throw badInput("You cannot disable your own account.", { userId: "is you" });
      return system.$transaction(async (tx) => {
        const exists = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
        if (!exists) throw notFound("User");
        const u = await tx.user.update({ where: { id: userId }, data: { disabledAt: disabled ? new Date() : null }, select: USER_SELECT });
        if (disabled) await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
        await recordPlatformAudit(tx, actor, { action: disabled ? "user.disabled" : "user.enabled", targetId: userId });
        return toView(u);
      });
    },

    async registrationSettings(): Promise<RegistrationSettingsView> {
      const s = await system.platformSettings.findUniqueOrThrow({ where: { id: 1 } });
      return { mode: s.registrationMode as RegistrationMode, allowedEmailDomains: s.allowedEmailDomains };
    },

    async updateRegistrationSettings(input: { mode: RegistrationMode; allowedEmailDomains: string[] }, actor: Actor): Promise<RegistrationSettingsView> {
      const domains = [...new Set(input.allowedEmailDomains.map((d) => d.trim().toLowerCase()))];
      if (input.mode === RegistrationMode.ALLOWED_DOMAINS && domains.length === 0) {
        throw badInput("List at least one allowed domain.", { allowedEmailDomains: "required for ALLOWED_DOMAINS" });
      }
      const s = await system.$transaction(async (tx) => {
        const updated = await tx.platformSettings.update({
          where: { id: 1 },
          data: { registrationMode: input.mode, allowedEmailDomains: domains, updatedByUserId: actor.userId },
        });
        await recordPlatformAudit(tx, actor, { action: "platform.registration_updated", data: { mode: input.mode, allowedEmailDomains: domains } });
        return updated;
      });
      return { mode: s.registrationMode as RegistrationMode, allowedEmailDomains: s.allowedEmailDomains };
    },

    /** `pnpm atrium admin grant <email>`: promotes a user to platform ADMIN (the first one, typically). */
    async grantAdmin(email: string): Promise<{ id: string; email: string }> {
      const u = await system.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true } });
      if (!u) throw notFound("User");
      await system.$transaction(async (tx) => {
        await tx.user.update({ where: { id: u.id }, data: { globalRole: "ADMIN" } });
        await recordPlatformAudit(tx, { userId: null, ip: null, userAgent: "cli", requestId: "cli" }, { action: "user.admin_granted", targetId: u.id });
      });
      return u;
    },
  };
}

export type PlatformAdminService = ReturnType<typeof createPlatformAdminService>;
