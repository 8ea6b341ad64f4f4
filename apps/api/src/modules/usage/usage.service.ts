// Usage and plans (billing.read / billing.manage). Plans are a platform catalog the platform
// admin defines and assigns; a member with billing.manage switches between offered plans.
// Sends are metered per workspace and UTC month by one atomic upsert on a counter row
// (`used = used + 1 WHERE used < quota`): exact under concurrency and across API instances,
// since the row lock serialises every increment. A send the quota refuses is HELD_QUOTA, never
// dropped; releaseHeld() offers held sends again after a plan change and at each month start.
import { randomUUID } from "node:crypto";
import { type Db, type TenantTx } from "@atrium/db";
import { subject } from "@casl/ability";
import { recordPlatformAudit, recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { badInput, conflict, forbidden, notFound } from "../../platform/errors.ts";
import { QUEUES, type JobQueue } from "../../platform/jobs/job-queue.ts";
import type { PlanInput, PlanView, UsageView } from "./usage.types.ts";

export type SendMetric = "MESSAGES" | "CALLS";
const QUOTA_COLUMN = { MESSAGES: "monthly_messages", CALLS: "monthly_calls" } as const;

/** The first day of `at`'s month (UTC), as the `date` the counters are keyed by. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export const heldReason = (what: "message" | "call", quota: number) =>
  `Held: this month's ${what} quota (${quota}) is used up. It goes out when the plan allows more (plan change or next month).`;

type PlanRow = { id: string; name: string; monthlyMessages: number | null; monthlyCalls: number | null; monthlyLeads: number | null; offered: boolean };
const toPlanView = (p: PlanRow): PlanView => ({ id: p.id, name: p.name, monthlyMessages: p.monthlyMessages, monthlyCalls: p.monthlyCalls, monthlyLeads: p.monthlyLeads, offered: p.offered });

export function createUsageService(deps: { db: Db; jobs: JobQueue; now?: () => Date }) {
  const { db, jobs } = deps;
  const now = deps.now ?? (() => new Date());

  async function quotaOf(tx: TenantTx, workspaceId: string, metric: SendMetric): Promise<number | null> {
    const rows = await tx.$queryRawUnsafe<{ quota: number | null }[]>(
      `SELECT p.${QUOTA_COLUMN[metric]} AS quota FROM workspaces w LEFT JOIN plans p ON p.id = w.plan_id WHERE w.id = $1::uuid`,
      workspaceId,
    );
    return rows[0]?.quota ?? null;
  }

  /**
   * Counts one send against this month's quota, in the caller's transaction (the one that claims
   * the send). Null when counted; the quota when it is used up (nothing counted: hold the send).
   */
  async function meterSend(tx: TenantTx, workspaceId: string, metric: SendMetric): Promise<number | null> {
    const quota = await quotaOf(tx, workspaceId, metric);
    if (quota === 0) return 0;
    const rows = await tx.$queryRawUnsafe<{ used: number }[]>(
      `INSERT INTO usage_counters AS u (workspace_id, month, metric, used) VALUES ($1::uuid, $2::date, $3::usage_metric, 1)
       ON CONFLICT (workspace_id, month, metric) DO UPDATE SET used = u.used + 1, updated_at = now()
       WHERE $4::int IS NULL OR u.used < $4::int
       RETURNING used`,
      workspaceId,
      monthStart(now()),
      metric,
      quota,
    );
    return rows.length > 0 ? null : quota;
  }

  /**
   * Offers held sends again (oldest first, as many as the quota now allows): each goes back to
   * QUEUED with a new send job in the same transaction. Only the transaction whose UPDATE moves
   * the row out of HELD_QUOTA enqueues it, so two releases at once never enqueue one send twice.
   */
  async function releaseHeld(workspaceId: string): Promise<{ messages: number; calls: number }> {
    const released = await db.tenant({ workspaceId }, async (tx) => {
      const room = async (metric: SendMetric) => {
        const quota = await quotaOf(tx, workspaceId, metric);
        if (quota === null) return 10_000;
        const c = await tx.usageCounter.findUnique({ where: { workspaceId_month_metric: { workspaceId, month: monthStart(now()), metric } } });
        return Math.max(0, Math.min(10_000, quota - (c?.used ?? 0)));
      };
      let messages = 0;
      let calls = 0;
      const m = await room("MESSAGES");
      if (m > 0) {
        const held = await tx.message.findMany({ where: { workspaceId, status: "HELD_QUOTA" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: m, select: { id: true } });
        for (const { id } of held) {
          const r = await tx.message.updateMany({ where: { workspaceId, id, status: "HELD_QUOTA" }, data: { status: "QUEUED", errorMessage: null, statusUpdatedAt: now() } });
          if (r.count === 0) continue;
          await jobs.enqueue(tx, QUEUES.sendMessage, randomUUID(), { workspaceId, messageId: id });
          messages++;
        }
      }
      const c = await room("CALLS");
      if (c > 0) {
        const held = await tx.call.findMany({ where: { workspaceId, status: "HELD_QUOTA" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: c, select: { id: true } });
        for (const { id } of held) {
          const r = await tx.call.updateMany({ where: { workspaceId, id, status: "HELD_QUOTA" }, data: { status: "QUEUED", errorMessage: null, updatedAt: now() } });
          if (r.count === 0) continue;
          await jobs.enqueue(tx, QUEUES.startCall, randomUUID(), { workspaceId, callId: id });
          calls++;
        }
      }
      return { messages, calls };
    });
    if (released.messages > 0) jobs.notify(QUEUES.sendMessage);
    if (released.calls > 0) jobs.notify(QUEUES.startCall);
    return released;
  }

  async function planById(id: string): Promise<PlanRow> {
    if (!UUID_RE.test(id)) throw notFound("Plan");
    const p = await db.system.plan.findUnique({ where: { id } });
    if (!p) throw notFound("Plan");
    return p;
  }

  const planData = (input: PlanInput) => {
    const name = input.name.trim();
    if (!name) throw badInput("Enter a plan name.", { name: "is empty" });
    return { name, monthlyMessages: input.monthlyMessages ?? null, monthlyCalls: input.monthlyCalls ?? null, monthlyLeads: input.monthlyLeads ?? null, offered: input.offered };
  };

  const isUnique = (err: unknown) => (err as { code?: string }).code === "P2002";

  return {
    meterSend,
    releaseHeld,

    // ---- platform admin ----
    async listPlans(): Promise<PlanView[]> {
      return (await db.system.plan.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(toPlanView);
    },

    async createPlan(input: PlanInput, actor: Actor): Promise<PlanView> {
      const data = planData(input);
      try {
        return await db.system.$transaction(async (tx) => {
          const p = await tx.plan.create({ data });
          await recordPlatformAudit(tx, actor, { action: "plan.created", targetId: p.id, data: { name: p.name } });
          return toPlanView(p);
        });
      } catch (err) {
        if (isUnique(err)) throw conflict("A plan with this name exists.", { name: "is taken" });
        throw err;
      }
    },

    async updatePlan(id: string, input: PlanInput, actor: Actor): Promise<PlanView> {
      await planById(id);
      const data = planData(input);
      try {
        const p = await db.system.$transaction(async (tx) => {
          const p = await tx.plan.update({ where: { id }, data });
          await recordPlatformAudit(tx, actor, { action: "plan.updated", targetId: id, data });
          return p;
        });
        // A larger quota lets held sends of the workspaces on this plan go out.
        for (const w of await db.system.workspace.findMany({ where: { planId: id }, select: { id: true } })) await releaseHeld(w.id);
        return toPlanView(p);
      } catch (err) {
        if (isUnique(err)) throw conflict("A plan with this name exists.", { name: "is taken" });
        throw err;
      }
    },

    /** The platform admin assigns any plan (or none: unlimited) to a workspace. */
    async assignPlan(slug: string, planId: string | null, actor: Actor): Promise<UsageView["plan"]> {
      const plan = planId ? await planById(planId) : null;
      const workspaceId = await db.system.$transaction(async (tx) => {
        const ws = await tx.workspace.findUnique({ where: { slug: slug.trim().toLowerCase() }, select: { id: true } });
        if (!ws) throw notFound("Workspace");
        const workspaceId = ws.id;
        await tx.workspace.update({ where: { id: workspaceId }, data: { planId: plan?.id ?? null } });
        await recordPlatformAudit(tx, actor, { action: "plan.assigned", workspaceId, data: { planId: plan?.id ?? null } });
        return workspaceId;
      });
      await releaseHeld(workspaceId);
      return plan ? toPlanView(plan) : null;
    },

    // ---- workspace (billing.read / billing.manage) ----
    async offeredPlans(access: WorkspaceAccess): Promise<PlanView[]> {
      if (!access.ability.can("read", subject("Billing", { workspaceId: access.workspaceId }))) throw forbidden();
      const plans = await inWorkspace(db, access, (tx) => tx.plan.findMany({ where: { offered: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }));
      return plans.map(toPlanView);
    },

    async switchPlan(access: WorkspaceAccess, planId: string, actor: Actor): Promise<UsageView> {
      if (!access.ability.can("update", subject("Billing", { workspaceId: access.workspaceId }))) throw forbidden();
      if (!UUID_RE.test(planId)) throw notFound("Plan");
      await inWorkspace(db, access, async (tx) => {
        const plan = await tx.plan.findUnique({ where: { id: planId } });
        // A plan not offered reads as absent: only the platform admin assigns those.
        if (!plan || !plan.offered) throw notFound("Plan");
        const ws = await tx.workspace.findUniqueOrThrow({ where: { id: access.workspaceId }, select: { planId: true } });
        await tx.workspace.update({ where: { id: access.workspaceId }, data: { planId } });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "plan.switched", actorMembershipId: access.membershipId, targetType: "Plan", targetId: planId, data: { from: ws.planId, to: planId } });
      });
      await releaseHeld(access.workspaceId);
      return this.usage(access);
    },

    async usage(access: WorkspaceAccess): Promise<UsageView> {
      if (!access.ability.can("read", subject("Billing", { workspaceId: access.workspaceId }))) throw forbidden();
      const workspaceId = access.workspaceId;
      const current = monthStart(now());
      const first = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - 5, 1));
      return inWorkspace(db, access, async (tx) => {
        const ws = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { plan: true } });
        const counters = await tx.usageCounter.findMany({ where: { workspaceId, month: { gte: first } } });
        // Leads are counted from the leads themselves (a lead is never refused for the quota).
        const leads = await tx.$queryRawUnsafe<{ month: string; n: number }[]>(
          `SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS n
             FROM leads WHERE workspace_id = $1::uuid AND created_at >= $2 GROUP BY 1`,
          workspaceId,
          first,
        );
        const [heldMessages, heldCalls] = await Promise.all([
          tx.message.count({ where: { workspaceId, status: "HELD_QUOTA" } }),
          tx.call.count({ where: { workspaceId, status: "HELD_QUOTA" } }),
        ]);
        const history = [];
        for (let i = 0; i < 6; i++) {
          const m = monthKey(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1)));
          const of = (metric: SendMetric) => counters.find((c) => monthKey(c.month) === m && c.metric === metric)?.used ?? 0;
          history.push({ month: m, messages: of("MESSAGES"), calls: of("CALLS"), leads: leads.find((l) => l.month === m)?.n ?? 0 });
        }
        const cur = history.at(-1)!;
        const plan = ws.plan ? toPlanView(ws.plan) : null;
        return {
          plan,
          month: monthKey(current),
          messages: { used: cur.messages, quota: plan?.monthlyMessages ?? null },
          calls: { used: cur.calls, quota: plan?.monthlyCalls ?? null },
          leads: { used: cur.leads, quota: plan?.monthlyLeads ?? null },
          heldMessages,
          heldCalls,
          history,
        };
      });
    },

    /** The month-start release (cron) across every workspace holding sends. */
    async releaseAllHeld(): Promise<number> {
      const rows = await db.system.$queryRawUnsafe<{ workspace_id: string }[]>(
        `SELECT DISTINCT workspace_id FROM messages WHERE status = 'HELD_QUOTA' UNION SELECT DISTINCT workspace_id FROM calls WHERE status = 'HELD_QUOTA'`,
      );
      for (const r of rows) await releaseHeld(r.workspace_id);
      return rows.length;
    },

    async startWorkers(): Promise<void> {
      await jobs.work(QUEUES.releaseHeld, async () => {
        await this.releaseAllHeld();
      });
    },
  };
}

export type UsageService = ReturnType<typeof createUsageService>;
