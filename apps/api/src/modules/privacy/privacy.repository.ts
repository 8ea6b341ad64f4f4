// The only code that touches Prisma for data-subject requests (issue 50, decision 0051): the
// request rows, the tombstones, and the person's rows in every table that holds them. A person is
// named by e-mail (lower-case) and/or E.164 phone; their rows are found from their contacts and
// leads, which are deleted last, so every step of an erasure can find its rows again after a crash.
import { Prisma, type SystemClient, type TenantTx } from "@atrium/db";

import { revealAudit } from "../../platform/audit/reveal.ts";

export interface Subject {
  email: string | null;
  phone: string | null;
}

export type RequestKind = "EXPORT" | "ERASE";
export type RequestStatus = "PENDING" | "RUNNING" | "COMPLETED" | "FAILED";

export interface ProviderTarget {
  provider: "TWILIO" | "VAPI" | "CALCOM";
  /** Twilio MessageSid, Vapi call id, Cal.com booking uid. */
  id: string;
  done: boolean;
}

export const REQUEST_SELECT = {
  workspaceId: true,
  id: true,
  kind: true,
  status: true,
  subjectEmail: true,
  subjectPhone: true,
  emailHash: true,
  phoneHash: true,
  requestedByUserId: true,
  step: true,
  processed: true,
  total: true,
  counts: true,
  providerTargets: true,
  downloadExpiresAt: true,
  error: true,
  completedAt: true,
  createdAt: true,
} as const;
export type RequestRow = Prisma.DataSubjectRequestGetPayload<{ select: typeof REQUEST_SELECT }>;

/** The person's contacts: by e-mail or phone (null never matches). */
const contactIds = (ws: string, s: Subject) =>
  Prisma.sql`SELECT id FROM contacts WHERE workspace_id = ${ws}::uuid AND (email = ${s.email} OR phone = ${s.phone})`;
/** The person's leads: their own address, or one of their contacts. */
const leadIds = (ws: string, s: Subject) =>
  Prisma.sql`SELECT id FROM leads WHERE workspace_id = ${ws}::uuid AND (lower(email) = ${s.email} OR phone = ${s.phone} OR contact_id IN (${contactIds(ws, s)}))`;
const conversationIds = (ws: string, s: Subject) =>
  Prisma.sql`SELECT id FROM conversations WHERE workspace_id = ${ws}::uuid AND (contact_id IN (${contactIds(ws, s)}) OR lead_id IN (${leadIds(ws, s)}))`;
/** A text that names the person: their e-mail or phone, or one of their contact/lead ids. */
function namesSubject(column: Prisma.Sql, ws: string, s: Subject): Prisma.Sql {
  const needles: Prisma.Sql[] = [];
  if (s.email) needles.push(Prisma.sql`strpos(lower(${column}), ${s.email}) > 0`);
  if (s.phone) needles.push(Prisma.sql`strpos(${column}, ${s.phone}) > 0`);
  needles.push(
    Prisma.sql`EXISTS (SELECT 1 FROM (${contactIds(ws, s)} UNION ALL ${leadIds(ws, s)}) ids WHERE strpos(${column}, ids.id::text) > 0)`,
  );
  return Prisma.join(needles, " OR ", "(", ")");
}
const webhookEventIds = (ws: string, s: Subject) =>
  Prisma.sql`SELECT id FROM webhook_events WHERE workspace_id = ${ws}::uuid AND ${namesSubject(Prisma.sql`payload::text`, ws, s)}`;
/**
 * Audit rows about the person: their lead or contact is the target, or the row holds one of their
 * values, sealed under one of their keys (decision 0053: `audit_subject_key_ids` finds the keys of
 * their e-mail, phone and lead/contact ids without revealing any).
 */
const subjectIdsText = (ws: string, s: Subject) =>
  Prisma.sql`SELECT id::text FROM (${contactIds(ws, s)} UNION ALL ${leadIds(ws, s)}) ids`;
const auditWhere = (ws: string, s: Subject) =>
  Prisma.sql`workspace_id = ${ws}::uuid AND (target_id IN (${subjectIdsText(ws, s)}) OR ${namesSubject(Prisma.sql`data::text`, ws, s)}
    OR EXISTS (SELECT 1 FROM unnest(audit_subject_key_ids(${ws}::uuid, ${s.email}, ${s.phone}, ARRAY(${subjectIdsText(ws, s)}))) AS k(id)
               WHERE strpos(data::text, 'pii:v1:' || k.id::text || ':') > 0))`;

