// GraphQL subscriptions over WebSocket (issue 46, decision 0031): the graphql-ws protocol on
// GET /graphql, served by @fastify/websocket with graphql-ws's own Fastify adapter, on the same
// schema as queries. Who may connect, and the limits:
//   - the web app's session cookie, from a page of PUBLIC_URL's origin only (Origin checked:
//     cross-site WebSocket hijacking is refused) and with the CSRF token in connectionParams;
//   - or connectionParams.authorization: "Bearer <access token | API key>".
// Close codes (the reason names the cause):
//   4400 malformed frame or message (graphql-ws), 4401 UNAUTHENTICATED (reason: SESSION_REVOKED,
//   SIGN_IN_REQUIRED, TOKEN_INVALID, …: final), 4419 TOKEN_EXPIRED (the access token expired,
//   before or during the connection: the client refreshes and reconnects), 4403 ORIGIN_NOT_ALLOWED,
//   4408 connection_init not sent in time, 4429 TOO_MANY_CONNECTIONS (per user / per API key,
//   per IP), 1009 a message over the size limit (ws), 1013 SERVICE_UNAVAILABLE (the database is
//   away or busy: reconnect with back-off), 1011 an unexpected failure (logged).
// A subscription over the per-connection limit, a query or mutation over the socket, or a
// document a persisted-only key may not run is refused with a typed `error` message.
// A client that sends connectionParams.announceStart: true gets, as each subscription's first
// `next`, `{"extensions":{"subscriptionStarted":true}}` (no data) once the subscription listens:
// every change committed from then on reaches it, so a page that read its data earlier reads it
// again then and misses nothing in between (decision 0044, "the gap before the socket is up").
import fastifyWebsocket from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import type { Context as WsContext } from "graphql-ws";
import { makeHandler } from "graphql-ws/use/@fastify/websocket";
import { decodeJwt } from "jose";
import type WebSocket from "ws";

import type { AppConfig } from "../../env.ts";
import { keyInScope, resolveToken, type ResolvedPrincipal } from "../../principal.ts";
import type { Services } from "../../services.ts";
import { AccessLoader, ApiKeyAccess, type WorkspaceAccessSource } from "../authz/access.ts";
import { constantTimeEqual } from "../crypto/digest.ts";
import { AppError, databaseUnavailable, ErrorCode, unauthenticated, type ErrorReason } from "../errors.ts";
import type { RequestContext } from "../graphql/context.ts";
import type { TrustedDocuments } from "../graphql/trusted-documents.ts";
import { ACCESS_COOKIE, CSRF_COOKIE } from "../http/cookies.ts";
import type { LiveCaller } from "./live.ts";

export const LIVE_LIMITS = {
  /** Active subscriptions on one connection. */
  subscriptionsPerConnection: 25,
  /** Open connections of one user or one API key (on this instance). */
  connectionsPerPrincipal: 20,
  /** The largest message a client may send (bytes); ws closes with 1009 past it. */
  maxMessageBytes: 64 * 1024,
  /** connection_init must arrive within this (ms). */
  initTimeoutMs: 5_000,
} as const;

/**
 * 4419 for an access token that expired: graphql-ws clients treat 4401 as final (no retry), while
 * an expired token is the normal life of a session — the client refreshes and reconnects.
 */
export const CLOSE = {
  unauthenticated: 4401,
  forbidden: 4403,
  tokenExpired: 4419,
  tooMany: 4429,
  tryAgain: 1013,
  internal: 1011,
} as const;

type LiveExtra = {
  socket: WebSocket;
  request: FastifyRequest;
  /** Set by onConnect once the caller is known. */
  state?: ConnectionState;
};
/** What onConnect learnt, kept on the graphql-ws context for every operation of the connection. */
interface ConnectionState {
  caller: LiveCaller;
  principalKey: string;
  resolved: ResolvedPrincipal;
  token: string;
  expiry: NodeJS.Timeout | null;
  /** The client asked for a `subscriptionStarted` marker before each subscription's events. */
  announceStart: boolean;
}
type Ctx = WsContext<Record<string, unknown> | undefined, LiveExtra>;

/** `reason`: a documented error reason (docs/api/errors.md), or the error code when there is none. */
function closeWith(socket: WebSocket, code: number, reason: ErrorReason | ErrorCode): void {
  try {
    socket.close(code, reason);
  } catch {
    socket.terminate();
  }
}

