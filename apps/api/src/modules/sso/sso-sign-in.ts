// Signing in with single sign-on (issue 49, decision 0039): /sso/start sends a person whose
// e-mail domain is verified and connected to that workspace's provider (authorization code flow,
// PKCE S256, state and nonce); /sso/callback spends the sign-in once, exchanges the code, lets
// openid-client validate the ID token, provisions the account just in time (only for an address
// the provider says it verified, of a domain this workspace verified), joins the workspace with
// the owner's preset and starts a normal session. A domain the platform admin verified for the
// platform's provider takes the same path with no workspace: the account is provisioned, joins
// nothing, and lands on its workspace list (decision 0039, addendum). Each failure a person can act on is a reason
// with a sentence (sso.routes.ts renders it), and is audited.
import type { Db } from "@atrium/db";
import { normaliseEmail } from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordPlatformAudit, recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { SecretBox } from "../../platform/crypto/secret-box.ts";
import { AppError, ErrorCode } from "../../platform/errors.ts";
import type { RateLimiter } from "../../platform/rate-limit.ts";
import type { IdentityService, IssuedSession } from "../identity/identity.service.ts";
import type { MembersService } from "../members/members.service.ts";
import {
  authorizationRequest,
  discoverCached,
  exchangeCode,
  ExchangeError,
  type DiscoveryCache,
  type ProviderClient,
} from "./oidc.ts";
import { ssoSignInRepository as repo, type ConnectionRef } from "./sso-sign-in.repository.ts";
import { platformSsoSecretBinding, ssoSecretBinding } from "./sso.service.ts";

/** How long a person has at the provider. */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;

export type SsoFailure =
  | "INVALID_REQUEST"
  | "DOMAIN_NOT_VERIFIED"
  | "PROVIDER_UNREACHABLE"
  | "PROVIDER_ERROR"
  | "WRONG_STATE"
  | "SIGN_IN_EXPIRED"
  | "CODE_REPLAYED"
  | "NONCE_MISMATCH"
  | "ID_TOKEN_INVALID"
  | "EMAIL_NOT_VERIFIED_BY_PROVIDER"
  | "EMAIL_OUTSIDE_DOMAIN"
  | "ACCOUNT_DISABLED";

export class SsoSignInError extends Error {
  constructor(
    readonly reason: SsoFailure,
    readonly detail: Record<string, string> = {},
  ) {
    super(reason);
    this.name = "SsoSignInError";
  }
}

/** An error and its causes, in a line for the audit trail (openid-client wraps the useful part). */
function causeChain(err: unknown): string {
  const parts: string[] = [];
  // Not `instanceof Error`: a cause may come from another realm (a fetch's TypeError).
  for (
    let e = err as { message?: unknown; code?: unknown; cause?: unknown } | null, depth = 0;
    e && typeof e === "object" && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    parts.push(
      `${typeof e.code === "string" ? `${e.code}: ` : ""}${typeof e.message === "string" ? e.message : "error"}`,
    );
  }
  return parts.join(" <- ").slice(0, 300);
}

const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1);

/** Password sign-in refused: the domain requires single sign-on (the same refusal for a workspace's domain and the platform's). */
const ssoRequired = (domain: string, email: string) =>
  new AppError(
    ErrorCode.UNAUTHENTICATED,
    `Your organisation requires single sign-on for ${domain} addresses. Use "Sign in with SSO" instead of a password.`,
    {
      reason: "SSO_REQUIRED",
      ssoStartUrl: `/sso/start?email=${encodeURIComponent(email)}`,
    },
  );

interface Deps {
  config: AppConfig;
  db: Db;
  box: SecretBox;
  rateLimiter: RateLimiter;
  identity: Pick<IdentityService, "ssoAccount" | "ssoSession">;
  members: Pick<MembersService, "joinBySso">;
  /** Discovered configurations, shared with the settings services (which drop what changes). */
  discovery: DiscoveryCache;
}

