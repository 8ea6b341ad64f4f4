// The only code that touches Prisma for campaigns and their recipients.
import type { Prisma, TenantTx } from "@atrium/db";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";

export type CampaignRow = Prisma.CampaignGetPayload<object>;
type Status = CampaignRow["status"];

/** Recipient counts of one campaign, by outcome (see `progress`). */
export interface ProgressRow {
  campaign_id: string;
  total: number;
  pending: number;
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
  held: number;
  cancelled: number;
}

export const campaignsRepository = {
  /** Per campaign: its recipients counted by their own status and their message's. */
  async progress(tx: TenantTx, workspaceId: string, campaignIds: string[]): Promise<ProgressRow[]> {
    return tx.$queryRaw<ProgressRow[]>`
    SELECT r.campaign_id,
      count(*)::int AS total,
      count(*) FILTER (WHERE r.status = 'PENDING' AND c.status <> 'CANCELLED')::int AS pending,
      count(*) FILTER (WHERE (r.status = 'PENDING' AND c.status <> 'CANCELLED') OR (m.status = 'QUEUED' AND r.status <> 'CANCELLED'))::int AS queued,
      count(*) FILTER (WHERE m.status IN ('SENT', 'DELIVERED', 'READ'))::int AS sent,
      count(*) FILTER (WHERE m.status = 'FAILED')::int AS failed,
      count(*) FILTER (WHERE (r.status = 'SKIPPED' OR m.status = 'SUPPRESSED') AND r.status <> 'CANCELLED')::int AS suppressed,
      count(*) FILTER (WHERE m.status = 'HELD_QUOTA')::int AS held,
      -- A cancelled campaign's PENDING recipients are cancelled: in this count at once, in their
      -- rows by the dispatcher's batches (cancelPending).
      count(*) FILTER (WHERE r.status = 'CANCELLED' OR (r.status = 'PENDING' AND c.status = 'CANCELLED'))::int AS cancelled
    FROM campaign_recipients r
    JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id
    LEFT JOIN messages m ON m.workspace_id = r.workspace_id AND m.id = r.message_id
    WHERE r.workspace_id = ${workspaceId}::uuid AND r.campaign_id = ANY(${campaignIds}::uuid[])
    GROUP BY r.campaign_id`;
  },

  /**
   * Issue 52: the hand-picked contacts (at most 10,000) as recipients, in one statement (existing
   * rows stay); the tag's audience is added in batches (`addTagBatch`). Returns how many rows the
   * campaign has.
   */
  async addChosenRecipients(
    tx: TenantTx,
    c: Pick<CampaignRow, "workspaceId" | "id" | "audienceContactIds">,
  ): Promise<number> {
    if (c.audienceContactIds.length > 0) {
      await tx.$executeRaw`
      INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id)
      SELECT workspace_id, ${c.id}::uuid, id FROM contacts
       WHERE workspace_id = ${c.workspaceId}::uuid AND id = ANY(${c.audienceContactIds}::uuid[])
      ON CONFLICT (workspace_id, campaign_id, contact_id) DO NOTHING`;
    }
    return tx.campaignRecipient.count({ where: { workspaceId: c.workspaceId, campaignId: c.id } });
  },

  /** The audience as it stands at `at` (contacts chosen or tagged, created by then), counted. */
  async audienceSize(
    tx: TenantTx,
    c: Pick<CampaignRow, "workspaceId" | "audienceContactIds" | "audienceTag">,
    at: Date,
  ): Promise<number> {
    const [row] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM contacts
       WHERE workspace_id = ${c.workspaceId}::uuid AND created_at <= ${at}
         AND (id = ANY(${c.audienceContactIds}::uuid[]) OR (${c.audienceTag}::text IS NOT NULL AND ${c.audienceTag}::text = ANY(tags)))`;
    return row?.n ?? 0;
  },

  /** A running campaign whose audience is still being added (the one that started first), or null. */
  async audienceToAdd(tx: TenantTx, workspaceId: string): Promise<string | null> {
    const c = await tx.campaign.findFirst({
      where: { workspaceId, status: "RUNNING", audienceAddedAt: null },
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    return c?.id ?? null;
  },

  /**
   * Serialises the campaign's audience batches (a transaction-scoped advisory lock: two
   * dispatchers never add the same batch, the second waits here and then reads the cursor the
   * first committed) and answers where the audience stands while the campaign is RUNNING with its
   * audience not yet added, or null. The campaign row itself is not locked here: the send jobs'
   * claims hold it FOR SHARE, and a lock held for the whole batch made every claim wait for it
   * (issue 52, decision 0055); `addTagBatch` takes it only to move the cursor, at the end.
   */
  async lockAudience(
    tx: TenantTx,
    workspaceId: string,
    id: string,
  ): Promise<{ tag: string | null; cursor: string | null; startedAt: Date } | null> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`campaign-audience:${workspaceId}:${id}`}, 0))`;
    const [row] = await tx.$queryRaw<{ tag: string | null; cursor: string | null; started_at: Date }[]>`
      SELECT audience_tag AS tag, audience_cursor::text AS cursor, started_at FROM campaigns
       WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid AND status = 'RUNNING' AND audience_added_at IS NULL`;
    return row ? { tag: row.tag, cursor: row.cursor, startedAt: row.started_at } : null;
  },

  /**
   * One batch of the tag's audience: up to `limit` contacts with the tag, created by `startedAt`,
   * after `cursor` by id (the primary key's order), added as PENDING recipients in one statement;
   * the cursor moves to the last of them in the same transaction, and past the end the audience is
   * marked added (at once when the campaign has no tag: only hand-picked contacts). Returns how
   * many contacts the batch took and how many rows it added — or null when the campaign stopped
   * running meanwhile (`whileRunning`: a cancel committed during the batch; its recipients were
   * cancelled without these rows, so the caller rolls the batch back).
   */
  async addTagBatch(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    a: { tag: string | null; cursor: string | null; startedAt: Date },
    limit: number,
    whileRunning = false,
  ): Promise<{ taken: number; added: number; done: boolean } | null> {
    const [row] = await tx.$queryRaw<{ taken: number; added: number; last: string | null }[]>`
      WITH batch AS (
        SELECT id FROM contacts
         WHERE workspace_id = ${workspaceId}::uuid AND id > COALESCE(${a.cursor}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
           AND ${a.tag}::text = ANY(tags) AND created_at <= ${a.startedAt}
         ORDER BY id LIMIT ${limit}),
      added AS (
        INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id)
        SELECT ${workspaceId}::uuid, ${id}::uuid, id FROM batch
        ON CONFLICT (workspace_id, campaign_id, contact_id) DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM batch)::int AS taken, (SELECT count(*) FROM added)::int AS added,
             (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1) AS last`;
    const { taken, added, last } = row!;
    const done = taken < limit;
    // The row lock from here to the commit only. Under READ COMMITTED the UPDATE re-reads a row
    // changed meanwhile: a campaign cancelled during the batch matches no row.
    const moved = await tx.$executeRaw`
      UPDATE campaigns SET audience_cursor = COALESCE(${last}::uuid, audience_cursor), audience_added_at = CASE WHEN ${done} THEN now() END
       WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid
         AND (NOT ${whileRunning} OR (status = 'RUNNING' AND audience_added_at IS NULL))`;
    if (moved === 0) return null;
    return { taken, added, done };
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<CampaignRow | null> {
    return tx.campaign.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  /** Newest first by (createdAt, id); `keyset` is the cursor's condition, ANDed with `where` for the page only, and the order of travel. */
  async page(
    tx: TenantTx,
    where: Prisma.CampaignWhereInput,
    keyset: { where: Prisma.CampaignWhereInput; orderBy: Prisma.CampaignOrderByWithRelationInput[] },
    take: number,
  ): Promise<[CampaignRow[], number]> {
    return Promise.all([
      tx.campaign.findMany({ where: { ...where, ...keyset.where }, orderBy: keyset.orderBy, take: take + 1 }),
      tx.campaign.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },

  async create(tx: TenantTx, data: Prisma.CampaignUncheckedCreateInput): Promise<CampaignRow> {
    return tx.campaign.create({ data });
  },

  /** Updates the campaign only while its status is one of `from` (checked by the UPDATE itself); false when it was not. */
  async updateIfStatusIn(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: Status[],
    data: Prisma.CampaignUncheckedUpdateManyInput,
  ): Promise<boolean> {
    const r = await tx.campaign.updateMany({ where: { workspaceId, id, status: { in: from } }, data });
    return r.count > 0;
  },

  /** Updates the campaign only while its status is `status`; false when it was not. */
  async updateIfStatus(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    status: Status,
    data: Prisma.CampaignUpdateManyMutationInput,
  ): Promise<boolean> {
    const r = await tx.campaign.updateMany({ where: { workspaceId, id, status }, data });
    return r.count > 0;
  },

  /** Deletes the campaign only while its status is one of `from`; false when it was not. */
  async deleteIfStatusIn(tx: TenantTx, workspaceId: string, id: string, from: Status[]): Promise<boolean> {
    const r = await tx.campaign.deleteMany({ where: { workspaceId, id, status: { in: from } } });
    return r.count > 0;
  },

  async dueScheduled(tx: TenantTx, workspaceId: string, now: Date): Promise<CampaignRow[]> {
    return tx.campaign.findMany({ where: { workspaceId, status: "SCHEDULED", scheduledAt: { lte: now } } });
  },

  async running(tx: TenantTx, workspaceId: string): Promise<CampaignRow[]> {
    return tx.campaign.findMany({ where: { workspaceId, status: "RUNNING" } });
  },

  /** The running campaigns in the order the dispatcher serves them (longest running first). */
  async runningToDispatch(tx: TenantTx, workspaceId: string) {
    return tx.campaign.findMany({
      where: { workspaceId, status: "RUNNING" },
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      select: { id: true, message: true, templateId: true },
    });
  },

  /** Locks the campaign row FOR SHARE until the transaction ends and returns its status (null: gone). */
  async lockStatusForShare(tx: TenantTx, workspaceId: string, id: string): Promise<string | null> {
    const locked = await tx.$queryRaw<
      { status: string }[]
    >`SELECT status::text FROM campaigns WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR SHARE`;
    return locked[0]?.status ?? null;
  },

  /** Locks the campaign row FOR UPDATE until the transaction ends (waits for the claims holding it FOR SHARE). */
  async lockForUpdate(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM campaigns WHERE workspace_id = ${workspaceId}::uuid AND id = ${id}::uuid FOR UPDATE`;
  },

  /**
   * Claims up to `limit` PENDING recipients (FOR UPDATE SKIP LOCKED: another claimer's rows are
   * passed over). `message_id` is set on a recipient whose send job handed its message back while
   * the campaign was paused.
   */
  async claimPending(tx: TenantTx, workspaceId: string, campaignId: string, limit: number) {
    return tx.$queryRaw<{ id: string; contact_id: string; message_id: string | null }[]>`
          SELECT id, contact_id, message_id FROM campaign_recipients
           WHERE workspace_id = ${workspaceId}::uuid AND campaign_id = ${campaignId}::uuid AND status = 'PENDING'
           ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  },

  async updateRecipient(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.CampaignRecipientUncheckedUpdateInput,
  ): Promise<void> {
    await tx.campaignRecipient.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  /**
   * Cancels what is not yet sent (issue 56): the recipients whose message has not been handed to
   * the provider — held by the quota, queued and never attempted, or handed back by its send job
   * while the campaign was paused — and up to `pendingLimit` PENDING ones (never claimed, no
   * message). Their messages become SUPPRESSED with `reason` (a send job still enqueued finds
   * nothing to send). A message already attempted stays with its send job, which finds the campaign
   * cancelled when it runs again. PENDING recipients past the limit are inert once the campaign is
   * CANCELLED (no claim takes them; `progress` counts them cancelled) and are cancelled in batches
   * by `cancelPending` (issue 52: one statement over 100,000 of them took 6.6 s of the request).
   * Returns how many messages were stopped and whether PENDING recipients are left.
   */
  async cancelUnsent(
    tx: TenantTx,
    workspaceId: string,
    campaignId: string,
    reason: string,
    pendingLimit: number,
  ): Promise<{ stopped: number; pendingLeft: boolean }> {
    const rows = await tx.$queryRaw<{ n: number; left: boolean }[]>`
      WITH stopped AS (
        UPDATE messages m SET status = 'SUPPRESSED', error_message = ${reason}, status_updated_at = now()
          FROM campaign_recipients r
         WHERE r.workspace_id = ${workspaceId}::uuid AND r.campaign_id = ${campaignId}::uuid AND r.status IN ('PENDING', 'QUEUED')
           AND r.message_id IS NOT NULL
           AND m.workspace_id = r.workspace_id AND m.id = r.message_id AND m.provider_message_id IS NULL
           AND (m.status = 'HELD_QUOTA' OR (m.status = 'QUEUED' AND (m.attempts = 0 OR r.status = 'PENDING')))
        RETURNING m.id),
      pending AS (
        SELECT id FROM campaign_recipients
         WHERE workspace_id = ${workspaceId}::uuid AND campaign_id = ${campaignId}::uuid AND status = 'PENDING'
         LIMIT ${pendingLimit + 1}),
      cancelled AS (
        UPDATE campaign_recipients SET status = 'CANCELLED', skip_reason = ${reason}, updated_at = now()
         WHERE workspace_id = ${workspaceId}::uuid AND campaign_id = ${campaignId}::uuid
           AND (message_id IN (SELECT id FROM stopped) OR id IN (SELECT id FROM pending LIMIT ${pendingLimit}))
        RETURNING 1)
      SELECT (SELECT count(*) FROM stopped)::int AS n, (SELECT count(*) FROM pending) > ${pendingLimit} AS left,
             (SELECT count(*) FROM cancelled) AS c`;
    return { stopped: rows[0]?.n ?? 0, pendingLeft: rows[0]?.left ?? false };
  },

  /** Cancelled campaigns of the workspace with PENDING recipients left (`cancelUnsent`'s rest). */
  async cancelledWithPending(tx: TenantTx, workspaceId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT c.id::text FROM campaigns c
       WHERE c.workspace_id = ${workspaceId}::uuid AND c.status = 'CANCELLED'
         AND EXISTS (SELECT 1 FROM campaign_recipients r
                      WHERE r.workspace_id = c.workspace_id AND r.campaign_id = c.id AND r.status = 'PENDING')`;
    return rows.map((r) => r.id);
  },

  /** Up to `limit` PENDING recipients of a cancelled campaign cancelled; returns how many. */
  async cancelPending(
    tx: TenantTx,
    workspaceId: string,
    campaignId: string,
    reason: string,
    limit: number,
  ): Promise<number> {
    return tx.$executeRaw`
      UPDATE campaign_recipients SET status = 'CANCELLED', skip_reason = ${reason}, updated_at = now()
       WHERE workspace_id = ${workspaceId}::uuid AND id IN (
         SELECT r.id FROM campaign_recipients r JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id
          WHERE r.workspace_id = ${workspaceId}::uuid AND r.campaign_id = ${campaignId}::uuid AND r.status = 'PENDING'
            AND c.status = 'CANCELLED'
          LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED)`;
  },

  /**
   * Issue 56: what running `c` now would do, counted over the audience as `materialiseRecipients`
   * would fix it (each contact once): opted out, without a phone, outside WhatsApp's window.
   */
  async audienceCounts(
    tx: TenantTx,
    c: Pick<CampaignRow, "workspaceId" | "audienceContactIds" | "audienceTag">,
    windowSince: Date,
  ) {
    const [row] = await tx.$queryRaw<
      { recipients: number; opted_out: number; no_phone: number; outside_window: number }[]
    >`
      SELECT count(*)::int AS recipients,
             count(*) FILTER (WHERE opted_out_at IS NOT NULL)::int AS opted_out,
             count(*) FILTER (WHERE opted_out_at IS NULL AND phone IS NULL)::int AS no_phone,
             count(*) FILTER (WHERE opted_out_at IS NULL AND phone IS NOT NULL AND (last_inbound_at IS NULL OR last_inbound_at <= ${windowSince}))::int AS outside_window
        FROM contacts
       WHERE workspace_id = ${c.workspaceId}::uuid
         AND (id = ANY(${c.audienceContactIds}::uuid[]) OR (${c.audienceTag}::text IS NOT NULL AND ${c.audienceTag}::text = ANY(tags)))`;
    return row!;
  },

  /** The first contact of the audience (the preview's sample). */
  async firstOfAudience(tx: TenantTx, c: Pick<CampaignRow, "workspaceId" | "audienceContactIds" | "audienceTag">) {
    return tx.contact.findFirst({
      where: {
        workspaceId: c.workspaceId,
        OR: [{ id: { in: c.audienceContactIds } }, ...(c.audienceTag ? [{ tags: { has: c.audienceTag } }] : [])],
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.CampaignUncheckedUpdateInput,
  ): Promise<CampaignRow> {
    return tx.campaign.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  /** Whether any contact of the workspace has the tag; else up to `limit` tags that exist, closest first by prefix. */
  async tagCheck(
    tx: TenantTx,
    workspaceId: string,
    tag: string,
    limit = 5,
  ): Promise<{ exists: boolean; known: string[] }> {
    const rows = await tx.$queryRaw<{ tag: string }[]>`
      SELECT tag FROM (SELECT DISTINCT t AS tag FROM contacts, unnest(tags) AS t WHERE workspace_id = ${workspaceId}::uuid) k
       ORDER BY (tag = ${tag}) DESC, (left(tag, 1) = left(${tag}, 1)) DESC, tag LIMIT ${limit}`;
    return { exists: rows[0]?.tag === tag, known: rows.map((r) => r.tag) };
  },

  async contact(tx: TenantTx, workspaceId: string, id: string) {
    return tx.contact.findUniqueOrThrow({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async countContacts(tx: TenantTx, workspaceId: string, ids: string[]): Promise<number> {
    return tx.contact.count({ where: { workspaceId, id: { in: ids } } });
  },
};
