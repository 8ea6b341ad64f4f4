// The only code that touches Prisma for analytics: per-UTC-day counts and the closed-day rollup
// of messages. The count functions return Prisma's lazy query (not an async wrapper), so a
// caller's Promise.all issues them in its own order.
import type { Prisma, TenantTx } from "@atrium/db";

/** One UTC day "YYYY-MM-DD" and its count(s). */
export type DayRow = { day: string; n: number; m?: number };

export const analyticsRepository = {
  /** Stored message counts of the closed days in [from, to). */
  storedMessageDays(tx: TenantTx, workspaceId: string, from: Date, to: Date) {
    return tx.analyticsDailyMessages.findMany({ where: { workspaceId, day: { gte: from, lt: to } } });
  },

  /** Messages per day in [from, end): inbound as `n`, outbound as `m`. */
  messagesByDay(tx: TenantTx, workspaceId: string, from: Date, end: Date) {
    return tx.$queryRaw<{ day: string; n: number; m: number }[]>`
        SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE direction = 'INBOUND')::int AS n, count(*) FILTER (WHERE direction = 'OUTBOUND')::int AS m
          FROM messages WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${end} GROUP BY 1`;
  },

  /** Two first reads at once compute the same numbers; the second insert changes nothing. */
  storeMessageDays(tx: TenantTx, rows: Prisma.AnalyticsDailyMessagesCreateManyInput[]) {
    return tx.analyticsDailyMessages.createMany({ data: rows, skipDuplicates: true });
  },

  /** Stored lead counts of the closed days in [from, to). */
  storedLeadDays(tx: TenantTx, workspaceId: string, from: Date, to: Date) {
    return tx.analyticsDailyLeads.findMany({ where: { workspaceId, day: { gte: from, lt: to } } });
  },

  /** As `storeMessageDays`: two first reads at once store the same numbers once. */
  storeLeadDays(tx: TenantTx, rows: Prisma.AnalyticsDailyLeadsCreateManyInput[]) {
    return tx.analyticsDailyLeads.createMany({ data: rows, skipDuplicates: true });
  },

  /** Leads per day in [from, end): all as `n`, BOOKED as `m`. */
  leadsByDay(tx: TenantTx, workspaceId: string, from: Date, end: Date) {
    return tx.$queryRaw<
      DayRow[]
    >`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n, count(*) FILTER (WHERE status = 'BOOKED')::int AS m
            FROM leads WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${end} GROUP BY 1`;
  },

  callsByDay(tx: TenantTx, workspaceId: string, from: Date, end: Date) {
    return tx.$queryRaw<DayRow[]>`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
            FROM calls WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${end} GROUP BY 1`;
  },

  bookingsByDay(tx: TenantTx, workspaceId: string, from: Date, end: Date) {
    return tx.$queryRaw<DayRow[]>`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
            FROM bookings WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${end} GROUP BY 1`;
  },
};
