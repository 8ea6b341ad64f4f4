// Analytics (R7): per-UTC-day counts for a workspace over a date range, each counted from its own
// table through an index led by (workspace_id, created_at). Messages, the big table, go through
// a rollup of closed days (analytics_daily_messages): a day that ended more than CLOSE_AFTER_MS
// ago is counted once from the (workspace_id, created_at, direction) index — index only — and
// stored; later reads take the stored row. Today (and a day just ended) is always counted live.
// Measured at 1M messages in bench/analytics (decision 0017).
import type { Db, TenantTx } from "@atrium/db";
import { tenantOf, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { badInput } from "../../platform/errors.ts";
import { analyticsRepository as repo } from "./analytics.repository.ts";
import type { DailyStatsView } from "./analytics.types.ts";

export const MAX_ANALYTICS_DAYS = 366;
const DAY_MS = 86_400_000;
/** A day's messages are final this long after it ended (a transaction begun before midnight may commit after it). */
const CLOSE_AFTER_MS = 10 * 60_000;

/** A UTC day "YYYY-MM-DD" as midnight UTC; null when it is not a real calendar day. */
export function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : d;
}

export function createAnalyticsService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  type Counts = { in: number; out: number };
  /** Message counts per day of [from, end): stored rows for closed days, the rest counted and closed days stored. */
  async function messageCounts(tx: TenantTx, ws: string, from: Date, end: Date): Promise<Map<string, Counts>> {
    const out = new Map<string, Counts>();
    const closedEnd = new Date(Math.min(end.getTime(), Math.floor((now().getTime() - CLOSE_AFTER_MS) / DAY_MS) * DAY_MS));
    if (closedEnd > from) {
      const stored = await repo.storedMessageDays(tx, ws, from, closedEnd);
      for (const r of stored) out.set(r.day.toISOString().slice(0, 10), { in: r.messagesIn, out: r.messagesOut });
    }
    // Everything not stored: one span from the first missing day to the end of the range.
    let firstMissing = from;
    while (firstMissing < end && out.has(firstMissing.toISOString().slice(0, 10))) firstMissing = new Date(firstMissing.getTime() + DAY_MS);
    if (firstMissing < end) {
      const rows = await repo.messagesByDay(tx, ws, firstMissing, end);
      const counted = new Map(rows.map((r) => [r.day, { in: r.n, out: r.m }]));
      const toStore: { workspaceId: string; day: Date; messagesIn: number; messagesOut: number }[] = [];
      for (let d = firstMissing; d < end; d = new Date(d.getTime() + DAY_MS)) {
        const key = d.toISOString().slice(0, 10);
        if (out.has(key)) continue;
        const c = counted.get(key) ?? { in: 0, out: 0 };
        out.set(key, c);
        if (d < closedEnd) toStore.push({ workspaceId: ws, day: d, messagesIn: c.in, messagesOut: c.out });
      }
      if (toStore.length > 0) await repo.storeMessageDays(tx, toStore);
    }
    return out;
  }

  return {
    async daily(access: WorkspaceAccess, fromDay: string, toDay: string): Promise<DailyStatsView[]> {
      authorizeRow(access.ability, "read", "Lead", { workspaceId: access.workspaceId });
      const from = parseDay(fromDay);
      const to = parseDay(toDay);
      if (!from) throw badInput("`from` must be a day written YYYY-MM-DD.", { from: "not a day" });
      if (!to) throw badInput("`to` must be a day written YYYY-MM-DD.", { to: "not a day" });
      if (to < from) throw badInput("`to` must not be before `from`.", { to: "before from" });
      const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
      if (days > MAX_ANALYTICS_DAYS) throw badInput(`Choose at most ${MAX_ANALYTICS_DAYS} days.`, { to: "range too long" });
      const end = new Date(to.getTime() + DAY_MS);
      const ws = access.workspaceId;
      // A first read of a long range counts up to a year of messages before the rollup has them:
      // give it more than the default transaction time (later reads take milliseconds).
      const rows = await db.tenant(tenantOf(access), (tx) =>
        Promise.all([
          repo.leadsByDay(tx, ws, from, end),
          messageCounts(tx, ws, from, end).then((m) => [...m].map(([day, c]) => ({ day, n: c.in, m: c.out }))),
          repo.callsByDay(tx, ws, from, end),
          repo.bookingsByDay(tx, ws, from, end),
        ]),
        { timeoutMs: 60_000 },
      );
      const [leads, messages, calls, bookings] = rows.map((r) => new Map(r.map((x) => [x.day, x])));
      const out: DailyStatsView[] = [];
      for (let i = 0; i < days; i++) {
        const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
        const l = leads!.get(day);
        const m = messages!.get(day);
        const nLeads = l?.n ?? 0;
        const booked = l?.m ?? 0;
        out.push({
          day,
          leads: nLeads,
          messagesIn: m?.n ?? 0,
          messagesOut: m?.m ?? 0,
          calls: calls!.get(day)?.n ?? 0,
          bookings: bookings!.get(day)?.n ?? 0,
          bookedLeads: booked,
          conversion: nLeads === 0 ? 0 : booked / nLeads,
        });
      }
      return out;
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
