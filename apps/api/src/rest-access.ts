// The GraphQL gate (`@Can`, platform/authz/guards.ts) for a REST route of a workspace: the same
// caller (`Authorization: Bearer` access token or API key, or the web app's cookie with its CSRF
// header: principal.ts), the same membership and ability (AccessLoader: idle timeout, step-up),
// and the same answers — no or a refused credential 401, a non-member, an unknown or a malformed
// workspace id 404 (counted as a probe, never FORBIDDEN), a member (or key) whose ability does not
// allow the action 403 (recorded in the denial log). Errors are thrown as AppErrors: the one HTTP
// error handler (platform/http/rest-errors.ts) answers them as typed JSON.
import type { Action, Subject } from "@atrium/policies";
import type { FastifyRequest } from "fastify";
import type { Services } from "./services.ts";
import { AccessLoader, ApiKeyAccess, type WorkspaceAccess } from "./platform/authz/access.ts";
import type { Actor } from "./platform/audit/audit.ts";
import { forbidden, notFound, unauthenticated } from "./platform/errors.ts";
import { requestScope } from "./platform/http/rest-errors.ts";
import { keyInScope, resolvePrincipal } from "./principal.ts";
import { noteWorkspace } from "./platform/observability/request-log.ts";

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
  const ua = req.headers["user-agent"];
  const actor: Actor = { userId: principal?.userId ?? null, apiKeyId: apiKey?.keyId ?? null, ip: req.ip ?? null, userAgent: typeof ua === "string" ? ua : null, requestId: req.id };
  const source = principal
    ? new AccessLoader(services.db, principal.userId, scope, {
        sessionId: principal.sessionId,
        stepUpVerifiedAt: principal.stepUpVerifiedAt,
        stepUpEnabled: services.config.stepUpEnabled,
        end: (reason) => services.identity.endSession(principal.sessionId, reason, { userId: principal.userId, ip: req.ip, userAgent: null, requestId: req.id }),
      })
    : new ApiKeyAccess(apiKey!.access, apiKey!.workspaceSlug);
  // Malformed ids read as absent (AccessLoader checks the UUID form before any I/O).
  const access = await source.forWorkspace(workspaceId);
  if (!access) {
    await services.accessExplainer.countProbe(actor.ip);
    throw notFound("Workspace");
  }
  if (!access.ability.can(required.action, required.subject)) {
    const err = forbidden();
    await services.accessExplainer.recordDenial(access, actor, { operation: required.operation, required: `${required.action}:${required.subject}`, message: err.message });
    throw err;
  }
  return { access, actor };
}
