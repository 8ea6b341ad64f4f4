// The GraphQL gate (`@Can`, platform/authz/guards.ts) for a REST route of a workspace: the same
// caller (`Authorization: Bearer` access token or API key, or the web app's cookie with its CSRF
// header: principal.ts), the same membership and ability (AccessLoader: idle timeout, step-up),
// and the same answers — no or a refused credential 401, a non-member, an unknown or a malformed
// workspace id 404 (counted as a probe, never FORBIDDEN), a member (or key) whose ability does not
// allow the action 403 (recorded in the denial log). Errors are thrown as AppErrors: the one HTTP
// error handler (platform/http/rest-errors.ts) answers them as typed JSON.
import type { FastifyRequest } from "fastify";

import type { Action, Subject } from "@atrium/policies";

import type { Actor } from "./platform/audit/audit.ts";
import { AccessLoader, ApiKeyAccess, type WorkspaceAccess } from "./platform/authz/access.ts";
import { AppError, ErrorCode, forbidden, notFound, unauthenticated } from "./platform/errors.ts";
import { actorOf, requestScope } from "./platform/http/rest-errors.ts";
import { noteWorkspace } from "./platform/observability/request-log.ts";
import { keyInScope, resolvePrincipal } from "./principal.ts";
import type { Services } from "./services.ts";

export interface RestWorkspaceAccess {
  access: WorkspaceAccess;
  actor: Actor;
}

/**
 * The caller's access to `workspaceId` when its ability allows `action` on `subject` (the
 * type-level check, as `@Can`: row conditions stay the service's). `operation` names the route in
 * the denial log ("GET /api/workspaces/:workspaceId/contacts/export").
 */
export async function restWorkspaceAccess(
  req: FastifyRequest,
  services: Services,
  workspaceId: string,
  required: { action: Action; subject: Exclude<Subject, "all">; operation: string },
): Promise<RestWorkspaceAccess> {
  const scope = requestScope(req);
  noteWorkspace(req, workspaceId);
  // A rate-limited key or an unavailable database throws here: typed 429 / 503 answers.
  const resolved = await resolvePrincipal(req, services, { scope });
  const { principal } = resolved;
  const apiKey = resolved.apiKey ? keyInScope(resolved.apiKey, scope) : null;
  if (!principal && !apiKey) throw unauthenticated(resolved.failure ?? "SIGN_IN_REQUIRED");
  const actor = actorOf(req, { userId: principal?.userId, apiKeyId: apiKey?.keyId });
  const source = principal
    ? new AccessLoader(services.db, principal.userId, scope, {
        sessionId: principal.sessionId,
        stepUpVerifiedAt: principal.stepUpVerifiedAt,
        stepUpEnabled: services.config.stepUpEnabled,
        end: (reason) =>
          services.identity.endSession(principal.sessionId, reason, {
            userId: principal.userId,
            ip: req.ip,
            userAgent: null,
            requestId: req.id,
          }),
      })
    : new ApiKeyAccess(apiKey!.access, apiKey!.workspaceSlug);
  // Malformed ids read as absent (AccessLoader checks the UUID form before any I/O).
  const access = await source.forWorkspace(workspaceId);
  if (!access) {
    await services.accessExplainer.countProbe(actor.ip);
    throw notFound("Workspace");
  }
  await requireAbility(services, access, actor, required);
  return { access, actor };
}

/** The type-level check (as `@Can`): a refusal is 403 FORBIDDEN, recorded in the denial log. */
async function requireAbility(
  services: Services,
  access: WorkspaceAccess,
  actor: Actor,
  required: { action: Action; subject: Exclude<Subject, "all">; operation: string },
  message?: string,
): Promise<void> {
  if (access.ability.can(required.action, required.subject)) return;
  const err = forbidden(message);
  await services.accessExplainer.recordDenial(access, actor, {
    operation: required.operation,
    required: `${required.action}:${required.subject}`,
    message: err.message,
  });
  throw err;
}

/**
 * The public REST API's gate (`/api/v1`, decision 0046): `@ApiKeyCan` / `@Can` for an API key in
 * its own workspace, the one its routes act on. No key, or a refused one: 401; a signed-in user's
 * token: 403 (the public API takes keys only, as `@ApiKeyCan` answers). The key's rate limit is
 * applied as it is resolved (429), as for GraphQL. A key whose scopes do not allow every one of
 * `required` gets 403, recorded in the denial log; a refusal the service makes on the concrete row
 * is recorded by `recordingDenials`.
 */
export async function restApiKeyAccess(
  req: FastifyRequest,
  services: Services,
  required: readonly { action: Action; subject: Exclude<Subject, "all"> }[],
  operation: string,
): Promise<RestWorkspaceAccess & { apiKeyId: string }> {
  const scope = requestScope(req);
  const resolved = await resolvePrincipal(req, services, { scope });
  if (!resolved.apiKey) {
    if (resolved.principal) throw forbidden("This operation takes an API key (Authorization: Bearer atr_…).");
    throw unauthenticated(resolved.failure ?? "API_KEY_REQUIRED", "Send an API key: Authorization: Bearer atr_…");
  }
  const key = keyInScope(resolved.apiKey, scope);
  noteWorkspace(req, key.workspaceId);
  const actor = actorOf(req, { apiKeyId: key.keyId });
  for (const r of required)
    await requireAbility(services, key.access, actor, { ...r, operation }, "This API key's scopes do not allow this.");
  return { access: key.access, actor, apiKeyId: key.keyId };
}

/** Runs a route's service call, recording a FORBIDDEN it ends with (a row-level refusal) in the denial log, as GraphQL's guards do. */
export async function recordingDenials<T>(
  services: Services,
  gate: RestWorkspaceAccess,
  operation: string,
  required: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.FORBIDDEN)
      await services.accessExplainer.recordDenial(gate.access, gate.actor, {
        operation,
        required,
        message: err.message,
      });
    throw err;
  }
}
