// Fastify + Apollo Server on one origin: /graphql, health probes, the dev mailbox, and the built
// web app (SPA fallback) when its dist folder exists.
import { existsSync } from "node:fs";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import fastifyApollo from "@as-integrations/fastify";
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance } from "fastify";
import { repoRoot } from "@atrium/db";
import type { AppConfig } from "../../env.ts";
import type { Services } from "../../services.ts";
import { AccessLoader, ApiKeyAccess } from "../authz/access.ts";
import type { RequestContext } from "../graphql/context.ts";
import { formatError } from "../graphql/format-error.ts";
import { getSchema } from "../graphql/schema.ts";
import { TrustedDocuments } from "../graphql/trusted-documents.ts";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { registerPublicForms } from "./forms.ts";
import { resolvePrincipal } from "./principal.ts";
import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import { AppError } from "../errors.ts";

/** Counts lexical tokens up to the limit (stops early; a lexing error is left to the parser). */
function tooManyTokens(source: string, max: number): boolean {
  const lexer = new Lexer(new Source(source));
  try {
    for (let n = 0; lexer.advance().kind !== TokenKind.EOF; n++) if (n >= max) return true;
  } catch {
    return false;
  }
  return false;
}

export async function buildServer(config: AppConfig, services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ["req.headers.authorization", "req.headers.cookie"] },
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    requestIdHeader: "x-request-id",
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    // The SPA and the bundled playground load only same-origin scripts.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        // GraphiQL's stylesheet inlines its fonts.
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
      },
    },
  });

  const trusted = existsSync(config.trustedDocumentsPath) ? TrustedDocuments.load(config.trustedDocumentsPath) : TrustedDocuments.empty();
  // S4: depth, aliases, directives, tokens and cost limits (GraphQL Armor), suggestions hidden
  // in production. Violations are validation errors: BAD_USER_INPUT.
  const armor = new ApolloArmor({
    maxDepth: { n: config.graphqlLimits.maxDepth },
    maxAliases: { n: config.graphqlLimits.maxAliases },
    maxDirectives: { n: config.graphqlLimits.maxDirectives },
    // Armor's token limit parses inside a plugin hook, where a syntax error becomes a 500; the
    // same limit is enforced before Apollo instead (tooManyTokens below).
    maxTokens: { enabled: false },
    costLimit: { maxCost: config.graphqlLimits.maxCost },
    blockFieldSuggestion: { enabled: config.nodeEnv === "production" },
  }).protect();

  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    // Introspection stays available to signed-in developers; the plugin below refuses it to
    // anonymous callers in production.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    formatError: (formatted, error) => formatError(formatted, error, (err) => app.log.error({ err }, "unhandled GraphQL error")),
    // No drain plugin: it closes Fastify from apollo.stop(), which deadlocks with our onClose hook.
    // Fastify's own close() already lets in-flight requests finish before onClose runs.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...armor.plugins,
      {
        requestDidStart: () =>
          Promise.resolve({
            didResolveOperation: ({ contextValue, document }) => {
              if (config.nodeEnv !== "production" || contextValue.principal || contextValue.apiKey) return Promise.resolve();
              const text = JSON.stringify(document);
              if (text.includes('"__schema"') || text.includes('"__type"')) throw new GraphQLError("Sign in to introspect the schema.", { extensions: { code: "UNAUTHENTICATED" } });
              return Promise.resolve();
            },
          }),
      },
    ],
  });
  await apollo.start();

  // Trusted documents: a request may send only a manifest hash; fill in its document.
  app.addHook("preHandler", (request, reply, done) => {
    if (!request.url.startsWith("/graphql")) return done();
    const body = request.method === "GET" ? request.query : request.body;
    trusted.expand(body);
    const query = (body as { query?: unknown } | undefined)?.query;
    if (typeof query === "string" && tooManyTokens(query, config.graphqlLimits.maxTokens)) {
      void reply.code(400).send({ errors: [{ message: `Token limit of ${config.graphqlLimits.maxTokens} exceeded.`, extensions: { code: "BAD_USER_INPUT", reason: "MAX_TOKENS" } }] });
      return;
    }
    done();
  });

  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: async (request, reply): Promise<RequestContext> => {
      let resolved;
      try {
        resolved = await resolvePrincipal(request, services);
      } catch (err) {
        // A rate-limited key: answer with its code and hint, not "context creation failed".
        if (err instanceof AppError) throw new GraphQLError(err.message, { extensions: { ...err.extensions, code: err.code, http: { status: 429 } } });
        throw err;
      }
      const { principal, apiKey, failure } = resolved;
      if (apiKey?.persistedOnly && !trusted.admits(request.method === "GET" ? request.query : request.body)) {
        throw new GraphQLError("This API key may run persisted operations only.", { extensions: { code: "PERSISTED_QUERY_NOT_FOUND", http: { status: 400 } } });
      }
      const ua = request.headers["user-agent"];
      return {
        requestId: request.id,
        request,
        reply,
        principal,
        apiKey: apiKey ?? null,
        authFailure: failure,
        services,
        access: principal
          ? new AccessLoader(services.db, principal.userId, {
              idleMs: principal.idleMs,
              end: () => services.identity.signOut(principal.sessionId, { userId: principal.userId, ip: request.ip, userAgent: null, requestId: request.id }),
            })
          : apiKey ? new ApiKeyAccess(apiKey.access, apiKey.workspaceSlug) : null,
        actor: {
          userId: principal?.userId ?? null,
          apiKeyId: apiKey?.keyId ?? null,
          ip: request.ip ?? null,
          userAgent: typeof ua === "string" ? ua : null,
          requestId: request.id,
        },
      };
    },
  });

  app.get("/healthz", () => Promise.resolve({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    try {
      await services.db.system.$queryRaw`SELECT 1`;
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "unavailable" });
    }
  });

  registerPublicForms(app, services);

  if (services.mailer.devMailbox && config.nodeEnv !== "production") {
    app.get<{ Querystring: { to?: string } }>("/dev/mailbox", async (req, reply) => {
      const to = req.query.to?.trim().toLowerCase();
      if (!to) return reply.code(400).send({ error: "BAD_USER_INPUT", message: "Pass ?to=<email>." });
      const mails = await services.db.system.devMail.findMany({ where: { to }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 50 });
      return mails.map((m) => ({ to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt.toISOString() }));
    });
  }

  const webDist = config.webDistDir ?? path.join(repoRoot, "apps/web/dist");
  if (existsSync(path.join(webDist, "index.html"))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ["index.html"] });
    app.setNotFoundHandler((req, reply) => {
      const accept = req.headers.accept ?? "";
      if (req.method === "GET" && accept.includes("text/html")) return reply.type("text/html").sendFile("index.html");
      return reply.code(404).send({ error: "NOT_FOUND", message: "Not found." });
    });
  }

  app.addHook("onClose", async () => {
    await apollo.stop();
  });
  return app;
}
