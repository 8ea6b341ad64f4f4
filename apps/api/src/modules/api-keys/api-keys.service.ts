// API keys (A1). A key's power at every request = its scopes ∩ its creator's *current* policies
// in the workspace (a creator demoted or removed takes the power from the key at once).
import { timingSafeEqual } from "node:crypto";
import type { Db } from "@atrium/db";
import { defineAbilityForApiKey, effectivePolicies, isPolicyKey, toPolicyKeys, type MembershipRole } from "@atrium/policies";
import { subject } from "@casl/ability";
import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { badInput, forbidden, notFound } from "../../platform/errors.ts";
import type { RateLimiter } from "../../platform/rate-limit.ts";
import { API_KEY_ENVS, apiKeyDisplayPrefix, generateApiKey, hashApiKeySecret, type ParsedApiKey } from "./api-key-format.ts";
import type { ApiKeyView, CreateApiKeyInput, CreatedApiKey } from "./api-keys.types.ts";

const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyPrincipal {
  kind: "apiKey";
  keyId: string;
  workspaceId: string;
  workspaceSlug: string;
  persistedOnly: boolean;
  access: WorkspaceAccess;
}

export type ApiKeyFailure = "API_KEY_INVALID" | "API_KEY_REVOKED" | "API_KEY_EXPIRED" | "API_KEY_CREATOR_GONE";

type KeyRow = { id: string; workspaceId: string; name: string; scopes: string[]; environment: string; persistedOnly: boolean; createdByUserId: string; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null; createdAt: Date };

const toView = (k: KeyRow): ApiKeyView => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  prefix: apiKeyDisplayPrefix(k.environment, k.workspaceId, k.id),
  persistedOnly: k.persistedOnly,
  createdByUserId: k.createdByUserId,
  lastUsedAt: k.lastUsedAt,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
  createdAt: k.createdAt,
});

