// Prometheus metrics (issue 54, decision 0036): the process-wide collectors and the calls that
// record into them. What is counted as it happens lives here (request latency, errors by code,
// sends, webhook attempts); what is read at scrape time (pools, breaker, job queues, subscriptions)
// and the /metrics route are in metrics.routes.ts.
//
// Invariants:
// - Off unless METRICS_TOKEN is set (`enableMetrics`): every `count*` call returns at once, and no
//   hook is installed on the request path.
// - Every label value comes from a bounded set: route templates, status codes, operation types,
//   ErrorCode, code constants. GraphQL operation names are the manifest's plus at most
//   MAX_OTHER_OPERATIONS others (then "other"), each at most MAX_OPERATION_NAME long.
// - Recording a request is O(1) and builds no label object: the labelled child is looked up in
//   maps keyed by the values themselves (`OperationLabels`, `routeRecorder`) and made once.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

import { ErrorCode } from "../errors.ts";

/** The collectors of this process (every server built in it records into them). */
export const processRegistry = new Registry();

let enabled = false;

/** A count made in the jobs process (JOBS_PROCESS=separate), sent to the API process that exposes /metrics. */
export type ForwardedCount =
  | { kind: "send"; provider: SendProvider; status: string }
  | { kind: "webhookAttempt"; ok: boolean };
let forward: ((count: ForwardedCount) => void) | null = null;
/** In the jobs process: counts go to `to` (the parent's IPC channel) instead of this process's registry. */
export function forwardCounts(to: (count: ForwardedCount) => void): void {
  forward = to;
}
/** In the API process: a count the jobs process forwarded, recorded as if made here. */
export function recordForwardedCount(count: ForwardedCount): void {
  // Label values stay bounded whatever arrives on the channel.
  if (count.kind === "send") {
    if (SEND_PROVIDERS.has(count.provider) && /^[a-z_]{1,32}$/i.test(count.status))
      countSend(count.provider, count.status);
  } else if (count.kind === "webhookAttempt") countWebhookAttempt(count.ok);
}

/**
 * The jobs process's own figures (JOBS_PROCESS=separate): registered by the API when it forks one
 * (before the /metrics route reads the registry), absent inline. Recorded whether or not /metrics
 * is on: a gauge set every 10 s and a counter per restart cost nothing to speak of.
 */
let jobsProcessCollectors: { rss: Gauge; heapUsed: Gauge; cpu: Gauge; loopDelay: Gauge; restarts: Counter } | null =
  null;
export function registerJobsProcessMetrics(): void {
  jobsProcessCollectors ??= {
    rss: new Gauge({
      name: "atrium_jobs_process_resident_memory_bytes",
      help: "The jobs process's resident memory (JOBS_PROCESS=separate), as it last reported it (every 10 s).",
      registers: [processRegistry],
    }),
    heapUsed: new Gauge({
      name: "atrium_jobs_process_heap_used_bytes",
      help: "The jobs process's V8 heap in use (JOBS_PROCESS=separate), as it last reported it (every 10 s).",
      registers: [processRegistry],
    }),
    cpu: new Gauge({
      name: "atrium_jobs_process_cpu_seconds_total",
      help: "User and system CPU the current jobs process has used since it started (JOBS_PROCESS=separate; a restart starts it again at 0), as it last reported it.",
      registers: [processRegistry],
    }),
    loopDelay: new Gauge({
      name: "atrium_jobs_process_event_loop_delay_p99_seconds",
      help: "The jobs process's event-loop delay, p99 over the 10 s before its last report (JOBS_PROCESS=separate).",
      registers: [processRegistry],
    }),
    restarts: new Counter({
      name: "atrium_jobs_process_restarts_total",
      help: "Times the API started its jobs process again after it exited (JOBS_PROCESS=separate).",
      registers: [processRegistry],
    }),
  };
}
/** What the jobs process reports of itself every 10 s (bytes, seconds). */
export interface JobsProcessHealth {
  readonly rss: number;
  readonly heapUsed: number;
  readonly cpuSeconds: number;
  readonly eventLoopDelayP99Seconds: number;
}
/** In the API process: the jobs process reported its health; a value that is not a sane number is left out. */
export function recordJobsProcessHealth(health: Partial<Record<keyof JobsProcessHealth, unknown>>): void {
  const c = jobsProcessCollectors;
  if (c === null) return;
  const set = (gauge: Gauge, value: unknown) => {
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) gauge.set(value);
  };
  set(c.rss, health.rss);
  set(c.heapUsed, health.heapUsed);
  set(c.cpu, health.cpuSeconds);
  set(c.loopDelay, health.eventLoopDelayP99Seconds);
}
/** In the API process: its jobs process exited and is being started again. */
export function countJobsProcessRestart(): void {
  jobsProcessCollectors?.restarts.inc();
}

/** Turns recording on (METRICS_TOKEN set), with Node's process metrics (prom-client's default set). */
export function enableMetrics(): void {
  if (enabled) return;
  enabled = true;
  collectDefaultMetrics({ register: processRegistry });
}