export function createSsoSignIn({ config, db, box, rateLimiter, identity, members, discovery }: Deps) {
  const system = db.system;
  const redirectUri = () => `${config.publicUrl}/sso/callback`;

  /** The provider of a workspace's connection, or of the platform's (`workspaceId` null). */
  async function providerFor(workspaceId: string | null, connection: ConnectionRef): Promise<ProviderClient> {
    const { clientSecret } = await box.open(
      connection.secretJwe,
      workspaceId === null ? platformSsoSecretBinding : ssoSecretBinding(workspaceId),
    );
    try {
      return await discoverCached(discovery, connection.issuerUrl, connection.clientId, clientSecret ?? "", {
        allowPrivate: config.sso.allowPrivateIssuers,
        timeoutMs: config.sso.timeoutMs,
      });
    } catch (err) {
      throw new SsoSignInError("PROVIDER_UNREACHABLE", {
        issuer: connection.issuerUrl,
        error: err instanceof Error ? err.message.slice(0, 200) : "unknown",
      });
    }
  }

  /**
   * A failure on record: the platform's trail, and the workspace's when it is known. This flow
   * runs before any tenant context (like identity's), so the workspace's row is written by the
   * system client too.
   */
  async function recordFailure(err: SsoSignInError, actor: Actor, workspaceId: string | undefined): Promise<void> {
    const data = { reason: err.reason, ...err.detail };
    await recordPlatformAudit(system, actor, {
      action: "sso.sign_in_failed",
      ...(workspaceId ? { workspaceId } : {}),
      data,
    });
    if (workspaceId)
      await recordWorkspaceAudit(system, workspaceId, actor, {
        action: "sso.sign_in_failed",
        targetType: "SsoConnection",
        data,
      });
  }

  return {
    /** Whether an address's domain signs in with SSO, and whether it must (by domain only: never says whether an account exists). */
    async signInMethod(rawEmail: string): Promise<{ sso: boolean; ssoRequired: boolean }> {
      const email = normaliseEmail(rawEmail);
      if (!email.includes("@")) return { sso: false, ssoRequired: false };
      const route = await repo.routeForDomain(system, domainOf(email));
      return { sso: route !== null, ssoRequired: route?.requireSso ?? false };
    },

    /**
     * The provider's authorization URL for `email`, and the state the browser keeps (cookie) to
     * prove at the callback that it started this sign-in.
     */
    async start(rawEmail: string, actor: Actor): Promise<{ url: URL; state: string }> {
      await rateLimiter.hit(
        `sso:start:ip:${actor.ip ?? "unknown"}`,
        config.rateLimits.signInPerIp,
        config.rateLimits.windowSeconds,
      );
      const email = normaliseEmail(rawEmail);
      let workspaceId: string | undefined;
      try {
        if (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
          throw new SsoSignInError("INVALID_REQUEST");
        const route = await repo.routeForDomain(system, domainOf(email));
        if (!route) throw new SsoSignInError("DOMAIN_NOT_VERIFIED", { domain: domainOf(email) });
        workspaceId = route.workspaceId ?? undefined;
        const provider = await providerFor(route.workspaceId, route.connection);
        const request = await authorizationRequest(provider, redirectUri(), email);
        await repo.createSignIn(system, {
          stateHash: sha256Hex(request.state),
          workspaceId: route.workspaceId,
          connectionId: route.connection.id,
          nonce: request.nonce,
          codeVerifier: request.codeVerifier,
          expiresAt: new Date(Date.now() + SIGN_IN_TTL_MS),
        });
        return { url: request.url, state: request.state };
      } catch (err) {
        if (err instanceof SsoSignInError) await recordFailure(err, actor, workspaceId);
        throw err;
      }
    },

    /**
     * The provider's answer. `browserState`: the state this browser kept (cookie); `query`: the
     * callback's query string. The session, and where to go.
     */
    async callback(
      query: URLSearchParams,
      browserState: string | undefined,
      actor: Actor,
    ): Promise<{ session: IssuedSession; slug: string | null }> {
      await rateLimiter.hit(
        `sso:callback:ip:${actor.ip ?? "unknown"}`,
        config.rateLimits.signInPerIp,
        config.rateLimits.windowSeconds,
      );
      let workspaceId: string | undefined;
      try {
        const state = query.get("state");
        if (!state || state.length > 512) throw new SsoSignInError("WRONG_STATE", { why: "no state" });
        // Spent first, whatever follows: a callback (a code) is good for one try.
        const claimed = await repo.claimSignIn(system, sha256Hex(state));
        if ("failed" in claimed) {
          workspaceId = claimed.workspaceId;
          if (claimed.failed === "spent") throw new SsoSignInError("CODE_REPLAYED", { why: "sign-in already used" });
          if (claimed.failed === "expired") throw new SsoSignInError("SIGN_IN_EXPIRED");
          throw new SsoSignInError("WRONG_STATE", { why: "unknown state" });
        }
        const flow = claimed.ok;
        workspaceId = flow.workspaceId ?? undefined;
        // The browser must be the one that started it (login CSRF): its cookie holds the state.
        if (browserState !== state)
          throw new SsoSignInError("WRONG_STATE", {
            why: browserState ? "state differs from this browser's" : "no sign-in started in this browser",
          });
        const providerError = query.get("error");
        if (providerError) throw new SsoSignInError("PROVIDER_ERROR", { error: providerError.slice(0, 100) });
        const connection = await repo.connection(system, flow.workspaceId, flow.connectionId);
        if (!connection) throw new SsoSignInError("DOMAIN_NOT_VERIFIED", { why: "connection removed" });
        const provider = await providerFor(flow.workspaceId, connection);
        const callbackUrl = new URL(redirectUri());
        callbackUrl.search = query.toString();
        let identityClaims;
        try {
          identityClaims = await exchangeCode(provider, callbackUrl, {
            state,
            nonce: flow.nonce,
            codeVerifier: flow.codeVerifier,
          });
        } catch (err) {
          if (err instanceof ExchangeError) throw new SsoSignInError(err.reason, { error: causeChain(err.cause) });
          throw err;
        }
        const email = identityClaims.email ? normaliseEmail(identityClaims.email) : null;
        if (!email || !identityClaims.emailVerified)
          throw new SsoSignInError("EMAIL_NOT_VERIFIED_BY_PROVIDER", {
            email: email ?? "(none)",
            subject: identityClaims.subject,
          });
        if (!(await repo.domainVerifiedFor(system, flow.workspaceId, flow.connectionId, domainOf(email))))
          throw new SsoSignInError("EMAIL_OUTSIDE_DOMAIN", { email });

        const account = await identity.ssoAccount({ email, name: identityClaims.name ?? "" }, actor);
        if (!account) throw new SsoSignInError("ACCOUNT_DISABLED", { email });
        const who = { ...actor, userId: account.userId };
        if (flow.workspaceId === null) {
          // The platform's provider: the account only; the person lands on their workspace list.
          const session = await identity.ssoSession(account.userId, who, {
            platform: true,
            provisioned: account.created,
            joined: false,
          });
          if (!session) throw new SsoSignInError("ACCOUNT_DISABLED", { email });
          await recordPlatformAudit(system, who, {
            action: "sso.signed_in",
            data: {
              platform: true,
              connectionId: flow.connectionId,
              email,
              subject: identityClaims.subject,
              provisioned: account.created,
            },
          });
          return { session, slug: null };
        }
        const joined = await members.joinBySso(
          { userId: account.userId, email },
          flow.workspaceId,
          connection.defaultPreset ?? "viewer",
          who,
        );
        const session = await identity.ssoSession(account.userId, who, {
          workspaceId: flow.workspaceId,
          provisioned: account.created,
          joined: joined.joined,
        });
        if (!session) throw new SsoSignInError("ACCOUNT_DISABLED", { email });
        await recordWorkspaceAudit(system, flow.workspaceId, who, {
          action: "sso.signed_in",
          targetType: "SsoConnection",
          targetId: flow.connectionId,
          data: { email, subject: identityClaims.subject, provisioned: account.created, joined: joined.joined },
        });
        return { session, slug: joined.slug };
      } catch (err) {
        if (err instanceof SsoSignInError) await recordFailure(err, actor, workspaceId);
        throw err;
      }
    },

    /**
     * Password sign-in for an address whose domain requires SSO (identity calls it once the
     * password is right): refused with UNAUTHENTICATED, reason SSO_REQUIRED — except for the
     * owner of the workspace that requires it, whose break-glass sign-in goes through and is
     * audited in that workspace. For a domain the platform requires SSO for, the break-glass
     * sign-in is a platform admin's, audited in the platform trail.
     */
    async passwordGate(user: { id: string; email: string }, actor: Actor): Promise<void> {
      const route = await repo.routeForDomain(system, domainOf(user.email));
      if (!route?.requireSso) return;
      const who = { ...actor, userId: user.id };
      if (route.workspaceId === null) {
        if (await repo.isPlatformAdmin(system, user.id)) {
          await recordPlatformAudit(system, who, {
            action: "sso.break_glass_sign_in",
            data: { platform: true, domain: route.domain, domainId: route.domainId },
          });
          return;
        }
        await recordPlatformAudit(system, who, {
          action: "sso.password_refused",
          data: { platform: true, domain: route.domain },
        });
        throw ssoRequired(route.domain, user.email);
      }
      if (await repo.isOwner(system, route.workspaceId, user.id)) {
        await recordWorkspaceAudit(system, route.workspaceId, who, {
          action: "sso.break_glass_sign_in",
          targetType: "SsoDomain",
          targetId: route.domainId,
          data: { domain: route.domain },
        });
        await recordPlatformAudit(system, who, {
          action: "sso.break_glass_sign_in",
          workspaceId: route.workspaceId,
          data: { domain: route.domain },
        });
        return;
      }
      await recordPlatformAudit(system, who, {
        action: "sso.password_refused",
        workspaceId: route.workspaceId,
        data: { domain: route.domain },
      });
      throw ssoRequired(route.domain, user.email);
    },
  };
}

export type SsoSignIn = ReturnType<typeof createSsoSignIn>;
