// Platform administration (M8, M9): users and registration. Platform-level data, so it uses the
// system client; it never reads workspace data (a platform admin needs a membership for that).
import type { Db } from "@atrium/db";

import { recordPlatformAudit, type Actor } from "../../platform/audit/audit.ts";
import { UUID_RE } from "../../platform/authz/access.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import type { GlobalRole } from "../identity/identity.types.ts";
import { platformAdminRepository as repo, type UserRow } from "./platform-admin.repository.ts";
import {
  RegistrationMode,
  type PlatformUserConnection,
  type PlatformUserView,
  type RegistrationSettingsView,
} from "./platform-admin.types.ts";

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

export function createPlatformAdminService({ db }: { db: Db }) {
  const system = db.system;
  return {
    /** Issue 50: the workspaces holding a person (normalised e-mail / E.164 phone), for a platform-wide data-subject request. */
    workspacesHoldingPerson(person: { email: string | null; phone: string | null }): Promise<string[]> {
      return repo.workspacesHoldingPerson(system, person);
    },

    /** Newest first; first/after page forwards, last/before backwards (cursor.ts's `pageRequest`). */
    async listUsers(args: PageArgs & { search?: string | null }): Promise<PlatformUserConnection> {
      const page = pageRequest(args);
      const search = args.search?.trim().slice(0, 100);
      const [rows, totalCount] = await repo.userPage(system, { search, keyset: keyset(page), take: page.take });
      const users = connection(rows, page, totalCount, toView);
      // The deprecated fields of the first shape, from the same page.
      return {
        ...users,
        nodes: users.edges.map((e) => e.node),
        hasNextPage: users.pageInfo.hasNextPage,
        endCursor: users.pageInfo.endCursor,
      };
    },

    /** Disabling ends every session of the user at once (checked on each request). */
    async setUserDisabled(userId: string, disabled: boolean, actor: Actor): Promise<PlatformUserView> {
      if (!UUID_RE.test(userId)) throw notFound("User");
      if (userId === actor.userId && disabled)
        throw badInput("You cannot disable your own account.", { userId: "is you" });
      return system.$transaction(async (tx) => {
        if (!(await repo.userExists(tx, userId))) throw notFound("User");
        const u = await repo.setDisabledAt(tx, userId, disabled ? new Date() : null);
        if (disabled) await repo.revokeSessions(tx, userId, new Date());
        await recordPlatformAudit(tx, actor, { action: disabled ? "user.disabled" : "user.enabled", targetId: userId });
        return toView(u);
      });
    },

    async registrationSettings(): Promise<RegistrationSettingsView> {
      const s = await repo.registrationSettings(system);
      return { mode: s.registrationMode as RegistrationMode, allowedEmailDomains: s.allowedEmailDomains };
    },

    async updateRegistrationSettings(
      input: { mode: RegistrationMode; allowedEmailDomains: string[] },
      actor: Actor,
    ): Promise<RegistrationSettingsView> {
      const domains = [...new Set(input.allowedEmailDomains.map((d) => d.trim().toLowerCase()))];
      if (input.mode === RegistrationMode.ALLOWED_DOMAINS && domains.length === 0) {
        throw badInput("List at least one allowed domain.", { allowedEmailDomains: "required for ALLOWED_DOMAINS" });
      }
      const s = await system.$transaction(async (tx) => {
        const updated = await repo.updateRegistrationSettings(tx, {
          registrationMode: input.mode,
          allowedEmailDomains: domains,
          updatedByUserId: actor.userId,
        });
        await recordPlatformAudit(tx, actor, {
          action: "platform.registration_updated",
          data: { mode: input.mode, allowedEmailDomains: domains },
        });
        return updated;
      });
      return { mode: s.registrationMode as RegistrationMode, allowedEmailDomains: s.allowedEmailDomains };
    },

    /** `pnpm atrium admin grant <email>`: promotes a user to platform ADMIN (the first one, typically). */
    async grantAdmin(email: string): Promise<{ id: string; email: string }> {
      const u = await repo.userByEmail(system, email.trim().toLowerCase());
      if (!u) throw notFound("User");
      await system.$transaction(async (tx) => {
        await repo.makeAdmin(tx, u.id);
        await recordPlatformAudit(
          tx,
          { userId: null, ip: null, userAgent: "cli", requestId: "cli" },
          { action: "user.admin_granted", targetId: u.id },
        );
      });
      return u;
    },
  };
}

export type PlatformAdminService = ReturnType<typeof createPlatformAdminService>;
