// Fastify + Apollo Server on one origin: /graphql, health probes, the dev mailbox, and the built
// web app (SPA fallback) when its dist folder exists.
// type-graphql's decorators need the metadata polyfill before any feature module loads: first,
// whatever imports this file (main.ts, the test harness, the benches), and whatever order the
// imports below are sorted in.
import "reflect-metadata";

import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import fastifyCompress from "@fastify/compress";
import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import helmet from "helmet";

import { repoRoot } from "@atrium/db";

import type { AppConfig } from "./env.ts";
import type { ApiKeyPrincipal } from "./modules/api-keys/api-keys.service.ts";
import { registerAuditKeys } from "./modules/audit/audit-keys.routes.ts";
import { registerContactsExport } from "./modules/contacts/contacts-export.routes.ts";
import { registerPublicForms } from "./modules/leads/public-form.routes.ts";
import { registerTwilioRoutes } from "./modules/messaging/twilio.routes.ts";
import { registerVapiRoutes } from "./modules/messaging/vapi.routes.ts";
import { registerPrivacyDownload } from "./modules/privacy/privacy-download.routes.ts";
import { registerApiDocs } from "./modules/public-api/api-docs.routes.ts";
import { registerApiV1 } from "./modules/public-api/api-v1.routes.ts";
import { registerSsoRoutes } from "./modules/sso/sso.routes.ts";
import { AccessLoader, ApiKeyAccess } from "./platform/authz/access.ts";
import { AppError, databaseUnavailable, type ErrorReason } from "./platform/errors.ts";
import { noStore, withoutCacheHints } from "./platform/graphql/cache-control.ts";
import type { RequestContext } from "./platform/graphql/context.ts";
import { costLimitRule } from "./platform/graphql/cost-limit.ts";
import { formatError } from "./platform/graphql/format-error.ts";
import { graphqlHandler, principalsPlugin } from "./platform/graphql/handler.ts";
import { requestRulesPlugin } from "./platform/graphql/request-rules.ts";
import { TrustedDocuments } from "./platform/graphql/trusted-documents.ts";
import { registerDevMailbox } from "./platform/http/dev-mailbox.ts";
import {
  clientErrorHandler,
  frameworkErrorHandler,
  registerHttpErrorHandling,
  requestIdFor,
} from "./platform/http/rest-errors.ts";
import { registerLiveTransport } from "./platform/live/transport.ts";
import { registerMetrics } from "./platform/observability/metrics.routes.ts";
import { countedGraphqlError } from "./platform/observability/metrics.ts";
import { registerRequestLog, requestLogPlugin } from "./platform/observability/request-log.ts";
import { rateLimitHeaders, registerRateLimitFields } from "./platform/rate-limit.ts";
import { keyInScope, resolvePrincipal } from "./principal.ts";
import { getSchema } from "./schema.ts";
import type { Services } from "./services.ts";

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

/**
 * Documents `tokenLimit` remembers as within the limit, at most, and the longest it remembers (in
 * UTF-16 units: at most ~8 MB in all). Well under 16,383: V8 hashes a longer string by its length
 * alone, so documents of one such length would all share one bucket of the set, and each look-up
 * would compare every one of them in full.
 */
const WITHIN_LIMIT_MAX = 1_000;
const WITHIN_LIMIT_MAX_LENGTH = 4_096;

/** `tooManyTokens` for one limit (`tokenLimit`), and how many documents it remembers (tests). */
export interface TokenLimit {
  (source: string): boolean;
  readonly remembered: number;
}

/**
 * `tooManyTokens` for one limit, lexing each document once: clients send the same few documents
 * again and again (Apollo parses each once, from its document cache), and lexing one on every
 * request was 1.3 KB and ~1.5 µs of a submitLead's. Only documents within the limit are remembered,
 * the oldest dropped first; one over it, or longer than WITHIN_LIMIT_MAX_LENGTH, is lexed every
 * time.
 */
export function tokenLimit(max: number): TokenLimit {
  const within = new Set<string>();
  const over = (source: string): boolean => {
    if (within.has(source)) return false;
    if (tooManyTokens(source, max)) return true;
    if (source.length <= WITHIN_LIMIT_MAX_LENGTH) {
      if (within.size >= WITHIN_LIMIT_MAX) within.delete(within.values().next().value!);
      within.add(source);
    }
    return false;
  };
  return Object.defineProperty(over, "remembered", { get: () => within.size }) as TokenLimit;
}

