// The only code that reads the database for the home page: plain SQL, so the whole page is a few
// statements sent in one round trip (readInWorkspace). Every count is bounded by an index led by
// workspace_id (EXPLAIN in decision 0041); the workspace filter is explicit, RLS checks it again.
import { Prisma, type TenantTx } from "@atrium/db";

/** Which glance counts the caller may read (a part left out is not computed at all). */
export interface GlanceParts {
  leads: boolean;
  conversations: boolean;
}

/** How far back a conversation's last inbound message keeps it "waiting for a reply". */
export const WAITING_WINDOW_MS = 7 * 86_400_000;

const NULL_PAIR = Prisma.sql`(SELECT NULL::int AS cur, NULL::int AS prev)`;

/** `since` = until − 24 h, `previousSince` = until − 48 h. */
export function glanceStatement(
  workspaceId: string,
  t: { until: Date; since: Date; previousSince: Date },
  parts: GlanceParts,
): Prisma.Sql {
  const ws = Prisma.sql`${workspaceId}::uuid`;
  const since = Prisma.sql`${t.since}::timestamptz`;
  const prevSince = Prisma.sql`${t.previousSince}::timestamptz`;
  const until = Prisma.sql`${t.until}::timestamptz`;
  // Counted over [previousSince, until): the row's period is decided by FILTER.
  const perPeriod = (table: string, extra: Prisma.Sql) =>
    Prisma.sql`(SELECT count(*) FILTER (WHERE created_at >= ${since})::int AS cur, count(*) FILTER (WHERE created_at < ${since})::int AS prev
       FROM ${Prisma.raw(table)} WHERE workspace_id = ${ws} AND created_at >= ${prevSince} AND created_at < ${until}${extra})`;
  const leads = parts.leads ? perPeriod("leads", Prisma.empty) : NULL_PAIR;
  const bookings = parts.leads ? perPeriod("bookings", Prisma.empty) : NULL_PAIR;
  const failedMessages = parts.conversations
    ? perPeriod("messages", Prisma.sql` AND direction = 'OUTBOUND' AND status = 'FAILED'`)
    : NULL_PAIR;
  const failedCalls = parts.conversations ? perPeriod("calls", Prisma.sql` AND status = 'FAILED'`) : NULL_PAIR;
  // Waiting: open, and the contact's message is the latest — now, and as things stood at `since`
  // (open then: not closed yet, or closed after). Only conversations active in the window are
  // looked at (the (workspace_id, last_activity_at) index); for each, the latest message is one
  // probe of the (workspace_id, conversation_id, created_at, id) index.
  const windowNow = Prisma.sql`${new Date(t.until.getTime() - WAITING_WINDOW_MS)}::timestamptz`;
  const windowThen = Prisma.sql`${new Date(t.since.getTime() - WAITING_WINDOW_MS)}::timestamptz`;
  const waiting = parts.conversations
    ? Prisma.sql`(SELECT count(*) FILTER (WHERE c.status = 'OPEN' AND ln.direction = 'INBOUND' AND ln.created_at >= ${windowNow})::int AS cur,
              count(*) FILTER (WHERE c.created_at < ${since} AND (c.status = 'OPEN' OR c.closed_at >= ${since}) AND lt.direction = 'INBOUND' AND lt.created_at >= ${windowThen})::int AS prev
         FROM conversations c
         LEFT JOIN LATERAL (SELECT m.direction, m.created_at FROM messages m WHERE m.workspace_id = c.workspace_id AND m.conversation_id = c.id
                             ORDER BY m.created_at DESC, m.id DESC LIMIT 1) ln ON true
         LEFT JOIN LATERAL (SELECT m.direction, m.created_at FROM messages m WHERE m.workspace_id = c.workspace_id AND m.conversation_id = c.id AND m.created_at < ${since}
                             ORDER BY m.created_at DESC, m.id DESC LIMIT 1) lt ON true
        WHERE c.workspace_id = ${ws} AND c.last_activity_at >= ${windowThen})`
    : NULL_PAIR;
  return Prisma.sql`SELECT l.cur AS leads_cur, l.prev AS leads_prev, b.cur AS bookings_cur, b.prev AS bookings_prev,
      fm.cur + fc.cur AS failed_cur, fm.prev + fc.prev AS failed_prev, w.cur AS waiting_cur, w.prev AS waiting_prev
    FROM ${leads} l, ${bookings} b, ${failedMessages} fm, ${failedCalls} fc, ${waiting} w`;
}

export interface GlanceRow {
  leads_cur: number | null;
  leads_prev: number | null;
  bookings_cur: number | null;
  bookings_prev: number | null;
  failed_cur: number | null;
  failed_prev: number | null;
  waiting_cur: number | null;
  waiting_prev: number | null;
}

/** Each step's state from the workspace's rows: one existence probe per step, each on an index. */
export function checklistStatement(workspaceId: string): Prisma.Sql {
  const ws = Prisma.sql`${workspaceId}::uuid`;
  return Prisma.sql`SELECT w.channel::text AS channel,
      EXISTS (SELECT 1 FROM integrations i WHERE i.workspace_id = ${ws}
               AND i.provider = (CASE w.channel WHEN 'WHATSAPP' THEN 'TWILIO' ELSE 'VAPI' END)::integration_provider) AS channel_connected,
      (coalesce(btrim(w.agent_name), '') <> '') AS persona_set,
      EXISTS (SELECT 1 FROM leads WHERE workspace_id = ${ws}) AS first_lead,
      (EXISTS (SELECT 1 FROM invitations WHERE workspace_id = ${ws} AND revoked_at IS NULL)
        OR (SELECT count(*) FROM (SELECT 1 FROM memberships WHERE workspace_id = ${ws} LIMIT 2) two) = 2) AS teammate_invited,
      EXISTS (SELECT 1 FROM api_keys WHERE workspace_id = ${ws}) AS api_key_created,
      EXISTS (SELECT 1 FROM campaigns WHERE workspace_id = ${ws}) AS first_campaign
    FROM workspaces w WHERE w.id = ${ws}`;
}

export interface ChecklistRow {
  channel: string;
  channel_connected: boolean;
  persona_set: boolean;
  first_lead: boolean;
  teammate_invited: boolean;
  api_key_created: boolean;
  first_campaign: boolean;
}

export const homeRepository = {
  /** The latest leads, for a caller who may read leads but not the audit log. */
  latestLeads(tx: TenantTx, workspaceId: string, take: number) {
    return tx.lead.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, name: true, createdAt: true },
    });
  },
};
