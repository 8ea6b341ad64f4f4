import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../audit/audit.ts";
import type { AccessLoader } from "../authz/access.ts";
import type { Services } from "../../services.ts";

export type AuthFailure = "TOKEN_EXPIRED" | "TOKEN_INVALID" | "SESSION_REVOKED" | "CSRF_TOKEN_INVALID";

export interface UserPrincipal {
  kind: "user";
  userId: string;
  sessionId: string;
  /** Read with the session on every request: a demotion applies on the next request. */
  globalRole: "ADMIN" | "USER";
  email: string;
}

export interface RequestContext {
  requestId: string;
  request: FastifyRequest;
  reply: FastifyReply;
  principal: UserPrincipal | null;
  /** Why a presented credential was refused (the request then runs anonymously). */
  authFailure: AuthFailure | null;
  actor: Actor;
  services: Services;
  /** Present when signed in. */
  access: AccessLoader | null;
}
