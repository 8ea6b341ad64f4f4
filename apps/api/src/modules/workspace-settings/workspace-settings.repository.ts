// The only code that touches Prisma for workspace settings and lifecycle.
import type { Prisma, TenantTx } from "@atrium/db";

import { workspacesRepository, type WorkspaceRow } from "../workspaces/workspaces.repository.ts";

export const workspaceSettingsRepository = {
  async slugReservedForOther(tx: TenantTx, slug: string, workspaceId: string): Promise<boolean> {
    return workspacesRepository.slugReservedForOther(tx, slug, workspaceId);
  },

  async find(tx: TenantTx, id: string): Promise<WorkspaceRow | null> {
    return tx.workspace.findUnique({ where: { id } });
  },

  /** Throws Prisma's not-found error when the row is gone. */
  async get(tx: TenantTx, id: string): Promise<WorkspaceRow> {
    return tx.workspace.findUniqueOrThrow({ where: { id } });
  },

  async environment(tx: TenantTx, id: string): Promise<{ environment: WorkspaceRow["environment"] }> {
    return tx.workspace.findUniqueOrThrow({ where: { id }, select: { environment: true } });
  },

  async security(tx: TenantTx, id: string): Promise<{ requireStepUp: boolean; stepUpLifetimeMinutes: number } | null> {
    return tx.workspace.findUnique({ where: { id }, select: { requireStepUp: true, stepUpLifetimeMinutes: true } });
  },

  async update(tx: TenantTx, id: string, data: Prisma.WorkspaceUncheckedUpdateInput): Promise<WorkspaceRow> {
    return tx.workspace.update({ where: { id }, data });
  },

  /** Every tenant row goes with it (ON DELETE CASCADE from workspaces). */
  async delete(tx: TenantTx, id: string): Promise<void> {
    await tx.workspace.delete({ where: { id } });
  },
};
