// One error path for every HTTP route (forms, dev mailbox, health, the webhooks to come) and for
// everything Fastify refuses before a route runs (bad JSON, wrong content type, body too large,
// malformed URL, oversized headers). Every refusal is typed JSON with a Contract code and the
// request id; nothing internal (stack, SQL, ORM text, file paths) ever reaches the body.
//
// REST shape (kept from the public form's contract):  {error: CODE, message, requestId, fields?, retryAfterSeconds?}
// /api/v1 (the public API, decision 0046):           RFC 9457 problem details {type, title, status, detail, code, requestId, …}
// /graphql shape (what GraphQL clients parse):       {errors: [{message, extensions: {code, requestId, …}}]}
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { RequestDeadline, witnessScope, type RequestScope, type TraceParent } from "@atrium/db";

import type { Actor } from "../audit/audit.ts";
import {
  AppError,
  badInput,
  databaseUnavailable,
  deadlineExceededError,
  ErrorCode,
  httpStatusFor,
  lostRace,
  type ErrorReason,
} from "../errors.ts";
import { countError } from "../observability/metrics.ts";
import { requestLog } from "../observability/request-log.ts";
import { collectTextProblems } from "../text-input.ts";

/**
 * The client-controlled fields a route reads, declared in its options (`config: { input }`). The
 * fuzz test (rest-fuzz.int.test.ts) probes every declared field of every registered route and
 * fails for a route that declares nothing, so a new route (e.g. a webhook) is covered the day it
 * is added.
 */
export interface RouteInput {
  params?: readonly string[];
  query?: readonly string[];
  body?: readonly string[];
}
declare module "fastify" {
  interface FastifyContextConfig {
    input?: RouteInput;
    /** This route's deadline in ms (default REQUEST_DEADLINE_MS). */
    deadlineMs?: number;
  }
}
export interface RouteEntry {
  method: string;
  url: string;
  input: RouteInput | undefined;
}
const catalogs = new WeakMap<FastifyInstance, RouteEntry[]>();
/** Every route registered after registerHttpErrorHandling, with its declared input. */
export const routeCatalog = (app: FastifyInstance): readonly RouteEntry[] => catalogs.get(app) ?? [];

/** Extensions of an AppError that are safe and useful in a REST body. */
const SAFE_EXTRAS = ["fields", "retryAfterSeconds", "reason"] as const;

/** Fastify's own 4xx refusals, in words for the client (never Fastify's or a parser's text), and their documented reason. */
const FASTIFY_CLIENT_ERRORS: Record<string, { message: string; reason: ErrorReason }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { message: "The request body is not valid JSON.", reason: "CTP_INVALID_JSON_BODY" },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    message: "The request body is empty; send JSON or leave out the content type.",
    reason: "CTP_EMPTY_JSON_BODY",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { message: "The request body is too large.", reason: "CTP_BODY_TOO_LARGE" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    message: "This content type is not accepted here.",
    reason: "CTP_INVALID_MEDIA_TYPE",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    message: "The request's Content-Length does not match its body.",
    reason: "CTP_INVALID_CONTENT_LENGTH",
  },
  FST_ERR_CTP_INVALID_TYPE: { message: "The request's content type is malformed.", reason: "CTP_INVALID_TYPE" },
  FST_ERR_CTP_EMPTY_TYPE: { message: "The request's content type is empty.", reason: "CTP_EMPTY_TYPE" },
  FST_ERR_BAD_URL: { message: "The request URL is malformed.", reason: "BAD_URL" },
  FST_ERR_ASYNC_CONSTRAINT: { message: "The request could not be routed.", reason: "ASYNC_CONSTRAINT" },
};

export interface HttpFailure {
  status: number;
  code: ErrorCode;
  message: string;
  extras: Record<string, unknown>;
}

function classify(err: unknown): HttpFailure | null {
  const known = err instanceof AppError ? err : (lostRace(err) ?? databaseUnavailable(err));
  if (known) {
    const extras = Object.fromEntries(
      SAFE_EXTRAS.filter((k) => known.extensions[k] !== undefined).map((k) => [k, known.extensions[k]]),
    );
    return { status: httpStatusFor(known.code), code: known.code, message: known.message, extras };
  }
  const fe = err as Partial<FastifyError> | undefined;
  // Fastify schema validation (routes that declare one).
  if (fe?.validation) {
    const fields: Record<string, string> = {};
    for (const v of fe.validation) {
      const key = `${fe.validationContext ?? "body"}${v.instancePath.replace(/\//g, ".")}`;
      fields[key] ??= v.message ?? "Invalid.";
    }
    return { status: 400, code: ErrorCode.BAD_USER_INPUT, message: "Some fields need attention.", extras: { fields } };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 404 ? ErrorCode.NOT_FOUND : status === 429 ? ErrorCode.RATE_LIMITED : ErrorCode.BAD_USER_INPUT;
    const known = fe?.code ? FASTIFY_CLIENT_ERRORS[fe.code] : undefined;
    // Another 4xx (a plugin's own code): no reason, as its reason would be undocumented.
    return {
      status,
      code,
      message: known?.message ?? "The request could not be processed.",
      extras: known ? { reason: known.reason } : {},
    };
  }
  return null;
}

