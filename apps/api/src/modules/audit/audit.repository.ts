// The only code that touches Prisma for the workspace audit log (reads; the writes are
// platform/audit/audit.ts, inside each change's own transaction).
import type { Prisma, TenantTx } from "@atrium/db";

export type AuditEventRow = Prisma.AuditEventGetPayload<object>;

export const auditRepository = {
  /** `where`: the caller's filters, ANDed; the cursor is a separate OR. No count statement unless `withTotal`. */
  async page(tx: TenantTx, opts: { where: Prisma.AuditEventWhereInput; after: { createdAt: Date; id: string } | null; take: number; withTotal: boolean }): Promise<[AuditEventRow[], number]> {
    const { where, after } = opts;
    return Promise.all([
      tx.auditEvent.findMany({
        where: after ? { ...where, OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: opts.take + 1,
      }),
      opts.withTotal ? tx.auditEvent.count({ where }) : Promise.resolve(0),
    ]);
  },
};