export function createApiKeysService({ config, db, rateLimiter }: { config: AppConfig; db: Db; rateLimiter: RateLimiter }) {
  return {
    async create(access: WorkspaceAccess, input: CreateApiKeyInput, actor: Actor): Promise<CreatedApiKey> {
      if (!access.ability.can("create", subject("ApiKey", { workspaceId: access.workspaceId }))) throw forbidden();
      const unknown = input.scopes.filter((s) => !isPolicyKey(s));
      if (unknown.length) throw badInput(`Unknown scopes: ${unknown.join(", ")}.`, { scopes: `unknown: ${unknown.join(", ")}` });
      const scopes = [...new Set(input.scopes)];
      if (scopes.length === 0) throw badInput("Choose at least one scope.", { scopes: "required" });
      const held = new Set<string>(access.policies);
      const beyond = scopes.filter((s) => !held.has(s));
      if (beyond.length) throw forbidden(`A key cannot have scopes you do not hold: ${beyond.join(", ")}.`);
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badInput("The expiry must be in the future.", { expiresAt: "in the past" });
      const keyId = crypto.randomUUID();
      return inWorkspace(db, access, async (tx) => {
        const ws = await tx.workspace.findUniqueOrThrow({ where: { id: access.workspaceId }, select: { environment: true } });
        const { key, secretHash } = generateApiKey(ws.environment, access.workspaceId, keyId);
        const row = await tx.apiKey.create({
          data: {
            workspaceId: access.workspaceId,
            id: keyId,
            name: input.name.trim(),
            scopes,
            secretHash,
            environment: API_KEY_ENVS[ws.environment],
            persistedOnly: input.persistedOnly ?? false,
            createdByUserId: access.userId,
            createdByMembershipId: access.membershipId,
            expiresAt: input.expiresAt ?? null,
          },
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "api_key.created",
          actorMembershipId: access.membershipId,
          targetType: "ApiKey",
          targetId: keyId,
          data: { name: row.name, scopes, expiresAt: row.expiresAt?.toISOString() ?? null, persistedOnly: row.persistedOnly },
        });
        return { apiKey: toView(row), secret: key };
      });
    },

    async list(access: WorkspaceAccess): Promise<ApiKeyView[]> {
      if (!access.ability.can("read", subject("ApiKey", { workspaceId: access.workspaceId }))) throw forbidden();
      const rows = await inWorkspace(db, access, (tx) =>
        tx.apiKey.findMany({ where: { workspaceId: access.workspaceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
      );
      return rows.map(toView);
    },

    async revoke(access: WorkspaceAccess, keyId: string, actor: Actor): Promise<boolean> {
      if (!access.ability.can("delete", subject("ApiKey", { workspaceId: access.workspaceId }))) throw forbidden();
      if (!UUID_RE.test(keyId)) throw notFound("API key");
      return inWorkspace(db, access, async (tx) => {
        const r = await tx.apiKey.updateMany({ where: { workspaceId: access.workspaceId, id: keyId, revokedAt: null }, data: { revokedAt: new Date() } });
        if (r.count === 0) throw notFound("API key");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "api_key.revoked", actorMembershipId: access.membershipId, targetType: "ApiKey", targetId: keyId });
        return true;
      });
    },

    /**
     * Resolves a well-formed key (parseApiKey already checked its checksum) inside its own
     * workspace's tenant context: key row + creator's current membership in one transaction.
     */
    async authenticate(parsed: ParsedApiKey): Promise<{ ok: true; principal: ApiKeyPrincipal } | { ok: false; reason: ApiKeyFailure }> {
      const found = await db.tenant({ workspaceId: parsed.workspaceId }, async (tx) => {
        const key = await tx.apiKey.findUnique({ where: { workspaceId_id: { workspaceId: parsed.workspaceId, id: parsed.keyId } } });
        if (!key) return null;
        const [creator, ws] = await Promise.all([
          tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: key.workspaceId, userId: key.createdByUserId } } }),
          tx.workspace.findUnique({ where: { id: key.workspaceId }, select: { slug: true } }),
        ]);
        if (key.lastUsedAt === null || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
          // updateMany: a key deleted meanwhile (workspace deletion) is not an error here.
          await tx.apiKey.updateMany({ where: { workspaceId: key.workspaceId, id: key.id }, data: { lastUsedAt: new Date() } });
        }
        return { key, creator, slug: ws?.slug ?? "" };
      });
      if (!found) return { ok: false, reason: "API_KEY_INVALID" };
      const { key, creator } = found;
      const a = Buffer.from(key.secretHash, "hex");
      const b = Buffer.from(hashApiKeySecret(parsed.secret), "hex");
      if (a.length !== b.length || !timingSafeEqual(a, b) || key.environment !== parsed.env) return { ok: false, reason: "API_KEY_INVALID" };
      if (key.revokedAt) return { ok: false, reason: "API_KEY_REVOKED" };
      if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "API_KEY_EXPIRED" };
      if (!creator) return { ok: false, reason: "API_KEY_CREATOR_GONE" };
      await rateLimiter.hit(`apikey:${key.id}`, config.rateLimits.apiKeyPerMinute, 60);
      const ability = defineAbilityForApiKey({ workspaceId: key.workspaceId, creatorRole: creator.role, creatorPolicies: creator.policies, scopes: key.scopes });
      const creatorPolicies = new Set<string>(effectivePolicies(creator.role, creator.policies));
      // A key never holds owner powers: for escalation checks it counts as an admin at most.
      const role: MembershipRole = creator.role === "OWNER" ? "ADMIN" : creator.role;
      return {
        ok: true,
        principal: {
          kind: "apiKey",
          keyId: key.id,
          workspaceId: key.workspaceId,
          workspaceSlug: found.slug,
          persistedOnly: key.persistedOnly,
          access: {
            membershipId: creator.id,
            workspaceId: key.workspaceId,
            userId: creator.userId,
            role,
            // The key's own scopes (known keys only) that its creator still holds.
            policies: toPolicyKeys(key.scopes).filter((p) => creatorPolicies.has(p)),
            ability,
          },
        },
      };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
