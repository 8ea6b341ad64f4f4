// Analytics (R7): per-UTC-day counts for a workspace over a date range, each counted from its own
// table through an index led by (workspace_id, created_at). Messages and leads, the big tables, go
// through rollups of closed days (analytics_daily_messages, analytics_daily_leads — issue 52): a day that ended more than CLOSE_AFTER_MS
// ago is counted once from the (workspace_id, created_at, direction) index — index only — and
// stored; later reads take the stored row. Today (and a day just ended) is always counted live.
// Measured at 1M messages in bench/analytics (decision 0017).
import type { Db, TenantTx } from "@atrium/db";

import { type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { inWorkspace } from "../../platform/data.ts";
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

  type Counts = { n: number; m: number };
  /**
   * Counts per day of [from, end) from a rollup of closed days: the stored rows (`stored`), and the
   * rest counted (`count`, one span from the first missing day) with the closed days among them
   * stored (`store`). Today, and a day just ended, are always counted.
   */
  async function rolledUp(
    from: Date,
    end: Date,
    stored: (closedEnd: Date) => Promise<{ day: Date; n: number; m: number }[]>,
    count: (from: Date) => Promise<{ day: string; n: number; m?: number }[]>,
    store: (rows: { day: Date; n: number; m: number }[]) => Promise<unknown>,
  ): Promise<Map<string, Counts>> {
    const out = new Map<string, Counts>();
    const closedEnd = new Date(
      Math.min(end.getTime(), Math.floor((now().getTime() - CLOSE_AFTER_MS) / DAY_MS) * DAY_MS),
    );
    if (closedEnd > from)
      for (const r of await stored(closedEnd)) out.set(r.day.toISOString().slice(0, 10), { n: r.n, m: r.m });
    // Everything not stored: one span from the first missing day to the end of the range.
    let firstMissing = from;
    while (firstMissing < end && out.has(firstMissing.toISOString().slice(0, 10)))
      firstMissing = new Date(firstMissing.getTime() + DAY_MS);
    if (firstMissing < end) {
      const counted = new Map((await count(firstMissing)).map((r) => [r.day, { n: r.n, m: r.m ?? 0 }]));
      const toStore: { day: Date; n: number; m: number }[] = [];
      for (let d = firstMissing; d < end; d = new Date(d.getTime() + DAY_MS)) {
        const key = d.toISOString().slice(0, 10);
        if (out.has(key)) continue;
        const c = counted.get(key) ?? { n: 0, m: 0 };
        out.set(key, c);
        if (d < closedEnd) toStore.push({ day: d, ...c });
      }
      if (toStore.length > 0) await store(toStore);
    }
    return out;
  }

  /** Message counts per day of [from, end) (`n` in, `m` out): analytics_daily_messages. */
  const messageCounts = (tx: TenantTx, ws: string, from: Date, end: Date) =>
    rolledUp(
      from,
      end,
      async (closedEnd) =>
        (await repo.storedMessageDays(tx, ws, from, closedEnd)).map((r) => ({
          day: r.day,
          n: r.messagesIn,
          m: r.messagesOut,
        })),
      (start) => repo.messagesByDay(tx, ws, start, end),
      (rows) =>
        repo.storeMessageDays(
          tx,
          rows.map((r) => ({ workspaceId: ws, day: r.day, messagesIn: r.n, messagesOut: r.m })),
        ),
    );

  /**
   * Lead counts per day of [from, end) (`n` all, `m` BOOKED): analytics_daily_leads, kept right
   * by the leads' triggers as statuses change and leads are deleted (migration 20261128213000).
   */
  const leadCounts = (tx: TenantTx, ws: string, from: Date, end: Date) =>
    rolledUp(
      from,
      end,
      async (closedEnd) =>
        (await repo.storedLeadDays(tx, ws, from, closedEnd)).map((r) => ({ day: r.day, n: r.leads, m: r.booked })),
      (start) => repo.leadsByDay(tx, ws, start, end),
      (rows) =>
        repo.storeLeadDays(
          tx,
          rows.map((r) => ({ workspaceId: ws, day: r.day, leads: r.n, booked: r.m })),
        ),
    );

  return {
    async daily(access: WorkspaceAccess, fromDay: string, toDay: string): Promise<DailyStatsView[]> {
      authorizeRow(access.ability, "read", "Lead", { workspaceId: access.workspaceId });
      const from = parseDay(fromDay);
      const to = parseDay(toDay);
      if (!from) throw badInput("`from` must be a day written YYYY-MM-DD.", { from: "not a day" });
      if (!to) throw badInput("`to` must be a day written YYYY-MM-DD.", { to: "not a day" });
      if (to < from) throw badInput("`to` must not be before `from`.", { to: "before from" });
      const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
      if (days > MAX_ANALYTICS_DAYS)
        throw badInput(`Choose at most ${MAX_ANALYTICS_DAYS} days.`, { to: "range too long" });
      const end = new Date(to.getTime() + DAY_MS);
      const ws = access.workspaceId;
      // A first read of a long range counts up to a year of messages before the rollup has them:
      // give it more than the default transaction time (later reads take milliseconds).
      const rows = await inWorkspace(
        db,
        access,
        (tx) =>
          Promise.all([
            leadCounts(tx, ws, from, end).then((l) => [...l].map(([day, c]) => ({ day, ...c }))),
            messageCounts(tx, ws, from, end).then((m) => [...m].map(([day, c]) => ({ day, ...c }))),
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
