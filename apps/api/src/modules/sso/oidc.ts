// The OpenID Connect client side of SSO (openid-client v6): discovery, the authorization URL
// (code flow, PKCE S256, state, nonce) and the code exchange with the ID token's checks. Every
// request to the provider goes through `providerFetch`: in production only to public addresses,
// with the outbound webhooks' SSRF guard checking the address the socket connects to (DNS
// rebinding cannot slip a private address in between); outside production a local test provider
// is allowed, as webhooks allow loopback targets.
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import * as oidc from "openid-client";

import { ForbiddenTargetError, guardedLookup, isForbiddenAddress } from "../webhooks/ssrf.ts";

export interface ProviderOptions {
  allowPrivate: boolean;
  timeoutMs: number;
}

/** The largest answer read from a provider (discovery, JWKS, token endpoint). */
const MAX_BODY_BYTES = 1_048_576;

/** openid-client's request bodies (the token request's is URLSearchParams) as bytes or text. */
function requestBody(body: unknown): string | Uint8Array | null {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (Object.prototype.toString.call(body) === "[object ArrayBuffer]") return new Uint8Array(body as ArrayBuffer);
  // URLSearchParams (from any realm): its form encoding.
  if (Object.prototype.toString.call(body) === "[object URLSearchParams]") return (body as URLSearchParams).toString();
  throw new TypeError("Unsupported request body for the identity provider.");
}

/** A fetch for openid-client over node:http(s), with the SSRF guard in production. */
export function providerFetch(opts: ProviderOptions): oidc.CustomFetch {
  return (url, options) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const bare = target.hostname.replace(/^\[|\]$/g, "");
      // Node skips `lookup` for an IP literal: judge it here.
      if (!opts.allowPrivate && net.isIP(bare) !== 0 && isForbiddenAddress(bare))
        return reject(new ForbiddenTargetError(target.hostname, bare));
      const send = target.protocol === "https:" ? https.request : http.request;
      const req = send(
        target,
        {
          method: options.method,
          headers: options.headers,
          timeout: opts.timeoutMs,
          ...(opts.allowPrivate ? {} : { lookup: guardedLookup }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy(new Error("The provider's answer is too large."));
              return;
            }
            chunks.push(chunk);
          });
          res.on("end", () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
            }
            const status = res.statusCode ?? 502;
            const body = chunks.length === 0 || status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers }));
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`The provider did not answer within ${opts.timeoutMs} ms.`)));
      req.on("error", reject);
      options.signal?.addEventListener("abort", () => req.destroy(new Error("aborted")));
      const body = requestBody(options.body);
      if (body !== null) req.write(body);
      req.end();
    });
}

export interface ProviderClient {
  issuer: string;
  config: oidc.Configuration;
}

/** Fetches the issuer's discovery document and checks it (issuer match, endpoints). */
export async function discover(
  issuerUrl: string,
  clientId: string,
  clientSecret: string,
  opts: ProviderOptions,
): Promise<ProviderClient> {
  const url = new URL(issuerUrl);
  const config = await oidc.discovery(
    url,
    clientId,
    { client_secret: clientSecret },
    oidc.ClientSecretBasic(clientSecret),
    {
      [oidc.customFetch]: providerFetch(opts),
      // http:// issuers only where private addresses are allowed (a local test provider).
      ...(url.protocol === "http:" && opts.allowPrivate ? { execute: [oidc.allowInsecureRequests] } : {}),
      timeout: Math.ceil(opts.timeoutMs / 1000),
    },
  );
  return { issuer: config.serverMetadata().issuer, config };
}

/** How long a discovered configuration (discovery document, and the JWKS it fetched) is reused. */
export const DISCOVERY_TTL_MS = 10 * 60 * 1000;
/** Connections whose configuration is kept at once (the oldest go first beyond it). */
const DISCOVERY_CACHE_MAX = 1_000;

/**
 * Discovered configurations per (issuer, client id), for a short while: a sign-in (start and
 * callback) then fetches the discovery document once per TTL instead of twice per sign-in. An
 * entry remembers which client secret it was built with (its hash): another secret misses. The
 * settings services drop an entry when its connection changes or goes; other API instances keep
 * theirs until the TTL passes.
 */
