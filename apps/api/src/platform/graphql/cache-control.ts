// Every GraphQL answer is data of one principal, or a refusal addressed to one: no cache may keep
// it. Apollo's default cache-control plugin said so (`cache-control: no-store`, as no field carries
// a cache hint), but only for answers of its request pipeline, and to collect the hints it wraps
// every field resolver of the schema and calls a hook per field resolved: ~4 % of the main thread
// on a 20-row list. The plugin is turned off and the route sets the header as a request arrives, so
// every answer of /graphql carries it: data, errors, and the refusals made before Apollo runs
// (token limit, context failures, a principal that changed).
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";

/** In an ApolloServer's `plugins`: no cache hints, so no per-field hooks. */
export function withoutCacheHints(): ApolloServerPlugin<BaseContext>[] {
  return [ApolloServerPluginCacheControlDisabled()];
}

/** The /graphql route's onRequest hook: `cache-control: no-store` on whatever it answers. */
export function noStore(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  void reply.header("cache-control", "no-store");
  done();
}
