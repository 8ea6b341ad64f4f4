// Single sign-on settings (issue 49, decision 0039): a workspace owner connects an OpenID Connect
// provider (its client secret sealed like integration credentials: JWE with the platform key,
// bound to the workspace) and claims e-mail domains, each proven by a DNS TXT record. The token is
// shown once and stored hashed. Sign-in itself lives in sso-sign-in.ts. The platform admin's
// platform-wide provider (platform-sso.service.ts) shares the helpers exported here.
import type { Db, TenantTx } from "@atrium/db";
import { findPreset } from "@atrium/policies";
import {
  normaliseDomain,
  problemOf,
  SSO_MESSAGES,
  ssoChallengeRecordName,
  ssoClientId,
  ssoDomain,
  ssoIssuerUrl,
} from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { newOpaqueToken } from "../../platform/auth/tokens.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import { EncryptionKeyMissingError, type SecretBox } from "../../platform/crypto/secret-box.ts";
import { AppError, badInput, conflict, ErrorCode, forbidden, notFound } from "../../platform/errors.ts";
import { mask } from "../integrations/providers.ts";
import type { ChallengeResolver } from "./dns-challenge.ts";
import { discover, type DiscoveryCache, type ProviderOptions } from "./oidc.ts";
import { ssoRepository as repo, type ConnectionRow, type DomainRow } from "./sso.repository.ts";
import type {
  SsoConnectionInput,
  SsoConnectionView,
  SsoDomainChallengeView,
  SsoDomainVerificationView,
  SsoDomainView,
  SsoSettingsView,
} from "./sso.types.ts";

/** The binding of a connection's sealed secret: its workspace, and "sso" (never an integration card's). */
export const ssoSecretBinding = (workspaceId: string) => ({ workspaceId, provider: "sso" });

/** The binding of the platform connection's sealed secret ("platform" is never a workspace id: those are uuids). */
export const platformSsoSecretBinding = { workspaceId: "platform", provider: "sso" } as const;

/** The TXT value's prefix: the token follows. */
export const CHALLENGE_PREFIX = "atrium-domain-verification=";

export function domainView(row: Pick<DomainRow, "id" | "domain" | "verifiedAt" | "requireSso">): SsoDomainView {
  return {
    id: row.id,
    domain: row.domain,
    recordName: ssoChallengeRecordName(row.domain),
    verified: row.verifiedAt !== null,
    verifiedAt: row.verifiedAt,
    requireSso: row.requireSso,
  };
}

export const providerOptionsOf = (config: AppConfig): ProviderOptions => ({
  allowPrivate: config.sso.allowPrivateIssuers,
  timeoutMs: config.sso.timeoutMs,
});

/** The issuer and client id as stored (trimmed, no trailing slash), and the problem with each, by field. */
export function connectionInputOf(input: Pick<SsoConnectionInput, "issuerUrl" | "clientId">): {
  issuerUrl: string;
  clientId: string;
  problems: Record<string, string>;
} {
  const issuerUrl = input.issuerUrl.trim().replace(/\/+$/, "");
  const clientId = input.clientId.trim();
  const problems: Record<string, string> = {};
  const issuerProblem = problemOf(ssoIssuerUrl, issuerUrl);
  if (issuerProblem) problems.issuerUrl = issuerProblem;
  const clientProblem = problemOf(ssoClientId, clientId);
  if (clientProblem) problems.clientId = clientProblem;
  return { issuerUrl, clientId, problems };
}

export const encryptionKeyMissing = () =>
  new AppError(ErrorCode.BAD_USER_INPUT, new EncryptionKeyMissingError().message, { reason: "ENCRYPTION_KEY_MISSING" });
export const clientSecretRequired = () =>
  badInput("Enter the client secret your provider gave Atrium.", {
    clientSecret: "Required when the provider is first connected.",
  });

/** The provider's discovery document could not be read at connect time. */
export const providerUnreachable = (issuerUrl: string) =>
  new AppError(
    ErrorCode.BAD_USER_INPUT,
    `Atrium could not read the provider's discovery document at ${issuerUrl}/.well-known/openid-configuration. Check the issuer URL, and that the provider is reachable from Atrium.`,
    {
      reason: "PROVIDER_UNREACHABLE",
      fields: { issuerUrl: "The provider could not be reached at this issuer URL." },
    },
  );

/**
 * Fetches the discovery document fresh (never from the cache: connecting checks the provider as
 * it is now) and, once it reads, keeps it for sign-ins; the previous connection's entry goes.
 * The error, for the audit trail, when it cannot be read.
 */
