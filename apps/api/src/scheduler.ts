// pg-boss in the same PostgreSQL (schema `pgboss`): cron schedules are stored in the database
// and each job is fetched by exactly one worker, so any number of API instances can run this.
import type { Db } from "@atrium/db";

import { rotateCredentials, secretsOnOlderKeys } from "./credentials-rotation.ts";
import { runCheckpointSweep } from "./modules/audit/audit-checkpoint-sweep.ts";
import { runRetentionSweep } from "./modules/retention/retention-sweep.ts";
import type { RetentionService } from "./modules/retention/retention.service.ts";
import { JobQueue, QUEUES } from "./platform/jobs/job-queue.ts";
import type { Services } from "./services.ts";

export const RETENTION_QUEUE = QUEUES.retention;
/** W6: nightly at 03:00 UTC. */
export const RETENTION_CRON = "0 3 * * *";
/** First minute of every month, UTC. */
export const RELEASE_HELD_CRON = "1 0 1 * *";

/**
 * The audit checkpoint job's schedule (AUDIT_CHECKPOINT_INTERVAL_SECONDS) on the cron grid: every
 * n minutes below an hour (rounded to whole minutes), every n hours from an hour (rounded to whole
 * hours), daily from 24 hours. 3600 (the default): hourly, on the hour.
 */
export function checkpointCron(intervalSeconds: number): string {
  const minutes = Math.max(1, Math.round(intervalSeconds / 60));
  if (minutes < 60) return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  if (hours >= 24) return "0 0 * * *";
  return hours === 1 ? "0 * * * *" : `0 */${hours} * * *`;
}

export async function startScheduler(opts: {
  ownerUrl: string;
  db: Db;
  retention: RetentionService;
  log: (msg: string, data?: object) => void;
  /** Rows per retention batch (RETENTION_BATCH_SIZE). */
  retentionBatchSize?: number;
  /** The process's services: their job queue, and the channel workers (sends, calls, agent replies). */
  services?: Services;
}): Promise<{ stop(): Promise<void> }> {
  const jobs =
    opts.services?.jobs ??
    new JobQueue({ ownerUrl: opts.ownerUrl, supervise: true, retry: { limit: 5, delaySeconds: 5 }, log: opts.log });
  await jobs.start();
  await jobs.schedule(QUEUES.retention, RETENTION_CRON);
  // The sweep's figures stay with its job (pgboss.job.output): workspaces, rows deleted, time, resumes.
  await jobs.work(QUEUES.retention, async () => {
    return await runRetentionSweep(
      { db: opts.db, retention: opts.retention, log: opts.log },
      { batchSize: opts.retentionBatchSize },
    );
  });
  const services = opts.services;
  if (services) {
    const box = services.secretBox;
    await jobs.work(QUEUES.rotateCredentials, async () => {
      const result = await rotateCredentials(
        { db: opts.db, box },
        { onProgress: (p) => opts.log("credentials rotation", p) },
      );
      opts.log("credentials rotation finished", result);
    });
    await services.mail.startWorkers();
    await services.messaging.startWorkers();
    await services.webhooks.startWorkers();
    await services.auditStream.startWorkers();
    // Issue 50: signed checkpoints of the audit hash chains (figures and problems in the job's output).
    await jobs.work(QUEUES.auditCheckpoint, () =>
      runCheckpointSweep({
        db: opts.db,
        keys: services.config.auditChain.keys,
        log: opts.log,
        alarm: (msg, data) => console.error(`[atrium] ${msg} ${JSON.stringify(data)}`),
      }),
    );
    await jobs.schedule(QUEUES.auditCheckpoint, checkpointCron(services.config.auditChain.checkpointIntervalSeconds));
    await services.campaigns.startWorkers();
    await services.usage.startWorkers();
    await services.operators.startWorkers();
    await services.privacy.startWorkers();
    // Held sends (HELD_QUOTA) are offered again when a new month starts (UTC).
    await jobs.schedule(QUEUES.releaseHeld, RELEASE_HELD_CRON);
    // I2: a newly introduced key takes over the old secrets in the background.
    if ((await secretsOnOlderKeys({ db: opts.db, box })) > 0)
      await jobs.send(QUEUES.rotateCredentials, {}, { singletonKey: "rotate", singletonSeconds: 60 });
  }
  return { stop: () => jobs.stop() };
}
