// W6 data retention and S3 audit retention. The nightly sweep deletes, per workspace, messages,
// conversations, leads and the outbound-webhook log (settled deliveries with their attempts, then
// events left without deliveries) older than the workspace's retention (and audit events older than its
// environment's audit retention) in small batches — each batch its own short tenant
// transaction, rows claimed with FOR UPDATE SKIP LOCKED — so it never holds long locks, and two
// sweeps running at once never delete (or count) the same row twice. Re-running deletes nothing
// more. One audit event per workspace records what a sweep deleted.
import type { Db, TenantTx } from "@atrium/db";
import { subject } from "@casl/ability";
import { recordWorkspaceAudit } from "../../platform/audit/audit.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { forbidden } from "../../platform/errors.ts";
import { ENVIRONMENT_POLICIES } from "../workspace-settings/environment-policy.ts";
import type { Environment } from "../workspaces/workspaces.types.ts";

export interface SweepCounts {
  messages: number;
  conversations: number;
  leads: number;
  webhookAttempts: number;
  webhookDeliveries: number;
  webhookEvents: number;
  auditEvents: number;
}

export interface WorkspaceRetention {
  workspaceId: string;
  retentionDays: number | null;
  environment: Environment;
}

const DAY_MS = 86_400_000;
export const DEFAULT_BATCH_SIZE = 1000;

type Table = "messages" | "conversations" | "leads" | "webhookAttempts" | "webhookDeliveries" | "webhookEvents";