export function sendHttpError(request: FastifyRequest, reply: FastifyReply, f: HttpFailure): FastifyReply {
  if (typeof f.extras.retryAfterSeconds === "number")
    void reply.header("retry-after", String(f.extras.retryAfterSeconds));
  void reply.code(f.status).type("application/json; charset=utf-8");
  const graphql = request.url.startsWith("/graphql");
  countError(graphql ? "graphql" : "rest", f.code);
  if (graphql) {
    return reply.send({
      errors: [{ message: f.message, extensions: { ...f.extras, code: f.code, requestId: request.id } }],
    });
  }
  if (request.url.startsWith(PROBLEM_DETAILS_PREFIX)) {
    if (f.status === 401) void reply.header("www-authenticate", 'Bearer realm="atrium"');
    return reply.type("application/problem+json; charset=utf-8").send(problemDetails(f, request.id));
  }
  return reply.send({ error: f.code, message: f.message, requestId: request.id, ...f.extras });
}

/** The public REST API (decision 0046): its refusals, and every refusal under its prefix, are RFC 9457 problem details. */
export const PROBLEM_DETAILS_PREFIX = "/api/v1/";

/** A problem's `title`: fixed per code (RFC 9457 §3.1.3), the HTTP reason phrase for a code without its own. */
const PROBLEM_TITLES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.BAD_USER_INPUT]: "Invalid input",
  [ErrorCode.UNAUTHENTICATED]: "Not authenticated",
  [ErrorCode.FORBIDDEN]: "Forbidden",
  [ErrorCode.NOT_FOUND]: "Not found",
  [ErrorCode.CONFLICT]: "Conflict",
  [ErrorCode.RATE_LIMITED]: "Too many requests",
  [ErrorCode.SERVICE_UNAVAILABLE]: "Service unavailable",
  [ErrorCode.INTERNAL_SERVER_ERROR]: "Internal server error",
};

/** The URI naming a problem type: one per Contract code, the same code GraphQL's `extensions.code` carries. */
export const problemType = (code: string): string => `urn:atrium:problem:${code}`;

/**
 * RFC 9457 problem details: `type`, `title`, `status`, `detail` (the message GraphQL would give),
 * and the extension members `code` (GraphQL's `extensions.code`), `requestId`, and where GraphQL
 * has them `reason`, `fields` and `retryAfterSeconds`.
 */
export function problemDetails(f: HttpFailure, requestId: string): Record<string, unknown> {
  return {
    type: problemType(f.code),
    title: PROBLEM_TITLES[f.code] ?? STATUS_CODES[f.status] ?? "Error",
    status: f.status,
    detail: f.message,
    code: f.code,
    requestId,
    ...f.extras,
  };
}

/** Fastify's `frameworkErrors`: the router's own refusals (malformed URL encoding) take the same path. */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendHttpError(
    request,
    reply,
    classify(err) ?? {
      status: 400,
      code: ErrorCode.BAD_USER_INPUT,
      message: "The request could not be processed.",
      extras: {},
    },
  );
}

const ALLOWED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plain token (it lands in logs and audit rows), else a fresh UUID. */
export function requestIdFor(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && ALLOWED_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers or URL too large,
 * malformed request line). Fastify's `clientErrorHandler`: answer those with the same typed JSON.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, label, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request's URL or headers are too large."]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request took too long to arrive."]
        : [400, "Bad Request", "The request is malformed."];
  const body = JSON.stringify({ error: ErrorCode.BAD_USER_INPUT, message, requestId: randomUUID() });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${label}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * Each request's scope and, with a deadline, the timer that answers it (cleared on response), kept
 * on the request itself: a request decorator, so the requests of routes have the slot from their
 * construction (one hidden class). Fastify's own refusals (a bad URL, the 404 fallback) build
 * requests without it; they read as NO_SCOPE. Not a WeakMap keyed by the request: V8's scavenges
 * keep the value of a young key alive, and this value reaches its own key (the timer's callback
 * holds the request), so every request's scope, deadline and principals were promoted to the old
 * generation.
 */
const kRequestState = Symbol("atrium.requestState");
interface RequestState {
  scope: RequestScope;
  timer?: NodeJS.Timeout;
}
type WithState = FastifyRequest & { [kRequestState]?: RequestState | null };
const stateOf = (request: FastifyRequest): RequestState | null | undefined => (request as WithState)[kRequestState];
const NO_SCOPE: RequestScope = {};

