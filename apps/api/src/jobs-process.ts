// JOBS_PROCESS=separate (decision 0055, default in production): the API runs its job workers —
// sends, calls, webhooks, mail, campaign dispatch, retention, audit streams — in a child process of
// its own, forked from the same entry point, at a lower CPU priority. A campaign sending at the
// provider's rate then costs the jobs process's CPU, not the request path's (measured: the page
// reads' p99 while a 100,000-recipient campaign runs, docs/perf/scale-log.md).
//
// Invariants:
// - The API process owns the database (embedded or not) and starts the queue (its schema and
//   queues) before the jobs process; it stops the jobs process before the database.
// - The jobs process exits when the API process is gone (its IPC channel closes), whatever killed
//   the API: it never runs on without it.
// - A jobs process that dies is started again, after 1, 2, 5, 10, then 30 s while it keeps dying.
// - Sends' counts made over there, and its own memory, CPU and event-loop delay, reach the API's
//   /metrics through the IPC channel.
import { execFile, fork, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { promisify } from "node:util";
import pg from "pg";

import { createDb } from "@atrium/db";

import { jobsProcessEnv, type AppConfig } from "./env.ts";
import {
  countJobsProcessRestart,
  forwardCounts,
  recordJobsProcessHealth,
  registerJobsProcessMetrics,
  type ForwardedCount,
  type JobsProcessHealth,
} from "./platform/observability/metrics.ts";
import { startScheduler } from "./scheduler.ts";
import { createServices } from "./services.ts";

/**
 * The `application_name` of every connection the jobs process opens (its app and owner pools, and
 * pg-boss's, whose URL is the owner pool's: a connection string's parameter wins over pg's option):
 * how it finds its own backends to lower their priority.
 */
export const JOBS_APPLICATION_NAME = "atrium-jobs";
/** How often the jobs process looks for new backends of its own (a pool opens them as it needs). */
const BACKEND_PRIORITY_EVERY_MS = 1_000;

/** Waits between restarts of a jobs process that keeps dying; back to the first after a minute up. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const HEALTHY_AFTER_MS = 60_000;
/** How long the first start may take before the API gives up (loading the bundle, starting workers). */
const READY_LIMIT_MS = 60_000;
/** How long a stopping jobs process may finish its running jobs before it is killed. */
const STOP_LIMIT_MS = 9_000;

type FromJobs = { ready: true } | { count: ForwardedCount } | { health: JobsProcessHealth };
/** How often the jobs process reports its health (memory, CPU, event loop) to the API's /metrics. */
const MEMORY_REPORT_EVERY_MS = 10_000;

export interface JobsProcess {
  /** The running jobs process's pid (undefined between a crash and its restart). */
  readonly pid: number | undefined;
  /** Stops it (SIGTERM: running jobs finish, up to STOP_LIMIT_MS, then SIGKILL) and does not restart it. */
  stop(): Promise<void>;
}

export class JobsProcessStartError extends Error {}
/** The system would not make the process (already logged where it was seen). */
class JobsProcessNotMadeError extends JobsProcessStartError {}

/** The jobs process: this entry point again, forked with an IPC channel. */
function defaultSpawn(env: NodeJS.ProcessEnv): ChildProcess {
  return fork(process.argv[1]!, process.argv.slice(2), { env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

/**
 * In the API process: forks the jobs process and keeps it running. Resolves once it works its
 * queues; rejects (JobsProcessStartError) when the first one exits or hangs before that.
 */
export async function superviseJobsProcess(opts: {
  appUrl: string;
  ownerUrl: string;
  log: (msg: string, data?: object) => void;
  /** A count the jobs process made (recordForwardedCount). */
  onCount: (count: ForwardedCount) => void;
  /** Starts one jobs process with this environment (default: node's fork of this entry point; a test gives its own). */
  spawn?: (env: NodeJS.ProcessEnv) => ChildProcess;
}): Promise<JobsProcess> {
  registerJobsProcessMetrics();
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const log = opts.log;
  /**
   * After a jobs process exited, or one could not be started at all (fork threw, or the system
   * refused the process: "error" without a pid), the next attempt, after the backoff.
   */
  const restartLater = (startedAt: number, exit: string | number | null) => {
    if (stopping) return;
    if (Date.now() - startedAt > HEALTHY_AFTER_MS) restarts = 0;
    const delay = RESTART_DELAYS_MS[Math.min(restarts, RESTART_DELAYS_MS.length - 1)]!;
    restarts++;
    countJobsProcessRestart();
    log("the jobs process exited; starting it again", { exit, restartInSeconds: delay / 1000 });
    restartTimer = setTimeout(() => {
      if (stopping) return;
      let next: { child: ChildProcess; ready: Promise<void> };
      try {
        next = spawnOne();
      } catch (err) {
        log("the jobs process could not be started", { err: err instanceof Error ? err.message : String(err) });
        restartLater(Date.now(), "not started");
        return;
      }
      child = next.child;
      next.ready.then(
        () => log("the jobs process is running again", { pid: next.child.pid }),
        (err: Error) => {
          if (!(err instanceof JobsProcessNotMadeError)) log("the jobs process did not start", { err: err.message });
        },
      );
    }, delay);
  };

  const spawnOne = (): { child: ChildProcess; ready: Promise<void> } => {
    const c = (opts.spawn ?? defaultSpawn)(jobsProcessEnv(opts));
    const startedAt = Date.now();
    let notReady: (err: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      notReady = reject;
      const limit = setTimeout(() => {
        reject(new JobsProcessStartError(`the jobs process was not ready after ${READY_LIMIT_MS / 1000} s`));
        c.kill("SIGKILL");
      }, READY_LIMIT_MS);
      c.on("message", (m: FromJobs) => {
        if ("ready" in m) {
          clearTimeout(limit);
          resolve();
        } else if ("count" in m) opts.onCount(m.count);
        else if ("health" in m) recordJobsProcessHealth(m.health);
      });
      c.once("exit", (code, signal) => {
        clearTimeout(limit);
        reject(
          new JobsProcessStartError(
            `the jobs process exited before it was ready (${signal ?? `code ${code ?? "?"}`}); its error is above`,
          ),
        );
      });
      c.on("error", () => clearTimeout(limit));
    });
    // A process the system would not make is reported as "error" with no pid, and Node may never
    // emit "exit" for it: it is gone all the same, and is started again like one that exited.
    c.on("error", (err) => {
      if (c.pid !== undefined) return log("the jobs process reported an error", { err: err.message });
      log("the jobs process could not be started", { err: err.message });
      notReady(new JobsProcessNotMadeError(`the jobs process could not be started: ${err.message}`));
      if (child !== c) return;
      child = null;
      restartLater(startedAt, "not started");
    });
    c.once("exit", (code, signal) => {
      if (child !== c) return;
      child = null;
      restartLater(startedAt, signal ?? code);
    });
    return { child: c, ready };
  };

  // The first start decides whether the API starts: no restarts for it.
  let first: { child: ChildProcess; ready: Promise<void> };
  try {
    first = spawnOne();
  } catch (err) {
    throw new JobsProcessStartError(
      `the jobs process could not be started: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  child = first.child;
  await first.ready.catch((err: unknown) => {
    stopping = true;
    clearTimeout(restartTimer);
    throw err;
  });
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
      c.kill("SIGTERM");
      const killer = setTimeout(() => c.kill("SIGKILL"), STOP_LIMIT_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** In the jobs process (the entry point, forked by the API with jobsProcessEnv): the workers, no HTTP server. */
export async function runJobsProcess(config: AppConfig, urls: { appUrl: string; ownerUrl: string }): Promise<void> {
  const { appUrl, ownerUrl } = urls;
  const send = process.send?.bind(process);
  if (!send) {
    console.error("[jobs] the jobs process is started by the API (JOBS_PROCESS=separate), not on its own");
    process.exit(1);
  }
  // The API went away while this one was starting: nothing to finish yet.
  let started = false;
  process.once("disconnect", () => {
    if (!started) process.exit(0);
  });
  const quiet = config.logLevel === "silent";
  const log = (msg: string, data?: object) => {
    if (!quiet)
      console.log(JSON.stringify({ level: 30, time: Date.now(), process: "jobs", pid: process.pid, msg, ...data }));
  };
  try {
    os.setPriority(config.jobsProcessNice);
  } catch (err) {
    log("could not lower the jobs process's priority", { err: err instanceof Error ? err.message : String(err) });
  }
  // SCHED_IDLE for every thread it has now; the threads it starts later inherit it.
  let sched: "idle" | "normal" = "normal";
  if (config.jobsProcessSched === "idle") {
    const refused = await schedIdle(process.pid, true);
    if (refused) log("could not give the jobs process SCHED_IDLE; its niceness alone", { err: refused });
    else sched = "idle";
  }
  forwardCounts((count) => {
    if (process.connected) send({ count } satisfies FromJobs);
  });
  const db = createDb({
    appUrl: withApplicationName(appUrl, JOBS_APPLICATION_NAME),
    ownerUrl: withApplicationName(ownerUrl, JOBS_APPLICATION_NAME),
    breaker: {
      onChange: (e) =>
        log(e.open ? "the database is unreachable; jobs wait for it" : "the database is reachable again"),
    },
  });
  const services = createServices(config, db);
  const backends = lowerBackendPriority(ownerUrl, config.jobsProcessNice, sched, log);
  const scheduler = await startScheduler({
    ownerUrl,
    db,
    retention: services.retention,
    retentionBatchSize: config.retentionBatchSize,
    services,
    log,
  });
  await services.jobs.listenForWakes();

  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    log("jobs process stopping", { why });
    const limit = setTimeout(() => process.exit(1), STOP_LIMIT_MS + 500);
    limit.unref();
    try {
      await scheduler.stop();
      await services.jobs.stop();
      await backends.stop();
      await services.tracing.shutdown();
      await db.disconnect();
      process.exit(0);
    } catch (err) {
      console.error(`[jobs] error while stopping: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  };
  // The API process is gone (stopped, crashed or killed): never run on without it.
  process.on("disconnect", () => void shutdown("the API process is gone"));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
  started = true;
  if (!process.connected) return void shutdown("the API process is gone");
  send({ ready: true } satisfies FromJobs);
  // The event loop's delay over each report's interval: a jobs process whose loop stalls (a long
  // synchronous step in a job) is seen on the API's /metrics, not only in its jobs' timings.
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const reportHealth = () => {
    if (!process.connected) return;
    const { rss, heapUsed } = process.memoryUsage();
    // (Destructured: `.system` reads as the system database client to the lint rule.)
    const { user, system: kernel } = process.cpuUsage();
    const health: JobsProcessHealth = {
      rss,
      heapUsed,
      cpuSeconds: (user + kernel) / 1e6,
      // Nanoseconds; NaN (no sample yet) is sent as 0.
      eventLoopDelayP99Seconds: Number.isFinite(loopDelay.percentile(99)) ? loopDelay.percentile(99) / 1e9 : 0,
    };
    loopDelay.reset();
    send({ health } satisfies FromJobs);
  };
  reportHealth();
  setInterval(reportHealth, MEMORY_REPORT_EVERY_MS).unref();
  log("jobs process ready", { nice: os.getPriority(), sched });
}

/** `url` with `application_name` set (a connection string's parameter, which pg reads). */
export function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", name);
  return u.toString();
}

/** The database runs on this machine: a loopback host or a Unix socket. */
function databaseIsLocal(url: string): boolean {
  const u = new URL(url);
  const host = u.searchParams.get("host") ?? u.hostname;
  return (
    host === "" ||
    host.startsWith("/") ||
    host === "localhost" ||
    host === "::1" ||
    /^127\./.test(host) ||
    host === "[::1]"
  );
}

const execFileAsync = promisify(execFile);

/**
 * Linux's SCHED_IDLE for a process (with `allThreads`, each of its threads), through util-linux's
 * `chrt` (Node has no sched_setscheduler). A task under SCHED_IDLE runs when a core would
 * otherwise idle, and a waking task of the normal policy preempts it at once — where a niceness
 * only weighs its share of the core (decision 0055, addendum "SCHED_IDLE"). Resolves null when
 * set, else why not (no chrt, not Linux, not permitted).
 */
export async function schedIdle(pid: number, allThreads: boolean): Promise<string | null> {
  if (process.platform !== "linux") return `SCHED_IDLE is Linux's (this is ${process.platform})`;
  try {
    await execFileAsync("chrt", ["--idle", ...(allThreads ? ["--all-tasks"] : []), "--pid", "0", String(pid)], {
      timeout: 5_000,
    });
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") return "chrt (util-linux) is not installed";
    return (e.stderr?.trim() || e.message).slice(0, 200);
  }
}

/**
 * The jobs process's database work at its own priority too, when PostgreSQL runs on this machine:
 * every second, the backends serving its connections (found by application_name) that are
 * PostgreSQL processes are reniced, and given SCHED_IDLE when the jobs process has it, once each.
 * A campaign's queueing and sends are mostly the database's CPU; without this, the request path's
 * statements would wait behind them. A database elsewhere (or no /proc) is left alone; backends
 * this user may not renice: said once, then left; SCHED_IDLE refused: said once, the niceness alone.
 */
export function lowerBackendPriority(
  ownerUrl: string,
  nice: number,
  sched: "idle" | "normal",
  log: (msg: string, data?: object) => void,
): { stop(): Promise<void> } {
  if ((nice === 0 && sched === "normal") || !databaseIsLocal(ownerUrl)) return { stop: () => Promise.resolve() };
  let idle = sched === "idle";
  const pool = new pg.Pool({
    connectionString: withApplicationName(ownerUrl, "atrium-jobs-priority"),
    max: 1,
    idleTimeoutMillis: 0,
  });
  pool.on("error", () => undefined);
  // pid and start: a pid the system gives again later is another backend.
  const done = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const { rows } = await pool.query<{ pid: number; started: string }>(
        `SELECT pid, backend_start::text AS started FROM pg_stat_activity WHERE application_name = $1 AND backend_type = 'client backend' AND datname = current_database()`,
        [JOBS_APPLICATION_NAME],
      );
      for (const { pid, started } of rows) {
        if (done.has(`${pid}:${started}`)) continue;
        done.add(`${pid}:${started}`);
        // Only a PostgreSQL process of this machine: never another process that has its number.
        let command = "";
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          continue;
        }
        if (!command.includes("postgres")) continue;
        try {
          os.setPriority(pid, nice);
        } catch (err) {
          log("cannot lower the priority of the database's work for jobs; leaving it as is", {
            err: err instanceof Error ? err.message : String(err),
          });
          stopped = true;
          return;
        }
        if (idle) {
          const refused = await schedIdle(pid, false);
          // (A backend that ended meanwhile refuses nothing.)
          if (refused && existsSync(`/proc/${pid}`)) {
            log("cannot give the database's work for jobs SCHED_IDLE; its niceness alone", { err: refused });
            idle = false;
          }
        }
      }
      if (done.size > 10_000) done.clear();
    } catch {
      // The database is away: try again at the next tick.
    } finally {
      if (!stopped) timer = setTimeout(() => void tick(), BACKEND_PRIORITY_EVERY_MS);
    }
  };
  void tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pool.end().catch(() => undefined);
    },
  };
}