/** One batch: at most `limit` rows of `table` older than `cutoff`, claimed without waiting. */
async function deleteBatch(tx: TenantTx, table: Table, workspaceId: string, cutoff: Date, limit: number): Promise<number> {
  switch (table) {
    case "messages":
      return tx.$executeRaw`DELETE FROM messages WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT id FROM messages WHERE workspace_id = ${workspaceId}::uuid AND created_at < ${cutoff} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    case "conversations":
      // Only conversations with no message left: an old conversation that is still active keeps
      // its recent messages (nothing younger than the cutoff is touched).
      return tx.$executeRaw`DELETE FROM conversations WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT c.id FROM conversations c WHERE c.workspace_id = ${workspaceId}::uuid AND c.created_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.workspace_id = c.workspace_id AND m.conversation_id = c.id)
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    case "leads":
      return tx.$executeRaw`DELETE FROM leads WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT id FROM leads WHERE workspace_id = ${workspaceId}::uuid AND created_at < ${cutoff} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    // The webhook log ages by delivery: a delivery created and last attempted before the cutoff
    // and settled (SUCCEEDED / FAILED — one still being retried stays until it settles). Its
    // attempts go first, in their own batches, so a delivery's cascade deletes nothing big.
    case "webhookAttempts":
      return tx.$executeRaw`DELETE FROM webhook_delivery_attempts WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT a.id FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.workspace_id = a.workspace_id AND d.id = a.delivery_id
        WHERE a.workspace_id = ${workspaceId}::uuid AND d.status <> 'PENDING' AND d.created_at < ${cutoff} AND COALESCE(d.last_attempt_at, d.created_at) < ${cutoff}
        LIMIT ${limit} FOR UPDATE OF a SKIP LOCKED)`;
    case "webhookDeliveries":
      return tx.$executeRaw`DELETE FROM webhook_deliveries WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT id FROM webhook_deliveries WHERE workspace_id = ${workspaceId}::uuid AND status <> 'PENDING'
          AND created_at < ${cutoff} AND COALESCE(last_attempt_at, created_at) < ${cutoff}
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    case "webhookEvents":
      // An event goes once none of its deliveries is left (a pending or young one keeps it).
      return tx.$executeRaw`DELETE FROM webhook_events WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT e.id FROM webhook_events e WHERE e.workspace_id = ${workspaceId}::uuid AND e.created_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.workspace_id = e.workspace_id AND d.event_id = e.id)
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }
}

export function retentionCutoff(now: Date, days: number | null): Date | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

export function createRetentionService({ db }: { db: Db }) {
  async function drain(workspaceId: string, table: Table, cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await db.tenant({ workspaceId }, (tx) => deleteBatch(tx, table, workspaceId, cutoff, batchSize));
      total += n;
      if (n < batchSize) return total;
    }
  }

  return {
    /** What the next sweep would delete now (W6 preview). */
    async preview(access: WorkspaceAccess, now = new Date()) {
      if (!access.ability.can("update", subject("Workspace", { workspaceId: access.workspaceId }))) throw forbidden();
      return inWorkspace(db, access, async (tx) => {
        const ws = await tx.workspace.findUniqueOrThrow({ where: { id: access.workspaceId }, select: { retentionDays: true } });
        const cutoff = retentionCutoff(now, ws.retentionDays);
        if (!cutoff) return { cutoff: null, leads: 0, conversations: 0, messages: 0, webhookDeliveries: 0 };
        const w = { workspaceId: access.workspaceId, createdAt: { lt: cutoff } };
        const [leads, messages, conversations, webhookDeliveries] = await Promise.all([
          tx.lead.count({ where: w }),
          tx.message.count({ where: w }),
          tx.conversation.count({ where: { ...w, messages: { none: { createdAt: { gte: cutoff } } } } }),
          // The sweep's rule for the webhook log: settled, created and last attempted before the cutoff.
          tx.webhookDelivery.count({
            where: { ...w, status: { not: "PENDING" }, OR: [{ lastAttemptAt: null }, { lastAttemptAt: { lt: cutoff } }] },
          }),
        ]);
        return { cutoff, leads, conversations, messages, webhookDeliveries };
      });
    },

    /**
     * Sweeps one workspace; returns what this run deleted. Audit events are append-only for the
     * app role, so the platform job passes `drainAudit` (owner role, same batching).
     */
    async sweepWorkspace(
      ws: WorkspaceRetention,
      now: Date,
      batchSize = DEFAULT_BATCH_SIZE,
      drainAudit: (workspaceId: string, cutoff: Date, batchSize: number) => Promise<number> = () => Promise.resolve(0),
    ): Promise<SweepCounts> {
      const counts: SweepCounts = { messages: 0, conversations: 0, leads: 0, webhookAttempts: 0, webhookDeliveries: 0, webhookEvents: 0, auditEvents: 0 };
      const cutoff = retentionCutoff(now, ws.retentionDays);
      if (cutoff) {
        counts.messages = await drain(ws.workspaceId, "messages", cutoff, batchSize);
        counts.conversations = await drain(ws.workspaceId, "conversations", cutoff, batchSize);
        counts.leads = await drain(ws.workspaceId, "leads", cutoff, batchSize);
        counts.webhookAttempts = await drain(ws.workspaceId, "webhookAttempts", cutoff, batchSize);
        counts.webhookDeliveries = await drain(ws.workspaceId, "webhookDeliveries", cutoff, batchSize);
        counts.webhookEvents = await drain(ws.workspaceId, "webhookEvents", cutoff, batchSize);
      }
      const auditCutoff = new Date(now.getTime() - ENVIRONMENT_POLICIES[ws.environment].auditRetentionDays * DAY_MS);
      counts.auditEvents = await drainAudit(ws.workspaceId, auditCutoff, batchSize);
      if (Object.values(counts).some((n) => n > 0)) {
        await db.tenant({ workspaceId: ws.workspaceId }, (tx) =>
          recordWorkspaceAudit(tx, ws.workspaceId, { userId: null, ip: null, userAgent: "retention-sweep", requestId: `sweep:${now.toISOString()}` }, {
            action: "retention.swept",
            data: { ...counts, cutoff: cutoff?.toISOString() ?? null, auditCutoff: auditCutoff.toISOString() },
          }),
        );
      }
      return counts;
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
