// The /graphql route (in place of @as-integrations/fastify's handler, which it follows): each run
// of a request happens inside a fresh `RequestPrincipals` (packages/db/README.md, "Reruns: the
// engine's business"). A principal served from an instance's cache (member's access, API key,
// session) is verified by the request's own tenant transactions — the statement that sets the
// tenant settings reads the workspace's auth_version and the session's state — instead of a
// statement of its own before the request. When one turns out stale, that transaction throws before
// it runs anything else, the run's answer is dropped and the request runs again with the principals
// read afresh. A mutation is never run twice: what its context served from a cache is verified in
// one statement before any resolver runs (as of its start, like a fresh read), and only then do its
// resolvers run. A query's answer is used only once every cached principal it relied on was
// verified (what no transaction verified is checked in one statement at the end).
import { Readable } from "node:stream";
import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type GraphQLRequestListener } from "@apollo/server";
import type { FastifyReply, FastifyRequest } from "fastify";
import { GraphQLError, Kind, OperationTypeNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { Extensions } from "type-graphql";

import { RequestPrincipals, runScope, type Db, type RequestScope } from "@atrium/db";

import { accessChanged, verifyPrincipals } from "../authz/principal-cache.ts";
import { httpStatusFor } from "../errors.ts";
import { requestScope } from "../http/rest-errors.ts";
import type { RequestContext } from "./context.ts";

/** Runs of one request at most: the principals changed again under each of them (then CONFLICT). */
const MAX_RUNS = 3;

function changedError(): GraphQLError {
  const err = accessChanged();
  return new GraphQLError(err.message, {
    extensions: { ...err.extensions, code: err.code, http: { status: httpStatusFor(err.code) } },
  });
}

/** The extension `VerifiedByItsWrite` puts on a mutation field (read back from the schema). */
const VERIFIED_BY_ITS_WRITE = "verifiedByItsWrite";

/**
 * Marks a mutation whose first transaction is its only write and verifies the request's cached
 * principals itself, in the statement that sets its tenant settings, before it writes (a
 * `tenantWrite` / `tenantWriteBatched` pipeline: a moved version leaves nothing written). A request
 * of that one field then needs no check of its own before it runs (`principalsPlugin`).
 */
export const VerifiedByItsWrite = (): MethodDecorator => Extensions({ [VERIFIED_BY_ITS_WRITE]: true });

/** The mutation fields marked `VerifiedByItsWrite` in `schema`. */
function verifiedByTheirWrite(schema: GraphQLSchema): ReadonlySet<string> {
  const fields = schema.getMutationType()?.getFields() ?? {};
  return new Set(
    Object.values(fields)
      .filter((f) => f.extensions[VERIFIED_BY_ITS_WRITE] === true)
      .map((f) => f.name),
  );
}

/**
 * Before a mutation (or subscription) runs any resolver: what its context took from a cache is
 * verified first. Except for a mutation of one field marked `VerifiedByItsWrite`, whose write
 * verifies the cached principals of its workspace itself; a session is still verified first.
 */
export function principalsPlugin(db: Db): ApolloServerPlugin<RequestContext> {
  let marked: ReadonlySet<string> = new Set();
  const single = (operation: OperationDefinitionNode) => {
    const [only, ...more] = operation.selectionSet.selections;
    return more.length === 0 && only?.kind === Kind.FIELD && !only.directives?.length && marked.has(only.name.value);
  };
  // One listener for every request: what it reads of a request comes in its arguments.
  const listener: GraphQLRequestListener<RequestContext> = {
    async didResolveOperation({ operation, contextValue }) {
      const run = contextValue.scope.principals;
      if (!run || operation?.operation === OperationTypeNode.QUERY) return;
      if (!run.stale && operation && single(operation) && !(run.session && !run.session.verified)) {
        // What its resolvers take from a cache later is checked before use, as below.
        run.deferred = false;
        return;
      }
      if (run.unverified) await verifyPrincipals(db, run);
      if (run.stale) throw changedError();
      // Verified as of the mutation's start, as a fresh read would be: its transactions do not
      // check again, and what its resolvers take from a cache later is checked before use, so
      // a change landing halfway can never make part of a mutation run twice.
      run.workspaces.clear();
      run.session = undefined;
      run.deferred = false;
    },
  };
  return {
    serverWillStart({ schema }) {
      marked = verifiedByTheirWrite(schema);
      return Promise.resolve();
    },
    requestDidStart: () => Promise.resolve(listener),
  };
}

/** A GraphQL run's scope: always with its principals. */
export type GraphQLRunScope = RequestScope & { readonly principals: RequestPrincipals };

function headersOf(request: FastifyRequest): HeaderMap {
  const map = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers))
    if (value) map.set(key, Array.isArray(value) ? value.join(", ") : value);
  return map;
}

export function graphqlHandler(
  apollo: ApolloServer<RequestContext>,
  opts: {
    db: Db;
    context: (request: FastifyRequest, reply: FastifyReply, scope: GraphQLRunScope) => Promise<RequestContext>;
  },
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const httpGraphQLRequest = {
      body: request.body,
      method: request.method.toUpperCase(),
      headers: headersOf(request),
      // Parsed only when there is a query string (a GET): a POST's URL is the path alone. Only the
      // search is read, so the base is a fixed one (a request's Host never makes it fail).
      search: request.url.includes("?") ? new URL(request.url, "http://localhost/").search : "",
    };
    for (let n = 1; ; n++) {
      const run = new RequestPrincipals();
      // This run's scope: the request's deadline and this run's principals, handed to every unit
      // of work of the run through the context (RequestContext.scope).
      const response = await runScope(requestScope(request), run, async (scope) => {
        const answer = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: () => opts.context(request, reply, scope),
        });
        if (!run.stale && run.unverified) await verifyPrincipals(opts.db, run);
        return answer;
      });
      if (run.stale) {
        if (n < MAX_RUNS) continue;
        // The error handler answers it in GraphQL's shape (409 CONFLICT, reason ACCESS_CHANGED).
        throw accessChanged();
      }
      for (const [key, value] of response.headers) void reply.header(key, value);
      void reply.code(response.status ?? 200);
      if (response.body.kind === "complete") return response.body.string;
      return reply.send(Readable.from(response.body.asyncIterator));
    }
  };
}
