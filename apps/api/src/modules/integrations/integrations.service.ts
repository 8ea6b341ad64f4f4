// Integration cards (I1, I2, S6): masked reads, sealed writes, test connection. Secrets never
// leave this module in clear except to the provider adapters, and never reach logs or audit
// data (audit records which fields changed, not their values).
import type { Db, TenantTx } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { EncryptionKeyMissingError, type SecretBox } from "../../platform/crypto/secret-box.ts";
import { inTenant, type Caller } from "../../platform/data.ts";
import { AppError, badInput, ErrorCode, forbidden, notFound } from "../../platform/errors.ts";
import { Channel } from "../workspaces/workspaces.types.ts";
import { integrationsRepository as repo, type IntegrationRow } from "./integrations.repository.ts";
import {
  IntegrationProvider,
  type IntegrationInput,
  type IntegrationKeyUsage,
  type IntegrationTestResult,
  type IntegrationView,
} from "./integrations.types.ts";
import { mask, PROVIDER_ORDER, PROVIDER_SPECS } from "./providers.ts";
import { createCalcomAdapter, type CalcomCredentials } from "./providers/calcom.ts";
import { createOpenAIAdapter, type OpenAICredentials } from "./providers/openai.ts";
import { ProviderError } from "./providers/provider-error.ts";
import { createTwilioAdapter, type TwilioCredentials } from "./providers/twilio.ts";
import { createVapiAdapter, type VapiCredentials } from "./providers/vapi.ts";

export interface CredentialsOf {
  TWILIO: TwilioCredentials;
  VAPI: VapiCredentials;
  CALCOM: CalcomCredentials;
  OPENAI: OpenAICredentials;
}

export function createProviderAdapters(config: AppConfig) {
  const p = config.providers;
  return {
    twilio: createTwilioAdapter({ baseUrl: p.twilioApiBaseUrl, timeoutMs: p.timeoutMs }),
    vapi: createVapiAdapter({ baseUrl: p.vapiApiBaseUrl, timeoutMs: p.timeoutMs }),
    calcom: createCalcomAdapter({ baseUrl: p.calcomApiBaseUrl, timeoutMs: p.timeoutMs }),
    openai: createOpenAIAdapter({ baseUrl: p.openaiBaseUrl, timeoutMs: p.timeoutMs }),
  };
}
export type ProviderAdapters = ReturnType<typeof createProviderAdapters>;