/** The entities of an export and an erasure, in erasure order (leaves first, contacts last). */
export const ENTITIES = [
  "webhook_deliveries",
  "campaign_sends",
  "bookings",
  "calls",
  "messages",
  "conversations",
  "audit_entries",
  "leads",
  "contacts",
] as const;
export type Entity = (typeof ENTITIES)[number];

export const privacyRepository = {
  async create(
    tx: TenantTx,
    data: {
      workspaceId: string;
      kind: RequestKind;
      subject: Subject;
      emailHash: string | null;
      phoneHash: string | null;
      userId: string | null;
      membershipId: string | null;
    },
  ): Promise<RequestRow> {
    return tx.dataSubjectRequest.create({
      data: {
        workspaceId: data.workspaceId,
        kind: data.kind,
        subjectEmail: data.subject.email,
        subjectPhone: data.subject.phone,
        emailHash: data.emailHash,
        phoneHash: data.phoneHash,
        requestedByUserId: data.userId,
        requestedByMembershipId: data.membershipId,
      },
      select: REQUEST_SELECT,
    });
  },

  find(tx: TenantTx, workspaceId: string, id: string): Promise<RequestRow | null> {
    return tx.dataSubjectRequest.findUnique({ where: { workspaceId_id: { workspaceId, id } }, select: REQUEST_SELECT });
  },

  list(tx: TenantTx, workspaceId: string, take: number): Promise<RequestRow[]> {
    return tx.dataSubjectRequest.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: REQUEST_SELECT,
    });
  },

  async archive(
    tx: TenantTx,
    workspaceId: string,
    id: string,
  ): Promise<{ archive: Uint8Array | null; downloadExpiresAt: Date | null } | null> {
    return tx.dataSubjectRequest.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      select: { archive: true, downloadExpiresAt: true },
    });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.DataSubjectRequestUpdateInput,
  ): Promise<void> {
    await tx.dataSubjectRequest.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  /**
   * Completes a request once: false when it was already completed (a resumed job that finds the
   * work done). The subject's clear address goes with it; only the hashes stay.
   */
  async complete(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: { counts: Record<string, number>; archive?: Uint8Array<ArrayBuffer>; downloadExpiresAt?: Date },
  ): Promise<boolean> {
    const { count } = await tx.dataSubjectRequest.updateMany({
      where: { workspaceId, id, status: { not: "COMPLETED" } },
      data: {
        status: "COMPLETED",
        completedAt: new Date(),
        subjectEmail: null,
        subjectPhone: null,
        counts: data.counts,
        ...(data.archive ? { archive: data.archive, downloadExpiresAt: data.downloadExpiresAt ?? null } : {}),
      },
    });
    return count === 1;
  },

  /** Whether any of these hashes is a tombstone of the workspace. */
  async tombstoned(
    tx: TenantTx,
    workspaceId: string,
    hashes: { kind: "EMAIL" | "PHONE"; valueHash: string }[],
  ): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    // Issue 52: an import chunk asks about 10,000 values at once. One parameter (JSON) and a join
    // on the unique (workspace_id, kind, value_hash) index — not 10,000 ORed conditions, whose
    // query plan alone took a large share of an import's time.
    const rows = await tx.$queryRaw<{ value_hash: string }[]>`
      SELECT t.value_hash FROM erasure_tombstones t
        JOIN jsonb_to_recordset(${JSON.stringify(hashes)}::jsonb) AS h(kind text, "valueHash" text) ON t.kind = h.kind AND t.value_hash = h."valueHash"
       WHERE t.workspace_id = ${workspaceId}::uuid`;
    return new Set(rows.map((r) => r.value_hash));
  },

  /**
   * Whether the contact carries an erased e-mail or phone and has not come back on their own
   * since: no lead from the public form or the API (the person's own act) after the tombstone.
   */
  async erasedWithoutNewConsent(
    tx: TenantTx,
    workspaceId: string,
    contactId: string,
    hashes: { kind: "EMAIL" | "PHONE"; valueHash: string }[],
  ): Promise<boolean> {
    if (hashes.length === 0) return false;
    const pairs = Prisma.join(hashes.map((h) => Prisma.sql`(${h.kind}, ${h.valueHash})`));
    const rows = await tx.$queryRaw<{ erased: boolean }[]>(Prisma.sql`SELECT EXISTS (
      SELECT 1 FROM erasure_tombstones t WHERE t.workspace_id = ${workspaceId}::uuid AND (t.kind, t.value_hash) IN (${pairs})
        AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.workspace_id = t.workspace_id AND l.contact_id = ${contactId}::uuid
                          AND l.source IN ('FORM', 'API') AND l.created_at > t.created_at)) AS erased`);
    return rows[0]?.erased ?? false;
  },

  async addTombstones(
    tx: TenantTx,
    workspaceId: string,
    requestId: string,
    hashes: { kind: "EMAIL" | "PHONE"; valueHash: string }[],
  ): Promise<void> {
    await tx.erasureTombstone.createMany({
      data: hashes.map((h) => ({ workspaceId, requestId, ...h })),
      skipDuplicates: true,
    });
  },

  /** Everything the workspace holds about the person, entity by entity (the export's content). */
  async collect(tx: TenantTx, ws: string, s: Subject): Promise<Record<Entity, Record<string, unknown>[]>> {
    const q = (sql: Prisma.Sql) => tx.$queryRaw<Record<string, unknown>[]>(sql);
    return {
      contacts: await q(
        Prisma.sql`SELECT id, name, email, phone, tags, opted_out_at, opt_in_at, opt_in_text, created_at, updated_at FROM contacts WHERE id IN (${contactIds(ws, s)}) AND workspace_id = ${ws}::uuid ORDER BY created_at, id`,
      ),
      leads: await q(
        Prisma.sql`SELECT id, contact_id, name, email, phone, message, source::text, status::text, qualification_answers, created_at, updated_at FROM leads WHERE id IN (${leadIds(ws, s)}) AND workspace_id = ${ws}::uuid ORDER BY created_at, id`,
      ),
      conversations: await q(
        Prisma.sql`SELECT id, contact_id, lead_id, status::text, provider_call_id, recording_url, transcript, created_at, last_message_at FROM conversations WHERE id IN (${conversationIds(ws, s)}) AND workspace_id = ${ws}::uuid ORDER BY created_at, id`,
      ),
      messages: await q(
        Prisma.sql`SELECT id, conversation_id, direction::text, sender::text, body, status::text, provider_message_id, created_at FROM messages WHERE workspace_id = ${ws}::uuid AND conversation_id IN (${conversationIds(ws, s)}) ORDER BY created_at, id`,
      ),
      calls: await q(
        Prisma.sql`SELECT id, contact_id, lead_id, status::text, provider_call_id, ended_reason, created_at FROM calls WHERE workspace_id = ${ws}::uuid AND (contact_id IN (${contactIds(ws, s)}) OR lead_id IN (${leadIds(ws, s)})) ORDER BY created_at, id`,
      ),
      bookings: await q(
        Prisma.sql`SELECT id, lead_id, provider_uid, starts_at, ends_at, status::text, attendee_name, attendee_email, created_at FROM bookings WHERE workspace_id = ${ws}::uuid AND (lower(attendee_email) = ${s.email} OR lead_id IN (${leadIds(ws, s)})) ORDER BY created_at, id`,
      ),
      campaign_sends: await q(
        Prisma.sql`SELECT r.id, r.campaign_id, c.name AS campaign_name, r.contact_id, r.status::text, r.skip_reason, r.message_id, r.created_at FROM campaign_recipients r JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id WHERE r.workspace_id = ${ws}::uuid AND r.contact_id IN (${contactIds(ws, s)}) ORDER BY r.created_at, r.id`,
      ),
      webhook_deliveries: await q(
        Prisma.sql`SELECT d.id, d.event_id, d.event_type, d.status::text, d.attempts, d.delivered_at, e.payload, d.created_at FROM webhook_deliveries d JOIN webhook_events e ON e.workspace_id = d.workspace_id AND e.id = d.event_id WHERE d.workspace_id = ${ws}::uuid AND d.event_id IN (${webhookEventIds(ws, s)}) ORDER BY d.created_at, d.id`,
      ),
      // Their values inside audit rows are sealed (decision 0053): the archive holds them readable.
      audit_entries: await revealAudit(
        tx,
        ws,
        await tx.$queryRaw<(Record<string, unknown> & { data: unknown })[]>(
          Prisma.sql`SELECT id, action, target_type, target_id, data, created_at FROM audit_events WHERE ${auditWhere(ws, s)} ORDER BY seq`,
        ),
      ),
    };
  },

  /** The provider-side objects of the person: their messages at Twilio, calls at Vapi, future bookings at Cal.com. */
  async providerTargets(tx: TenantTx, ws: string, s: Subject, now: Date): Promise<ProviderTarget[]> {
    const rows = await tx.$queryRaw<{ provider: ProviderTarget["provider"]; id: string }[]>(Prisma.sql`
      SELECT 'TWILIO' AS provider, provider_message_id AS id FROM messages WHERE workspace_id = ${ws}::uuid AND provider_message_id IS NOT NULL AND conversation_id IN (${conversationIds(ws, s)})
      UNION SELECT 'VAPI', provider_call_id FROM calls WHERE workspace_id = ${ws}::uuid AND provider_call_id IS NOT NULL AND (contact_id IN (${contactIds(ws, s)}) OR lead_id IN (${leadIds(ws, s)}))
      UNION SELECT 'VAPI', provider_call_id FROM conversations WHERE workspace_id = ${ws}::uuid AND provider_call_id IS NOT NULL AND id IN (${conversationIds(ws, s)})
      UNION SELECT 'CALCOM', provider_uid FROM bookings WHERE workspace_id = ${ws}::uuid AND status IN ('ACCEPTED', 'PENDING') AND starts_at > ${now}
        AND (lower(attendee_email) = ${s.email} OR lead_id IN (${leadIds(ws, s)}))
      ORDER BY 1, 2`);
    return rows.map((r) => ({ provider: r.provider, id: r.id, done: false }));
  },

  /** One erasure step: deletes the person's rows of one entity (re-running deletes nothing more). */
  async eraseEntity(tx: TenantTx, ws: string, s: Subject, entity: Exclude<Entity, "audit_entries">): Promise<number> {
    switch (entity) {
      case "webhook_deliveries":
        // The events that carried the person's data, with their deliveries and attempts (cascade);
        // attempts whose request body named them (an event payload edited since) go too.
        return (
          (await tx.$executeRaw(
            Prisma.sql`DELETE FROM webhook_delivery_attempts WHERE workspace_id = ${ws}::uuid AND ${namesSubject(Prisma.sql`request_body`, ws, s)}`,
          )) +
          (await tx.$executeRaw(
            Prisma.sql`DELETE FROM webhook_events WHERE workspace_id = ${ws}::uuid AND id IN (${webhookEventIds(ws, s)})`,
          ))
        );
      case "campaign_sends":
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM campaign_recipients WHERE workspace_id = ${ws}::uuid AND contact_id IN (${contactIds(ws, s)})`,
        );
      case "bookings":
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM bookings WHERE workspace_id = ${ws}::uuid AND (lower(attendee_email) = ${s.email} OR lead_id IN (${leadIds(ws, s)}))`,
        );
      case "calls":
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM calls WHERE workspace_id = ${ws}::uuid AND (contact_id IN (${contactIds(ws, s)}) OR lead_id IN (${leadIds(ws, s)}))`,
        );
      case "messages":
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM messages WHERE workspace_id = ${ws}::uuid AND conversation_id IN (${conversationIds(ws, s)})`,
        );
      case "conversations":
        // Guidance notes, call actions, review items, reads and notifications go with them (cascade).
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM conversations WHERE workspace_id = ${ws}::uuid AND id IN (${conversationIds(ws, s)})`,
        );
      case "leads":
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM leads WHERE workspace_id = ${ws}::uuid AND id IN (${leadIds(ws, s)})`,
        );
      case "contacts":
        return tx.$executeRaw(
          Prisma.sql`DELETE FROM contacts WHERE workspace_id = ${ws}::uuid AND id IN (${contactIds(ws, s)})`,
        );
    }
  },

  /** Earlier exports of the same person: their archives hold the data being erased. */
  async dropArchives(
    tx: TenantTx,
    ws: string,
    hashes: { emailHash: string | null; phoneHash: string | null },
  ): Promise<number> {
    const { count } = await tx.dataSubjectRequest.updateMany({
      where: {
        workspaceId: ws,
        kind: "EXPORT",
        archive: { not: null },
        OR: [
          ...(hashes.emailHash ? [{ emailHash: hashes.emailHash }] : []),
          ...(hashes.phoneHash ? [{ phoneHash: hashes.phoneHash }] : []),
        ],
      },
      data: { archive: null, downloadExpiresAt: null, subjectEmail: null, subjectPhone: null },
    });
    return count;
  },

  /**
   * Audit rows are append-only for the app role, so this runs as the schema owner (system
   * client), always naming the workspace. See eraseFromAudit in privacy-erasure.ts.
   */
  /** Destroys the person's audit keys (crypto-shredding, decision 0053): the rows and the chain stay, their values read "[erased]". */
  async shredAudit(system: SystemClient, ws: string, s: Subject, ids: string[]): Promise<number> {
    const [r] = await system.$queryRaw<{ n: number }[]>(
      Prisma.sql`SELECT audit_shred_subject(${ws}::uuid, ${s.email}, ${s.phone}, ${ids}::text[]) AS n`,
    );
    return r?.n ?? 0;
  },

  /** The person's contact and lead ids (for redacting the audit rows that name them). */
  async subjectIds(tx: TenantTx, ws: string, s: Subject): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>(
      Prisma.sql`SELECT id::text FROM (${contactIds(ws, s)} UNION ${leadIds(ws, s)}) ids`,
    );
    return rows.map((r) => r.id);
  },
};
