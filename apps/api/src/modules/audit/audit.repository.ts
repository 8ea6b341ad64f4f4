// The only code that touches Prisma for the workspace audit log (reads; the writes are
// platform/audit/audit.ts, inside each change's own transaction).
import { Prisma, type ReadRows, type TenantTx } from "@atrium/db";
import { KEYSET, keysetPage, keysetRows, projected, readModel, selectList } from "../../platform/db/read-sql.ts";

export type AuditEventRow = Prisma.AuditEventGetPayload<object>;

type PageOpts = {
  where: Prisma.AuditEventWhereInput;
  after: { createdAt: Date; id: string } | null;
  take: number;
  withTotal: boolean;
  /** The fields the query selected of each event (`selectedFields`; undefined: all). */
  fields?: ReadonlySet<string>;
};

const auditEvents = readModel("audit_events", Prisma.AuditEventScalarFieldEnum);
const afterWhere = (after: PageOpts["after"]): Prisma.AuditEventWhereInput =>
  after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {};

export const auditRepository = {
  /** `where`: the caller's filters, ANDed; the cursor is a separate OR. No count statement unless `withTotal`. */
  async page(tx: TenantTx, opts: PageOpts): Promise<[AuditEventRow[], number]> {
    const { where, after } = opts;
    return Promise.all([
      tx.auditEvent.findMany({
        where: after ? { ...where, ...afterWhere(after) } : where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: opts.take + 1,
      }),
      opts.withTotal ? tx.auditEvent.count({ where }) : Promise.resolve(0),
    ]);
  },

  /**
   * The same page as plain statements for `readInWorkspace` (undefined: read it with `page`),
   * reading only the columns of the fields selected (`projected`).
   */
  pageStatements(opts: PageOpts): Prisma.Sql[] | undefined {
    const select = selectList(projected(auditEvents, opts.fields, KEYSET), "t");
    return keysetPage(auditEvents, { where: opts.where, after: afterWhere(opts.after), take: opts.take, withTotal: opts.withTotal, select });
  },

  /** `pageStatements`' rows as `page` returns them (the fields not selected undefined). */
  pageFromRows(rows: ReadRows[], withTotal: boolean): [AuditEventRow[], number] {
    return keysetRows(rows, withTotal, (r) => r as AuditEventRow);
  },
};
