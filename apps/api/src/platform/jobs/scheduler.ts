// pg-boss in the same PostgreSQL (schema `pgboss`): cron schedules are stored in the database
// and each job is fetched by exactly one worker, so any number of API instances can run this.
import PgBoss from "pg-boss";
import type { Db } from "@atrium/db";
import type { RetentionService } from "../../modules/retention/retention.service.ts";
import { runRetentionSweep } from "./retention-sweep.ts";

export const RETENTION_QUEUE = "retention-sweep";
/** W6: nightly at 03:00 UTC. */
export const RETENTION_CRON = "0 3 * * *";

export async function startScheduler(opts: { ownerUrl: string; db: Db; retention: RetentionService; log: (msg: string, data?: object) => void }): Promise<{ stop(): Promise<void> }> {
  const boss = new PgBoss({ connectionString: opts.ownerUrl, schema: "pgboss" });
  boss.on("error", (err) => opts.log("job scheduler error", { err: err instanceof Error ? err.message : String(err) }));
  await boss.start();
  await boss.createQueue(RETENTION_QUEUE);
  await boss.schedule(RETENTION_QUEUE, RETENTION_CRON, {}, { tz: "UTC" });
  await boss.work(RETENTION_QUEUE, async () => {
    await runRetentionSweep({ db: opts.db, retention: opts.retention, log: opts.log });
  });
  return { stop: () => boss.stop({ graceful: true }) };
}
