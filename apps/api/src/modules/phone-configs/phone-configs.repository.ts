// The only code that touches Prisma for phone numbers.
import type { Prisma, TenantTx } from "@atrium/db";

import type { PhoneProvider } from "./phone-configs.types.ts";

export type PhoneConfigRow = Prisma.PhoneConfigGetPayload<object>;

export const phoneConfigsRepository = {
  /** The default number of a provider in this workspace. */
  async defaultOf(tx: TenantTx, workspaceId: string, provider: "TWILIO" | "VAPI") {
    return tx.phoneConfig.findFirst({
      where: { workspaceId, provider, isDefault: true },
      select: { number: true, providerRef: true },
    });
  },

  /** `filter`: the rows the caller may read (from `accessibleWhere`). */
  async list(tx: TenantTx, workspaceId: string, filter: Prisma.PhoneConfigWhereInput): Promise<PhoneConfigRow[]> {
    return tx.phoneConfig.findMany({
      where: { ...filter, workspaceId },
      orderBy: [{ provider: "asc" }, { isDefault: "desc" }, { createdAt: "asc" }],
    });
  },

  async count(tx: TenantTx, workspaceId: string): Promise<number> {
    return tx.phoneConfig.count({ where: { workspaceId } });
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<PhoneConfigRow | null> {
    return tx.phoneConfig.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async idByNumber(tx: TenantTx, workspaceId: string, number: string) {
    return tx.phoneConfig.findUnique({ where: { workspaceId_number: { workspaceId, number } }, select: { id: true } });
  },

  /** Unsets the provider's default, except on `exceptId`. */
  async clearDefault(tx: TenantTx, workspaceId: string, provider: PhoneProvider, exceptId?: string): Promise<void> {
    await tx.phoneConfig.updateMany({
      where: { workspaceId, provider, isDefault: true, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
      data: { isDefault: false },
    });
  },

  async create(tx: TenantTx, data: Prisma.PhoneConfigUncheckedCreateInput): Promise<PhoneConfigRow> {
    return tx.phoneConfig.create({ data });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.PhoneConfigUncheckedUpdateInput,
  ): Promise<PhoneConfigRow> {
    return tx.phoneConfig.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  async delete(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.phoneConfig.delete({ where: { workspaceId_id: { workspaceId, id } } });
  },
};
