// Resolves who is calling: `Authorization: Bearer <access token>` (API clients) or the web
// app's httpOnly cookie (which must come with the CSRF header). The session behind the token is
// re-checked on every request, so sign-out takes effect at once: read (session_state()) when this
// instance does not know it; when it does, the request's first tenant transaction reads it again
// in the statement that sets the tenant settings, and a change (sign-out, revocation, a disabled
// user, a new step-up, a changed role) drops the answer and runs the request again.
import type { FastifyRequest } from "fastify";

import type { RequestScope } from "@atrium/db";

import type { ApiKeyPrincipal } from "./modules/api-keys/api-keys.service.ts";
import type { SessionState } from "./modules/identity/identity.repository.ts";
import { inScope } from "./platform/authz/access.ts";
import { staleEntry } from "./platform/authz/principal-cache.ts";
import type { AuthFailure, UserPrincipal } from "./platform/graphql/context.ts";
import { ACCESS_COOKIE, csrfHeaderMatches, readCookie } from "./platform/http/cookies.ts";
import { notePrincipal } from "./platform/observability/request-log.ts";
import { countedIn, noteRateLimit, rateLimitOf } from "./platform/rate-limit.ts";
import type { Services } from "./services.ts";

export interface ResolvedPrincipal {
  principal: UserPrincipal | null;
  apiKey?: ApiKeyPrincipal | null;
  failure: AuthFailure | null;
}

/**
 * The key's (cached, shared) principal as this request's: its access with the request's scope.
 * Every field is named, not spread (as in `inScope`); the test checks that none is left out.
 */
export function keyInScope(key: ApiKeyPrincipal, scope: RequestScope | undefined): ApiKeyPrincipal {
  // Required<…>: a field added to ApiKeyPrincipal, optional or not, fails to compile here until named.
  const scoped: Required<ApiKeyPrincipal> = {
    kind: key.kind,
    keyId: key.keyId,
    workspaceId: key.workspaceId,
    workspaceSlug: key.workspaceSlug,
    persistedOnly: key.persistedOnly,
    access: inScope(key.access, scope),
    explain: key.explain,
  };
  return scoped;
}

/** Whether the session state a transaction read is the one a cached principal was built from. */
function sameSession(current: unknown, known: SessionState): boolean {
  if (typeof current !== "object" || current === null) return false;
  const c = current as Partial<SessionState>;
  return (
    c.userId === known.userId &&
    c.live === known.live &&
    c.globalRole === known.globalRole &&
    c.email === known.email &&
    (c.stepUpVerifiedAt ?? null) === known.stepUpVerifiedAt
  );
}

/**
 * The session's state: from this instance's cache inside a GraphQL request (registered there, so
 * the request's transactions verify it), else read. null: ended, or not this user's.
 */
async function sessionOf(
  services: Services,
  sessionId: string,
  userId: string,
  scope: RequestScope | undefined,
): Promise<SessionState | null> {
  const run = scope?.principals;
  const cache = services.principalCaches.sessions;
  const cached = run && !run.session ? (cache.get(sessionId)?.value as SessionState | undefined) : undefined;
  if (run && cached && cached.userId === userId) {
    run.session = {
      sessionId,
      check(current) {
        if (!sameSession(current, cached)) throw staleEntry(run, cache, sessionId);
      },
    };
    cached.lastSeenAt = await services.identity.touchSession(sessionId, cached.lastSeenAt);
    return cached;
  }
  const state = await services.identity.activeSession(sessionId, userId);
  if (state) cache.set(sessionId, state, 0);
  else cache.delete(sessionId);
  return state;
}

/** `opts.scope`: the request's (for GraphQL, the run's) scope, whose principals a cached one is registered in. */
export async function resolvePrincipal(
  req: FastifyRequest,
  services: Services,
  opts: { scope: RequestScope | undefined },
): Promise<ResolvedPrincipal> {
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
  let resolved: ResolvedPrincipal;
  try {
    resolved = await resolveToken(token, services, opts);
    // A key's request counts once in its window: a GraphQL request the engine runs again (a
    // cached principal turned out stale) finds itself counted already.
    if (resolved.apiKey && !countedIn(req, "apikey"))
      noteRateLimit(req, await services.apiKeys.countRequest(resolved.apiKey.keyId));
  } catch (err) {
    // A key over its limit: the 429 says which window and when it resets, as every answer does.
    noteRateLimit(req, rateLimitOf(err));
    throw err;
  }
  // The request's log line names the kind of caller (and a key's workspace), never who it is.
  if (resolved.principal) notePrincipal(req, "user");
  else if (resolved.apiKey) notePrincipal(req, "apiKey", resolved.apiKey.workspaceId);
  return resolved;
}

/** Who a bearer token (an access token or an API key) stands for: the HTTP request's and the live connection's common path. */
export async function resolveToken(
  token: string,
  services: Services,
  opts: { scope: RequestScope | undefined },
): Promise<ResolvedPrincipal> {
  if (token.startsWith("atr_")) {
    // Malformed or mutated keys stop here: format and CRC32 are checked without any I/O.
    const parsed = services.apiKeys.presented(token);
    if (!parsed) return { principal: null, failure: "API_KEY_INVALID" };
    const r = await services.apiKeys.authenticate(parsed, opts);
    return r.ok ? { principal: null, apiKey: r.principal, failure: null } : { principal: null, failure: r.reason };
  }
  if (token.length > 4096) return { principal: null, failure: "TOKEN_INVALID" };
  const verified = await services.tokens.verify(token);
  if (!verified.ok) return { principal: null, failure: verified.reason };
  const { userId, sessionId } = verified.claims;
  const session = await sessionOf(services, sessionId, userId, opts.scope);
  if (!session) return { principal: null, failure: "SESSION_REVOKED" };
  const stepUpVerifiedAt = session.stepUpVerifiedAt === null ? null : new Date(session.stepUpVerifiedAt);
  return {
    principal: {
      kind: "user",
      userId,
      sessionId,
      globalRole: session.globalRole,
      email: session.email,
      stepUpVerifiedAt,
    },
    failure: null,
  };
}
