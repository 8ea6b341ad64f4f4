// One pg-boss instance per process (schema `pgboss` in the application database), used two ways:
// - enqueue(tx, …): the outbox. The job row is inserted through the caller's own tenant
//   transaction (pg-boss's `db` option), so a message and the job that sends it commit or roll
//   back together. The job id is the row's id: pg-boss inserts with ON CONFLICT DO NOTHING, so
//   enqueuing the same message twice yields one job (the idempotency key).
// - work(queue, handler): workers (when JOBS_ENABLED), each job fetched by exactly one worker
//   across every API instance; retried with exponential backoff as the queue's policy says.
// The app role may insert jobs and read back their ids, nothing else (granted after pg-boss
// installs its schema; pg-boss owns that schema, so the grants cannot live in a migration).
import { once } from "node:events";
import pg from "pg";
import { PgBoss, type JobWithMetadata, type Queue, type SendOptions } from "pg-boss";

import { traceOfTx, type TenantTx } from "@atrium/db";

import { TRACEPARENT, type Tracing } from "../observability/tracing.ts";
import { DEFAULT_JOB_TIMING, DEFAULT_WEBHOOK_TIMEOUT_MS } from "./job-defaults.ts";

export const QUEUES = {
  retention: "retention-sweep",
  sendMessage: "send-whatsapp-message",
  startCall: "start-voice-call",
  agentReply: "agent-reply",
  rotateCredentials: "rotate-credentials",
  webhookDeliver: "webhook-deliver",
  /** Issue 50: one audit stream's pump per workspace (stately on the workspace id: one queued, one running). */
  auditStream: "audit-stream",
  /** Issue 50: every minute, a pump for every enabled audit stream (deduplicated): restarts a chain a worker lost. */
  auditStreamSweep: "audit-stream-sweep",
  /** Issue 50: signs a checkpoint of every workspace's audit chain that moved (AUDIT_CHECKPOINT_INTERVAL_SECONDS; decision 0053). */
  auditCheckpoint: "audit-checkpoint",
  /** R5: one active dispatcher per workspace (singleton on the workspace id): the per-workspace rate. */
  campaignDispatch: "campaign-dispatch",
  /** Held sends (HELD_QUOTA) are offered again at the start of each month (UTC). */
  releaseHeld: "release-held-sends",
  /** Outgoing mail (verification, invitations): platform/mail/outbox.ts. */
  sendMail: "send-mail",
  /** Issue 47: Live Call Control requests (guidance to a call, a transfer), each sent at most once. */
  callControl: "call-control",
  /** Issue 47: the daily notification digest (08:00 UTC). */
  notificationDigest: "notification-digest",
  /** Issue 50: a data-subject request (export or erasure), resumable step by step. */
  dataSubjectRequest: "data-subject-request",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Where a job is inserted: any Prisma transaction (a tenant one, or the system client's). */
export type JobTx = Pick<TenantTx, "$queryRawUnsafe">;

/** A job's handler; what it resolves to is kept as the job's output (pg-boss `output`, single-job workers). */
export type JobHandler<T> = (
  data: T,
  meta: { id: string; retryCount: number; retryLimit: number; lastAttempt: boolean },
) => Promise<unknown>;

export interface JobQueueOptions {
  ownerUrl: string;
  /** Maintenance (expiry, archiving) and cron in this process. */
  supervise: boolean;
  retry: { limit: number; delaySeconds: number };
  /**
   * Timing (issue 16; defaults for production): `sendExpireSeconds` — a send whose worker went
   * silent (its process or the database died mid-run, so the job could be neither completed nor
   * failed) is failed and retried after this long; the retry asks the provider before sending
   * again. `superviseSeconds` — how often expiry is checked; `cronCheckSeconds` — how often each
   * instance looks at the cron schedules (one check at a time across instances, pg-boss).
   */
  timing?: { sendExpireSeconds: number; superviseSeconds: number; cronCheckSeconds: number };
  /**
   * The longest a webhook attempt waits for its endpoint (WEBHOOK_TIMEOUT_MS). A delivery job
   * whose worker went silent is retried after `webhookExpireSeconds(timing, this)`: as soon as a
   * send's, but never while an attempt could still be waiting for its answer.
   */
  webhookTimeoutMs?: number;
  log: (msg: string, data?: object) => void;
  /**
   * Traces (decision 0035): a job enqueued inside a traced request carries its `traceparent` in
   * its data, and each job runs in a span that is its child. Off: nothing added, nothing wrapped.
   */
  tracing?: Tracing;
  /**
   * The workers run in another process (JOBS_PROCESS=separate, decision 0055): `notify` also wakes
   * them, through PostgreSQL (`NOTIFY atrium_job_wake`, one statement per tick for all queues
   * named in it); the jobs process hears it with `listenForWakes`.
   */
  wakeOtherProcesses?: boolean;
}

/** The channel on which an API process wakes the jobs process's workers (the payload: a queue name). */
export const JOB_WAKE_CHANNEL = "atrium_job_wake";

/**
 * How long a webhook delivery job may stay active before pg-boss fails and retries it. Without
 * it, the queue's default (15 minutes) held back every delivery whose worker was cut off, by a
 * database restart say, for a quarter of an hour (decision 0013).
 */
export function webhookExpireSeconds(
  timing: { sendExpireSeconds: number },
  opts: { webhookTimeoutMs?: number },
): number {
  return Math.max(
    timing.sendExpireSeconds,
    Math.ceil((opts.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS) / 1000) + 5,
  );
}

/**
 * Creates `name` with `options`, or sets the options it names on an existing queue (a later release
 * may change them; an option no longer named keeps the value it had). Each call gets its own copy:
 * createQueue writes into the options it is given (it adds `policy`), and updateQueue refuses
 * `policy` and `partition`, which cannot change after creation.
 */
async function ensureQueue(boss: PgBoss, name: string, options: Omit<Queue, "name"> = {}): Promise<void> {
  await boss.createQueue(name, { ...options });
  const { policy: _policy, partition: _partition, ...updatable } = options;
  if (Object.keys(updatable).length > 0) await boss.updateQueue(name, updatable);
}

/**
 * pg-boss's connections, in a pool of our own (its `db` option) so that stopping can wait for each
 * connection to be closed by the server. pg's `Pool.end()` resolves as soon as it has asked its
 * idle clients to end, before their sockets close; the embedded PostgreSQL, stopped next, then
 * sent "terminating connection due to administrator command" to a backend that had not yet read
 * its Terminate, and the still-attached idle listener reported it as a job queue error (CI, the
 * start-up suite's SIGTERM check).
 */
export class JobPool {
  private readonly pool: pg.Pool;
  private live = 0;

  constructor(ownerUrl: string, max: number, onError: (err: Error) => void) {
    this.pool = new pg.Pool({ connectionString: ownerUrl, max, application_name: "pgboss" });
    this.pool.on("error", onError);
    this.pool.on("connect", () => this.live++);
    // "remove" is emitted once the client's connection has ended (its socket closed).
    this.pool.on("remove", () => this.live--);
  }

  /** pg-boss's `db` interface. */
  readonly executeSql = (text: string, values?: unknown[]): Promise<pg.QueryResult> => this.pool.query(text, values);

  /** How many connections are open (connected, not yet closed). */
  get openConnections(): number {
    return this.live;
  }

  /**
   * Ends the pool and resolves once every connection is closed (waiting at most `limitMs` after
   * the pool has ended). Once `end()` has resolved, every client has been asked to end and none
   * can be made, so the connections still counted are closing.
   */
  async close(limitMs = 5_000): Promise<void> {
    if (!this.pool.ending) await this.pool.end();
    const limit = AbortSignal.timeout(limitMs);
    // An idle client's error during the wait rejects `once`; that client is removed too, so wait on.
    while (this.live > 0 && !limit.aborted) await once(this.pool, "remove", { signal: limit }).catch(() => undefined);
  }
}

export class JobQueue {
  private boss: PgBoss | null = null;
  private pool: JobPool | null = null;
  private starting: Promise<PgBoss> | null = null;
  private readonly workerIds = new Map<string, string[]>();
  /** Queues to wake in other processes, sent together at the end of the tick. */
  private wakeQueued: Set<QueueName> | null = null;
  private wakeListener: { stop(): Promise<void> } | null = null;

  constructor(private readonly opts: JobQueueOptions) {}

  /** Starts pg-boss once (installs or migrates its schema, creates the queues, grants the app role). */
  start(): Promise<PgBoss> {
    this.starting ??= (async () => {
      const timing = this.opts.timing ?? DEFAULT_JOB_TIMING;
      const pool = new JobPool(this.opts.ownerUrl, 4, (err) => this.opts.log("job queue error", { err: err.message }));
      this.pool = pool;
      const boss = new PgBoss({
        db: pool,
        schema: "pgboss",
        supervise: this.opts.supervise,
        schedule: this.opts.supervise,
        superviseIntervalSeconds: timing.superviseSeconds,
        cronMonitorIntervalSeconds: timing.cronCheckSeconds,
        monitorIntervalSeconds: timing.superviseSeconds,
        // Jobs are traced here (work, enqueue: decision 0035); pg-boss's own spans would add a
        // root span for every poll of every worker once a tracer provider is registered.
        openTelemetry: { enabled: false },
      });
      boss.on("error", (err) =>
        this.opts.log("job queue error", { err: err instanceof Error ? err.message : String(err) }),
      );
      await boss.start();
      const sendPolicy = {
        retryLimit: this.opts.retry.limit,
        retryDelay: this.opts.retry.delaySeconds,
        retryBackoff: true,
        retryDelayMax: 3600,
        expireInSeconds: timing.sendExpireSeconds,
      };
      for (const name of [QUEUES.sendMessage, QUEUES.startCall, QUEUES.agentReply, QUEUES.sendMail])
        await ensureQueue(boss, name, sendPolicy);
      // Webhook attempts schedule their own retries (one job per attempt, see webhooks.service);
      // the queue's own retries only cover a worker that crashed mid-attempt.
      await ensureQueue(boss, QUEUES.webhookDeliver, {
        retryLimit: 2,
        retryDelay: 5,
        retryBackoff: true,
        expireInSeconds: webhookExpireSeconds(timing, this.opts),
      });
      // An audit stream's pump sends a batch or looks for events, then enqueues its own next run.
      await ensureQueue(boss, QUEUES.auditStream, {
        policy: "stately",
        retryLimit: 10,
        retryDelay: 2,
        retryBackoff: true,
        retryDelayMax: 300,
        expireInSeconds: webhookExpireSeconds(timing, this.opts),
      });
      await ensureQueue(boss, QUEUES.auditStreamSweep, { retryLimit: 1, retryDelay: 30 });
      await ensureQueue(boss, QUEUES.auditCheckpoint, { policy: "singleton", retryLimit: 2, retryDelay: 60 });
      // A dispatcher works for a short slice and re-enqueues itself, so it expires quickly when lost.
      await ensureQueue(boss, QUEUES.campaignDispatch, {
        policy: "singleton",
        retryLimit: 10,
        retryDelay: 2,
        retryBackoff: true,
        retryDelayMax: 300,
        expireInSeconds: Math.min(timing.sendExpireSeconds, 120),
      });
      await ensureQueue(boss, QUEUES.releaseHeld, { retryLimit: 3, retryDelay: 30, retryBackoff: true });
      await ensureQueue(boss, QUEUES.retention);
      await ensureQueue(boss, QUEUES.rotateCredentials, { retryLimit: 3, retryDelay: 30, retryBackoff: true });
      await ensureQueue(boss, QUEUES.callControl, sendPolicy);
      await ensureQueue(boss, QUEUES.notificationDigest, { retryLimit: 3, retryDelay: 60, retryBackoff: true });
      // A request resumes at its recorded step; a worker cut off is retried after 5 minutes.
      await ensureQueue(boss, QUEUES.dataSubjectRequest, {
        retryLimit: 10,
        retryDelay: 30,
        retryBackoff: true,
        retryDelayMax: 3600,
        expireInSeconds: 300,
      });
      await grantEnqueue(this.opts.ownerUrl);
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  /** Inserts a job inside `tx` (commits with it). `id` (a UUID) deduplicates: one job per id and queue. */
  async enqueue(
    tx: JobTx,
    queue: QueueName,
    id: string,
    data: object,
    options: Pick<SendOptions, "singletonKey" | "startAfter"> = {},
  ): Promise<void> {
    const boss = await this.start();
    const tracing = this.opts.tracing;
    // Traced: the job is the child of the span of the transaction that enqueues it (decision 0035).
    await boss.send(queue, tracing?.enabled ? tracing.withTraceparent(data, traceOfTx(tx)) : data, {
      ...options,
      id,
      db: {
        executeSql: async (text: string, values: unknown[]) => ({
          rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
        }),
      },
    });
  }

  /** Outside any transaction (platform jobs). */
  async send(queue: QueueName, data: object, options: SendOptions = {}): Promise<string | null> {
    const tracing = this.opts.tracing;
    return (await this.start()).send(
      queue,
      tracing?.enabled ? tracing.withTraceparent(data, undefined) : data,
      options,
    );
  }

  /** Wakes this process's workers for `queue` (call after the enqueuing transaction committed). */
  notify(queue: QueueName): void {
    if (!this.boss) return;
    for (const id of this.workerIds.get(queue) ?? []) this.boss.notifyWorker(id);
    if (!this.opts.wakeOtherProcesses) return;
    if (this.wakeQueued) {
      this.wakeQueued.add(queue);
      return;
    }
    this.wakeQueued = new Set([queue]);
    setImmediate(() => {
      const queues = [...(this.wakeQueued ?? [])];
      this.wakeQueued = null;
      // A lost wake costs at most a polling interval: the workers poll anyway.
      this.pool
        ?.executeSql(`SELECT pg_notify('${JOB_WAKE_CHANNEL}', q) FROM unnest($1::text[]) AS q`, [queues])
        .catch((err: Error) => this.opts.log("job wake not sent", { err: err.message }));
    });
  }

  /** `concurrency` workers for `queue`; a handler that throws is retried per the queue policy. */
  /**
   * `batchSize` > 1: each worker fetches up to that many jobs and runs them concurrently; a job
   * whose handler throws is failed on its own (retried per the queue policy), the others complete.
   * (A pg-boss worker waits out the rest of its polling interval after each fetch, so one job per
   * fetch caps a worker at 1 / interval jobs per second while the queue is busy.)
   */
  async work<T extends object>(
    queue: QueueName,
    handler: JobHandler<T>,
    opts: { concurrency?: number; pollingIntervalSeconds?: number; batchSize?: number } = {},
  ): Promise<void> {
    const boss = await this.start();
    const ids: string[] = [];
    const batchSize = opts.batchSize ?? 1;
    const tracing = this.opts.tracing;
    const run = (job: JobWithMetadata<T>) => {
      const meta = {
        id: job.id,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        lastAttempt: job.retryCount >= job.retryLimit,
      };
      if (!tracing?.enabled) return handler(job.data, meta);
      // The handler sees its data as enqueued, without the trace context.
      const { [TRACEPARENT]: _traceparent, ...data } = job.data as T & { [TRACEPARENT]?: string };
      return tracing.inJob(queue, job.data, meta, () => handler(data as T, meta));
    };
    for (let i = 0; i < (opts.concurrency ?? 1); i++) {
      ids.push(
        await boss.work(
          queue,
          { includeMetadata: true, batchSize, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 1 },
          async (jobs: JobWithMetadata<T>[]) => {
            if (batchSize === 1) return jobs[0] ? await run(jobs[0]) : undefined;
            await Promise.all(
              jobs.map(async (job) => {
                try {
                  await run(job);
                } catch (err) {
                  this.opts.log("job failed", {
                    queue,
                    id: job.id,
                    err: err instanceof Error ? err.message : String(err),
                  });
                  await boss.fail(queue, job.id, { message: err instanceof Error ? err.message : String(err) });
                }
              }),
            );
          },
        ),
      );
    }
    this.workerIds.set(queue, [...(this.workerIds.get(queue) ?? []), ...ids]);
  }

  /**
   * Each queue's waiting and active jobs and the age of its oldest due job (metrics, at scrape
   * time): one statement on this process's pg-boss pool; null before pg-boss started here.
   */
  async queueStats(): Promise<QueueStats[] | null> {
    if (!this.pool) return null;
    const { rows } = await this.pool.executeSql(QUEUE_STATS_SQL, [Object.values(QUEUES), QUEUE_STATS_LIMIT]);
    return (rows as { name: QueueName; waiting: number; active: number; oldest_seconds: number }[]).map((r) => ({
      queue: r.name,
      waiting: r.waiting,
      active: r.active,
      oldestWaitingSeconds: r.oldest_seconds,
    }));
  }

  async schedule(queue: QueueName, cron: string, data: object = {}): Promise<void> {
    await (await this.start()).schedule(queue, cron, data, { tz: "UTC" });
  }

  /**
   * In the jobs process: wakes this process's workers when another process's `notify` names their
   * queue (a connection of its own that LISTENs, reconnected after a second when it is lost).
   */
  async listenForWakes(): Promise<void> {
    if (this.wakeListener) return;
    let client: pg.Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const again = (c: pg.Client, err?: Error) => {
      if (client !== c) return; // this connection's loss is already handled
      client = null;
      c.end().catch(() => undefined);
      if (stopped) return;
      this.opts.log("job wake listener lost; reconnecting in 1 s", err ? { err: err.message } : undefined);
      retry = setTimeout(() => void attempt(), 1_000);
    };
    const attempt = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: this.opts.ownerUrl, application_name: "atrium-job-wake" });
      client = c;
      c.on("notification", (n) => {
        if (n.payload && (Object.values(QUEUES) as string[]).includes(n.payload)) this.notify(n.payload as QueueName);
      });
      c.on("error", (err) => again(c, err));
      c.on("end", () => again(c));
      try {
        await c.connect();
        await c.query(`LISTEN ${JOB_WAKE_CHANNEL}`);
      } catch (err) {
        // The workers poll meanwhile: a wake missed costs at most a polling interval.
        again(c, err instanceof Error ? err : new Error(String(err)));
      }
    };
    this.wakeListener = {
      stop: async () => {
        stopped = true;
        clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      },
    };
    await attempt();
  }

  async stop(): Promise<void> {
    await this.wakeListener?.stop();
    this.wakeListener = null;
    const starting = this.starting;
    const pool = this.pool;
    this.starting = null;
    this.boss = null;
    this.pool = null;
    this.workerIds.clear();
    if (!starting) return;
    const boss = await starting.catch(() => null);
    try {
      // stop() resolves once the workers have finished (pg-boss 12 has no `wait` option: it always waits).
      await boss?.stop({ graceful: true, timeout: 10_000 });
    } finally {
      await pool?.close();
    }
  }
}

export interface QueueStats {
  queue: QueueName;
  /** Created or retrying, due or not (counted up to QUEUE_STATS_LIMIT). */
  waiting: number;
  active: number;
  /** Seconds since the oldest waiting job that is due was created; 0 when none is. */
  oldestWaitingSeconds: number;
}

/** Jobs counted per queue and state at most: a scrape stays cheap however long a backlog grows. */
export const QUEUE_STATS_LIMIT = 10_000;

/**
 * Per queue, the waiting jobs in pg-boss's own fetch order (its partial index on name, priority,
 * created_on where state < 'active' and not blocked: nothing else is read), at most $2 of them, and
 * the active ones (index on name and state). Atrium sets no priorities, so the first $2 waiting
 * jobs are the oldest. A few index-only scans per queue (0.2 ms for the eleven queues, empty).
 */
const QUEUE_STATS_SQL = `
  SELECT q.name, w.waiting, a.active,
         coalesce(extract(epoch FROM now() - w.oldest_due), 0)::float8 AS oldest_seconds
  FROM unnest($1::text[]) AS q(name)
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS waiting, min(j.created_on) FILTER (WHERE j.start_after <= now()) AS oldest_due
    FROM (SELECT created_on, start_after FROM pgboss.job
          WHERE name = q.name AND state < 'active' AND NOT blocked
          ORDER BY priority DESC, created_on LIMIT $2) j
  ) w
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS active FROM (SELECT 1 FROM pgboss.job WHERE name = q.name AND state = 'active' LIMIT $2) j
  ) a`;

async function grantEnqueue(ownerUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`GRANT USAGE ON SCHEMA pgboss TO atrium_app;
          GRANT SELECT ON pgboss.queue TO atrium_app;
          GRANT INSERT ON pgboss.job, pgboss.job_common TO atrium_app;
          GRANT SELECT (id) ON pgboss.job, pgboss.job_common TO atrium_app;`);
        return;
      } catch (err) {
        // Two instances granting at once: "tuple concurrently updated". The other one succeeded.
        if (attempt >= 3 || !(err instanceof Error) || !/concurrently/.test(err.message)) throw err;
      }
    }
  } finally {
    await c.end();
  }
}