export function createDiscoveryCache(opts: { ttlMs?: number; now?: () => number } = {}) {
  const ttlMs = opts.ttlMs ?? DISCOVERY_TTL_MS;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { client: ProviderClient; secretHash: string; expiresAt: number }>();
  const keyOf = (issuerUrl: string, clientId: string) => JSON.stringify([issuerUrl, clientId]);
  const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");
  return {
    get(issuerUrl: string, clientId: string, clientSecret: string): ProviderClient | undefined {
      const key = keyOf(issuerUrl, clientId);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now() || entry.secretHash !== hashOf(clientSecret)) {
        entries.delete(key);
        return undefined;
      }
      return entry.client;
    },
    set(issuerUrl: string, clientId: string, clientSecret: string, client: ProviderClient): void {
      const key = keyOf(issuerUrl, clientId);
      entries.delete(key);
      if (entries.size >= DISCOVERY_CACHE_MAX) entries.delete(entries.keys().next().value!);
      entries.set(key, { client, secretHash: hashOf(clientSecret), expiresAt: now() + ttlMs });
    },
    /** The connection changed or went: its next sign-in discovers again. */
    drop(issuerUrl: string, clientId: string): void {
      entries.delete(keyOf(issuerUrl, clientId));
    },
    get size(): number {
      return entries.size;
    },
  };
}
export type DiscoveryCache = ReturnType<typeof createDiscoveryCache>;

/** `discover`, through the cache (a failure is not kept). */
export async function discoverCached(
  cache: DiscoveryCache,
  issuerUrl: string,
  clientId: string,
  clientSecret: string,
  opts: ProviderOptions,
): Promise<ProviderClient> {
  const cached = cache.get(issuerUrl, clientId, clientSecret);
  if (cached) return cached;
  const client = await discover(issuerUrl, clientId, clientSecret, opts);
  cache.set(issuerUrl, clientId, clientSecret, client);
  return client;
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function authorizationRequest(
  client: ProviderClient,
  redirectUri: string,
  loginHint: string | undefined,
): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(client.config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  return { url, state, nonce, codeVerifier };
}

export interface ProviderIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** Why a code exchange failed, in the terms the callback reports. */
export type ExchangeFailure = "CODE_REPLAYED" | "NONCE_MISMATCH" | "PROVIDER_UNREACHABLE" | "ID_TOKEN_INVALID";

export class ExchangeError extends Error {
  constructor(
    readonly reason: ExchangeFailure,
    cause: unknown,
  ) {
    super(reason, { cause });
    this.name = "ExchangeError";
  }
}

/** Classifies an openid-client failure of the code exchange. */
export function exchangeFailure(err: unknown): ExchangeFailure {
  const e = err as { code?: unknown; error?: unknown; cause?: unknown };
  // The token endpoint refused the code: used already (or expired, or issued for another verifier).
  if (e.error === "invalid_grant") return "CODE_REPLAYED";
  // openid-client's error carries oauth4webapi's, whose cause names the claim.
  const inner = e.cause as { claim?: unknown; cause?: { claim?: unknown } } | undefined;
  if (e.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" && (inner?.claim ?? inner?.cause?.claim) === "nonce")
    return "NONCE_MISMATCH";
  const codeOf = (x: unknown) =>
    typeof (x as { code?: unknown } | undefined)?.code === "string" ? (x as { code: string }).code : "";
  const cause = e.cause instanceof Error ? `${e.cause.name} ${e.cause.message} ${codeOf(e.cause)}` : "";
  if (
    err instanceof TypeError ||
    (err instanceof Error &&
      /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|did not answer|aborted|ForbiddenTarget/.test(
        `${err.name} ${err.message} ${codeOf(err)} ${cause}`,
      ))
  )
    return "PROVIDER_UNREACHABLE";
  return "ID_TOKEN_INVALID";
}

/**
 * Exchanges the callback's code (PKCE verifier, expected state and nonce) and validates the ID
 * token (signature, issuer, audience, expiry, nonce: openid-client). The identity is the ID
 * token's claims, or the UserInfo endpoint's for the ID token's subject when the e-mail is not
 * among them.
 */
export async function exchangeCode(
  client: ProviderClient,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<ProviderIdentity> {
  let claims: oidc.IDToken | undefined;
  let profile: Record<string, unknown> = {};
  try {
    const tokens = await oidc.authorizationCodeGrant(client.config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    if (!claims) throw new ExchangeError("ID_TOKEN_INVALID", new Error("no ID token"));
    profile = claims;
    // Providers that keep scope claims out of the ID token (OpenID Connect Core 5.4) serve them
    // at the UserInfo endpoint, for the same subject (checked by openid-client).
    if (typeof claims.email !== "string" && tokens.access_token)
      profile = { ...(await oidc.fetchUserInfo(client.config, tokens.access_token, claims.sub)), sub: claims.sub };
  } catch (err) {
    if (err instanceof ExchangeError) throw err;
    throw new ExchangeError(exchangeFailure(err), err);
  }
  const email = typeof profile.email === "string" ? profile.email : null;
  const name = typeof profile.name === "string" ? profile.name : null;
  return { subject: claims.sub, email, emailVerified: profile.email_verified === true, name };
}
