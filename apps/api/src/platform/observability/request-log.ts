// One log line per request (decision 0037), written when the response has gone out: what the
// request was (the GraphQL operation's name and type, or the REST route's template), which
// workspace it was about, who called (user, API key, anonymous), its status, its duration and how
// many SQL statements it ran; at warn level ("slow operation") once it took SLOW_OPERATION_MS or
// more. Each field is put on the request's record where it becomes known (the auth layer, the
// GraphQL plugin below, a REST route that resolves its workspace), so the line costs one object
// per request and nothing per statement.
//
// Never in the line: the URL (a query string can hold a token: /verify-email?token=…; the route
// template is logged instead), headers, cookies, variables, bodies, e-mail addresses, names.
// The workspace id is logged only when it is a UUID: it comes from the caller's arguments.
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Kind, type OperationDefinitionNode } from "graphql";

import type { StatementCounter } from "@atrium/db";

import type { RequestContext } from "../graphql/context.ts";

export type PrincipalKind = "user" | "apiKey" | "anonymous";

/** What one request's log line says; also its statement counter (the request's `RequestScope.statements`). */
export class RequestLogRecord implements StatementCounter {
  statements = 0;
  operation: string | null = null;
  operationType: string | null = null;
  workspaceId: string | null = null;
  principal: PrincipalKind = "anonymous";
}

const kRecord = Symbol("atrium.requestLog");
type WithRecord = FastifyRequest & { [kRecord]?: RequestLogRecord | null };

/** The request's record; undefined for requests Fastify refused before its hooks ran (a malformed URL). */
export function requestLog(request: FastifyRequest | undefined): RequestLogRecord | undefined {
  // A context without an HTTP request (a unit test's, an internal run) has no line to note.
  return request ? ((request as WithRecord)[kRecord] ?? undefined) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workspace a request is about (ignored unless a UUID: the value may come from the caller). */
export function noteWorkspace(request: FastifyRequest | undefined, workspaceId: unknown): void {
  const record = requestLog(request);
  if (record && typeof workspaceId === "string" && UUID.test(workspaceId)) record.workspaceId = workspaceId;
}

/** The workspace a guard (`@Can`, `@ApiKeyCan`) let the request into: authoritative, not the caller's text. */
export function noteGrantedWorkspace(request: FastifyRequest | undefined, workspaceId: string): void {
  const record = requestLog(request);
  if (record) record.workspaceId = workspaceId;
}

/** Who called, as the auth layer resolved it; an API key's workspace is the request's unless an argument names one. */
export function notePrincipal(request: FastifyRequest, kind: PrincipalKind, workspaceId?: string): void {
  const record = requestLog(request);
  if (!record) return;
  record.principal = kind;
  if (workspaceId !== undefined && record.workspaceId === null) noteWorkspace(request, workspaceId);
}

/** The levels at which the info line is written (pino's names). */
const INFO_ENABLED = new Set(["trace", "debug", "info"]);

/**
 * Registers the record (created in the first onRequest hook, so the HTTP layer hands it to the
 * request's scope as its statement counter: call before registerHttpErrorHandling) and the line.
 */
export function registerRequestLog(app: FastifyInstance, opts: { readonly slowOperationMs: number }): void {
  app.decorateRequest(kRecord, null);
  app.addHook("onRequest", (request, _reply, done) => {
    (request as WithRecord)[kRecord] = new RequestLogRecord();
    done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    const durationMs = reply.elapsedTime;
    const slow = durationMs >= opts.slowOperationMs;
    if (!slow && !INFO_ENABLED.has(request.log.level)) return done();
    const record = requestLog(request);
    // A REST route of one workspace by its path (the provider webhooks: /webhooks/twilio/:workspaceId/…).
    if (record && record.workspaceId === null)
      noteWorkspace(request, (request.params as { workspaceId?: unknown } | undefined)?.workspaceId);
    const line = {
      method: request.method,
      // The template (/forms/:slug), never the URL: no query string, no path parameter.
      route: request.routeOptions.url || null,
      statusCode: reply.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
      operation: record?.operation ?? null,
      operationType: record?.operationType ?? null,
      workspaceId: record?.workspaceId ?? null,
      principal: record?.principal ?? "anonymous",
      statements: record?.statements ?? 0,
    };
    if (slow) request.log.warn(line, "slow operation");
    else request.log.info(line, "request completed");
    done();
  });
}

/** The `workspaceId` argument of the operation's first top-level field that has one. */
function workspaceArgument(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): unknown {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !selection.arguments) continue;
    for (const arg of selection.arguments) {
      if (arg.name.value !== "workspaceId") continue;
      if (arg.value.kind === Kind.VARIABLE) return variables?.[arg.value.name.value];
      if (arg.value.kind === Kind.STRING) return arg.value.value;
    }
  }
  return undefined;
}

/** Apollo plugin: the operation (name, type) and the workspace it names, on the request's record. */
export function requestLogPlugin(): ApolloServerPlugin<RequestContext> {
  // One listener for every request, as principalsPlugin's: what it reads comes in its arguments.
  const listener: GraphQLRequestListener<RequestContext> = {
    didResolveOperation({ operation, request, contextValue }) {
      const record = requestLog(contextValue.request);
      if (!record || !operation) return Promise.resolve();
      record.operation = operation.name?.value ?? null;
      record.operationType = operation.operation;
      const workspaceId = workspaceArgument(operation, request.variables);
      if (workspaceId !== undefined) noteWorkspace(contextValue.request, workspaceId);
      return Promise.resolve();
    },
  };
  return { requestDidStart: () => Promise.resolve(listener) };
}