export async function probeProvider(
  discovery: DiscoveryCache,
  opts: ProviderOptions,
  next: { issuerUrl: string; clientId: string; clientSecret: string },
  previous: { issuerUrl: string; clientId: string } | null,
): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    // Outside any transaction: a slow provider holds no connection.
    const client = await discover(next.issuerUrl, next.clientId, next.clientSecret, opts);
    if (previous) discovery.drop(previous.issuerUrl, previous.clientId);
    discovery.set(next.issuerUrl, next.clientId, next.clientSecret, client);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.slice(0, 300) : "unknown" };
  }
}

/** A new TXT token: shown once, stored as its SHA-256. */
export function newChallenge(): { token: string; tokenHash: string } {
  const token = `${CHALLENGE_PREFIX}${newOpaqueToken().token}`;
  return { token, tokenHash: sha256Hex(token) };
}

/** Looks the domain's TXT records up: null when one of them is the token, else what was found, in a sentence a person can act on. */
export async function challengeFailure(
  resolver: ChallengeResolver,
  domain: string,
  tokenHash: string,
): Promise<{ reason: string; message: string } | null> {
  const record = ssoChallengeRecordName(domain);
  const found = await resolver.lookup(domain);
  if (!found.found) {
    return found.reason === "NO_RECORD"
      ? {
          reason: "NO_RECORD",
          message: `No TXT record was found at ${record}. Add it at your DNS provider; changes can take a few minutes to appear.`,
        }
      : {
          reason: "DNS_ERROR",
          message: `The DNS look-up of ${record} failed (${found.detail}). Try again in a minute.`,
        };
  }
  if (!found.values.some((v) => sha256Hex(v.trim()) === tokenHash)) {
    return {
      reason: "TOKEN_MISMATCH",
      message: `The TXT record at ${record} does not hold this domain's token. Copy the value shown when you added the domain, or add the domain again for a new one.`,
    };
  }
  return null;
}

/** A domain one side may not claim because the other holds it verified (decision 0039, addendum). */
export const domainClaimedElsewhere = (domain: string, by: "platform" | "workspace") =>
  new AppError(
    ErrorCode.CONFLICT,
    by === "platform"
      ? `${domain} is verified for the platform's single sign-on, so a workspace cannot claim it. Ask the platform administrator to remove it first.`
      : `${domain} is verified by a workspace for its own single sign-on, so the platform cannot claim it. Ask that workspace's owner to remove it first.`,
    {
      reason: by === "platform" ? "DOMAIN_CLAIMED_BY_PLATFORM" : "DOMAIN_CLAIMED_BY_WORKSPACE",
      fields: { domain: by === "platform" ? "verified by the platform" : "verified by a workspace" },
    },
  );

