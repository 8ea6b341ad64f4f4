// API keys (A1). A key's power at every request = its scopes ∩ its creator's *current* policies
// in the workspace (a creator demoted or removed takes the power from the key at once).
import type { Db, TenantTx } from "@atrium/db";
import {
  defineAbilityForApiKey,
  effectivePolicies,
  isPolicyKey,
  toPolicyKeys,
  type MembershipRole,
} from "@atrium/policies";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { loadVersioned, useCached, type PrincipalCaches } from "../../platform/authz/principal-cache.ts";
import { constantTimeEqual } from "../../platform/crypto/digest.ts";
import { afterAnswer, inTenant, type Caller } from "../../platform/data.ts";
import { badInput, forbidden, notFound } from "../../platform/errors.ts";
import type { ApiKeyPrincipal } from "../../platform/graphql/context.ts";
import type { RateLimiter, RateLimitState } from "../../platform/rate-limit.ts";
import {
  API_KEY_ENVS,
  apiKeyDisplayPrefix,
  generateApiKey,
  presentedKeys,
  type ParsedApiKey,
  type PresentedApiKey,
} from "./api-key-format.ts";
import { apiKeysRepository as repo } from "./api-keys.repository.ts";
import type { ApiKeyView, CreateApiKeyInput, CreatedApiKey } from "./api-keys.types.ts";

const LAST_USED_RESOLUTION_MS = 60_000;

/** Defined with the other principals (platform/graphql/context.ts); re-exported for this feature's callers. */
export type { ApiKeyPrincipal } from "../../platform/graphql/context.ts";

export type ApiKeyFailure = "API_KEY_INVALID" | "API_KEY_REVOKED" | "API_KEY_EXPIRED" | "API_KEY_CREATOR_GONE";

type KeyRow = {
  id: string;
  workspaceId: string;
  name: string;
  scopes: string[];
  environment: string;
  persistedOnly: boolean;
  createdByUserId: string;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};

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

type CreatorRow = { id: string; userId: string; role: MembershipRole; policies: string[] };
type LoadedKey = { key: KeyRow & { secretHash: string }; creator: CreatorRow | null; principal: ApiKeyPrincipal };

/** Key row, creator's membership and workspace slug, on `tx` (the key's own workspace as tenant). */
async function readKey(tx: TenantTx, parsed: Pick<ParsedApiKey, "workspaceId" | "keyId">): Promise<LoadedKey | null> {
  const key = await repo.find(tx, parsed.workspaceId, parsed.keyId);
  if (!key) return null;
  const [creator, slug] = await Promise.all([
    repo.creator(tx, key.workspaceId, key.createdByUserId),
    repo.workspaceSlug(tx, key.workspaceId),
  ]);
  return {
    key,
    creator,
    principal: creator ? principalOf(key, creator, slug ?? "") : (null as unknown as ApiKeyPrincipal),
  };
}

function principalOf(key: KeyRow, creator: CreatorRow, slug: string): ApiKeyPrincipal {
  const ability = defineAbilityForApiKey({
    workspaceId: key.workspaceId,
    creatorRole: creator.role,
    creatorPolicies: creator.policies,
    scopes: key.scopes,
  });
  const creatorPolicies = new Set<string>(effectivePolicies(creator.role, creator.policies));
  // For every escalation check a key counts as an agent holding exactly its policies below, never
  // as its creator's role: it grants nothing beyond its own scopes, never ADMIN or OWNER, and
  // cannot change or remove anyone who holds more (canGrant; decision 0025).
  const role: MembershipRole = "AGENT";
  return {
    kind: "apiKey",
    keyId: key.id,
    workspaceId: key.workspaceId,
    workspaceSlug: slug,
    persistedOnly: key.persistedOnly,
    // Cached with the key: scopes (api_keys trigger) and the creator's role/policies (memberships trigger) bump auth_version.
    explain: { scopes: key.scopes, creatorRole: creator.role, creatorPolicies: creator.policies },
    access: {
      membershipId: creator.id,
      workspaceId: key.workspaceId,
      userId: creator.userId,
      role,
      // The key's own scopes (known keys only) that its creator still holds.
      policies: toPolicyKeys(key.scopes).filter((p) => creatorPolicies.has(p)),
      ability,
    },
  };
}

