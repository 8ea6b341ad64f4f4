// The nightly sweep across workspaces (a platform job: it lists workspaces with the system
// client, then deletes inside each workspace through the tenant client).
import type { Db } from "@atrium/db";
import type { RetentionService, SweepCounts } from "../../modules/retention/retention.service.ts";
import type { Environment } from "../../modules/workspaces/workspaces.types.ts";

export async function runRetentionSweep(
  deps: { db: Db; retention: RetentionService; log?: (msg: string, data?: object) => void },
  opts: { now?: Date; batchSize?: number } = {},
): Promise<{ workspaces: number; totals: SweepCounts; ms: number }> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const workspaces = await deps.db.system.workspace.findMany({ select: { id: true, retentionDays: true, environment: true }, orderBy: { id: "asc" } });
  const totals: SweepCounts = { messages: 0, conversations: 0, leads: 0, webhookAttempts: 0, webhookDeliveries: 0, webhookEvents: 0, auditEvents: 0 };
  // Audit history is append-only for the app role; its retention runs as the owner role.
  const drainAudit = async (workspaceId: string, cutoff: Date, batchSize: number) => {
    let total = 0;
    for (;;) {
      const n = await deps.db.system.$executeRaw`DELETE FROM audit_events WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT id FROM audit_events WHERE workspace_id = ${workspaceId}::uuid AND created_at < ${cutoff} LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`;
      total += n;
      if (n < batchSize) return total;
    }
  };
  for (const ws of workspaces) {
    const c = await deps.retention.sweepWorkspace(
      { workspaceId: ws.id, retentionDays: ws.retentionDays, environment: ws.environment as Environment },
      now,
      opts.batchSize,
      drainAudit,
    );
    for (const key of Object.keys(totals) as (keyof SweepCounts)[]) totals[key] += c[key];
  }
  const result = { workspaces: workspaces.length, totals, ms: Date.now() - started };
  deps.log?.("retention sweep finished", result);
  return result;
}