export function createSsoService({
  config,
  db,
  box,
  resolver,
  discovery,
}: {
  config: AppConfig;
  db: Db;
  box: SecretBox;
  resolver: ChallengeResolver;
  discovery: DiscoveryCache;
}) {
  const providerOptions = () => providerOptionsOf(config);
  const redirectUri = () => `${config.publicUrl}/sso/callback`;

  const mustRead = (access: WorkspaceAccess) => {
    if (!access.ability.can("read", "SingleSignOn"))
      throw forbidden("Only the workspace's owner manages single sign-on.");
  };
  const mustChange = (access: WorkspaceAccess) => {
    if (!access.ability.can("update", "SingleSignOn"))
      throw forbidden("Only the workspace's owner manages single sign-on.");
  };

  async function connectionView(row: ConnectionRow): Promise<SsoConnectionView> {
    const secrets = await box.open(row.secretJwe, ssoSecretBinding(row.workspaceId));
    return {
      id: row.id,
      issuerUrl: row.issuerUrl,
      clientId: row.clientId,
      clientSecretMasked: mask(secrets.clientSecret ?? ""),
      defaultPreset: row.defaultPreset,
      redirectUri: redirectUri(),
      updatedAt: row.updatedAt,
    };
  }

  async function settingsIn(tx: TenantTx, workspaceId: string): Promise<SsoSettingsView> {
    const connection = await repo.connection(tx, workspaceId);
    return {
      connection: connection ? await connectionView(connection) : null,
      domains: (await repo.domains(tx, workspaceId)).map(domainView),
    };
  }

  async function ownDomain(
    tx: TenantTx,
    access: WorkspaceAccess,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<DomainRow> {
    if (!UUID_RE.test(id)) throw notFound("Domain");
    const row = await repo.domain(tx, access.workspaceId, id, opts);
    if (!row) throw notFound("Domain");
    return row;
  }

  return {
    async settings(access: WorkspaceAccess): Promise<SsoSettingsView> {
      mustRead(access);
      return inWorkspace(db, access, (tx) => settingsIn(tx, access.workspaceId));
    },

    /**
     * Saves the provider after fetching its discovery document with these credentials' issuer
     * (a provider that cannot be reached, or that names another issuer, is refused with
     * reason PROVIDER_UNREACHABLE). A secret left out keeps the stored one.
     */
    async connect(access: WorkspaceAccess, input: SsoConnectionInput, actor: Actor): Promise<SsoSettingsView> {
      mustChange(access);
      const { issuerUrl, clientId, problems: fields } = connectionInputOf(input);
      const defaultPreset = input.defaultPreset ?? "";
      if (!findPreset(defaultPreset)) fields.defaultPreset = SSO_MESSAGES.presetRequired;
      if (Object.keys(fields).length > 0) throw badInput(Object.values(fields)[0]!, fields);
      if (!box.newestKid) throw encryptionKeyMissing();

      const existing = await inWorkspace(db, access, (tx) => repo.connection(tx, access.workspaceId));
      const stored = existing ? await box.open(existing.secretJwe, ssoSecretBinding(access.workspaceId)) : {};
      const clientSecret = input.clientSecret?.trim() || stored.clientSecret;
      if (!clientSecret) throw clientSecretRequired();
      const probe = await probeProvider(discovery, providerOptions(), { issuerUrl, clientId, clientSecret }, existing);
      if (!probe.ok) {
        await inWorkspace(db, access, (tx) =>
          recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "sso.provider_unreachable",
            actorMembershipId: access.membershipId,
            targetType: "SsoConnection",
            data: { issuerUrl, error: probe.error },
          }),
        );
        throw providerUnreachable(issuerUrl);
      }
      const sealed = await box.seal({ clientSecret }, ssoSecretBinding(access.workspaceId));
      return inWorkspace(db, access, async (tx) => {
        const current = await repo.connection(tx, access.workspaceId, { forUpdate: true });
        const changed = [
          ...(current?.issuerUrl !== issuerUrl ? ["issuerUrl"] : []),
          ...(current?.clientId !== clientId ? ["clientId"] : []),
          ...(stored.clientSecret !== clientSecret ? ["clientSecret"] : []),
          ...(current?.defaultPreset !== defaultPreset ? ["defaultPreset"] : []),
        ];
        const row = await repo.saveConnection(tx, {
          workspaceId: access.workspaceId,
          issuerUrl,
          clientId,
          secretJwe: sealed.jwe,
          keyId: sealed.kid,
          defaultPreset,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: current ? "sso.connection_updated" : "sso.connection_created",
          actorMembershipId: access.membershipId,
          targetType: "SsoConnection",
          targetId: row.id,
          data: { issuerUrl, changedFields: changed },
        });
        return settingsIn(tx, access.workspaceId);
      });
    },

    /** Removes the provider and its domains: their members sign in with passwords again. */
    async disconnect(access: WorkspaceAccess, actor: Actor): Promise<boolean> {
      mustChange(access);
      return inWorkspace(db, access, async (tx) => {
        const current = await repo.connection(tx, access.workspaceId);
        if (!current || !(await repo.removeConnection(tx, access.workspaceId))) throw notFound("SSO connection");
        discovery.drop(current.issuerUrl, current.clientId);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "sso.connection_removed",
          actorMembershipId: access.membershipId,
          targetType: "SsoConnection",
          targetId: current.id,
          data: { issuerUrl: current.issuerUrl },
        });
        return true;
      });
    },

    /** Claims a domain: the TXT record to publish, its value shown once. Adding it again (unverified) issues a new value. */
    async addDomain(access: WorkspaceAccess, rawDomain: string, actor: Actor): Promise<SsoDomainChallengeView> {
      mustChange(access);
      const problem = problemOf(ssoDomain, rawDomain);
      if (problem) throw badInput(problem, { domain: problem });
      const domain = normaliseDomain(rawDomain);
      const { token, tokenHash } = newChallenge();
      return inWorkspace(db, access, async (tx) => {
        const connection = await repo.connection(tx, access.workspaceId);
        if (!connection)
          throw new AppError(ErrorCode.BAD_USER_INPUT, "Connect your identity provider first, then add its domains.", {
            reason: "SSO_NOT_CONNECTED",
          });
        const existing = await repo.domainByName(tx, access.workspaceId, domain);
        if (existing?.verifiedAt)
          throw conflict(`${domain} is already verified for this workspace.`, { domain: "already verified" });
        if (await repo.verifiedByPlatform(tx, domain)) throw domainClaimedElsewhere(domain, "platform");
        const row = existing
          ? await repo.replaceToken(tx, access.workspaceId, existing.id, tokenHash)
          : await repo.addDomain(tx, {
              workspaceId: access.workspaceId,
              connectionId: connection.id,
              domain,
              tokenHash,
            });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: existing ? "sso.domain_challenge_renewed" : "sso.domain_added",
          actorMembershipId: access.membershipId,
          targetType: "SsoDomain",
          targetId: row.id,
          data: { domain },
        });
        return { domain: domainView(row), recordName: ssoChallengeRecordName(domain), recordValue: token };
      });
    },

    /**
     * Looks the TXT records up (DNS_SERVERS when set) and verifies the domain when one of them is
     * the token. Refused when another workspace, or the platform, holds the domain verified. The answer says what
     * was found; every attempt is audited.
     */
    async verifyDomain(access: WorkspaceAccess, id: string, actor: Actor): Promise<SsoDomainVerificationView> {
      mustChange(access);
      const row = await inWorkspace(db, access, (tx) => ownDomain(tx, access, id));
      const audit = (tx: TenantTx, action: string, data: Record<string, unknown>) =>
        recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action,
          actorMembershipId: access.membershipId,
          targetType: "SsoDomain",
          targetId: row.id,
          data: { domain: row.domain, ...data },
        });
      if (row.verifiedAt) return { domain: domainView(row), verified: true, message: `${row.domain} is verified.` };

      const failure = await challengeFailure(resolver, row.domain, row.tokenHash);
      if (failure) {
        const reason = failure.reason;
        await inWorkspace(db, access, (tx) => audit(tx, "sso.domain_verification_failed", { reason }));
        return { domain: domainView(row), verified: false, message: failure.message };
      }
      return inWorkspace(db, access, async (tx) => {
        await repo.lockDomainName(tx, row.domain);
        if (await repo.verifiedElsewhere(tx, row.domain)) {
          await audit(tx, "sso.domain_verification_failed", { reason: "TAKEN" });
          return {
            domain: domainView(row),
            verified: false,
            message: `${row.domain} is already verified by another workspace. Ask its owner to remove it, or contact support.`,
          };
        }
        if (await repo.verifiedByPlatform(tx, row.domain)) {
          await audit(tx, "sso.domain_verification_failed", { reason: "TAKEN_BY_PLATFORM" });
          return {
            domain: domainView(row),
            verified: false,
            message: domainClaimedElsewhere(row.domain, "platform").message,
          };
        }
        const current = await ownDomain(tx, access, id, { forUpdate: true });
        const verified = current.verifiedAt ? current : await repo.markVerified(tx, access.workspaceId, id, new Date());
        await audit(tx, "sso.domain_verified", {});
        return {
          domain: domainView(verified),
          verified: true,
          message: `${row.domain} is verified: addresses at ${row.domain} can now sign in with single sign-on.`,
        };
      });
    },

    /** "Require SSO for this domain": only for a verified domain. */
    async setRequireSso(access: WorkspaceAccess, id: string, required: boolean, actor: Actor): Promise<SsoDomainView> {
      mustChange(access);
      return inWorkspace(db, access, async (tx) => {
        const row = await ownDomain(tx, access, id, { forUpdate: true });
        if (required && !row.verifiedAt)
          throw new AppError(ErrorCode.BAD_USER_INPUT, `Verify ${row.domain} before requiring single sign-on for it.`, {
            reason: "DOMAIN_NOT_VERIFIED",
          });
        const updated = await repo.setRequireSso(tx, access.workspaceId, id, required);
        if (row.requireSso !== required) {
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: required ? "sso.required" : "sso.not_required",
            actorMembershipId: access.membershipId,
            targetType: "SsoDomain",
            targetId: id,
            data: { domain: row.domain },
          });
        }
        return domainView(updated);
      });
    },

    async removeDomain(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      mustChange(access);
      return inWorkspace(db, access, async (tx) => {
        const row = await ownDomain(tx, access, id);
        if (!(await repo.removeDomain(tx, access.workspaceId, id))) throw notFound("Domain");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "sso.domain_removed",
          actorMembershipId: access.membershipId,
          targetType: "SsoDomain",
          targetId: id,
          data: { domain: row.domain },
        });
        return true;
      });
    },
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
