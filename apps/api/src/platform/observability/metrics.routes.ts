// GET /metrics (issue 54, decision 0036): Prometheus text format on the main port, for a request
// bearing `Authorization: Bearer <METRICS_TOKEN>` only. Without METRICS_TOKEN nothing here is
// installed: no route (an unknown path, 404), no hook on the request path.
//
// What it installs when on:
// - a per-route onResponse hook (added when each route is registered, so the route template is
//   fixed in the hook and nothing is looked up per request): REST latency per route, and for
//   /graphql the latency per operation, whose label the Apollo plugin leaves on the request;
// - gauges read at scrape time only (the request path never touches them): database pools, the
//   circuit breaker, job queue depth and age (one statement, its answer kept SCRAPE_CACHE_MS),
//   open subscriptions.
import { existsSync, readFileSync } from "node:fs";
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from "fastify";
import { Kind, parse } from "graphql";
import { Counter, Gauge, Registry } from "prom-client";

import type { Services } from "../../services.ts";
import { matchesSha256, sha256Hex } from "../crypto/digest.ts";
import { unauthenticated } from "../errors.ts";
import type { RequestContext } from "../graphql/context.ts";
import type { QueueStats } from "../jobs/job-queue.ts";
import {
  enableMetrics,
  graphqlOperationLabels,
  processRegistry,
  routeRecorder,
  UNRESOLVED,
  type LatencyChild,
} from "./metrics.ts";

/** Job queue figures are read at most this often (a scraper polling fast costs one statement per period). */
const SCRAPE_CACHE_MS = 5_000;

/** The operation's latency child, left on the request by the Apollo plugin (a decoration: one hidden class). */
const kOperation = Symbol("atrium.metricsOperation");
type WithOperation = FastifyRequest & { [kOperation]?: LatencyChild | null; ws?: boolean };

/** Operation names in the persisted-documents manifest: each gets a label of its own. */
export function manifestOperationNames(path: string): Set<string> {
  const names = new Set<string>();
  if (!existsSync(path)) return names;
  for (const doc of Object.values(JSON.parse(readFileSync(path, "utf8")) as Record<string, string>)) {
    for (const def of parse(doc).definitions)
      if (def.kind === Kind.OPERATION_DEFINITION && def.name) names.add(def.name.value);
  }
  return names;
}

/** The token a request bears (`Authorization: Bearer <token>`), or null. */
function bearerOf(header: string | undefined): string | null {
  const m = header ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return m?.[1] ?? null;
}

export interface MetricsHandle {
  /** Names each /graphql request's operation for its latency label. */
  graphqlPlugin: ApolloServerPlugin<RequestContext>;
}

/**
 * Installs metrics on `app` when `token` is set (call before any route is registered, so every
 * route gets its hook); null otherwise.
 */
