// OpenTelemetry traces (issue 54; decision 0035). Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set:
// then one tracer provider (parent-based trace-id-ratio sampler, batch span processor, OTLP/HTTP
// JSON to <endpoint>/v1/traces), and spans for
// - each HTTP request (Fastify hooks: method, route template, status code) — the trace's root: a
//   caller's `traceparent` header is not trusted (it could force every request to be sampled);
// - each GraphQL operation (its type and name, the workspace, the principal kind);
// - each database statement (its family, "SELECT leads"; a pipeline as "pipeline") through the
//   hook @atrium/db offers (`Db.traceStatements`), only inside a sampled request or job. A
//   request's sampled span travels explicitly — in its scope (`RequestScope.trace`), then on the
//   connection of each transaction — never through AsyncLocalStorage, whose promise hooks cost
//   every promise of the thread on Node 20; a sampled job's runs in an AsyncLocalStorage entered
//   only while a sampled job is in flight;
// - each job (platform/jobs/job-queue.ts), a child of the span that enqueued it: the enqueuing
//   context travels in the job's data as a W3C `traceparent`.
// Never in a span: URLs and query strings, headers, variables, bodies, SQL text or values, e-mail
// addresses, names, tokens, error messages (an error is named by its SQLSTATE or class).
// Off: `TRACING_OFF`, no provider, no context manager, no span object; each call site checks
// `tracing.enabled` (the Fastify hooks are not even registered).
import { AsyncLocalStorage } from "node:async_hooks";
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from "@opentelemetry/semantic-conventions";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { familyOfStatement, type StatementTracer, type TraceParent } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import { setRequestTrace } from "../http/rest-errors.ts";
import { requestLog } from "./request-log.ts";

// Attributes of the incubating conventions (GraphQL, messaging), spelled out rather than imported
// from the unstable entry point.
const ATTR_GRAPHQL_OPERATION_NAME = "graphql.operation.name";
const ATTR_GRAPHQL_OPERATION_TYPE = "graphql.operation.type";
const ATTR_MESSAGING_SYSTEM = "messaging.system";
const ATTR_MESSAGING_OPERATION_TYPE = "messaging.operation.type";
const ATTR_MESSAGING_DESTINATION_NAME = "messaging.destination.name";
const ATTR_MESSAGING_MESSAGE_ID = "messaging.message.id";
/** Atrium's own: the workspace a request or job was about (an id, never a name), and who called. */
export const ATTR_WORKSPACE_ID = "atrium.workspace.id";
export const ATTR_PRINCIPAL_KIND = "atrium.principal.kind";
export const ATTR_JOB_RETRY_COUNT = "atrium.job.retry_count";
export const ATTR_DB_STATEMENT_COUNT = "atrium.db.statement_count";

/** The job data field that carries the enqueuing context (W3C Trace Context's header name). */
export const TRACEPARENT = "traceparent";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Tracing {
  /** False: nothing below may be called (call sites check this one boolean). */
  readonly enabled: boolean;
  /** The database statements' tracer (handed to `Db.traceStatements`). */
  readonly statements: StatementTracer | undefined;
  /** Registers the HTTP request spans (Fastify hooks); call after the error handling (its scope), before any route. */
  registerHttp(app: FastifyInstance): void;
  /** Wraps the /graphql handler in the operation's span. */
  graphqlRoute<R>(
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<R>,
  ): (request: FastifyRequest, reply: FastifyReply) => Promise<R>;
  /**
   * `data` with a `traceparent` for a job enqueued now: the span of the transaction that enqueues
   * it (`parent`: `traceOfTx(tx)`), else the sampled job this runs in; unchanged when neither.
   */
  withTraceparent<T extends object>(data: T, parent: TraceParent | undefined): T;
  /** Runs a job's handler in its span: a child of the `traceparent` its data carries, else a new trace. */
  inJob<R>(queue: string, data: object, meta: { id: string; retryCount: number }, run: () => Promise<R>): Promise<R>;
  /**
   * Turns the sampled jobs' context storage off when no sampled job is in flight (the next one
   * turns it on again; Node 20: an AsyncLocalStorage hooks every promise of the thread). For the
   * bench, which checks that the hooks are off while it measures.
   */
  quiesce(): void;
  /**
   * Suspended, no span is started: each request's hooks return at once and a job runs as with
   * tracing off. Measures what tracing costs within one instance (the request-path bench's
   * "product-suspended" against "product-traced"); a running server is never suspended otherwise.
   */
  suspend(suspended: boolean): void;
  /** Exports the spans ended so far (tests). */
  flush(): Promise<void>;
  /** Exports what is buffered and stops (the provider, and the global registrations this instance made). */
  shutdown(): Promise<void>;
}

const notOn = (): never => {
  throw new Error("tracing is off: check tracing.enabled first");
};

