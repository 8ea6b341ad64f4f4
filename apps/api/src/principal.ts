// Resolves who is calling: `Authorization: Bearer <access token>` (API clients) or the web
// app's httpOnly cookie (which must come with the CSRF header). The session behind the token is
// re-checked on every request (one primary-key read), so sign-out takes effect at once.
import type { FastifyRequest } from "fastify";
import type { Services } from "./services.ts";
import type { AuthFailure, UserPrincipal } from "./platform/graphql/context.ts";
import { parseApiKey } from "./modules/api-keys/api-key-format.ts";
import type { ApiKeyPrincipal } from "./modules/api-keys/api-keys.service.ts";
import { ACCESS_COOKIE, csrfHeaderMatches, readCookie } from "./platform/http/cookies.ts";

export interface ResolvedPrincipal {
  principal: UserPrincipal | null;
  apiKey?: ApiKeyPrincipal | null;
  failure: AuthFailure | null;
}

export async function resolvePrincipal(req: FastifyRequest, services: Services): Promise<ResolvedPrincipal> {
  const header = req.headers.authorization;
  let token: string | undefined;
  if (typeof header === "string" && header.length > 0) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return { principal: null, failure: "TOKEN_INVALID" };
    token = m[1];
  } else {
    token = readCookie(req, ACCESS_COOKIE);
    if (token && !csrfHeaderMatches(req)) return { principal: null, failure: "CSRF_TOKEN_INVALID" };
  }
  if (!token) return { principal: null, failure: null };
  if (token.startsWith("atr_")) {
    // Malformed or mutated keys stop here: format and CRC32 are checked without any I/O.
    const parsed = parseApiKey(token);
    if (!parsed) return { principal: null, failure: "API_KEY_INVALID" };
    const r = await services.apiKeys.authenticate(parsed);
    return r.ok ? { principal: null, apiKey: r.principal, failure: null } : { principal: null, failure: r.reason };
  }
  if (token.length > 4096) return { principal: null, failure: "TOKEN_INVALID" };
  const verified = await services.tokens.verify(token);
  if (!verified.ok) return { principal: null, failure: verified.reason };
  const { userId, sessionId } = verified.claims;
  const session = await services.identity.activeSession(sessionId, userId);
  if (!session) return { principal: null, failure: "SESSION_REVOKED" };
  return { principal: { kind: "user", userId, sessionId, globalRole: session.globalRole, email: session.email, idleMs: session.idleMs, stepUpVerifiedAt: session.stepUpVerifiedAt }, failure: null };
}
