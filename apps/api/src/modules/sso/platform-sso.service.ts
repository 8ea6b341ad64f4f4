// The platform-wide single sign-on settings (issue 49, decision 0039 addendum): the platform
// admin connects one OpenID Connect provider for the whole platform (its client secret sealed as
// a workspace's is, bound to "platform" / "sso") and claims e-mail domains for it, proven by the
// same DNS TXT record. Platform data: the system client, audited in the platform trail like the
// other admin operations. A domain is verified in one place at most — the platform or one
// workspace — so each side refuses a domain the other holds verified. Sign-in is the workspace
// variant's own code path (sso-sign-in.ts), with no workspace to join.
import type { Db, Prisma } from "@atrium/db";
import { normaliseDomain, problemOf, ssoChallengeRecordName, ssoDomain } from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordPlatformAudit, type Actor } from "../../platform/audit/audit.ts";
import { UUID_RE } from "../../platform/authz/access.ts";
import type { SecretBox } from "../../platform/crypto/secret-box.ts";
import { AppError, badInput, conflict, ErrorCode, notFound } from "../../platform/errors.ts";
import { mask } from "../integrations/providers.ts";
import type { ChallengeResolver } from "./dns-challenge.ts";
import type { DiscoveryCache } from "./oidc.ts";
import {
  platformSsoRepository as repo,
  type PlatformConnectionRow,
  type PlatformDomainRow,
} from "./platform-sso.repository.ts";
import {
  challengeFailure,
  clientSecretRequired,
  connectionInputOf,
  domainClaimedElsewhere,
  domainView,
  encryptionKeyMissing,
  newChallenge,
  platformSsoSecretBinding,
  probeProvider,
  providerOptionsOf,
  providerUnreachable,
} from "./sso.service.ts";
import type {
  SsoConnectionInput,
  SsoConnectionView,
  SsoDomainChallengeView,
  SsoDomainVerificationView,
  SsoDomainView,
  SsoSettingsView,
} from "./sso.types.ts";

type SystemTx = Prisma.TransactionClient;