export async function buildServer(config: AppConfig, services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ["req.headers.authorization", "req.headers.cookie"],
      ...(config.logStream ? { stream: config.logStream } : {}),
    },
    // Fastify's lines per request log the URL (a query string can carry a token); our one line at
    // response time names the route template, operation, workspace and caller instead (decision 0037).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    // A request must arrive whole within 30 s (slow-loris); idle keep-alive sockets close at 72 s.
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    // The caller's x-request-id when it is a plain token, else a fresh one (rest-errors.ts).
    requestIdHeader: false,
    genReqId: requestIdFor,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    return503OnClosing: true,
  });

  // Typed JSON errors for every route and every refusal, the REST text rule, request ids.
  const webDist = config.webDistDir ?? path.join(repoRoot, "apps/web/dist");
  const hasWeb = existsSync(path.join(webDist, "index.html"));
  // Before the error handling: its scope counts statements on the request log's record.
  registerRequestLog(app, config);
  registerHttpErrorHandling(app, {
    deadlineMs: config.requestDeadlineMs,
    // The SPA's client-side routes: a browser navigation (Accept: text/html) to a path without a
    // file extension gets index.html; a missing file (or a refused source map) stays a 404.
    spaFallback: (req, reply) => {
      const pathname = req.url.split("?")[0] ?? "";
      if (
        !hasWeb ||
        req.method !== "GET" ||
        !(req.headers.accept ?? "").includes("text/html") ||
        /\.[A-Za-z0-9]+$/.test(pathname)
      )
        return undefined;
      return reply.type("text/html").sendFile("index.html");
    },
  });
  // Request spans (decision 0035), only when tracing is on: after the error handling, whose
  // request scope carries a sampled request's span to its units of work.
  if (services.tracing.enabled) services.tracing.registerHttp(app);
  // GET /metrics and each route's latency, when METRICS_TOKEN is set (before any route: decision 0036).
  const metrics = registerMetrics(app, {
    token: config.metricsToken,
    trustedDocumentsPath: config.trustedDocumentsPath,
    services,
  });

  await app.register(fastifyCookie);
  // application/x-www-form-urlencoded bodies (the public form's classic post, Twilio's webhooks).
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  // Responses over 1 KB compressed (brotli or gzip, as the client accepts): GraphQL, REST, the
  // web app's files.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ["br", "gzip"] });
  // HSTS only over HTTPS (directly, or behind a proxy with TRUST_PROXY): over plain HTTP the
  // header means nothing and would pin a development host to HTTPS.
  registerRateLimitFields(app);
  app.addHook("onSend", (req, reply, payload, done) => {
    if (req.protocol === "https") void reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    // API-key and form requests state their rate-limit windows (issue 51; platform/rate-limit.ts).
    const limits = rateLimitHeaders(req);
    if (limits) void reply.headers(limits);
    done(null, payload);
  });
  // Helmet's security headers on every response, computed once (`helmetHeaders`).
  const securityHeaders = helmetHeaders();
  app.addHook("onRequest", (_req, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });

  const trusted = existsSync(config.trustedDocumentsPath)
    ? TrustedDocuments.load(config.trustedDocumentsPath)
    : TrustedDocuments.empty();
  // S4: depth, aliases, directives, tokens and cost limits (GraphQL Armor), suggestions hidden
  // in production. Violations are validation errors: BAD_USER_INPUT.
  const armor = new ApolloArmor({
    maxDepth: { n: config.graphqlLimits.maxDepth },
    maxAliases: { n: config.graphqlLimits.maxAliases },
    maxDirectives: { n: config.graphqlLimits.maxDirectives },
    // Armor's token limit parses inside a plugin hook, where a syntax error becomes a 500; the
    // same limit is enforced before Apollo instead (tooManyTokens below).
    maxTokens: { enabled: false },
    // Our own cost rule instead (platform/graphql/cost-limit.ts): Armor's refused documented pages.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.nodeEnv === "production" },
  }).protect();

  const validationRules = [...armor.validationRules, costLimitRule(config.graphqlLimits.maxCost)];
  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    // Introspection stays available to signed-in developers; requestRulesPlugin refuses it to
    // anonymous callers in production.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules,
    formatError: (formatted, error) =>
      countedGraphqlError(formatError(formatted, error, (err) => app.log.error({ err }, "unhandled GraphQL error"))),
    // No drain plugin: it closes Fastify from apollo.stop(), which deadlocks with our onClose hook.
    // Fastify's own close() already lets in-flight requests finish before onClose runs.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No per-field cache hints; the route itself says `cache-control: no-store` (noStore).
      ...withoutCacheHints(),
      ...armor.plugins,
      // Operation selection, anonymous introspection in production, the text rule over every
      // argument; and no client error answered with a 5xx.
      requestRulesPlugin({ production: config.nodeEnv === "production" }),
      // A mutation's cached principals are verified before it runs, so it never runs twice (but a
      // `@VerifiedByItsWrite()` field, whose one write verifies them and writes nothing if stale).
      principalsPlugin(services.db),
      // The operation and its workspace on the request's log line.
      requestLogPlugin(),
      // Each operation's latency label (metrics on).
      ...(metrics ? [metrics.graphqlPlugin] : []),
    ],
  });
  await apollo.start();

  // Trusted documents: a request may send only a manifest hash; fill in its document.
  const overTokenLimit = tokenLimit(config.graphqlLimits.maxTokens);
  app.addHook("preHandler", (request, reply, done) => {
    if (!request.url.startsWith("/graphql")) return done();
    const body = request.method === "GET" ? request.query : request.body;
    trusted.expand(body);
    const query = (body as { query?: unknown } | undefined)?.query;
    if (typeof query === "string" && overTokenLimit(query)) {
      void reply.code(400).send({
        errors: [
          {
            message: `Token limit of ${config.graphqlLimits.maxTokens} exceeded.`,
            extensions: { code: "BAD_USER_INPUT", reason: "MAX_TOKENS" satisfies ErrorReason },
          },
        ],
      });
      return;
    }
    done();
  });

  // Subscriptions: graphql-ws over WebSocket on GET /graphql (issue 46, platform/live/transport.ts).
  const live = await registerLiveTransport(app, {
    config,
    services,
    schema: await getSchema(),
    validationRules,
    trusted,
    format: (err) =>
      formatError(err.toJSON(), err, (e) => app.log.error({ err: e }, "unhandled GraphQL error in a subscription")),
  });

  /**
   * A request from an API key naming (by SHA-256) a document its workspace registered: fills in the
   * text when only the id came (POST), and says whether the request runs that document.
   */
  const ownDocument = async (body: unknown, apiKey: ApiKeyPrincipal): Promise<boolean> => {
    const hash = TrustedDocuments.hashOf(body)?.toLowerCase();
    if (hash === undefined || trusted.get(hash) !== undefined || typeof body !== "object" || body === null)
      return false;
    const text = await services.persistedDocuments.body(apiKey.access, hash);
    if (text === undefined) return false;
    const b = body as { query?: unknown; extensions?: unknown };
    if (b.query === undefined || b.query === null || b.query === "") {
      // Held to the token limit like a document sent as text (checked in the preHandler above).
      if (overTokenLimit(text)) {
        throw new GraphQLError(`Token limit of ${config.graphqlLimits.maxTokens} exceeded.`, {
          extensions: { code: "BAD_USER_INPUT", reason: "MAX_TOKENS", http: { status: 400 } },
        });
      }
      b.query = text;
      // Apollo's APQ sees a consistent pair: the hash of this very text.
      if (b.extensions === undefined) b.extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
      return true;
    }
    return b.query === text;
  };

  const httpGraphql = graphqlHandler(apollo, {
    db: services.db,
    context: async (request, reply, scope): Promise<RequestContext> => {
      let resolved;
      try {
        resolved = await resolvePrincipal(request, services, { scope });
      } catch (err) {
        // A rate-limited key: answer with its code and hint, not "context creation failed".
        if (err instanceof AppError) {
          const retry =
            typeof err.extensions.retryAfterSeconds === "number" ? String(err.extensions.retryAfterSeconds) : "60";
          throw new GraphQLError(err.message, {
            extensions: {
              ...err.extensions,
              code: err.code,
              http: { status: 429, headers: new Map([["retry-after", retry]]) },
            },
          });
        }
        // The database is away (restarting): a clear, retryable 503 rather than a 500.
        const unavailable = databaseUnavailable(err);
        if (unavailable)
          throw new GraphQLError(unavailable.message, {
            extensions: {
              ...unavailable.extensions,
              code: unavailable.code,
              http: {
                status: 503,
                headers: new Map([["retry-after", String(unavailable.extensions.retryAfterSeconds)]]),
              },
            },
          });
        throw err;
      }
      const { principal, failure } = resolved;
      // The key's (cached, shared) access, as this run's: with its scope.
      const apiKey = resolved.apiKey ? keyInScope(resolved.apiKey, scope) : null;
      if (apiKey) {
        const body = request.method === "GET" ? request.query : request.body;
        // The key's workspace's registered documents (issue 51) after the platform manifest's.
        const own = trusted.admits(body) ? false : await ownDocument(body, apiKey);
        if (apiKey.persistedOnly && !own && !trusted.admits(body)) {
          throw new GraphQLError(
            "This API key may run persisted operations only: the platform's documents and those its workspace registered.",
            { extensions: { code: "PERSISTED_QUERY_NOT_FOUND", reason: "PERSISTED_ONLY", http: { status: 400 } } },
          );
        }
      }
      const ua = request.headers["user-agent"];
      return {
        requestId: request.id,
        request,
        reply,
        principal,
        apiKey,
        authFailure: failure,
        services,
        scope,
        access: principal
          ? new AccessLoader(
              services.db,
              principal.userId,
              scope,
              {
                sessionId: principal.sessionId,
                stepUpVerifiedAt: principal.stepUpVerifiedAt,
                stepUpEnabled: config.stepUpEnabled,
                end: async (reason) => {
                  await services.identity.endSession(principal.sessionId, reason, {
                    userId: principal.userId,
                    ip: request.ip,
                    userAgent: null,
                    requestId: request.id,
                  });
                  // This request ended the session itself (idle timeout): its answer says so, and
                  // is not a stale read to run again.
                  scope.principals.session = undefined;
                },
              },
              services.principalCaches.members,
            )
          : apiKey
            ? new ApiKeyAccess(apiKey.access, apiKey.workspaceSlug)
            : null,
        actor: {
          userId: principal?.userId ?? null,
          apiKeyId: apiKey?.keyId ?? null,
          ip: request.ip ?? null,
          userAgent: typeof ua === "string" ? ua : null,
          requestId: request.id,
          scope,
        },
      };
    },
  });
  // The operation's span around each run (decision 0035), when tracing is on.
  const graphqlRoute = services.tracing.enabled ? services.tracing.graphqlRoute(httpGraphql) : httpGraphql;
  // GET carries both: a plain GET query, and the WebSocket upgrade (@fastify/websocket allows a wsHandler on GET only).
  app.route({ method: "GET", url: "/graphql", onRequest: noStore, handler: graphqlRoute, wsHandler: live.handler });
  app.route({ method: ["POST", "OPTIONS"], url: "/graphql", onRequest: noStore, handler: graphqlRoute });

  app.get("/healthz", { config: { input: {} } }, () => Promise.resolve({ status: "ok" }));
  // A readiness probe that cannot answer within 3 s is as good as "not ready".
  app.get("/readyz", { config: { input: {}, deadlineMs: 3_000 } }, async (_req, reply) => {
    try {
      await services.db.system.$queryRaw`SELECT 1`;
      return { status: "ready" };
    } catch {
      return reply.code(503).header("retry-after", "5").send({ status: "unavailable" });
    }
  });

  registerPublicForms(app, services);
  registerTwilioRoutes(app, services);
  registerVapiRoutes(app, services);
  registerContactsExport(app, services);
  registerPrivacyDownload(app, services);
  // The audit chain's public keys (issue 50): GET /.well-known/atrium-audit-keys.json.
  registerAuditKeys(app, services);
  registerSsoRoutes(app, services);
  // The public REST API for API keys, its OpenAPI document and reference page (decision 0046).
  registerApiV1(app, services);
  registerApiDocs(app, { appCsp: securityHeaders["content-security-policy"] ?? "" });

  if (services.mailer.devMailbox && config.nodeEnv !== "production") registerDevMailbox(app, services);

  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: ["index.html"],
      // Source maps would hand the original sources to anyone in production.
      allowedPath: (pathname) => config.nodeEnv !== "production" || !pathname.endsWith(".map"),
      // The build writes x.br / x.gz next to each text asset (apps/web vite.config.ts): sent as
      // they are to clients that accept them, no compression per request (issue 15).
      preCompressed: true,
      // Hashed build output never changes under its name: cached for good. Everything else
      // (index.html, the SPA fallback) is revalidated, so a deploy shows at once.
      setHeaders: (reply, filePath) => {
        const hashed = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(filePath.replace(/\.(br|gz)$/, ""));
        void reply.header("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  }

  app.addHook("onClose", async () => {
    await services.live.close();
    await apollo.stop();
  });
  // Closing waits for the open connections. Node closes those idle when close() begins; a
  // keep-alive connection whose request was still running then becomes idle afterwards and would
  // hold the shutdown for keepAliveTimeout (72 s): closed as soon as it is idle.
  app.addHook("preClose", (done) => {
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    app.server.once("close", () => clearInterval(sweep));
    done();
  });
  return app;
}

/**
 * Helmet's headers for the app's options, computed once. The options are static (no per-request
 * CSP nonce), so Helmet sets the same headers on every response; @fastify/helmet built Helmet
 * again on each request (3 % of a read's CPU).
 */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: Error | undefined;
  helmet({
    strictTransportSecurity: false,
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
  })({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) failed = err instanceof Error ? err : new Error("Helmet refused its options.");
  });
  if (failed) throw failed;
  return headers;
}