/** Seconds: from a fast read (~1 ms) to the default request deadline (15 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

const httpDuration = new Histogram({
  name: "atrium_http_request_duration_seconds",
  help: "REST requests by route template (never the raw URL), method and status code: latency in seconds; _count is the request count. /graphql is measured per operation instead.",
  labelNames: ["method", "route", "status_code"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [processRegistry],
});

const graphqlDuration = new Histogram({
  name: "atrium_graphql_operation_duration_seconds",
  help: 'GraphQL requests over HTTP by operation type and name ("anonymous" when unnamed, "other" past the bound, "unresolved" when no operation was found): latency in seconds; _count is the request count.',
  labelNames: ["type", "operation"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [processRegistry],
});

const errors = new Counter({
  name: "atrium_errors_total",
  help: "Errors answered, by surface (graphql: each error's extensions.code; rest: the error body's code).",
  labelNames: ["surface", "code"] as const,
  registers: [processRegistry],
});

const sends = new Counter({
  name: "atrium_sends_total",
  help: "Outbound sends by provider and the status they moved to: sent (the provider took it), retry (an attempt failed and will be retried), failed (for good), delivered / read (WhatsApp delivery reports).",
  labelNames: ["provider", "status"] as const,
  registers: [processRegistry],
});

const webhookAttempts = new Counter({
  name: "atrium_webhook_delivery_attempts_total",
  help: "Outbound webhook delivery attempts by outcome (failed: non-2xx, timeout, connection error, refused target).",
  labelNames: ["outcome"] as const,
  registers: [processRegistry],
});

type RouteChild = ReturnType<typeof httpDuration.labels>;
/** What a request's hook records into: one labelled histogram child. */
export interface LatencyChild {
  observe(seconds: number): void;
}

/** Operation names (besides the manifest's) that get a label of their own; later ones count as "other". */
export const MAX_OTHER_OPERATIONS = 100;
/** A longer operation name counts as "other" (a label is kept for the life of the process). */
export const MAX_OPERATION_NAME = 64;
/** The label of a request whose operation was never resolved (a parse or validation error, no operationName). */
export const UNRESOLVED = "unresolved";
/** Labels of their own kind, never counted against the bound. */
const RESERVED: ReadonlySet<string> = new Set(["anonymous", "other", UNRESOLVED]);

/**
 * The labelled child for each (operation type, name), made once. An unnamed operation is
 * "anonymous"; a name from the persisted-documents manifest always gets its own label; up to
 * `maxOthers` other names (each `MAX_OPERATION_NAME` characters at most) get one in order of first
 * use; every later one, and every longer one, shares "other". Names mapped to "other" are not
 * remembered, so the maps stay bounded whatever clients send.
 */
export class OperationLabels<C> {
  private readonly byType = new Map<string, Map<string, C>>();
  private readonly admitted = new Set<string>();

  constructor(
    private readonly known: ReadonlySet<string>,
    private readonly make: (type: string, operation: string) => C,
    private readonly maxOthers = MAX_OTHER_OPERATIONS,
  ) {}

  /** `type`: graphql-js's operation type (query, mutation, subscription) or "unknown". */
  childFor(type: string, name: string | null | undefined): C {
    let names = this.byType.get(type);
    if (!names) this.byType.set(type, (names = new Map<string, C>()));
    const key = name || "anonymous";
    const hit = names.get(key);
    if (hit !== undefined) return hit;
    if (!(RESERVED.has(key) || this.known.has(key) || this.admitted.has(key))) {
      if (key.length > MAX_OPERATION_NAME || this.admitted.size >= this.maxOthers) return this.childFor(type, "other");
      this.admitted.add(key);
    }
    const child = this.make(type, key);
    names.set(key, child);
    return child;
  }
}

/** A GraphQL operation's latency child (see OperationLabels). */
export const graphqlOperationLabels = (known: ReadonlySet<string>, maxOthers?: number) =>
  new OperationLabels<LatencyChild>(known, (type, operation) => graphqlDuration.labels(type, operation), maxOthers);

/**
 * Records one route's requests: the route template is fixed when the route is registered, the
 * method (one of the route's) and the status code are looked up in small maps of children.
 */
export function routeRecorder(route: string): (method: string, statusCode: number, seconds: number) => void {
  const byMethod = new Map<string, Map<number, RouteChild>>();
  return (method, statusCode, seconds) => {
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map<number, RouteChild>()));
    let child = byStatus.get(statusCode);
    if (!child) byStatus.set(statusCode, (child = httpDuration.labels(method, route, String(statusCode))));
    child.observe(seconds);
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** One error answered: `code` is extensions.code (GraphQL) or the REST body's `error`; anything outside ErrorCode counts as OTHER. */
export function countError(surface: "graphql" | "rest", code: unknown): void {
  if (!enabled) return;
  errors.labels(surface, typeof code === "string" && KNOWN_CODES.has(code) ? code : "OTHER").inc();
}

/** Apollo's formatError, counting: every GraphQL error over HTTP passes here once formatted (context failures included). */
export function countedGraphqlError<E extends { extensions?: Record<string, unknown> | undefined }>(formatted: E): E {
  countError("graphql", formatted.extensions?.code);
  return formatted;
}

export type SendProvider = "twilio" | "vapi" | "smtp" | "dev-mailbox";
const SEND_PROVIDERS = new Set<string>(["twilio", "vapi", "smtp", "dev-mailbox"] satisfies SendProvider[]);

/** A send moved to `status` (a status constant of the caller's, never request data; written lowercase). */
export function countSend(provider: SendProvider, status: string): void {
  if (forward) return forward({ kind: "send", provider, status });
  if (!enabled) return;
  sends.labels(provider, status.toLowerCase()).inc();
}

/** One webhook delivery attempt made. */
export function countWebhookAttempt(ok: boolean): void {
  if (forward) return forward({ kind: "webhookAttempt", ok });
  if (!enabled) return;
  webhookAttempts.labels(ok ? "succeeded" : "failed").inc();
}