export function createPlatformSsoService({
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
  const system = db.system;
  const redirectUri = () => `${config.publicUrl}/sso/callback`;

  async function connectionView(row: PlatformConnectionRow): Promise<SsoConnectionView> {
    const secrets = await box.open(row.secretJwe, platformSsoSecretBinding);
    return {
      id: row.id,
      issuerUrl: row.issuerUrl,
      clientId: row.clientId,
      clientSecretMasked: mask(secrets.clientSecret ?? ""),
      defaultPreset: null,
      redirectUri: redirectUri(),
      updatedAt: row.updatedAt,
    };
  }

  async function settingsIn(tx: SystemTx): Promise<SsoSettingsView> {
    const connection = await repo.connection(tx);
    return {
      connection: connection ? await connectionView(connection) : null,
      domains: (await repo.domains(tx)).map(domainView),
    };
  }

  async function domainOf(tx: SystemTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<PlatformDomainRow> {
    if (!UUID_RE.test(id)) throw notFound("Domain");
    const row = await repo.domain(tx, id, opts);
    if (!row) throw notFound("Domain");
    return row;
  }

  const audit = (tx: SystemTx, actor: Actor, action: string, data: Record<string, unknown>, targetId?: string) =>
    recordPlatformAudit(tx, actor, { action, ...(targetId ? { targetId } : {}), data });

  return {
    async settings(): Promise<SsoSettingsView> {
      return system.$transaction((tx) => settingsIn(tx));
    },

    /**
     * Saves the platform's provider after fetching its discovery document (refused with reason
     * PROVIDER_UNREACHABLE when it cannot be read, audited). A secret left out keeps the stored
     * one. `defaultPreset` is not used: nobody joins a workspace through the platform's provider.
     */
    async connect(input: SsoConnectionInput, actor: Actor): Promise<SsoSettingsView> {
      const { issuerUrl, clientId, problems } = connectionInputOf(input);
      if (Object.keys(problems).length > 0) throw badInput(Object.values(problems)[0]!, problems);
      if (!box.newestKid) throw encryptionKeyMissing();

      const existing = await repo.connection(system);
      const stored = existing ? await box.open(existing.secretJwe, platformSsoSecretBinding) : {};
      const clientSecret = input.clientSecret?.trim() || stored.clientSecret;
      if (!clientSecret) throw clientSecretRequired();
      const probe = await probeProvider(
        discovery,
        providerOptionsOf(config),
        { issuerUrl, clientId, clientSecret },
        existing,
      );
      if (!probe.ok) {
        await audit(system, actor, "platform.sso_provider_unreachable", { issuerUrl, error: probe.error });
        throw providerUnreachable(issuerUrl);
      }
      const sealed = await box.seal({ clientSecret }, platformSsoSecretBinding);
      return system.$transaction(async (tx) => {
        const current = await repo.connection(tx, { forUpdate: true });
        const changed = [
          ...(current?.issuerUrl !== issuerUrl ? ["issuerUrl"] : []),
          ...(current?.clientId !== clientId ? ["clientId"] : []),
          ...(stored.clientSecret !== clientSecret ? ["clientSecret"] : []),
        ];
        const row = await repo.saveConnection(tx, { issuerUrl, clientId, secretJwe: sealed.jwe, keyId: sealed.kid });
        await audit(
          tx,
          actor,
          current ? "platform.sso_connection_updated" : "platform.sso_connection_created",
          { issuerUrl, changedFields: changed },
          row.id,
        );
        return settingsIn(tx);
      });
    },

    /** Removes the platform's provider and its domains: their people sign in with passwords again. */
    async disconnect(actor: Actor): Promise<boolean> {
      return system.$transaction(async (tx) => {
        const current = await repo.connection(tx, { forUpdate: true });
        if (!current || !(await repo.removeConnection(tx))) throw notFound("SSO connection");
        discovery.drop(current.issuerUrl, current.clientId);
        await audit(tx, actor, "platform.sso_connection_removed", { issuerUrl: current.issuerUrl }, current.id);
        return true;
      });
    },

    /**
     * Claims a domain for the platform's provider: the TXT record to publish, its value shown
     * once. Refused (CONFLICT, reason DOMAIN_CLAIMED_BY_WORKSPACE) when a workspace holds the
     * domain verified. Adding it again (unverified) issues a new value.
     */
    async addDomain(rawDomain: string, actor: Actor): Promise<SsoDomainChallengeView> {
      const problem = problemOf(ssoDomain, rawDomain);
      if (problem) throw badInput(problem, { domain: problem });
      const domain = normaliseDomain(rawDomain);
      const { token, tokenHash } = newChallenge();
      return system.$transaction(async (tx) => {
        const connection = await repo.connection(tx);
        if (!connection)
          throw new AppError(
            ErrorCode.BAD_USER_INPUT,
            "Connect the platform's identity provider first, then add its domains.",
            { reason: "SSO_NOT_CONNECTED" },
          );
        const existing = await repo.domainByName(tx, domain);
        if (existing?.verifiedAt)
          throw conflict(`${domain} is already verified for the platform.`, { domain: "already verified" });
        if (await repo.verifiedByWorkspace(tx, domain)) throw domainClaimedElsewhere(domain, "workspace");
        const row = existing
          ? await repo.replaceToken(tx, existing.id, tokenHash)
          : await repo.addDomain(tx, { connectionId: connection.id, domain, tokenHash });
        await audit(
          tx,
          actor,
          existing ? "platform.sso_domain_challenge_renewed" : "platform.sso_domain_added",
          { domain },
          row.id,
        );
        return { domain: domainView(row), recordName: ssoChallengeRecordName(domain), recordValue: token };
      });
    },

    /**
     * Looks the TXT records up and verifies the domain when one of them is the token; under the
     * domain's advisory lock, refused when a workspace verified it meanwhile. The answer says
     * what was found; every attempt is audited.
     */
    async verifyDomain(id: string, actor: Actor): Promise<SsoDomainVerificationView> {
      const row = await domainOf(system, id);
      const attempt = (tx: SystemTx, action: string, data: Record<string, unknown>) =>
        audit(tx, actor, action, { domain: row.domain, ...data }, row.id);
      if (row.verifiedAt) return { domain: domainView(row), verified: true, message: `${row.domain} is verified.` };
      const failure = await challengeFailure(resolver, row.domain, row.tokenHash);
      if (failure) {
        await attempt(system, "platform.sso_domain_verification_failed", { reason: failure.reason });
        return { domain: domainView(row), verified: false, message: failure.message };
      }
      return system.$transaction(async (tx) => {
        await repo.lockDomainName(tx, row.domain);
        if (await repo.verifiedByWorkspace(tx, row.domain)) {
          await attempt(tx, "platform.sso_domain_verification_failed", { reason: "TAKEN_BY_WORKSPACE" });
          return {
            domain: domainView(row),
            verified: false,
            message: domainClaimedElsewhere(row.domain, "workspace").message,
          };
        }
        const current = await domainOf(tx, id, { forUpdate: true });
        const verified = current.verifiedAt ? current : await repo.markVerified(tx, id, new Date());
        await attempt(tx, "platform.sso_domain_verified", {});
        return {
          domain: domainView(verified),
          verified: true,
          message: `${row.domain} is verified: addresses at ${row.domain} can now sign in with the platform's single sign-on.`,
        };
      });
    },

    /** "Require SSO for this domain": only for a verified domain; platform admins keep a break-glass password sign-in. */
    async setRequireSso(id: string, required: boolean, actor: Actor): Promise<SsoDomainView> {
      return system.$transaction(async (tx) => {
        const row = await domainOf(tx, id, { forUpdate: true });
        if (required && !row.verifiedAt)
          throw new AppError(ErrorCode.BAD_USER_INPUT, `Verify ${row.domain} before requiring single sign-on for it.`, {
            reason: "DOMAIN_NOT_VERIFIED",
          });
        const updated = await repo.setRequireSso(tx, id, required);
        if (row.requireSso !== required)
          await audit(
            tx,
            actor,
            required ? "platform.sso_required" : "platform.sso_not_required",
            { domain: row.domain },
            id,
          );
        return domainView(updated);
      });
    },

    async removeDomain(id: string, actor: Actor): Promise<boolean> {
      return system.$transaction(async (tx) => {
        const row = await domainOf(tx, id);
        if (!(await repo.removeDomain(tx, id))) throw notFound("Domain");
        await audit(tx, actor, "platform.sso_domain_removed", { domain: row.domain }, id);
        return true;
      });
    },
  };
}

export type PlatformSsoService = ReturnType<typeof createPlatformSsoService>;
