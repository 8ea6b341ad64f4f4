// Request-level rules Apollo runs once per operation, after parsing and validation and before any
// resolver: which operation to run, who may introspect, the text rule over every argument — and,
// on the way out, the rule that no client error is ever answered with a 5xx, and Retry-After on
// every rate-limited answer.
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, OperationTypeNode } from "graphql";

import { DATABASE_RETRY_AFTER_SECONDS, ErrorCode, httpStatusFor, type ErrorExtensions } from "../errors.ts";
import { argumentTextProblems } from "./argument-text.ts";
import type { RequestContext } from "./context.ts";

const requestError = (message: string, code: ErrorCode, extensions: ErrorExtensions = {}) =>
  new GraphQLError(message, { extensions: { ...extensions, code, http: { status: httpStatusFor(code) } } });

export function requestRulesPlugin(opts: { production: boolean }): ApolloServerPlugin<RequestContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ request, document, operation, contextValue, schema }) => {
          // graphql-js would fail later with an uncoded error; this is the caller's mistake.
          if (!operation) {
            // An empty operationName names no operation either (graphql-js matches it literally).
            throw request.operationName != null
              ? requestError("The document has no operation with the given operationName.", ErrorCode.BAD_USER_INPUT, {
                  reason: "UNKNOWN_OPERATION_NAME",
                })
              : requestError(
                  "The document holds several operations: name the one to run in operationName.",
                  ErrorCode.BAD_USER_INPUT,
                  { reason: "OPERATION_NAME_REQUIRED" },
                );
          }
          // An operation type the schema has no root type for (`subscription { … }`: there is no
          // Subscription type): graphql-js's validation lets it through and execution fails with
          // an uncoded error, which would be masked as INTERNAL_SERVER_ERROR. An invalid document.
          if (!schema.getRootType(operation.operation)) {
            throw requestError(`This API has no ${operation.operation} operations.`, ErrorCode.BAD_USER_INPUT, {
              reason: "GRAPHQL_VALIDATION_FAILED",
            });
          }
          // Subscriptions live on the WebSocket of the same path (graphql-ws; issue 46).
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw requestError(
              "Subscriptions run over WebSocket at /graphql (the graphql-ws protocol), not over HTTP.",
              ErrorCode.BAD_USER_INPUT,
              { reason: "SUBSCRIPTION_OVER_HTTP" },
            );
          }
          // Introspection stays available to signed-in developers; anonymous callers are refused
          // in production (401, like every UNAUTHENTICATED request-level error).
          if (opts.production && !contextValue.principal && !contextValue.apiKey) {
            const text = JSON.stringify(document);
            if (text.includes('"__schema"') || text.includes('"__type"'))
              throw requestError("Sign in to introspect the schema.", ErrorCode.UNAUTHENTICATED, {
                reason: "SIGN_IN_REQUIRED",
              });
          }
          const fields = argumentTextProblems(schema, document, operation, request.variables);
          const [first] = Object.entries(fields);
          if (first) throw requestError(`${first[0]}: ${first[1]}`, ErrorCode.BAD_USER_INPUT, { fields });
          return Promise.resolve();
        },
        willSendResponse: ({ response }) => {
          if (response.body.kind !== "single") return Promise.resolve();
          const errors = response.body.singleResult.errors ?? [];
          const codes = errors.map((e) => e.extensions?.code);
          // A rate-limited operation (any field, not only signIn): its retry hint as Retry-After
          // too, the longest when several were refused. The status stays as it is (a field error
          // in a 200 answer, like every other).
          const retries = errors
            .filter((e) => e.extensions?.code === ErrorCode.RATE_LIMITED)
            .map((e) => e.extensions?.retryAfterSeconds)
            .filter((s): s is number => typeof s === "number" && Number.isFinite(s) && s > 0);
          if (retries.length > 0) response.http.headers.set("retry-after", String(Math.ceil(Math.max(...retries))));
          // The database was away for this request: 503 and when to come back, whatever else
          // the response holds (clients and load balancers retry on it).
          if (codes.includes(ErrorCode.SERVICE_UNAVAILABLE)) {
            response.http.status = 503;
            response.http.headers.set("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
            return Promise.resolve();
          }
          // Apollo answers a request-level error without an HTTP status with 500. Whatever raised
          // it, a response whose errors are all client errors gets the status of its first code.
          const status = response.http.status ?? 200;
          if (status < 500) return Promise.resolve();
          if (codes.length > 0 && codes.every((c) => typeof c === "string" && c !== ErrorCode.INTERNAL_SERVER_ERROR)) {
            response.http.status = httpStatusFor(codes[0] as string);
          }
          return Promise.resolve();
        },
      }),
  };
}
