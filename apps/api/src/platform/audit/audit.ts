// Audit writes happen inside the caller's tenant transaction, so a change and its record commit
// (or roll back) together.
import { type Prisma, type SystemClient, type TenantTx } from "@atrium/db";

/** Who did something and from where; built once per request. */
export interface Actor {
  userId: string | null;
  apiKeyId?: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface AuditEntry {
  action: string;
  /** The acting membership in this workspace, when the actor is a member. */
  actorMembershipId?: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
}

export async function recordWorkspaceAudit(tx: TenantTx, workspaceId: string, actor: Actor, entry: AuditEntry): Promise<void> {
  // createMany: a plain INSERT, nothing returned (nobody reads the row back).
  await tx.auditEvent.createMany({
    data: {
      workspaceId,
      actorUserId: actor.userId,
      actorMembershipId: entry.actorMembershipId ?? null,
      actorApiKeyId: actor.apiKeyId ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      data: (entry.data ?? {}) as Prisma.InputJsonObject,
      ip: actor.ip,
      userAgent: actor.userAgent,
      requestId: actor.requestId,
    },
  });
}

export async function recordPlatformAudit(
  system: Pick<SystemClient, "platformAuditEvent"> | Pick<Prisma.TransactionClient, "platformAuditEvent">,
  actor: Actor,
  entry: AuditEntry & { workspaceId?: string },
): Promise<void> {
  // createMany: a plain INSERT without RETURNING (the app role may insert here, never read).
  await system.platformAuditEvent.createMany({
    data: {
      actorUserId: actor.userId,
      workspaceId: entry.workspaceId ?? null,
      action: entry.action,
      data: { ...(entry.data ?? {}), ...(entry.targetId ? { targetId: entry.targetId } : {}) },
      ip: actor.ip,
      requestId: actor.requestId,
    },
  });
}
