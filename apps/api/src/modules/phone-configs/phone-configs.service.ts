// Phone numbers (R6): per-workspace numbers (E.164, provider, label, default). A provider's
// default is the Twilio WhatsApp sender / the Vapi phoneNumberId used for sends and calls
// instead of the single field on the integration card.
import { subject } from "@casl/ability";

import type { Db, TenantTx } from "@atrium/db";
import { PHONE_MESSAGES } from "@atrium/validation";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { lockCap } from "../../platform/db/cap-lock.ts";
import { badInput, conflict, forbidden, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { normalisePhone } from "../leads/contact-identity.ts";
import { phoneConfigsRepository as repo, type PhoneConfigRow } from "./phone-configs.repository.ts";
import { PhoneProvider, type PhoneConfigInput, type PhoneConfigView } from "./phone-configs.types.ts";

const MAX_PER_WORKSPACE = 100;

const toView = (p: PhoneConfigRow): PhoneConfigView => ({ ...p, provider: p.provider as PhoneProvider });

export function createPhoneConfigsService({ db }: { db: Db }) {
  // Before any work: `action` on some number at all (bare type); rows are checked on the rows
  // (list filter, authorizeRow). Creating is checked on the new row.
  const check = (access: WorkspaceAccess, action: "read" | "create" | "update" | "delete") => {
    const allowed =
      action === "create"
        ? access.ability.can("create", subject("PhoneConfig", { workspaceId: access.workspaceId }))
        : access.ability.can(action, "PhoneConfig");
    if (!allowed) throw forbidden();
  };

  function clean(input: PhoneConfigInput) {
    const number = normalisePhone(input.number, "number");
    if (!number) throw badInput(PHONE_MESSAGES.required, { number: PHONE_MESSAGES.required });
    const providerRef = input.providerRef?.trim() || null;
    if (input.provider === PhoneProvider.VAPI && !providerRef)
      throw badInput(PHONE_MESSAGES.vapiIdRequired, { providerRef: PHONE_MESSAGES.vapiIdRequired });
    return {
      number,
      provider: input.provider,
      label: input.label.trim(),
      providerRef,
      isDefault: Boolean(input.isDefault),
    };
  }

  async function write(
    access: WorkspaceAccess,
    actor: Actor,
    action: string,
    fn: (tx: TenantTx) => Promise<PhoneConfigView>,
  ): Promise<PhoneConfigView> {
    try {
      return await inWorkspace(db, access, async (tx) => {
        const view = await fn(tx);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action,
          actorMembershipId: access.membershipId,
          targetType: "PhoneConfig",
          targetId: view.id,
          data: { number: view.number, provider: view.provider, isDefault: view.isDefault },
        });
        return view;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict("This workspace already has this number, or another default was set at the same time.", {
          number: "duplicate",
        });
      throw err;
    }
  }

  return {
    async list(access: WorkspaceAccess): Promise<PhoneConfigView[]> {
      check(access, "read");
      const rows = await inWorkspace(db, access, (tx) =>
        repo.list(tx, access.workspaceId, accessibleWhere(access.ability, "read", "PhoneConfig")),
      );
      return rows.map(toView);
    },

    async create(access: WorkspaceAccess, input: PhoneConfigInput, actor: Actor): Promise<PhoneConfigView> {
      check(access, "create");
      const data = clean(input);
      return write(access, actor, "phone_config.created", async (tx) => {
        // Count and insert under the workspace's number-cap lock: parallel creates cannot all see room.
        await lockCap(tx, "phone_configs", access.workspaceId);
        if ((await repo.count(tx, access.workspaceId)) >= MAX_PER_WORKSPACE)
          throw conflict(`A workspace can have at most ${MAX_PER_WORKSPACE} numbers.`);
        if (await repo.idByNumber(tx, access.workspaceId, data.number)) {
          throw conflict("This workspace already has this number.", { number: "duplicate" });
        }
        // Makes room for the new default (one default per provider, enforced by a unique index).
        if (data.isDefault) await repo.clearDefault(tx, access.workspaceId, data.provider);
        return toView(await repo.create(tx, { workspaceId: access.workspaceId, ...data }));
      });
    },

    async update(access: WorkspaceAccess, id: string, input: PhoneConfigInput, actor: Actor): Promise<PhoneConfigView> {
      check(access, "update");
      if (!UUID_RE.test(id)) throw notFound("Phone number");
      const data = clean(input);
      return write(access, actor, "phone_config.updated", async (tx) => {
        const existing = await repo.find(tx, access.workspaceId, id);
        if (!existing) throw notFound("Phone number");
        authorizeRow(access.ability, "update", "PhoneConfig", existing);
        const other = await repo.idByNumber(tx, access.workspaceId, data.number);
        if (other && other.id !== id)
          throw conflict("This workspace already has this number.", { number: "duplicate" });
        if (data.isDefault) await repo.clearDefault(tx, access.workspaceId, data.provider, id);
        return toView(await repo.update(tx, access.workspaceId, id, data));
      });
    },

    async remove(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      check(access, "delete");
      if (!UUID_RE.test(id)) throw notFound("Phone number");
      await write(access, actor, "phone_config.deleted", async (tx) => {
        const existing = await repo.find(tx, access.workspaceId, id);
        if (!existing) throw notFound("Phone number");
        authorizeRow(access.ability, "delete", "PhoneConfig", existing);
        await repo.delete(tx, access.workspaceId, id);
        return toView(existing);
      });
      return true;
    },
  };
}

export type PhoneConfigsService = ReturnType<typeof createPhoneConfigsService>;
