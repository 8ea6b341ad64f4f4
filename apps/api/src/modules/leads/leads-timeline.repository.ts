// The lead's timeline in one statement: the newest `take` of each source (each on its
// (workspace_id, lead_id) / conversation index, or audit_events' (workspace_id, target_id)), merged
// by UNION ALL and cut to `take` — at most 4 × take rows sorted, whatever the lead's history.
import { Prisma } from "@atrium/db";

/** One row of `timelineStatement`. */
export interface TimelineRow {
  source: "message" | "call" | "booking" | "status";
  id: string;
  at: Date | string;
  direction: string | null;
  body: string | null;
  status: string | null;
  detail: string | null;
  conversation_id: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  starts_at: Date | string | null;
  data: unknown;
}

export const leadsTimelineRepository = {
  /** The lead itself (its workspace, for the ability check); no row: not in this workspace. */
  leadStatement(workspaceId: string, leadId: string): Prisma.Sql {
    return Prisma.sql`SELECT l."workspace_id" AS "workspaceId", l."id" FROM "public"."leads" AS l WHERE l."workspace_id" = ${workspaceId}::uuid AND l."id" = ${leadId}::uuid`;
  },

  /** Newest first, at most `take` rows. Message bodies are cut to 160 characters in the database. */
  timelineStatement(workspaceId: string, leadId: string, take: number): Prisma.Sql {
    const ws = Prisma.sql`${workspaceId}::uuid`;
    const lead = Prisma.sql`${leadId}::uuid`;
    return Prisma.sql`SELECT u.* FROM (
  (SELECT 'message' AS "source", m."id", m."created_at" AS "at", m."direction"::text AS "direction", left(m."body", 160) AS "body", m."status"::text AS "status",
      NULL::text AS "detail", m."conversation_id", r."campaign_id", k."name" AS "campaign_name", NULL::timestamptz AS "starts_at", NULL::jsonb AS "data"
    FROM "public"."conversations" AS c
    JOIN "public"."messages" AS m ON m."workspace_id" = c."workspace_id" AND m."conversation_id" = c."id"
    LEFT JOIN "public"."campaign_recipients" AS r ON r."workspace_id" = m."workspace_id" AND r."message_id" = m."id"
    LEFT JOIN "public"."campaigns" AS k ON k."workspace_id" = r."workspace_id" AND k."id" = r."campaign_id"
    WHERE c."workspace_id" = ${ws} AND c."lead_id" = ${lead} AND m."workspace_id" = ${ws}
    ORDER BY m."created_at" DESC, m."id" DESC LIMIT ${take})
  UNION ALL
  (SELECT 'call', x."id", x."created_at", NULL, NULL, x."status"::text, x."ended_reason", NULL, NULL, NULL, NULL, NULL
    FROM "public"."calls" AS x WHERE x."workspace_id" = ${ws} AND x."lead_id" = ${lead}
    ORDER BY x."created_at" DESC, x."id" DESC LIMIT ${take})
  UNION ALL
  (SELECT 'booking', b."id", b."created_at", NULL, NULL, b."status"::text, NULL, NULL, NULL, NULL, b."starts_at", NULL
    FROM "public"."bookings" AS b WHERE b."workspace_id" = ${ws} AND b."lead_id" = ${lead}
    ORDER BY b."created_at" DESC, b."id" DESC LIMIT ${take})
  UNION ALL
  (SELECT 'status', a."id", a."created_at", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a."data"
    FROM "public"."audit_events" AS a
    WHERE a."workspace_id" = ${ws} AND a."target_id" = ${leadId}::text AND a."target_type" = 'Lead' AND a."action" = 'lead.status_changed'
    ORDER BY a."created_at" DESC, a."id" DESC LIMIT ${take})
) AS u
ORDER BY u."at" DESC, u."id" DESC LIMIT ${take}`;
  },
};
