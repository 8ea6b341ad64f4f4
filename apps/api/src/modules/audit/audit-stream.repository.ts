// The only code that touches Prisma for the audit stream (issue 50, decision 0052): the stream's
// row, and the audit events after its cursor in the audit log's own order (created_at, id).
import type { Prisma, SystemClient, TenantTx } from "@atrium/db";

export type AuditStreamRow = Prisma.AuditStreamGetPayload<object>;
export type StreamedEventRow = Prisma.AuditEventGetPayload<object>;

/** A position in the audit log: the last event delivered (or to deliver), by (created_at, id). */
export interface LogPosition {
  createdAt: Date;
  id: string;
}

/** Events strictly after `after` (none: from the start), oldest first. */
const afterCursor = (workspaceId: string, after: LogPosition | null): Prisma.AuditEventWhereInput =>
  after
    ? {
        workspaceId,
        OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }],
      }
    : { workspaceId };

const OLDEST_FIRST = [
  { createdAt: "asc" },
  { id: "asc" },
] as const satisfies Prisma.AuditEventOrderByWithRelationInput[];

export const auditStreamRepository = {
  /** Every enabled stream's workspace, across workspaces (the platform sweep: system client). */
  async enabledStreamWorkspaces(system: SystemClient): Promise<string[]> {
    return (await system.auditStream.findMany({ where: { enabled: true }, select: { workspaceId: true } })).map(
      (s) => s.workspaceId,
    );
  },

  async find(tx: TenantTx, workspaceId: string): Promise<AuditStreamRow | null> {
    return tx.auditStream.findUnique({ where: { workspaceId } });
  },

  /** The stream's row locked for this transaction (one pump at a time changes it). */
  async lock(tx: TenantTx, workspaceId: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM audit_streams WHERE workspace_id = ${workspaceId}::uuid FOR UPDATE`;
  },

  async create(tx: TenantTx, data: Prisma.AuditStreamUncheckedCreateInput): Promise<AuditStreamRow> {
    return tx.auditStream.create({ data });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    data: Prisma.AuditStreamUncheckedUpdateInput,
  ): Promise<AuditStreamRow> {
    return tx.auditStream.update({ where: { workspaceId }, data });
  },

  async remove(tx: TenantTx, workspaceId: string): Promise<void> {
    await tx.auditStream.delete({ where: { workspaceId } });
  },

  /** The newest event (where a new stream starts: nothing before it is sent). */
  async newestEvent(tx: TenantTx, workspaceId: string): Promise<LogPosition | null> {
    return tx.auditEvent.findFirst({
      where: { workspaceId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { createdAt: true, id: true },
    });
  },

  /**
   * Up to `take` events after `after`, oldest first, that are older than `before` (the horizon:
   * no transaction still open can add an event before it), and no further than `through` (a
   * batch in flight: exactly its events again).
   */
  async eventsAfter(
    tx: TenantTx,
    workspaceId: string,
    after: LogPosition | null,
    opts: { take: number; before?: Date; through?: LogPosition },
  ): Promise<StreamedEventRow[]> {
    const and: Prisma.AuditEventWhereInput[] = [afterCursor(workspaceId, after)];
    if (opts.before) and.push({ createdAt: { lt: opts.before } });
    if (opts.through)
      and.push({
        OR: [
          { createdAt: { lt: opts.through.createdAt } },
          { createdAt: opts.through.createdAt, id: { lte: opts.through.id } },
        ],
      });
    return tx.auditEvent.findMany({ where: { AND: and }, orderBy: OLDEST_FIRST, take: opts.take });
  },

  /** How many events wait after `after` (counted up to `cap`), and the oldest one's time. */
  async backlog(
    tx: TenantTx,
    workspaceId: string,
    after: LogPosition | null,
    cap: number,
  ): Promise<{ count: number; oldest: Date | null }> {
    const where = afterCursor(workspaceId, after);
    const [rows, oldest] = await Promise.all([
      tx.auditEvent.findMany({ where, select: { id: true }, orderBy: OLDEST_FIRST, take: cap }),
      tx.auditEvent.findFirst({ where, select: { createdAt: true }, orderBy: OLDEST_FIRST }),
    ]);
    return { count: rows.length, oldest: oldest?.createdAt ?? null };
  },

  /**
   * The horizon: `settleMs` before now, and before the start of every transaction still open
   * (an event's created_at is its transaction's start, so an open transaction may still add
   * events as old as its start). Milliseconds, as created_at is stored, less one for rounding.
   */
  async horizon(tx: TenantTx, settleMs: number): Promise<Date> {
    const [row] = await tx.$queryRaw<[{ horizon: Date }]>`
      SELECT date_trunc('milliseconds', least(
               clock_timestamp() - make_interval(secs => ${settleMs}::float8 / 1000),
               coalesce((SELECT min(xact_start) FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()), 'infinity'::timestamptz)
             )) - interval '1 millisecond' AS horizon`;
    return row.horizon;
  },
};