/**
 * The request's scope (its deadline), which every unit of work the request runs is handed in its
 * TenantContext (`{ workspaceId, scope: requestScope(request) }`); GraphQL makes one per run that
 * adds the run's principals (graphql/handler.ts).
 */
export function requestScope(request: FastifyRequest): RequestScope {
  return stateOf(request)?.scope ?? NO_SCOPE;
}

/** A REST route's request as the caller of its units of work (platform/data.ts). */
export function callerOf(request: FastifyRequest): { readonly scope: RequestScope } {
  return { scope: requestScope(request) };
}

/** Who makes a REST route's changes (no signed-in user unless `userId`), in the route's request. */
export function actorOf(
  request: FastifyRequest,
  who: { userId?: string | null; apiKeyId?: string | null } = {},
): Actor {
  const ua = request.headers["user-agent"];
  return {
    userId: who.userId ?? null,
    apiKeyId: who.apiKeyId ?? null,
    ip: request.ip ?? null,
    userAgent: typeof ua === "string" ? ua : null,
    requestId: request.id,
    scope: requestScope(request),
  };
}

/**
 * Sets the sampled span the request's units of work trace their statements under (tracing,
 * decision 0035): on the request's own scope, which each GraphQL run copies as it starts. Nothing
 * for a request without a scope of its own.
 */
export function setRequestTrace(request: FastifyRequest, trace: TraceParent | undefined): void {
  const state = stateOf(request);
  if (state) state.scope.trace = trace;
}

/**
 * Registers the error handler, the not-found handler (with an optional SPA fallback), the
 * request-id response header and the text rule for every non-GraphQL route. Call it before any
 * route is registered.
 */
export function registerHttpErrorHandling(
  app: FastifyInstance,
  opts: {
    spaFallback?: (req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;
    deadlineMs?: number;
  } = {},
): void {
  const routes: RouteEntry[] = [];
  catalogs.set(app, routes);
  app.decorateRequest(kRequestState, null);
  app.addHook("onRoute", (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url ?? r.path, input: r.config?.input });
  });

  app.addHook("onRequest", (request, reply, done) => {
    void reply.header("x-request-id", request.id);
    // Per-route deadlines: a handler that has not answered by then (a slow query, a lock, a
    // provider that does not answer) gets a typed, retryable 503 with Retry-After instead of
    // holding the request; its database work is cancelled at the same moment (the deadline in the
    // request's scope, `requestScope`).
    const ms = request.routeOptions.config?.deadlineMs ?? opts.deadlineMs;
    // The request log's record counts the request's statements (observability/request-log.ts).
    const statements = requestLog(request);
    if (!ms) {
      const scope: RequestScope = { statements };
      (request as WithState)[kRequestState] = { scope };
      return witnessScope(scope, done);
    }
    const gate = new RequestDeadline(Date.now() + ms);
    const answer = () => {
      if (reply.sent || reply.raw.destroyed) return;
      // Not while a transaction of this request commits (decided when it settles); once it is
      // sent, no transaction of this request commits (the gate in @atrium/db's RequestDeadline).
      if (!gate.expire(answer)) return;
      request.log.warn(
        { deadlineMs: ms, route: request.routeOptions.url ?? null },
        "request deadline passed; answered 503",
      );
      const e = deadlineExceededError();
      void sendHttpError(request, reply, {
        status: 503,
        code: e.code,
        message: e.message,
        extras: { reason: e.extensions.reason, retryAfterSeconds: e.extensions.retryAfterSeconds },
      });
    };
    const timer = setTimeout(answer, ms);
    timer.unref();
    const scope: RequestScope = { deadline: gate, statements };
    (request as WithState)[kRequestState] = { scope, timer };
    witnessScope(scope, done);
  });
  app.addHook("onResponse", (request, _reply, done) => {
    clearTimeout(stateOf(request)?.timer);
    done();
  });

  // The text rule (platform/text-input.ts) for REST: params, query string and body, before the
  // handler. /graphql applies it per argument instead (graphql/request-rules.ts).
  app.addHook("preHandler", (request, _reply, done) => {
    if (request.url.startsWith("/graphql")) return done();
    const fields: Record<string, string> = {};
    collectTextProblems(request.params, "", fields);
    collectTextProblems(request.query, "", fields);
    if (request.body !== undefined) collectTextProblems(request.body, "", fields);
    const first = Object.entries(fields)[0];
    if (first) return done(badInput(`${first[0]}: ${first[1]}`, fields));
    done();
  });

  app.setErrorHandler((err, request, reply) => {
    const failure = classify(err);
    if (failure) return sendHttpError(request, reply, failure);
    request.log.error({ err }, "unhandled HTTP error");
    return sendHttpError(request, reply, {
      status: 500,
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      message: "Internal server error.",
      extras: {},
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const spa = opts.spaFallback?.(request, reply);
    if (spa) return spa;
    return sendHttpError(request, reply, { status: 404, code: ErrorCode.NOT_FOUND, message: "Not found.", extras: {} });
  });
}
