// The only code that touches Prisma for plans and usage. `usageRepository` runs in a tenant
// transaction; `plansRepository` is the platform side, on the system client (or its transaction)
// the caller passes in.
import type { Prisma, TenantTx } from "@atrium/db";

export type SendMetric = "MESSAGES" | "CALLS";
const QUOTA_COLUMN = { MESSAGES: "monthly_messages", CALLS: "monthly_calls" } as const;

type SystemTx = Prisma.TransactionClient;

export const usageRepository = {
  /** The workspace's monthly quota of `metric` (null: no plan, or the plan has no limit). */
  async quotaOf(tx: TenantTx, workspaceId: string, metric: SendMetric): Promise<number | null> {
    const rows = await tx.$queryRawUnsafe<{ quota: number | null }[]>(
      `SELECT p.${QUOTA_COLUMN[metric]} AS quota FROM workspaces w LEFT JOIN plans p ON p.id = w.plan_id WHERE w.id = $1::uuid`,
      workspaceId,
    );
    return rows[0]?.quota ?? null;
  },

  /**
   * One atomic upsert on the month's counter row: `used + 1` only while `used < quota` (the row
   * lock serialises concurrent increments). False when the quota refused it (nothing counted).
   */
  async countSend(
    tx: TenantTx,
    workspaceId: string,
    month: Date,
    metric: SendMetric,
    quota: number | null,
  ): Promise<boolean> {
    const rows = await tx.$queryRawUnsafe<{ used: number }[]>(
      `INSERT INTO usage_counters AS u (workspace_id, month, metric, used) VALUES ($1::uuid, $2::date, $3::usage_metric, 1)
       ON CONFLICT (workspace_id, month, metric) DO UPDATE SET used = u.used + 1, updated_at = now()
       WHERE $4::int IS NULL OR u.used < $4::int
       RETURNING used`,
      workspaceId,
      month,
      metric,
      quota,
    );
    return rows.length > 0;
  },

  async counter(tx: TenantTx, workspaceId: string, month: Date, metric: SendMetric) {
    return tx.usageCounter.findUnique({ where: { workspaceId_month_metric: { workspaceId, month, metric } } });
  },

  async countersSince(tx: TenantTx, workspaceId: string, first: Date) {
    return tx.usageCounter.findMany({ where: { workspaceId, month: { gte: first } } });
  },

  /** Leads created per UTC month ("YYYY-MM") since `first`. */
  async leadsPerMonth(tx: TenantTx, workspaceId: string, first: Date) {
    return tx.$queryRawUnsafe<{ month: string; n: number }[]>(
      `SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS n
             FROM leads WHERE workspace_id = $1::uuid AND created_at >= $2 GROUP BY 1`,
      workspaceId,
      first,
    );
  },

  /**
   * The oldest `take` held messages a release may offer: not those of a paused campaign (they wait
   * for its resume) or a cancelled one (never sent; cancelling stops them, issue 56).
   */
  async heldMessages(tx: TenantTx, workspaceId: string, take: number) {
    return tx.$queryRaw<{ id: string }[]>`
      SELECT m.id FROM messages m
       WHERE m.workspace_id = ${workspaceId}::uuid AND m.status = 'HELD_QUOTA'
         AND NOT EXISTS (
           SELECT 1 FROM campaign_recipients r JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id
            WHERE r.workspace_id = m.workspace_id AND r.message_id = m.id AND c.status IN ('PAUSED', 'CANCELLED'))
       ORDER BY m.created_at, m.id
       LIMIT ${take}`;
  },

  /** HELD_QUOTA → QUEUED; false when the message was no longer held (another release moved it). */
  async releaseMessage(tx: TenantTx, workspaceId: string, id: string, at: Date): Promise<boolean> {
    const r = await tx.message.updateMany({
      where: { workspaceId, id, status: "HELD_QUOTA" },
      data: { status: "QUEUED", errorMessage: null, statusUpdatedAt: at },
    });
    return r.count > 0;
  },

  /** The oldest `take` held calls. */
  async heldCalls(tx: TenantTx, workspaceId: string, take: number) {
    return tx.call.findMany({
      where: { workspaceId, status: "HELD_QUOTA" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take,
      select: { id: true },
    });
  },

  /** HELD_QUOTA → QUEUED; false when the call was no longer held. */
  async releaseCall(tx: TenantTx, workspaceId: string, id: string, at: Date): Promise<boolean> {
    const r = await tx.call.updateMany({
      where: { workspaceId, id, status: "HELD_QUOTA" },
      data: { status: "QUEUED", errorMessage: null, updatedAt: at },
    });
    return r.count > 0;
  },

  /** [held messages, held calls]. */
  async heldCounts(tx: TenantTx, workspaceId: string): Promise<[number, number]> {
    return Promise.all([
      tx.message.count({ where: { workspaceId, status: "HELD_QUOTA" } }),
      tx.call.count({ where: { workspaceId, status: "HELD_QUOTA" } }),
    ]);
  },

  async offeredPlans(tx: TenantTx) {
    return tx.plan.findMany({ where: { offered: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  },

  async plan(tx: TenantTx, id: string) {
    return tx.plan.findUnique({ where: { id } });
  },

  async workspacePlanId(tx: TenantTx, workspaceId: string) {
    return tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { planId: true } });
  },

  async workspacePlan(tx: TenantTx, workspaceId: string) {
    return tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { plan: true } });
  },

  async setWorkspacePlan(tx: TenantTx, workspaceId: string, planId: string | null): Promise<void> {
    await tx.workspace.update({ where: { id: workspaceId }, data: { planId } });
  },
};

export const plansRepository = {
  async list(client: SystemTx) {
    return client.plan.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  },

  async find(client: SystemTx, id: string) {
    return client.plan.findUnique({ where: { id } });
  },

  async create(client: SystemTx, data: Prisma.PlanCreateInput) {
    return client.plan.create({ data });
  },

  async update(client: SystemTx, id: string, data: Prisma.PlanUpdateInput) {
    return client.plan.update({ where: { id }, data });
  },

  async workspacesOnPlan(client: SystemTx, planId: string) {
    return client.workspace.findMany({ where: { planId }, select: { id: true } });
  },

  async workspaceIdBySlug(client: SystemTx, slug: string) {
    return client.workspace.findUnique({ where: { slug }, select: { id: true } });
  },

  async setWorkspacePlan(client: SystemTx, workspaceId: string, planId: string | null): Promise<void> {
    await client.workspace.update({ where: { id: workspaceId }, data: { planId } });
  },

  /** Every workspace with a held message or call (across the platform). */
  async workspacesHolding(client: SystemTx) {
    return client.$queryRawUnsafe<{ workspace_id: string }[]>(
      `SELECT DISTINCT workspace_id FROM messages WHERE status = 'HELD_QUOTA' UNION SELECT DISTINCT workspace_id FROM calls WHERE status = 'HELD_QUOTA'`,
    );
  },
};