/** The page's origin must be PUBLIC_URL's for a cookie to count (cross-site WebSocket hijacking). */
function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== "string") return false;
  try {
    return new URL(origin).origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

const bearer = (v: unknown): string | null => {
  if (typeof v !== "string") return null;
  const m = /^Bearer\s+(\S+)$/i.exec(v.trim());
  return m ? m[1]! : null;
};

export interface LiveTransportDeps {
  config: AppConfig;
  services: Services;
  schema: GraphQLSchema;
  validationRules: readonly ValidationRule[];
  trusted: TrustedDocuments;
  format: (err: GraphQLError) => GraphQLFormattedError;
}

export async function registerLiveTransport(
  app: FastifyInstance,
  deps: LiveTransportDeps,
): Promise<{ handler: (socket: WebSocket, request: FastifyRequest) => void }> {
  const { config, services, schema, trusted } = deps;
  await app.register(fastifyWebsocket, { options: { maxPayload: LIVE_LIMITS.maxMessageBytes } });
  const rules = [...specifiedRules, ...deps.validationRules];
  const perIp = new Map<string, number>();
  const perPrincipal = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, by: number) => {
    const n = (m.get(k) ?? 0) + by;
    if (n <= 0) m.delete(k);
    else m.set(k, n);
    return n;
  };

  /** A fresh view of the caller's power: nothing cached, the session or key read again. */
  async function accessFor(
    token: string,
    recheck: boolean,
  ): Promise<{ resolved: ResolvedPrincipal; access: WorkspaceAccessSource }> {
    const resolved = await resolveToken(token, services, { scope: undefined });
    // A key's connection counts once in its window, when it opens (not at each re-check).
    if (resolved.apiKey && !recheck) await services.apiKeys.countRequest(resolved.apiKey.keyId);
    const { principal } = resolved;
    if (principal) {
      const access = new AccessLoader(services.db, principal.userId, undefined, {
        sessionId: principal.sessionId,
        stepUpVerifiedAt: principal.stepUpVerifiedAt,
        stepUpEnabled: config.stepUpEnabled,
        end: async (reason) => {
          await services.identity.endSession(principal.sessionId, reason, {
            userId: principal.userId,
            ip: null,
            userAgent: null,
            requestId: "live",
          });
        },
      });
      return { resolved, access };
    }
    if (resolved.apiKey) {
      const key = keyInScope(resolved.apiKey, undefined);
      return { resolved, access: new ApiKeyAccess(key.access, key.workspaceSlug) };
    }
    throw unauthenticated(resolved.failure ?? "SIGN_IN_REQUIRED");
  }

  // graphql-js's refusals of the request itself (a variable of the wrong type, …) carry no code
  // and no path here, where Apollo does not add one: the client's mistake, not a server error.
  const asRequestError = (e: GraphQLError): GraphQLError =>
    !e.path && e.extensions.code === undefined && !(e.originalError instanceof AppError)
      ? new GraphQLError(e.message, {
          nodes: e.nodes,
          source: e.source,
          positions: e.positions,
          extensions: { code: ErrorCode.BAD_USER_INPUT, reason: "GRAPHQL_VALIDATION_FAILED" satisfies ErrorReason },
        })
      : e;
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => deps.format(asRequestError(e)));
  const refuse = (message: string, code: ErrorCode, reason: ErrorReason) => [
    new GraphQLError(message, { extensions: { code, reason } }),
  ];

  // The contexts of subscriptions whose connection asked for the start marker.
  const announcing = new WeakSet<object>();

  const handler = makeHandler<Record<string, unknown> | undefined, LiveExtra>(
    {
      schema,
      // graphql-js resolves `subscribe` once the source stream exists: the subscription is
      // registered with the hub (liveSource), so the marker is sent only when it listens.
      subscribe: async (args: ExecutionArgs) => {
        const result = await subscribe(args);
        if (!(Symbol.asyncIterator in result) || !announcing.has(args.contextValue as object)) return result;
        return startedFirst(result);
      },
      connectionInitWaitTimeout: LIVE_LIMITS.initTimeoutMs,
      onConnect: async (ctx: Ctx) => {
        const { socket, request } = ctx.extra;
        const params = ctx.connectionParams ?? {};
        let token = bearer(params.authorization);
        if (!token && params.authorization !== undefined) {
          closeWith(socket, CLOSE.unauthenticated, "TOKEN_INVALID");
          return false;
        }
        if (!token) {
          // The web app: its cookie counts only from its own origin, with the CSRF token.
          const cookie = request.cookies[ACCESS_COOKIE];
          if (!cookie) {
            closeWith(socket, CLOSE.unauthenticated, "SIGN_IN_REQUIRED");
            return false;
          }
          if (!sameOrigin(request, config.publicUrl)) {
            closeWith(socket, CLOSE.forbidden, "ORIGIN_NOT_ALLOWED");
            return false;
          }
          const csrf = request.cookies[CSRF_COOKIE];
          if (!csrf || typeof params.csrfToken !== "string" || !constantTimeEqual(params.csrfToken, csrf)) {
            closeWith(socket, CLOSE.unauthenticated, "CSRF_TOKEN_INVALID");
            return false;
          }
          token = cookie;
        }
        let first;
        try {
          first = await accessFor(token, false);
        } catch (err) {
          const known = err instanceof AppError ? err : databaseUnavailable(err);
          if (!known) {
            app.log.error({ err }, "live connection: authentication failed unexpectedly");
            closeWith(socket, CLOSE.internal, "INTERNAL_SERVER_ERROR");
            return false;
          }
          const reason = typeof known.extensions.reason === "string" ? known.extensions.reason : known.code;
          // The database away or busy: 1013 Try Again Later (clients retry with back-off).
          const code =
            reason === "TOKEN_EXPIRED"
              ? CLOSE.tokenExpired
              : known.code === ErrorCode.UNAUTHENTICATED
                ? CLOSE.unauthenticated
                : known.code === ErrorCode.RATE_LIMITED
                  ? CLOSE.tooMany
                  : known.code === ErrorCode.SERVICE_UNAVAILABLE
                    ? CLOSE.tryAgain
                    : CLOSE.internal;
          closeWith(socket, code, reason);
          return false;
        }
        const { resolved } = first;
        const principalKey = resolved.principal ? `user:${resolved.principal.userId}` : `key:${resolved.apiKey!.keyId}`;
        if (bump(perPrincipal, principalKey, 1) > LIVE_LIMITS.connectionsPerPrincipal) {
          bump(perPrincipal, principalKey, -1);
          closeWith(socket, CLOSE.tooMany, "TOO_MANY_CONNECTIONS");
          return false;
        }
        const tokenForChecks = token;
        const caller: LiveCaller = {
          sessionId: resolved.principal?.sessionId ?? null,
          userId: resolved.principal?.userId ?? null,
          reauthenticate: async () => (await accessFor(tokenForChecks, true)).access,
        };
        const state: ConnectionState = {
          caller,
          principalKey,
          resolved,
          token,
          expiry: null,
          announceStart: params.announceStart === true,
        };
        // An access token ends the connection when it expires: 4419 TOKEN_EXPIRED, the client refreshes and reconnects.
        if (resolved.principal) {
          const exp = services.tokens.expiryOf(token) ?? decodeJwt(token).exp ?? null;
          if (exp !== null) {
            const ms = Math.max(0, exp * 1000 - Date.now());
            state.expiry = setTimeout(
              () => closeWith(socket, CLOSE.tokenExpired, "TOKEN_EXPIRED"),
              Math.min(ms, 2 ** 31 - 1),
            );
            state.expiry.unref();
          }
        }
        ctx.extra.state = state;
        socket.once("close", () => {
          if (state.expiry) clearTimeout(state.expiry);
          bump(perPrincipal, principalKey, -1);
        });
        return true;
      },
      onSubscribe: (ctx: Ctx, _id, payload) => {
        const state = ctx.extra.state;
        if (!state) return refuse("Sign in to continue.", ErrorCode.UNAUTHENTICATED, "SIGN_IN_REQUIRED");
        if (Object.keys(ctx.subscriptions).length > LIVE_LIMITS.subscriptionsPerConnection) {
          return refuse(
            `At most ${LIVE_LIMITS.subscriptionsPerConnection} subscriptions per connection: complete one first.`,
            ErrorCode.BAD_USER_INPUT,
            "TOO_MANY_SUBSCRIPTIONS",
          );
        }
        if (state.resolved.apiKey?.persistedOnly && !trusted.admits(payload)) {
          return refuse(
            "This API key may run persisted operations only.",
            ErrorCode.PERSISTED_QUERY_NOT_FOUND,
            "PERSISTED_ONLY",
          );
        }
        // Parsed and validated here, before anything runs: only a subscription may (queries and
        // mutations have their deadline, rate limits and principal checks on the HTTP path).
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.graphqlLimits.maxTokens });
        } catch (err) {
          return refuse(
            err instanceof GraphQLError ? err.message : "The document cannot be parsed.",
            ErrorCode.BAD_USER_INPUT,
            "GRAPHQL_PARSE_FAILED",
          );
        }
        // Uncoded validation errors become BAD_USER_INPUT / GRAPHQL_VALIDATION_FAILED in `format` (onError).
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) return invalid;
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (!operation)
          return refuse(
            "Name the operation to run in operationName.",
            ErrorCode.BAD_USER_INPUT,
            "OPERATION_NAME_REQUIRED",
          );
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return refuse(
            "Only subscriptions run over WebSocket; send queries and mutations over HTTP.",
            ErrorCode.BAD_USER_INPUT,
            "SUBSCRIPTIONS_ONLY",
          );
        }
        return {
          schema,
          document,
          operationName: payload.operationName ?? undefined,
          variableValues: payload.variables ?? undefined,
        };
      },
      context: async (ctx: Ctx): Promise<RequestContext> => {
        const state = ctx.extra.state!;
        const { request } = ctx.extra;
        // Each subscription starts from a fresh view of the caller (a session signed out since the
        // connection opened, a key revoked: UNAUTHENTICATED for this subscription).
        const { resolved, access } = await accessFor(state.token, true).catch((err: unknown) => {
          if (err instanceof AppError) return { resolved: state.resolved, access: failingAccess(err) };
          // The database is away: this subscription is refused SERVICE_UNAVAILABLE (retry), not the connection.
          const unavailable = databaseUnavailable(err);
          if (unavailable) return { resolved: state.resolved, access: failingAccess(unavailable) };
          throw err;
        });
        const ua = request.headers["user-agent"];
        const context: RequestContext = {
          requestId: request.id,
          request,
          reply: undefined as never,
          principal: resolved.principal,
          apiKey: resolved.apiKey ?? null,
          authFailure: null,
          services,
          scope: undefined as never,
          access,
          live: state.caller,
          actor: {
            userId: resolved.principal?.userId ?? null,
            apiKeyId: resolved.apiKey?.keyId ?? null,
            ip: request.ip ?? null,
            userAgent: typeof ua === "string" ? ua : null,
            requestId: request.id,
          },
        };
        if (state.announceStart) announcing.add(context);
        return context;
      },
      onNext: (_ctx, _id, _payload, _args, result): FormattedExecutionResult | void => {
        if (!result.errors?.length) return;
        return { ...result, errors: format(result.errors) };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    // Keep-alive ping every 12 s; a peer that does not answer within 12 s more is dropped.
    12_000,
  );

  return {
    handler(socket, request) {
      const ip = request.ip ?? "unknown";
      if (bump(perIp, ip, 1) > config.liveConnectionsPerIp) {
        bump(perIp, ip, -1);
        closeWith(socket, CLOSE.tooMany, "TOO_MANY_CONNECTIONS");
        return;
      }
      socket.once("close", () => bump(perIp, ip, -1));
      void handler.call(app, socket, request);
    },
  };
}

/** The first `next` of a subscription whose client asked for it: it listens now. */
export const SUBSCRIPTION_STARTED: ExecutionResult = Object.freeze({
  extensions: Object.freeze({ subscriptionStarted: true }),
});

/** `events` with the start marker before them; completing it (`return`) completes `events`. */
export function startedFirst(
  events: AsyncGenerator<ExecutionResult> | AsyncIterableIterator<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  let announced = false;
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next() {
      if (announced) return events.next();
      announced = true;
      return Promise.resolve({ value: SUBSCRIPTION_STARTED, done: false });
    },
    return(value?: unknown) {
      return events.return?.(value) ?? Promise.resolve({ value: undefined, done: true });
    },
    throw(err?: unknown) {
      return events.throw?.(err) ?? Promise.reject(err instanceof Error ? err : new Error(String(err)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** An access source that answers every workspace with the error that ended the caller's session or key. */
function failingAccess(err: AppError): WorkspaceAccessSource {
  return {
    forWorkspace: () => Promise.reject(err),
    forSlug: () => Promise.reject(err),
  };
}
