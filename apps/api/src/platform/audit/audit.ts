// Audit writes happen inside the caller's tenant transaction, so a change and its record commit
// (or roll back) together.
import { Prisma, type SystemClient, type TenantTx } from "@atrium/db";

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

/**
 * `recordWorkspaceAudit`'s row written by a statement that writes it with others: an INSERT …
 * SELECT from `relation` (a row that statement wrote, alias of a data-modifying CTE), whose
 * workspace it takes and whose id is the target's. The same columns as `recordWorkspaceAudit`.
 */
export function workspaceAuditInsert(actor: Actor, entry: Omit<AuditEntry, "targetId">, relation: string): Prisma.Sql {
  return Prisma.sql`INSERT INTO "public"."audit_events" ("workspace_id", "actor_user_id", "actor_membership_id", "actor_api_key_id", "action", "target_type", "target_id", "data", "ip", "user_agent", "request_id")
    SELECT r."workspace_id", ${actor.userId}::uuid, ${entry.actorMembershipId ?? null}::uuid, ${actor.apiKeyId ?? null}::uuid, ${entry.action}::text, ${entry.targetType ?? null}::text, r."id"::text, ${JSON.stringify(entry.data ?? {})}::jsonb, ${actor.ip}::text, ${actor.userAgent}::text, ${actor.requestId}::text FROM ${Prisma.raw(relation)} AS r`;
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

/** One row of `workspaceAuditInsertEach`: an audit entry with its own actor. */
export interface AuditRow {
  actor: Actor;
  entry: Omit<AuditEntry, "targetId">;
}

/**
 * `workspaceAuditInsert` for a statement that writes rows for several requests (a coalesced
 * write: decision 0014, addendum 25): `rows[i]` is the audit row of the row of `relation` whose
 * int column `position` is i + 1. The entries go as arrays (one parameter per column, whatever
 * their number), so the statement's text is the same for every batch.
 */
export function workspaceAuditInsertEach(rows: readonly AuditRow[], relation: string, position: string): Prisma.Sql {
  const column = <T>(value: (row: AuditRow) => T) => rows.map(value);
  return Prisma.sql`INSERT INTO "public"."audit_events" ("workspace_id", "actor_user_id", "actor_membership_id", "actor_api_key_id", "action", "target_type", "target_id", "data", "ip", "user_agent", "request_id")
    SELECT r."workspace_id", a."actor_user_id", a."actor_membership_id", a."actor_api_key_id", a."action", a."target_type", r."id"::text, a."data", a."ip", a."user_agent", a."request_id"
    FROM ${Prisma.raw(relation)} AS r
    JOIN unnest(${column((r) => r.actor.userId)}::uuid[], ${column((r) => r.entry.actorMembershipId ?? null)}::uuid[], ${column((r) => r.actor.apiKeyId ?? null)}::uuid[],
      ${column((r) => r.entry.action)}::text[], ${column((r) => r.entry.targetType ?? null)}::text[], ${column((r) => JSON.stringify(r.entry.data ?? {}))}::jsonb[],
      ${column((r) => r.actor.ip)}::text[], ${column((r) => r.actor.userAgent)}::text[], ${column((r) => r.actor.requestId)}::text[])
      WITH ORDINALITY AS a("actor_user_id", "actor_membership_id", "actor_api_key_id", "action", "target_type", "data", "ip", "user_agent", "request_id", "n")
      ON a."n" = r.${Prisma.raw(`"${position}"`)}`;
}
