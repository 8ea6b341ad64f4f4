// Usage and plans (billing.read / billing.manage). Plans are a platform catalog the platform
// admin defines and assigns; a member with billing.manage switches between offered plans.
// Sends are metered per workspace and UTC month by one atomic upsert on a counter row
// (`used = used + 1 WHERE used < quota`): exact under concurrency and across API instances,
// since the row lock serialises every increment. A send the quota refuses is HELD_QUOTA, never
// dropped; releaseHeld() offers held sends again after a plan change and at each month start.
import { randomUUID } from "node:crypto";

import { type Db, type TenantTx } from "@atrium/db";

import { recordPlatformAudit, recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { inTenant, NO_REQUEST, type Caller } from "../../platform/data.ts";
import { badInput, conflict, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { QUEUES, type JobQueue } from "../../platform/jobs/job-queue.ts";
import { plansRepository, usageRepository as repo, type SendMetric } from "./usage.repository.ts";
import type { PlanInput, PlanView, UsageView } from "./usage.types.ts";

export type { SendMetric };

/** The first day of `at`'s month (UTC), as the `date` the counters are keyed by. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export const heldReason = (what: "message" | "call", quota: number) =>
  `Held: this month's ${what} quota (${quota}) is used up. It goes out when the plan allows more (plan change or next month).`;

type PlanRow = {
  id: string;
  name: string;
  monthlyMessages: number | null;
  monthlyCalls: number | null;
  monthlyLeads: number | null;
  offered: boolean;
};
const toPlanView = (p: PlanRow): PlanView => ({
  id: p.id,
  name: p.name,
  monthlyMessages: p.monthlyMessages,
  monthlyCalls: p.monthlyCalls,
  monthlyLeads: p.monthlyLeads,
  offered: p.offered,
});

export function createUsageService(deps: { db: Db; jobs: JobQueue; now?: () => Date }) {
  const { db, jobs } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * Counts one send against this month's quota, in the caller's transaction (the one that claims
   * the send). Null when counted; the quota when it is used up (nothing counted: hold the send).
   */
  async function meterSend(tx: TenantTx, workspaceId: string, metric: SendMetric): Promise<number | null> {
    const quota = await repo.quotaOf(tx, workspaceId, metric);
    if (quota === 0) return 0;
    return (await repo.countSend(tx, workspaceId, monthStart(now()), metric, quota)) ? null : quota;
  }

  /**
   * Offers held sends again (oldest first, as many as the quota now allows): each goes back to
   * QUEUED with a new send job in the same transaction. Only the transaction whose UPDATE moves
   * the row out of HELD_QUOTA enqueues it, so two releases at once never enqueue one send twice.
   */
  async function releaseHeld(workspaceId: string, caller: Caller): Promise<{ messages: number; calls: number }> {
    const released = await inTenant(db, caller, { workspaceId }, async (tx) => {
      const room = async (metric: SendMetric) => {
        const quota = await repo.quotaOf(tx, workspaceId, metric);
        if (quota === null) return 10_000;
        const c = await repo.counter(tx, workspaceId, monthStart(now()), metric);
        return Math.max(0, Math.min(10_000, quota - (c?.used ?? 0)));
      };
      let messages = 0;
      let calls = 0;
      const m = await room("MESSAGES");
      if (m > 0) {
        const held = await repo.heldMessages(tx, workspaceId, m);
        for (const { id } of held) {
          if (!(await repo.releaseMessage(tx, workspaceId, id, now()))) continue;
          await jobs.enqueue(tx, QUEUES.sendMessage, randomUUID(), { workspaceId, messageId: id });
          messages++;
        }
      }
      const c = await room("CALLS");
      if (c > 0) {
        const held = await repo.heldCalls(tx, workspaceId, c);
        for (const { id } of held) {
          if (!(await repo.releaseCall(tx, workspaceId, id, now()))) continue;
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
    const p = await plansRepository.find(db.system, id);
    if (!p) throw notFound("Plan");
    return p;
  }

  const planData = (input: PlanInput) => {
    const name = input.name.trim();
    if (!name) throw badInput("Enter a plan name.", { name: "is empty" });
    return {
      name,
      monthlyMessages: input.monthlyMessages ?? null,
      monthlyCalls: input.monthlyCalls ?? null,
      monthlyLeads: input.monthlyLeads ?? null,
      offered: input.offered,
    };
  };

  return {
    meterSend,
    releaseHeld,

    // ---- platform admin ----
    async listPlans(): Promise<PlanView[]> {
      return (await plansRepository.list(db.system)).map(toPlanView);
    },

    async createPlan(input: PlanInput, actor: Actor): Promise<PlanView> {
      const data = planData(input);
      try {
        return await db.system.$transaction(async (tx) => {
          const p = await plansRepository.create(tx, data);
          await recordPlatformAudit(tx, actor, { action: "plan.created", targetId: p.id, data: { name: p.name } });
          return toPlanView(p);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict("A plan with this name exists.", { name: "is taken" });
        throw err;
      }
    },

    async updatePlan(id: string, input: PlanInput, actor: Actor): Promise<PlanView> {
      await planById(id);
      const data = planData(input);
      try {
        const p = await db.system.$transaction(async (tx) => {
          const p = await plansRepository.update(tx, id, data);
          await recordPlatformAudit(tx, actor, { action: "plan.updated", targetId: id, data });
          return p;
        });
        // A larger quota lets held sends of the workspaces on this plan go out.
        for (const w of await plansRepository.workspacesOnPlan(db.system, id)) await releaseHeld(w.id, actor);
        return toPlanView(p);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict("A plan with this name exists.", { name: "is taken" });
        throw err;
      }
    },

    /** The platform admin assigns any plan (or none: unlimited) to a workspace. */
    async assignPlan(slug: string, planId: string | null, actor: Actor): Promise<UsageView["plan"]> {
      const plan = planId ? await planById(planId) : null;
      const workspaceId = await db.system.$transaction(async (tx) => {
        const ws = await plansRepository.workspaceIdBySlug(tx, slug.trim().toLowerCase());
        if (!ws) throw notFound("Workspace");
        const workspaceId = ws.id;
        await plansRepository.setWorkspacePlan(tx, workspaceId, plan?.id ?? null);
        await recordPlatformAudit(tx, actor, {
          action: "plan.assigned",
          workspaceId,
          data: { planId: plan?.id ?? null },
        });
        return workspaceId;
      });
      await releaseHeld(workspaceId, actor);
      return plan ? toPlanView(plan) : null;
    },

    // ---- workspace (billing.read / billing.manage) ----
    async offeredPlans(access: WorkspaceAccess): Promise<PlanView[]> {
      authorizeRow(access.ability, "read", "Billing", { workspaceId: access.workspaceId });
      const plans = await inWorkspace(db, access, (tx) => repo.offeredPlans(tx));
      return plans.map(toPlanView);
    },

    async switchPlan(access: WorkspaceAccess, planId: string, actor: Actor): Promise<UsageView> {
      authorizeRow(access.ability, "update", "Billing", { workspaceId: access.workspaceId });
      if (!UUID_RE.test(planId)) throw notFound("Plan");
      await inWorkspace(db, access, async (tx) => {
        const plan = await repo.plan(tx, planId);
        // A plan not offered reads as absent: only the platform admin assigns those.
        if (!plan || !plan.offered) throw notFound("Plan");
        const ws = await repo.workspacePlanId(tx, access.workspaceId);
        await repo.setWorkspacePlan(tx, access.workspaceId, planId);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "plan.switched",
          actorMembershipId: access.membershipId,
          targetType: "Plan",
          targetId: planId,
          data: { from: ws.planId, to: planId },
        });
      });
      await releaseHeld(access.workspaceId, access);
      return this.usage(access);
    },

    async usage(access: WorkspaceAccess): Promise<UsageView> {
      authorizeRow(access.ability, "read", "Billing", { workspaceId: access.workspaceId });
      const workspaceId = access.workspaceId;
      const current = monthStart(now());
      const first = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - 5, 1));
      return inWorkspace(db, access, async (tx) => {
        const ws = await repo.workspacePlan(tx, workspaceId);
        const counters = await repo.countersSince(tx, workspaceId, first);
        // Leads are counted from the leads themselves (a lead is never refused for the quota).
        const leads = await repo.leadsPerMonth(tx, workspaceId, first);
        const [heldMessages, heldCalls] = await repo.heldCounts(tx, workspaceId);
        const history = [];
        for (let i = 0; i < 6; i++) {
          const m = monthKey(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1)));
          const of = (metric: SendMetric) =>
            counters.find((c) => monthKey(c.month) === m && c.metric === metric)?.used ?? 0;
          history.push({
            month: m,
            messages: of("MESSAGES"),
            calls: of("CALLS"),
            leads: leads.find((l) => l.month === m)?.n ?? 0,
          });
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
      const rows = await plansRepository.workspacesHolding(db.system);
      for (const r of rows) await releaseHeld(r.workspace_id, NO_REQUEST); // a job: no request
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
