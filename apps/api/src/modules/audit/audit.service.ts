import type { Db } from "@atrium/db";
import { UUID_RE, inWorkspace, readInWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere } from "../../platform/authz/accessible.ts";
import { escapeLike } from "../../platform/db/like.ts";
import { badInput } from "../../platform/errors.ts";
import { connection, decodeCursor, pageSize } from "../../platform/graphql/cursor.ts";
import { auditRepository as repo, type AuditEventRow } from "./audit.repository.ts";
import type { AuditEventConnection, AuditEventView } from "./audit.types.ts";

/**
 * An event's node: its row, with `data` as JSON text when the query read it (a page's row has only
 * the selected columns). Written in place: `{ ...e, data }` added a field to a copy, and V8 made a
 * new hidden class for every row (decision 0014, addendum 14).
 */
function asView(e: AuditEventRow): AuditEventView {
  if (e.data !== undefined) (e as unknown as { data: string }).data = JSON.stringify(e.data);
  return e as unknown as AuditEventView;
}

export function createAuditService({ db }: { db: Db }) {
  return {
    async list(
      access: WorkspaceAccess,
      args: { first?: number | null; after?: string | null; actorUserId?: string | null; action?: string | null; since?: Date | null; until?: Date | null; withTotal?: boolean; fields?: ReadonlySet<string> },
    ): Promise<AuditEventConnection> {
      // Only the events the ability allows (FORBIDDEN when none, before any other answer).
      const allowed = accessibleWhere(access.ability, "read", "AuditEvent");
      const take = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after) : null;
      if (args.actorUserId && !UUID_RE.test(args.actorUserId)) throw badInput("actorUserId must be a user id.", { actorUserId: "invalid" });
      if (args.since && args.until && args.since > args.until) throw badInput("since must be before until.", { since: "after until" });
      const where = {
        // ANDed; the cursor below is an OR of its own.
        AND: allowed.AND,
        workspaceId: access.workspaceId,
        ...(args.actorUserId ? { actorUserId: args.actorUserId } : {}),
        // "member." matches every member.* action; otherwise exact.
        // (startsWith is a LIKE pattern: the prefix's own "_", "%" and backslash are escaped to mean themselves.)
        ...(args.action ? (args.action.endsWith(".") ? { action: { startsWith: escapeLike(args.action) } } : { action: args.action }) : {}),
        ...(args.since || args.until ? { createdAt: { ...(args.since ? { gte: args.since } : {}), ...(args.until ? { lt: args.until } : {}) } } : {}),
      };
      // Counted only when selected (withTotal false: no count statement); only the selected
      // fields' columns. One round trip when the filter has a plain-SQL form (it always has
      // today); through Prisma otherwise.
      const opts = { where, after, take, withTotal: args.withTotal !== false, fields: args.fields };
      const read = await readInWorkspace(db, access, repo.pageStatements(opts));
      const [rows, totalCount] = read ? repo.pageFromRows(read, opts.withTotal) : await inWorkspace(db, access, (tx) => repo.page(tx, opts));
      return connection(rows, take, totalCount, asView);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
