// A contact's page (issue 48) in plain SQL: the contact, and its timeline in one statement — the
// newest `take` of each source (messages of the contact's conversations, its calls, and, for a
// reader of leads, its leads' bookings and status changes), merged by UNION ALL and cut to `take`:
// at most 4 × take rows sorted, whatever the contact's history. The rows are the lead timeline's
// (`TimelineRow`), so `toTimelineEntry` words them the same.
import { Prisma, type TenantTx } from "@atrium/db";

/** Which sources the timeline statement reads. */
export interface ContactTimelineSources {
  /** The contact's leads' bookings and status changes (read Lead). */
  leads: boolean;
}

export const contactTimelineRepository = {
  /** Runs the statements in `tx`, in order: the fallback of a read pipeline (the lead timeline's). */

  /** The contact as the `Contact` type reads it (and its workspace, for the ability check); no row: not in this workspace. */
  contactStatement(workspaceId: string, contactId: string): Prisma.Sql {
    return Prisma.sql`SELECT c."workspace_id" AS "workspaceId", c."id", c."name", c."email", c."phone", c."tags", c."opted_out_at" AS "optedOutAt", c."opt_in_at" AS "optInAt",
      c."opt_in_text" AS "optInText", c."last_inbound_at" AS "lastInboundAt", c."created_at" AS "createdAt"
    FROM "public"."contacts" AS c WHERE c."workspace_id" = ${workspaceId}::uuid AND c."id" = ${contactId}::uuid`;
  },

  /**
   * Newest first, at most `take` rows: messages of every conversation with the contact (campaign
   * sends included, with or without a lead), its calls, and (`sources.leads`) its leads' bookings
   * and status changes. Message bodies are cut to 160 characters in the database.
   */
  timelineStatement(workspaceId: string, contactId: string, take: number, sources: ContactTimelineSources): Prisma.Sql {
    const ws = Prisma.sql`${workspaceId}::uuid`;
    const contact = Prisma.sql`${contactId}::uuid`;
    const leads = Prisma.sql`SELECT l."id" FROM "public"."leads" AS l WHERE l."workspace_id" = ${ws} AND l."contact_id" = ${contact}`;
    const leadSources = sources.leads
      ? Prisma.sql`
  UNION ALL
  (SELECT 'booking', b."id", b."created_at", NULL, NULL, b."status"::text, NULL, NULL, NULL, NULL, b."starts_at", NULL
    FROM "public"."bookings" AS b WHERE b."workspace_id" = ${ws} AND b."lead_id" IN (${leads})
    ORDER BY b."created_at" DESC, b."id" DESC LIMIT ${take})
  UNION ALL
  (SELECT 'status', a."id", a."created_at", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a."data"
    FROM "public"."audit_events" AS a
    WHERE a."workspace_id" = ${ws} AND a."target_id" IN (SELECT s."id"::text FROM (${leads}) AS s) AND a."target_type" = 'Lead' AND a."action" = 'lead.status_changed'
    ORDER BY a."created_at" DESC, a."id" DESC LIMIT ${take})`
      : Prisma.empty;
    return Prisma.sql`SELECT u.* FROM (
  (SELECT 'message' AS "source", m."id", m."created_at" AS "at", m."direction"::text AS "direction", left(m."body", 160) AS "body", m."status"::text AS "status",
      NULL::text AS "detail", m."conversation_id", r."campaign_id", k."name" AS "campaign_name", NULL::timestamptz AS "starts_at", NULL::jsonb AS "data"
    FROM "public"."conversations" AS c
    JOIN "public"."messages" AS m ON m."workspace_id" = c."workspace_id" AND m."conversation_id" = c."id"
    LEFT JOIN "public"."campaign_recipients" AS r ON r."workspace_id" = m."workspace_id" AND r."message_id" = m."id"
    LEFT JOIN "public"."campaigns" AS k ON k."workspace_id" = r."workspace_id" AND k."id" = r."campaign_id"
    WHERE c."workspace_id" = ${ws} AND c."contact_id" = ${contact} AND m."workspace_id" = ${ws}
    ORDER BY m."created_at" DESC, m."id" DESC LIMIT ${take})
  UNION ALL
  (SELECT 'call', x."id", x."created_at", NULL, NULL, x."status"::text, x."ended_reason", NULL, NULL, NULL, NULL, NULL
    FROM "public"."calls" AS x WHERE x."workspace_id" = ${ws} AND x."contact_id" = ${contact}
    ORDER BY x."created_at" DESC, x."id" DESC LIMIT ${take})${leadSources}
) AS u
ORDER BY u."at" DESC, u."id" DESC LIMIT ${take}`;
  },

  /** The contact's leads the caller may read (`where`), newest first, `take` at most, each with its contact. */
  async leads(tx: TenantTx, where: Prisma.LeadWhereInput, take: number) {
    return tx.lead.findMany({
      where,
      include: { contact: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  },

  /** Whether the contact is in the workspace (RLS shows only the caller's). */
  async contactExists(tx: TenantTx, workspaceId: string, contactId: string): Promise<boolean> {
    return (
      (await tx.contact.findUnique({
        where: { workspaceId_id: { workspaceId, id: contactId } },
        select: { id: true },
      })) !== null
    );
  },
};