export function registerMetrics(
  app: FastifyInstance,
  opts: { token: string | undefined; trustedDocumentsPath: string; services: Pick<Services, "db" | "jobs" | "live"> },
): MetricsHandle | null {
  if (!opts.token) return null;
  enableMetrics();
  const tokenDigest = sha256Hex(opts.token);
  const operations = graphqlOperationLabels(manifestOperationNames(opts.trustedDocumentsPath));
  const unresolved = operations.childFor("unknown", UNRESOLVED);

  app.decorateRequest(kOperation, null);
  // /graphql: one observation per HTTP request (a request run again after a principal moved is
  // still one request), labelled by the operation of its last run. Not the WebSocket upgrade
  // (GET /graphql too): a subscription is not a request of this kind.
  const graphqlHook: onResponseHookHandler = (request, reply, done) => {
    const req = request as WithOperation;
    if (!req.ws) (req[kOperation] ?? unresolved).observe(reply.elapsedTime / 1000);
    done();
  };
  app.addHook("onRoute", (route) => {
    let hook = graphqlHook;
    if (route.url !== "/graphql") {
      const record = routeRecorder(route.url ?? route.path);
      hook = (request, reply, done) => {
        record(request.method, reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
    }
    // A new array: the route's own list may be shared (Fastify copies the options for HEAD).
    route.onResponse = [...[route.onResponse ?? []].flat(), hook] as typeof route.onResponse;
  });

  const scrape = scrapeGauges(opts.services);
  const registry = Registry.merge([processRegistry, scrape.registry]);
  app.get("/metrics", { config: { input: {} } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = bearerOf(request.headers.authorization);
    // Compared as SHA-256 digests (constant time, and the token's length is not revealed either).
    if (presented === null || !matchesSha256(tokenDigest, presented)) {
      void reply.header("www-authenticate", 'Bearer realm="metrics"');
      throw presented === null
        ? unauthenticated("TOKEN_REQUIRED", "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.")
        : unauthenticated("TOKEN_INVALID", "The metrics token is not valid.");
    }
    await scrape.refresh();
    const text = await registry.metrics();
    return reply.header("cache-control", "no-store").type(registry.contentType).send(text);
  });

  // One listener for every request (nothing allocated per request): the label child is looked up
  // by the operation's type and name and left on the Fastify request for the route's hook.
  const listener: GraphQLRequestListener<RequestContext> = {
    didResolveOperation({ operation, operationName, contextValue }) {
      if (operation)
        (contextValue.request as WithOperation)[kOperation] = operations.childFor(operation.operation, operationName);
      return Promise.resolve();
    },
  };
  return { graphqlPlugin: { requestDidStart: () => Promise.resolve(listener) } };
}

/** The gauges read at scrape time, in a registry of this server's own (its pools, its queue, its hub). */
function scrapeGauges(services: Pick<Services, "db" | "jobs" | "live">) {
  const registry = new Registry();
  const registers = [registry];
  const poolConnections = new Gauge({
    name: "atrium_db_pool_connections",
    help: "Database pool connections by pool (app: the tenant role; system: the owner role) and state (in_use, idle).",
    labelNames: ["pool", "state"] as const,
    registers,
  });
  const poolWaiting = new Gauge({
    name: "atrium_db_pool_waiting_clients",
    help: "Callers waiting for a connection of the pool.",
    labelNames: ["pool"] as const,
    registers,
  });
  const poolMax = new Gauge({
    name: "atrium_db_pool_max_connections",
    help: "The pool's connection limit.",
    labelNames: ["pool"] as const,
    registers,
  });
  const breakerState = new Gauge({
    name: "atrium_db_circuit_breaker_state",
    help: "The database circuit breaker's state: 1 for the current one (closed, open, half_open).",
    labelNames: ["state"] as const,
    registers,
  });
  const breakerOpened = new Counter({
    name: "atrium_db_circuit_breaker_opened_total",
    help: "Times the database circuit breaker opened (the database became unreachable).",
    registers,
  });
  const breakerRefused = new Counter({
    name: "atrium_db_connections_refused_total",
    help: "Connection attempts the open circuit breaker refused without a socket.",
    registers,
  });
  const queueDepth = new Gauge({
    name: "atrium_job_queue_depth",
    help: "Jobs per queue by state: waiting (created or retrying, counted up to 10,000) and active.",
    labelNames: ["queue", "state"] as const,
    registers,
  });
  const queueOldest = new Gauge({
    name: "atrium_job_queue_oldest_waiting_seconds",
    help: "Age of the queue's oldest job that is due and not yet running (0 when none).",
    labelNames: ["queue"] as const,
    registers,
  });
  const queueReadFailures = new Counter({
    name: "atrium_job_queue_stats_failures_total",
    help: "Scrapes whose job queue figures could not be read (the gauges are then left out).",
    registers,
  });
  const subscriptions = new Gauge({
    name: "atrium_live_subscriptions",
    help: "Open GraphQL subscriptions on this instance.",
    registers,
  });

  let queues: { at: number; read: Promise<QueueStats[] | null> } | null = null;
  const queueStats = (): Promise<QueueStats[] | null> => {
    const now = Date.now();
    if (!queues || now - queues.at >= SCRAPE_CACHE_MS) {
      const read = services.jobs.queueStats().catch(() => {
        queueReadFailures.inc();
        return null;
      });
      queues = { at: now, read };
    }
    return queues.read;
  };

  return {
    registry,
    async refresh(): Promise<void> {
      for (const [pool, s] of Object.entries(services.db.poolStats())) {
        poolConnections.set({ pool, state: "in_use" }, s.total - s.idle);
        poolConnections.set({ pool, state: "idle" }, s.idle);
        poolWaiting.set({ pool }, s.waiting);
        poolMax.set({ pool }, s.max);
      }
      const breaker = services.db.breaker;
      for (const state of ["closed", "open", "half_open"] as const)
        breakerState.set({ state }, (breaker.status === "probing" ? "half_open" : breaker.status) === state ? 1 : 0);
      breakerOpened.reset();
      breakerOpened.inc(breaker.stats.opened);
      breakerRefused.reset();
      breakerRefused.inc(breaker.stats.refused);
      subscriptions.set(services.live.subscriberCount);
      const stats = await queueStats();
      queueDepth.reset();
      queueOldest.reset();
      for (const q of stats ?? []) {
        queueDepth.set({ queue: q.queue, state: "waiting" }, q.waiting);
        queueDepth.set({ queue: q.queue, state: "active" }, q.active);
        queueOldest.set({ queue: q.queue }, q.oldestWaitingSeconds);
      }
    },
  };
}
