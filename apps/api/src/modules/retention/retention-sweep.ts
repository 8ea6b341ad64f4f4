// The nightly sweep across workspaces (a platform job: it lists workspaces with the system
// client, then deletes inside each workspace through the tenant client).
import { setTimeout as sleep } from "node:timers/promises";

import type { Db } from "@atrium/db";

import { databaseUnavailable } from "../../platform/errors.ts";
import type { Environment } from "../workspaces/workspaces.types.ts";
import { retentionRepository as repo } from "./retention.repository.ts";
import type { RetentionService, SweepCounts } from "./retention.service.ts";

/**
 * How long the sweep waits for the database to come back when it goes away mid-run (a crash, a
 * failover) before giving the job up to pg-boss's retry. Deleting by cutoff is idempotent, so
 * the sweep picks up where it stopped: the workspace it was in is swept again from its start.
 */
const RESUME_WITHIN_MS = 120_000;

export async function runRetentionSweep(
  deps: { db: Db; retention: RetentionService; log?: (msg: string, data?: object) => void },
  opts: { now?: Date; batchSize?: number; resumeWithinMs?: number } = {},
): Promise<{ workspaces: number; totals: SweepCounts; ms: number; resumed: number }> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const workspaces = await repo.workspacesToSweep(deps.db.system);
  const totals: SweepCounts = {
    messages: 0,
    conversations: 0,
    leads: 0,
    webhookAttempts: 0,
    webhookDeliveries: 0,
    webhookEvents: 0,
    auditEvents: 0,
    importChunks: 0,
  };
  // Audit history is append-only for the app role; its retention runs as the owner role.
  const drainAudit = async (workspaceId: string, cutoff: Date, batchSize: number) => {
    let total = 0;
    for (;;) {
      const n = await repo.deleteAuditBatch(deps.db.system, workspaceId, cutoff, batchSize);
      total += n;
      if (n < batchSize) return total;
    }
  };
  let resumed = 0;
  const resumeWithin = opts.resumeWithinMs ?? RESUME_WITHIN_MS;
  for (const ws of workspaces) {
    let c: SweepCounts;
    for (let waitedFrom: number | null = null, delay = 250; ; ) {
      try {
        c = await deps.retention.sweepWorkspace(
          { workspaceId: ws.id, retentionDays: ws.retentionDays, environment: ws.environment as Environment },
          now,
          opts.batchSize,
          drainAudit,
        );
        if (waitedFrom !== null) {
          resumed++;
          deps.log?.("retention sweep resumed after the database returned", {
            workspaceId: ws.id,
            waitedMs: Date.now() - waitedFrom,
          });
        }
        break;
      } catch (err) {
        // The database away (503-class failures only): wait for it, then sweep this workspace
        // again. Anything else, or a database away for too long, fails the job (retried by pg-boss).
        waitedFrom ??= Date.now();
        if (!databaseUnavailable(err) || Date.now() - waitedFrom > resumeWithin) throw err;
        if (delay === 250) deps.log?.("retention sweep paused: the database is unavailable", { workspaceId: ws.id });
        await sleep(delay);
        delay = Math.min(delay * 2, 2_000);
      }
    }
    for (const key of Object.keys(totals) as (keyof SweepCounts)[]) totals[key] += c[key];
  }
  const result = { workspaces: workspaces.length, totals, ms: Date.now() - started, resumed };
  deps.log?.("retention sweep finished", result);
  return result;
}