export function createApiKeysService({
  config,
  db,
  rateLimiter,
  caches,
}: {
  config: AppConfig;
  db: Db;
  rateLimiter: RateLimiter;
  caches?: PrincipalCaches;
}) {
  // last_used_at: written at most once a minute per key and instance, beside the request, in a
  // transaction of its own (bookkeeping, not authorization).
  const lastUsedWritten = new Map<string, number>();
  function touchLastUsed(key: KeyRow): void {
    const now = Date.now();
    const last = Math.max(lastUsedWritten.get(key.id) ?? 0, key.lastUsedAt?.getTime() ?? 0);
    if (now - last <= LAST_USED_RESOLUTION_MS) return;
    lastUsedWritten.set(key.id, now);
    // updateMany: a key deleted meanwhile (workspace deletion) is not an error here. Not part of
    // the request's answer: outside its scope (no deadline, checks no principal).
    afterAnswer(db, { workspaceId: key.workspaceId }, (tx) =>
      repo.touchLastUsed(tx, key.workspaceId, key.id, new Date(now)),
    ).catch(() => lastUsedWritten.delete(key.id));
  }
  /**
   * Key row + creator's current membership + workspace slug: from the instance's cache (verified
   * against the workspace's auth_version by the request's own tenant transactions), else read
   * afresh in one tenant transaction of the key's own workspace.
   */
  async function loadKey(parsed: PresentedApiKey, caller: Caller): Promise<LoadedKey | null> {
    if (!caches) return inTenant(db, caller, { workspaceId: parsed.workspaceId }, (tx) => readKey(tx, parsed));
    const cacheKey = parsed.cacheKey;
    const cached = await useCached<LoadedKey>(db, caches.apiKeys, cacheKey, parsed.workspaceId, caller);
    if (cached) return cached;
    const { value, version } = await loadVersioned(db, caller, { workspaceId: parsed.workspaceId }, (tx) =>
      readKey(tx, parsed),
    );
    if (!value || version === null) caches.apiKeys.delete(cacheKey);
    else caches.apiKeys.set(cacheKey, value, version);
    return value;
  }

  return {
    /** A presented key, parsed (null: malformed), remembered per key (`presentedKeys`). */
    presented: presentedKeys(),

    async create(access: WorkspaceAccess, input: CreateApiKeyInput, actor: Actor): Promise<CreatedApiKey> {
      authorizeRow(access.ability, "create", "ApiKey", { workspaceId: access.workspaceId });
      const unknown = input.scopes.filter((s) => !isPolicyKey(s));
      if (unknown.length)
        throw badInput(`Unknown scopes: ${unknown.join(", ")}.`, { scopes: `unknown: ${unknown.join(", ")}` });
      const scopes = [...new Set(input.scopes)];
      if (scopes.length === 0) throw badInput("Choose at least one scope.", { scopes: "required" });
      const held = new Set<string>(access.policies);
      const beyond = scopes.filter((s) => !held.has(s));
      if (beyond.length) throw forbidden(`A key cannot have scopes you do not hold: ${beyond.join(", ")}.`);
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
        throw badInput("The expiry must be in the future.", { expiresAt: "in the past" });
      const keyId = crypto.randomUUID();
      return inWorkspace(db, access, async (tx) => {
        const environment = await repo.workspaceEnvironment(tx, access.workspaceId);
        const { key, secretHash } = generateApiKey(environment, access.workspaceId, keyId);
        const row = await repo.create(tx, {
          workspaceId: access.workspaceId,
          id: keyId,
          name: input.name.trim(),
          scopes,
          secretHash,
          environment: API_KEY_ENVS[environment],
          persistedOnly: input.persistedOnly ?? false,
          createdByUserId: access.userId,
          createdByMembershipId: access.membershipId,
          expiresAt: input.expiresAt ?? null,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "api_key.created",
          actorMembershipId: access.membershipId,
          targetType: "ApiKey",
          targetId: keyId,
          data: {
            name: row.name,
            scopes,
            expiresAt: row.expiresAt?.toISOString() ?? null,
            persistedOnly: row.persistedOnly,
          },
        });
        return { apiKey: toView(row), secret: key };
      });
    },

    async list(access: WorkspaceAccess): Promise<ApiKeyView[]> {
      const filter = accessibleWhere(access.ability, "read", "ApiKey");
      const rows = await inWorkspace(db, access, (tx) => repo.list(tx, access.workspaceId, filter));
      return rows.map(toView);
    },

    async revoke(access: WorkspaceAccess, keyId: string, actor: Actor): Promise<boolean> {
      if (!UUID_RE.test(keyId)) throw notFound("API key");
      return inWorkspace(db, access, async (tx) => {
        // Checked on the concrete row.
        const key = await repo.ref(tx, access.workspaceId, keyId);
        if (!key) throw notFound("API key");
        authorizeRow(access.ability, "delete", "ApiKey", key);
        if ((await repo.revoke(tx, access.workspaceId, keyId, new Date())) === 0) throw notFound("API key");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "api_key.revoked",
          actorMembershipId: access.membershipId,
          targetType: "ApiKey",
          targetId: keyId,
        });
        return true;
      });
    },

    /**
     * Resolves a well-formed key (`presented` already checked its checksum): key row + its
     * creator's current membership + the workspace slug, read in one tenant transaction of its own
     * workspace, or from the instance's principal cache, which every tenant transaction of the
     * request verifies against the workspace's auth_version. The secret, the expiry are checked on
     * every request either way (the rate limit: `countRequest`).
     */
    async authenticate(
      parsed: PresentedApiKey,
      caller: Caller,
    ): Promise<{ ok: true; principal: ApiKeyPrincipal } | { ok: false; reason: ApiKeyFailure }> {
      const found = await loadKey(parsed, caller);
      if (!found) return { ok: false, reason: "API_KEY_INVALID" };
      const { key, creator } = found;
      if (!constantTimeEqual(key.secretHash, parsed.secretHash) || key.environment !== parsed.env)
        return { ok: false, reason: "API_KEY_INVALID" };
      if (key.revokedAt) return { ok: false, reason: "API_KEY_REVOKED" };
      if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "API_KEY_EXPIRED" };
      if (!creator) return { ok: false, reason: "API_KEY_CREATOR_GONE" };
      touchLastUsed(key);
      return { ok: true, principal: found.principal };
    },

    /**
     * Counts one request of the key in its per-minute window; throws RATE_LIMITED past the limit.
     * The caller counts each request once (principal.ts), however many times it runs.
     */
    countRequest(keyId: string): Promise<RateLimitState> {
      return rateLimiter.hitBatched(`apikey:${keyId}`, config.rateLimits.apiKeyPerMinute, 60, "apikey");
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