export function createIntegrationsService({
  db,
  box,
  adapters,
}: {
  db: Db;
  box: SecretBox;
  adapters: ProviderAdapters;
}) {
  const mustRead = (access: WorkspaceAccess) => {
    // The bare type (any card at all); cards are checked on their rows (list filter, authorizeRow).
    if (!access.ability.can("read", "Integration")) throw forbidden();
  };
  const mustChange = (access: WorkspaceAccess, action: "update" | "delete") => {
    if (!access.ability.can(action, "Integration"))
      throw forbidden("You need the integration.manage policy to change integrations.");
  };

  async function decrypt<P extends IntegrationProvider>(row: IntegrationRow, provider: P): Promise<CredentialsOf[P]> {
    const secrets = await box.open(row.secretJwe, { workspaceId: row.workspaceId, provider });
    return { ...row.settings, ...secrets } as unknown as CredentialsOf[P];
  }

  /** Masks are computed on read from the opened secret, so nothing derived from it is stored in clear. */
  async function view(provider: IntegrationProvider, row: IntegrationRow | null): Promise<IntegrationView> {
    const spec = PROVIDER_SPECS[provider];
    if (!row) return { provider, configured: false, fields: [], updatedAt: null };
    const secrets = await box.open(row.secretJwe, { workspaceId: row.workspaceId, provider });
    const fields = [
      ...spec.publicFields.map((name) => ({ name, value: String(row.settings[name] ?? ""), secret: false })),
      ...spec.secretFields.map((name) => ({ name, value: mask(secrets[name] ?? ""), secret: true })),
    ];
    return { provider, configured: true, fields, updatedAt: row.updatedAt };
  }

  function applicable(channel: string | null): IntegrationProvider[] {
    return PROVIDER_ORDER.filter((p) => PROVIDER_SPECS[p].channel === null || PROVIDER_SPECS[p].channel === channel);
  }

  return {
    async list(access: WorkspaceAccess): Promise<IntegrationView[]> {
      mustRead(access);
      return inWorkspace(db, access, async (tx) => {
        const channel = await repo.channelOf(tx, access.workspaceId);
        const rows = await repo.list(tx, access.workspaceId, accessibleWhere(access.ability, "read", "Integration"));
        return Promise.all(applicable(channel).map((p) => view(p, rows.find((r) => r.provider === p) ?? null)));
      });
    },

    async set(access: WorkspaceAccess, input: IntegrationInput, actor: Actor): Promise<IntegrationView> {
      mustChange(access, "update");
      const given = PROVIDER_ORDER.filter((p) => input[PROVIDER_SPECS[p].inputKey] != null);
      if (given.length !== 1)
        throw badInput("Give exactly one of twilio, vapi, calcom or openai.", { input: "exactly one provider" });
      const provider = given[0]!;
      const spec = PROVIDER_SPECS[provider];
      const raw = input[spec.inputKey] as unknown as Record<string, string | number | null | undefined>;
      if (!box.newestKid)
        throw new AppError(ErrorCode.BAD_USER_INPUT, new EncryptionKeyMissingError().message, {
          reason: "ENCRYPTION_KEY_MISSING",
        });

      return inWorkspace(db, access, async (tx) => {
        const channel = await repo.channelOf(tx, access.workspaceId);
        if (spec.channel && spec.channel !== channel) {
          throw new AppError(
            ErrorCode.BAD_USER_INPUT,
            `${spec.label} is for ${spec.channel === Channel.WHATSAPP ? "WhatsApp" : "voice"} workspaces; this workspace's channel is ${channel}.`,
            {
              reason: "WRONG_CHANNEL",
              fields: { [spec.inputKey]: `not available for ${channel} workspaces` },
            },
          );
        }
        const existing = await repo.find(tx, access.workspaceId, provider, { forUpdate: true });
        if (existing)
          authorizeRow(
            access.ability,
            "update",
            "Integration",
            existing,
            "You need the integration.manage policy to change integrations.",
          );
        const stored = existing
          ? await box.open(existing.secretJwe, { workspaceId: access.workspaceId, provider })
          : {};
        const settings: Record<string, string | number> = {};
        for (const f of spec.publicFields) {
          let v = raw[f];
          if (f === "whatsappFrom" && typeof v === "string") v = v.replace(/^whatsapp:/, "");
          settings[f] = v as string | number;
        }
        const secrets: Record<string, string> = {};
        const missing: Record<string, string> = {};
        const changed: string[] = spec.publicFields.filter((f) => existing?.settings[f] !== settings[f]);
        for (const f of spec.secretFields) {
          const v = raw[f];
          if (typeof v === "string" && v !== "") {
            secrets[f] = v;
            if (stored[f] !== v) changed.push(f);
          } else if (stored[f]) secrets[f] = stored[f];
          else missing[`${spec.inputKey}.${f}`] = "Required when the card is first saved.";
        }
        if (Object.keys(missing).length > 0) throw badInput(`Fill in ${Object.keys(missing).join(", ")}.`, missing);
        const sealed = await box.seal(secrets, { workspaceId: access.workspaceId, provider });
        const row = await repo.save(tx, {
          workspaceId: access.workspaceId,
          provider,
          settings,
          secretJwe: sealed.jwe,
          keyId: sealed.kid,
          updatedByMembershipId: access.membershipId,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: existing ? "integration.updated" : "integration.created",
          actorMembershipId: access.membershipId,
          targetType: "Integration",
          targetId: provider,
          data: { provider, changedFields: changed },
        });
        return view(provider, row);
      });
    },

    async remove(access: WorkspaceAccess, provider: IntegrationProvider, actor: Actor): Promise<boolean> {
      mustChange(access, "delete");
      return inWorkspace(db, access, async (tx) => {
        const existing = await repo.find(tx, access.workspaceId, provider);
        if (!existing) throw notFound(`${PROVIDER_SPECS[provider].label} integration`);
        authorizeRow(
          access.ability,
          "delete",
          "Integration",
          existing,
          "You need the integration.manage policy to change integrations.",
        );
        if (!(await repo.remove(tx, access.workspaceId, provider)))
          throw notFound(`${PROVIDER_SPECS[provider].label} integration`);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "integration.removed",
          actorMembershipId: access.membershipId,
          targetType: "Integration",
          targetId: provider,
          data: { provider },
        });
        return true;
      });
    },

    /** Calls the provider with the stored credentials and reports its answer in plain words. */
    async test(access: WorkspaceAccess, provider: IntegrationProvider, actor: Actor): Promise<IntegrationTestResult> {
      mustChange(access, "update");
      const row = await inWorkspace(db, access, (tx) => repo.find(tx, access.workspaceId, provider));
      if (!row) throw notFound(`${PROVIDER_SPECS[provider].label} integration`);
      authorizeRow(
        access.ability,
        "update",
        "Integration",
        row,
        "You need the integration.manage policy to change integrations.",
      );
      let result: IntegrationTestResult;
      try {
        const message =
          provider === IntegrationProvider.TWILIO
            ? await adapters.twilio.test(await decrypt(row, IntegrationProvider.TWILIO))
            : provider === IntegrationProvider.VAPI
              ? await adapters.vapi.test(await decrypt(row, IntegrationProvider.VAPI))
              : provider === IntegrationProvider.CALCOM
                ? await adapters.calcom.test(await decrypt(row, IntegrationProvider.CALCOM))
                : await adapters.openai.test(await decrypt(row, IntegrationProvider.OPENAI));
        result = { provider, ok: true, message };
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        result = {
          provider,
          ok: false,
          message:
            err.status === 401 || err.status === 403
              ? `${err.provider} refused these credentials (HTTP ${err.status}${err.code ? `, error ${err.code}` : ""}: ${err.message}).`
              : err.describe(),
        };
      }
      await inWorkspace(db, access, (tx) =>
        recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "integration.tested",
          actorMembershipId: access.membershipId,
          targetType: "Integration",
          targetId: provider,
          data: { provider, ok: result.ok },
        }),
      );
      return result;
    },

    /** For other features (sends, webhooks, jobs): the decrypted card inside their transaction, or null. */
    async credentials<P extends IntegrationProvider>(
      tx: TenantTx,
      workspaceId: string,
      provider: P,
    ): Promise<CredentialsOf[P] | null> {
      const row = await repo.find(tx, workspaceId, provider);
      return row ? decrypt(row, provider) : null;
    },

    /** Whether a card exists (no decryption), inside the caller's transaction. */
    async isConfigured(tx: TenantTx, workspaceId: string, provider: IntegrationProvider): Promise<boolean> {
      return (await repo.find(tx, workspaceId, provider)) !== null;
    },

    /** W8: secrets per platform key (newest first, then keys only rows still name). */
    async keyUsage(caller: Caller): Promise<IntegrationKeyUsage[]> {
      const counts = await inTenant(db, caller, {}, (tx) => repo.secretsPerKey(tx));
      const kids = box.kids;
      const rows: IntegrationKeyUsage[] = kids.map((kid, i) => ({
        kid,
        newest: i === 0,
        configured: true,
        secrets: counts.get(kid) ?? 0,
      }));
      for (const [kid, n] of counts)
        if (!kids.includes(kid)) rows.push({ kid, newest: false, configured: false, secrets: n });
      return rows;
    },
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;
