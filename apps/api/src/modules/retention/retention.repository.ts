// The only code that touches Prisma for retention: the batched deletes of the sweep, the
// preview's counts, and (system client, for the platform job) the workspaces to sweep and the
// audit batches the app role may not delete.
import type { SystemClient, TenantTx } from "@atrium/db";

export type RetentionTable =
  | "messages"
  | "conversations"
  | "leads"
  | "webhookAttempts"
  | "webhookDeliveries"
  | "webhookEvents"
  | "importChunks";

/**
 * Days beyond the import records' cutoff (IMPORT_CHUNK_RETENTION_DAYS) that an unfinished import
 * stays resumable: 30 + 60 = 90 days after its last chunk.
 */
export const UNFINISHED_IMPORT_GRACE_DAYS = 60;

export const retentionRepository = {
  /** Throws Prisma's not-found error when the workspace is gone. */
  async retentionDays(tx: TenantTx, workspaceId: string): Promise<number | null> {
    const ws = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { retentionDays: true } });
    return ws.retentionDays;
  },

  /** What a sweep with this cutoff would delete (the same rules as the batches below). */
  async countOlder(
    tx: TenantTx,
    workspaceId: string,
    cutoff: Date,
  ): Promise<{ leads: number; messages: number; conversations: number; webhookDeliveries: number }> {
    const w = { workspaceId, createdAt: { lt: cutoff } };
    const [leads, messages, conversations, webhookDeliveries] = await Promise.all([
      tx.lead.count({ where: w }),
      tx.message.count({ where: w }),
      tx.conversation.count({ where: { ...w, messages: { none: { createdAt: { gte: cutoff } } } } }),
      // The sweep's rule for the webhook log: settled, created and last attempted before the cutoff.
      tx.webhookDelivery.count({
        where: { ...w, status: { not: "PENDING" }, OR: [{ lastAttemptAt: null }, { lastAttemptAt: { lt: cutoff } }] },
      }),
    ]);
    return { leads, messages, conversations, webhookDeliveries };
  },

  /** One batch: at most `limit` rows of `table` older than `cutoff`, claimed without waiting. */
  async deleteBatch(
    tx: TenantTx,
    table: RetentionTable,
    workspaceId: string,
    cutoff: Date,
    limit: number,
  ): Promise<number> {
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
      case "importChunks":
        // Issue 52: a chunked import's records, up to `limit` imports at once — a finished one
        // (every chunk committed) once its last chunk is older than the cutoff; an unfinished one
        // stays resumable until its last chunk is UNFINISHED_IMPORT_GRACE_DAYS older still
        // (abandoned: nobody resumes an import after months).
        return tx.$executeRaw`DELETE FROM contact_import_chunks WHERE workspace_id = ${workspaceId}::uuid AND import_id IN (
        SELECT import_id FROM contact_import_chunks WHERE workspace_id = ${workspaceId}::uuid
         GROUP BY import_id HAVING max(created_at) < ${cutoff}
           AND (count(*) = max(chunks) OR max(created_at) < ${cutoff}::timestamptz - make_interval(days => ${UNFINISHED_IMPORT_GRACE_DAYS}::int))
         LIMIT ${limit})`;
      case "webhookEvents":
        // An event goes once none of its deliveries is left (a pending or young one keeps it).
        return tx.$executeRaw`DELETE FROM webhook_events WHERE workspace_id = ${workspaceId}::uuid AND id IN (
        SELECT e.id FROM webhook_events e WHERE e.workspace_id = ${workspaceId}::uuid AND e.created_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.workspace_id = e.workspace_id AND d.event_id = e.id)
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    }
  },

  async workspacesToSweep(
    system: SystemClient,
  ): Promise<{ id: string; retentionDays: number | null; environment: string }[]> {
    return system.workspace.findMany({
      select: { id: true, retentionDays: true, environment: true },
      orderBy: { id: "asc" },
    });
  },

  /**
   * One batch of a workspace's audit events older than `cutoff`, cut only up to a signed checkpoint
   * (`audit_cut`, decision 0053): the chain then starts at that checkpoint, and an export still
   * verifies. Owner role: the app role may not delete audit rows at all.
   */
  async deleteAuditBatch(system: SystemClient, workspaceId: string, cutoff: Date, limit: number): Promise<number> {
    const [r] = await system.$queryRaw<
      { n: number }[]
    >`SELECT audit_cut(${workspaceId}::uuid, ${cutoff}, ${limit}::int) AS n`;
    return r?.n ?? 0;
  },
};
