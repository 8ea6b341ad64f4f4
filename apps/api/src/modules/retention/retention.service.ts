// W6 data retention and S3 audit retention. The nightly sweep deletes, per workspace, messages,
// conversations, leads and the outbound-webhook log (settled deliveries with their attempts, then
// events left without deliveries) older than the workspace's retention (and audit events older than its
// environment's audit retention) in small batches — each batch its own short tenant
// transaction, rows claimed with FOR UPDATE SKIP LOCKED — so it never holds long locks, and two
// sweeps running at once never delete (or count) the same row twice. Re-running deletes nothing
// more. One audit event per workspace records what a sweep deleted. A finished chunked contact
// import's records (contact_import_chunks: its progress and replay answers) go
// IMPORT_CHUNK_RETENTION_DAYS after its last chunk, whatever the workspace's retention (issue 52);
// an unfinished (abandoned) one's UNFINISHED_IMPORT_GRACE_DAYS later.
import type { Db } from "@atrium/db";

import { recordWorkspaceAudit } from "../../platform/audit/audit.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { asJob } from "../../platform/data.ts";
import { ENVIRONMENT_POLICIES } from "../workspace-settings/environment-policy.ts";
import type { Environment } from "../workspaces/workspaces.types.ts";
import { retentionRepository as repo, type RetentionTable } from "./retention.repository.ts";

export interface SweepCounts {
  messages: number;
  conversations: number;
  leads: number;
  webhookAttempts: number;
  webhookDeliveries: number;
  webhookEvents: number;
  auditEvents: number;
  importChunks: number;
}

export interface WorkspaceRetention {
  workspaceId: string;
  retentionDays: number | null;
  environment: Environment;
}

const DAY_MS = 86_400_000;
export const DEFAULT_BATCH_SIZE = 1000;
/** Days a finished chunked import's records are kept after its last chunk (its replays answered, its progress readable). */
export const IMPORT_CHUNK_RETENTION_DAYS = 30;

export function retentionCutoff(now: Date, days: number | null): Date | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

export function createRetentionService({ db }: { db: Db }) {
  async function drain(workspaceId: string, table: RetentionTable, cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await asJob(db, { workspaceId }, (tx) => repo.deleteBatch(tx, table, workspaceId, cutoff, batchSize));
      total += n;
      if (n < batchSize) return total;
    }
  }

  return {
    /** What the next sweep would delete now (W6 preview). */
    async preview(access: WorkspaceAccess, now = new Date()) {
      authorizeRow(access.ability, "update", "Workspace", { workspaceId: access.workspaceId });
      return inWorkspace(db, access, async (tx) => {
        const cutoff = retentionCutoff(now, await repo.retentionDays(tx, access.workspaceId));
        if (!cutoff) return { cutoff: null, leads: 0, conversations: 0, messages: 0, webhookDeliveries: 0 };
        return { cutoff, ...(await repo.countOlder(tx, access.workspaceId, cutoff)) };
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
      const counts: SweepCounts = {
        messages: 0,
        conversations: 0,
        leads: 0,
        webhookAttempts: 0,
        webhookDeliveries: 0,
        webhookEvents: 0,
        auditEvents: 0,
        importChunks: 0,
      };
      const cutoff = retentionCutoff(now, ws.retentionDays);
      if (cutoff) {
        counts.messages = await drain(ws.workspaceId, "messages", cutoff, batchSize);
        counts.conversations = await drain(ws.workspaceId, "conversations", cutoff, batchSize);
        counts.leads = await drain(ws.workspaceId, "leads", cutoff, batchSize);
        counts.webhookAttempts = await drain(ws.workspaceId, "webhookAttempts", cutoff, batchSize);
        counts.webhookDeliveries = await drain(ws.workspaceId, "webhookDeliveries", cutoff, batchSize);
        counts.webhookEvents = await drain(ws.workspaceId, "webhookEvents", cutoff, batchSize);
      }
      counts.importChunks = await drain(
        ws.workspaceId,
        "importChunks",
        retentionCutoff(now, IMPORT_CHUNK_RETENTION_DAYS)!,
        batchSize,
      );
      const auditCutoff = new Date(now.getTime() - ENVIRONMENT_POLICIES[ws.environment].auditRetentionDays * DAY_MS);
      counts.auditEvents = await drainAudit(ws.workspaceId, auditCutoff, batchSize);
      if (Object.values(counts).some((n) => n > 0)) {
        await asJob(db, { workspaceId: ws.workspaceId }, (tx) =>
          recordWorkspaceAudit(
            tx,
            ws.workspaceId,
            { userId: null, ip: null, userAgent: "retention-sweep", requestId: `sweep:${now.toISOString()}` },
            {
              action: "retention.swept",
              data: { ...counts, cutoff: cutoff?.toISOString() ?? null, auditCutoff: auditCutoff.toISOString() },
            },
          ),
        );
      }
      return counts;
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
