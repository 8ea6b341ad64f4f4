import type { FastifyReply, FastifyRequest } from "fastify";

import type { MembershipRole } from "@atrium/policies";

import type { Services } from "../../services.ts";
import type { Actor } from "../audit/audit.ts";
import type { WorkspaceAccess, WorkspaceAccessSource } from "../authz/access.ts";
import type { LiveCaller } from "../live/live.ts";
import type { GraphQLRunScope } from "./handler.ts";

export type AuthFailure =
  | "TOKEN_EXPIRED"
  | "TOKEN_INVALID"
  | "SESSION_REVOKED"
  | "CSRF_TOKEN_INVALID"
  | "API_KEY_INVALID"
  | "API_KEY_REVOKED"
  | "API_KEY_EXPIRED"
  | "API_KEY_CREATOR_GONE";

/** An API key (machine principal), bound to one workspace (modules/api-keys authenticates it). */
export interface ApiKeyPrincipal {
  kind: "apiKey";
  keyId: string;
  workspaceId: string;
  workspaceSlug: string;
  persistedOnly: boolean;
  access: WorkspaceAccess;
  /** What explainAccess needs to say why: the key's scopes and its creator's current assignment. */
  explain: { scopes: string[]; creatorRole: MembershipRole; creatorPolicies: string[] };
}

export interface UserPrincipal {
  kind: "user";
  userId: string;
  sessionId: string;
  /** Read with the session, verified by every request: a demotion applies on the next request. */
  globalRole: "ADMIN" | "USER";
  email: string;
  /** When this session last passed a second factor (S7 step-up), or null. */
  stepUpVerifiedAt: Date | null;
}

export interface RequestContext {
  requestId: string;
  request: FastifyRequest;
  reply: FastifyReply;
  /** A signed-in user (session token or cookie). */
  principal: UserPrincipal | null;
  /** An API key (bound to one workspace); exclusive with `principal`. */
  apiKey: ApiKeyPrincipal | null;
  /** Why a presented credential was refused (the request then runs anonymously). */
  authFailure: AuthFailure | null;
  actor: Actor;
  services: Services;
  /** Present for a user or an API key. */
  access: WorkspaceAccessSource | null;
  /** This run of the request: its deadline and principals, for every unit of work it runs (TenantContext.scope). */
  scope: GraphQLRunScope;
  /** Set for an operation that came over WebSocket (a subscription): who the connection is, and how to ask again. */
  live?: LiveCaller;
}
