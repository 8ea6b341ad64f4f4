// The framework ceiling for bench:request-path (issue 15): the same Fastify 5 + Apollo Server 5 +
// type-graphql 2 stack as the product (same object types, same compression, same GraphQL Armor
// rules and request rules), answering the same documents from memory: no database, no auth, no
// tenancy. Whatever the product loses against this server is our own work.
import "reflect-metadata";

import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import fastifyApollo from "@as-integrations/fastify";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import fastifyCompress from "@fastify/compress";
import Fastify from "fastify";
import { Arg, buildSchema, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { AppConfig } from "../apps/api/src/env.ts";
import { AuditEventConnection } from "../apps/api/src/modules/audit/audit.types.ts";
import {
  LeadConnection,
  LeadSource,
  LeadStatus,
  LeadView,
  SubmitLeadInput,
} from "../apps/api/src/modules/leads/leads.types.ts";
import { noStore, withoutCacheHints } from "../apps/api/src/platform/graphql/cache-control.ts";
import type { RequestContext } from "../apps/api/src/platform/graphql/context.ts";
import { formatError } from "../apps/api/src/platform/graphql/format-error.ts";
import { requestRulesPlugin } from "../apps/api/src/platform/graphql/request-rules.ts";
import { validateArgs } from "../apps/api/src/platform/graphql/validate-args.ts";
import { listeningUrl } from "./lib.ts";

/** What the ceiling answers: filled in from the product's own (verified) answers. */
export const memory: { auditEvents: AuditEventConnection | null; leads: LeadConnection | null } = {
  auditEvents: null,
  leads: null,
};

@Resolver()
class CeilingResolver {
  @Query(() => AuditEventConnection)
  auditEvents(
    @Arg("workspaceId", () => ID) _w: string,
    @Arg("first", () => Int, { nullable: true }) _first: number | null,
  ): AuditEventConnection {
    return memory.auditEvents!;
  }

  @Query(() => LeadConnection)
  leads(
    @Arg("workspaceId", () => ID) _w: string,
    @Arg("first", () => Int, { nullable: true }) _first: number | null,
  ): LeadConnection {
    return memory.leads!;
  }

  @Mutation(() => LeadView)
  submitLead(@Arg("input", () => SubmitLeadInput) input: SubmitLeadInput): LeadView {
    const now = new Date();
    const contact = {
      id: randomUUID(),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      tags: [],
      createdAt: now,
    };
    return {
      id: randomUUID(),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      message: input.message ?? null,
      source: LeadSource.API,
      status: LeadStatus.NEW,
      contact,
      qualificationAnswers: [],
      createdAt: now,
    };
  }
}

export async function ceilingServer(config: AppConfig): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576, keepAliveTimeout: 72_000 });
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ["br", "gzip"] });
  const armor = new ApolloArmor({
    maxDepth: { n: config.graphqlLimits.maxDepth },
    maxAliases: { n: config.graphqlLimits.maxAliases },
    maxDirectives: { n: config.graphqlLimits.maxDirectives },
    maxTokens: { enabled: false },
    costLimit: { maxCost: config.graphqlLimits.maxCost },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const schema = await buildSchema({ resolvers: [CeilingResolver], validateFn: validateArgs });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    formatError: (formatted, error) => formatError(formatted, error, () => undefined),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...withoutCacheHints(),
      ...armor.plugins,
      requestRulesPlugin({ production: false }),
    ],
  });
  await apollo.start();
  // The request rules read `principal`/`apiKey` from the context: an anonymous one.
  // Its only route is /graphql: the product's route hook, for every request.
  app.addHook("onRequest", noStore);
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: () => Promise.resolve({ principal: null, apiKey: null } as unknown as RequestContext),
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: listeningUrl(app.server),
    async close() {
      await app.close();
      await apollo.stop();
    },
  };
}