/** Tracing off: no provider, no context manager, no spans. */
export const TRACING_OFF: Tracing = Object.freeze({
  enabled: false,
  statements: undefined,
  registerHttp: notOn,
  graphqlRoute: notOn,
  withTraceparent: notOn,
  inJob: notOn,
  quiesce: () => undefined,
  suspend: () => undefined,
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
});

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (`<endpoint>/v1/traces` receives the spans). */
  endpoint?: string | undefined;
  /** Share of new traces kept (parent-based: a request's decision holds for all its spans and jobs). */
  samplerRatio: number;
  /** In place of the OTLP exporter (the bench's sink). */
  exporter?: SpanExporter;
  /** The batch processor's delay between exports (default 5 s, OTel's). */
  scheduledDelayMillis?: number;
}

/** The tracing a configuration asks for: `TRACING_OFF` unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export function createTracing(
  config: Pick<AppConfig, "tracing">,
  extra: Pick<TracingOptions, "exporter" | "scheduledDelayMillis"> = {},
): Tracing {
  const { endpoint, samplerRatio, serviceName } = config.tracing;
  if (endpoint === undefined) return TRACING_OFF;
  return new OtelTracing({ endpoint, samplerRatio, serviceName, ...extra });
}

const kHttpSpan = Symbol("atrium.httpSpan");
/** The HTTP span's context, when it is sampled (the parent of the GraphQL operation's span). */
const kHttpTrace = Symbol("atrium.httpTrace");
type WithSpan = FastifyRequest & { [kHttpSpan]?: Span | null; [kHttpTrace]?: Context | null };

/** An error's type for `error.type`: a SQLSTATE or code, else its class; never its message. */
function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
  return err instanceof Error ? err.constructor.name : "_OTHER";
}

function endWithError(span: Span, err: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(err));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

class OtelTracing implements Tracing {
  readonly enabled = true;
  readonly statements: StatementTracer;
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;
  /** The sampled job a statement or an enqueue runs in (entered only for sampled jobs). */
  private readonly jobs = new AsyncLocalStorage<Context>();
  /** Sampled jobs in flight: the storage is turned off (its promise hooks with it) when none is. */
  private sampledJobs = 0;
  private suspended = false;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly registered = { provider: false, propagator: false };
  /** A statement family's attributes, built once (families are a bounded set: statementFamily). */
  private readonly dbAttributes = new Map<string, Attributes>();

