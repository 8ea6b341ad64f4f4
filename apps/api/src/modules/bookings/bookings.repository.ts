// The only code that touches Prisma for bookings.
import type { Prisma, TenantTx } from "@atrium/db";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";

export type BookingRow = Prisma.BookingGetPayload<{ include: { lead: { include: { contact: true } } } }>;
const include = { lead: { include: { contact: true } } } as const;

export const bookingsRepository = {
  /** `filter`: the rows the caller may read (ANDed; the cursor is a separate OR). */
  /** `keyset`: the cursor's condition and the order of travel (cursor.ts's `keyset`). */
  async page(
    tx: TenantTx,
    workspaceId: string,
    opts: {
      leadId?: string | null;
      take: number;
      keyset: { where: Prisma.BookingWhereInput; orderBy: Prisma.BookingOrderByWithRelationInput[] };
      filter: Prisma.BookingWhereInput;
    },
  ): Promise<[BookingRow[], number]> {
    const where: Prisma.BookingWhereInput = {
      workspaceId,
      AND: [opts.filter],
      ...(opts.leadId ? { leadId: opts.leadId } : {}),
    };
    return Promise.all([
      // Newest first by creation (the cursor's keys); one statement for the page and its leads.
      tx.booking.findMany({
        where: { ...where, ...opts.keyset.where },
        include,
        orderBy: opts.keyset.orderBy,
        take: opts.take + 1,
      }),
      tx.booking.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },

  async find(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<BookingRow | null> {
    if (opts.forUpdate)
      await tx.$queryRaw`SELECT 1 FROM bookings WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    return tx.booking.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include });
  },

  async create(tx: TenantTx, data: Prisma.BookingUncheckedCreateInput): Promise<BookingRow> {
    return tx.booking.create({ data, include });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.BookingUncheckedUpdateInput,
  ): Promise<BookingRow> {
    return tx.booking.update({ where: { workspaceId_id: { workspaceId, id } }, data, include });
  },
};
