// Audit writes happen inside the caller's tenant transaction, so a change and its record commit
// (or roll back) together.
import { Prisma, type RequestScope, type SystemClient, type TenantTx } from "@atrium/db";

/**
 * Who did something and from where; built once per request (per GraphQL run) by the entry point.
 * An actor is a `Caller` (platform/data.ts): it carries the request its changes are made in, so a
 * feature hands the actor on and its units of work keep the request's deadline and principals.
 */
export interface Actor {
  userId: string | null;
  apiKeyId?: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** The request (run) it acts in; absent outside one (jobs, tests). Read only by platform/data.ts. */
  readonly scope?: RequestScope | undefined;
}

export interface AuditEntry {
  action: string;
  /** The acting membership in this workspace, when the actor is a member. */
  actorMembershipId?: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
}

export async function recordWorkspaceAudit(
  tx: TenantTx,
  workspaceId: string,
  actor: Actor,
  entry: AuditEntry,
): Promise<void> {
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

/** An audit entry with its own actor: one row of `workspaceAuditInsert` / `workspaceAuditInsertEach`. */
export interface AuditRow {
  actor: Actor;
  entry: Omit<AuditEntry, "targetId">;
}

/**
 * The columns `recordWorkspaceAudit` writes, beyond the workspace and the target (which the
 * statements below read from the row written), each with its value for an entry and its SQL type.
 * One list for both statements, so the two cannot disagree on a column.
 */
const AUDIT_COLUMNS = (
  [
    ["actor_user_id", "uuid", (r) => r.actor.userId],
    ["actor_membership_id", "uuid", (r) => r.entry.actorMembershipId ?? null],
    ["actor_api_key_id", "uuid", (r) => r.actor.apiKeyId ?? null],
    ["action", "text", (r) => r.entry.action],
    ["target_type", "text", (r) => r.entry.targetType ?? null],
    ["data", "jsonb", (r) => JSON.stringify(r.entry.data ?? {})],
    ["ip", "text", (r) => r.actor.ip],
    ["user_agent", "text", (r) => r.actor.userAgent],
    ["request_id", "text", (r) => r.actor.requestId],
  ] as const satisfies readonly (readonly [string, string, (row: AuditRow) => unknown])[]
).map(([column, type, value]) => ({
  column: `"${column}"`,
  cast: Prisma.raw(`::${type}`),
  arrayCast: Prisma.raw(`::${type}[]`),
  value,
}));
const AUDIT_INSERT = Prisma.raw(
  `INSERT INTO "public"."audit_events" ("workspace_id", "target_id", ${AUDIT_COLUMNS.map((c) => c.column).join(", ")})`,
);
/** `workspaceAuditInsertEach`'s unnested entries: their columns as the alias `a` names them, and as its select list. */
const AUDIT_UNNESTED = Prisma.raw(AUDIT_COLUMNS.map((c) => c.column).join(", "));
const AUDIT_FROM_UNNESTED = Prisma.raw(AUDIT_COLUMNS.map((c) => `a.${c.column}`).join(", "));

/**
 * `recordWorkspaceAudit`'s row written by a statement that writes it with others: an INSERT …
 * SELECT from `relation` (a row that statement wrote, alias of a data-modifying CTE), whose
 * workspace it takes and whose id is the target's. The same columns as `recordWorkspaceAudit`.
 */
export function workspaceAuditInsert(row: AuditRow, relation: string): Prisma.Sql {
  const values = AUDIT_COLUMNS.map((c) => Prisma.sql`${c.value(row)}${c.cast}`);
  return Prisma.sql`${AUDIT_INSERT}
    SELECT r."workspace_id", r."id"::text, ${Prisma.join(values)} FROM ${Prisma.raw(relation)} AS r`;
}

/**
 * `workspaceAuditInsert` for a statement that writes rows for several requests (a coalesced
 * write): `rows[i]` is the audit row of the row of `relation` whose int column `position` is i + 1.
 * The entries go as arrays (one parameter per column, whatever their number), so the statement's
 * text is the same for every batch.
 */
export function workspaceAuditInsertEach(rows: readonly AuditRow[], relation: string, position: string): Prisma.Sql {
  const arrays = AUDIT_COLUMNS.map((c) => Prisma.sql`${rows.map(c.value)}${c.arrayCast}`);
  return Prisma.sql`${AUDIT_INSERT}
    SELECT r."workspace_id", r."id"::text, ${AUDIT_FROM_UNNESTED}
    FROM ${Prisma.raw(relation)} AS r
    JOIN unnest(${Prisma.join(arrays)}) WITH ORDINALITY AS a(${AUDIT_UNNESTED}, "n") ON a."n" = r.${Prisma.raw(`"${position}"`)}`;
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