  constructor(opts: TracingOptions) {
    const exporter = opts.exporter ?? new OTLPTraceExporter({ url: `${opts.endpoint}/v1/traces` });
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(opts.samplerRatio) }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter,
          ...(opts.scheduledDelayMillis !== undefined ? { scheduledDelayMillis: opts.scheduledDelayMillis } : {}),
        }),
      ],
    });
    this.tracer = this.provider.getTracer("atrium-api");
    // Registered globally too, for any library that asks the API for them. This instance's own
    // spans use its provider directly (two APIs in one process, as in tests and the bench, each
    // keep their own); the first instance to register keeps the globals. No global context
    // manager: OpenTelemetry's is an AsyncLocalStorage, which would turn the promise hooks on for
    // the whole thread.
    this.registered.provider = trace.setGlobalTracerProvider(this.provider);
    this.registered.propagator = propagation.setGlobalPropagator(this.propagator);
    this.statements = { start: (sql, count, parent) => this.startStatement(sql, count, parent) };
  }

  /** A unit of work's trace parent: the one it was handed, else the sampled job it runs in. */
  private parentOf(handed: TraceParent | undefined): Context | undefined {
    if (handed !== undefined) return handed as Context;
    return this.sampledJobs > 0 ? this.jobs.getStore() : undefined;
  }

  private startStatement(
    sql: string | null,
    count: number,
    handed: TraceParent | undefined,
  ): ((error?: unknown) => void) | undefined {
    const parent = this.parentOf(handed);
    if (!parent) return undefined;
    const family = familyOfStatement(sql);
    let attributes = this.dbAttributes.get(family);
    if (!attributes) {
      const [operation, table] = family.split(" ");
      attributes = {
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_OPERATION_NAME]: operation!,
        [ATTR_DB_QUERY_SUMMARY]: family,
        ...(table ? { [ATTR_DB_COLLECTION_NAME]: table } : {}),
      };
      if (this.dbAttributes.size < 2_000) this.dbAttributes.set(family, attributes);
    }
    const span = this.tracer.startSpan(family, { kind: SpanKind.CLIENT, attributes }, parent);
    if (count !== 1) span.setAttribute(ATTR_DB_STATEMENT_COUNT, count);
    return (error) => (error === undefined ? span.end() : endWithError(span, error));
  }

  registerHttp(app: FastifyInstance): void {
    app.decorateRequest(kHttpSpan, null);
    app.decorateRequest(kHttpTrace, null);
    app.addHook("onRequest", (request, _reply, done) => {
      if (this.suspended) {
        done();
        return;
      }
      // The route's template (/forms/:slug), never the URL: no query string, no path value.
      const route = request.routeOptions.url;
      const span = this.tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        {
          kind: SpanKind.SERVER,
          attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}) },
        },
        ROOT_CONTEXT,
      );
      (request as WithSpan)[kHttpSpan] = span;
      // Sampled: the request's units of work trace their statements under it (its scope carries
      // it). Not sampled: nothing more; its children would follow its decision.
      if (span.isRecording()) {
        const ctx = trace.setSpan(ROOT_CONTEXT, span);
        (request as WithSpan)[kHttpTrace] = ctx;
        setRequestTrace(request, ctx);
      }
      done();
    });
    const end = (request: FastifyRequest, reply: FastifyReply) => {
      const span = (request as WithSpan)[kHttpSpan];
      if (!span) return;
      (request as WithSpan)[kHttpSpan] = null;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    app.addHook("onResponse", (request, reply, done) => {
      end(request, reply);
      done();
    });
    app.addHook("onRequestAbort", (request, done) => {
      const span = (request as WithSpan)[kHttpSpan];
      if (span) {
        (request as WithSpan)[kHttpSpan] = null;
        span.setAttribute(ATTR_ERROR_TYPE, "aborted");
        span.end();
      }
      done();
    });
  }

  graphqlRoute<R>(handler: (request: FastifyRequest, reply: FastifyReply) => Promise<R>) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<R> => {
      const parent = (request as WithSpan)[kHttpTrace];
      if (!parent) return handler(request, reply);
      const span = this.tracer.startSpan("graphql", { kind: SpanKind.INTERNAL }, parent);
      // The operation's runs (each copies the request's scope as it starts) trace under its span.
      setRequestTrace(request, trace.setSpan(parent, span));
      try {
        return await handler(request, reply);
      } catch (err) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(err));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        // What the request's log record learnt of the operation (observability/request-log.ts):
        // its type and name, the workspace (a UUID), the principal kind.
        const record = requestLog(request);
        if (record?.operationType) {
          span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, record.operationType);
          if (record.operation) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, record.operation);
          span.updateName(record.operation ? `${record.operationType} ${record.operation}` : record.operationType);
        }
        if (record?.workspaceId) span.setAttribute(ATTR_WORKSPACE_ID, record.workspaceId);
        span.setAttribute(ATTR_PRINCIPAL_KIND, record?.principal ?? "anonymous");
        span.end();
        setRequestTrace(request, parent);
      }
    };
  }

  withTraceparent<T extends object>(data: T, handed: TraceParent | undefined): T {
    const parent = this.parentOf(handed);
    if (!parent) return data;
    const carrier: Record<string, string> = {};
    this.propagator.inject(parent, carrier, defaultTextMapSetter);
    const traceparent = carrier[TRACEPARENT];
    return traceparent ? { ...data, [TRACEPARENT]: traceparent } : data;
  }

  async inJob<R>(
    queue: string,
    data: object,
    meta: { id: string; retryCount: number },
    run: () => Promise<R>,
  ): Promise<R> {
    if (this.suspended) return run();
    const traceparent = (data as { [TRACEPARENT]?: unknown })[TRACEPARENT];
    const parent =
      typeof traceparent === "string"
        ? this.propagator.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent }, defaultTextMapGetter)
        : ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      `process ${queue}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [ATTR_MESSAGING_SYSTEM]: "pg-boss",
          [ATTR_MESSAGING_OPERATION_TYPE]: "process",
          [ATTR_MESSAGING_DESTINATION_NAME]: queue,
          [ATTR_MESSAGING_MESSAGE_ID]: meta.id,
          [ATTR_JOB_RETRY_COUNT]: meta.retryCount,
        },
      },
      parent,
    );
    const workspaceId = (data as { workspaceId?: unknown }).workspaceId;
    if (typeof workspaceId === "string" && UUID.test(workspaceId)) span.setAttribute(ATTR_WORKSPACE_ID, workspaceId);
    // Not sampled: no child span will be made, so no context to keep.
    if (!span.isRecording()) {
      try {
        const result = await run();
        span.end();
        return result;
      } catch (err) {
        endWithError(span, err);
        throw err;
      }
    }
    this.sampledJobs++;
    try {
      const result = await this.jobs.run(trace.setSpan(parent, span), run);
      span.end();
      return result;
    } catch (err) {
      endWithError(span, err);
      throw err;
    } finally {
      if (--this.sampledJobs === 0) this.jobs.disable();
    }
  }

  quiesce(): void {
    if (this.sampledJobs === 0) this.jobs.disable();
  }

  suspend(suspended: boolean): void {
    this.suspended = suspended;
  }

  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  async shutdown(): Promise<void> {
    try {
      await this.provider.shutdown();
    } finally {
      if (this.registered.provider) trace.disable();
      if (this.registered.propagator) propagation.disable();
      this.jobs.disable();
    }
  }
}
