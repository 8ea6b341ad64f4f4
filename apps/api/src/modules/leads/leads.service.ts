// Leads and contacts (R1, R2). Leads arrive from the public form, the public API (API key) or
// by hand; each is linked to a contact deduplicated per workspace by e-mail, then phone.
import type { Db, Prisma, TenantTx } from "@atrium/db";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, readInWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { nestedReadsOf, NO_NESTED_READS, type NestedReads } from "../../platform/authz/nested-reads.ts";
import { inTenant, writeBatched, type Caller } from "../../platform/data.ts";
import { forbidden, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs, type PageRequest } from "../../platform/graphql/cursor.ts";
import { decodeOrderCursor, OrderDirection, orderedConnection, parseCursorDate } from "../../platform/graphql/order.ts";
import type { QueueName } from "../../platform/jobs/job-queue.ts";
import type { EmitWebhookEvent } from "../webhooks/webhooks.service.ts";
import { normaliseContactEmail, normalisePhone } from "./contact-identity.ts";
import { advanceLeadStatus } from "./lead-status.ts";
import {
  LEAD_SORT,
  leadsRepository as repo,
  submitBatch,
  type LeadRow,
  type LeadSelection,
} from "./leads.repository.ts";
import {
  LeadOrderField,
  LeadStatus as LeadStatuses,
  type LeadConnection,
  type LeadOrder,
  type LeadSource,
  type LeadStatus,
  type LeadStatusChange,
  type LeadView,
  type QualificationAnswer,
  type SubmitLeadInput,
} from "./leads.types.ts";

const VAPI_ACTOR: Actor = { userId: null, ip: null, userAgent: "vapi", requestId: "vapi-tool-call" };

export type { LeadRow };

/** `reads`: what the caller may see nested in the lead (its contact needs contact.read). */
export const toLeadView = (l: LeadRow, reads: NestedReads): LeadView => ({
  id: l.id,
  name: l.name,
  email: l.email,
  phone: l.phone,
  message: l.message,
  source: l.source as LeadSource,
  status: l.status as LeadStatus,
  contact: reads.contact ? l.contact : null,
  qualificationAnswers: Array.isArray(l.qualificationAnswers)
    ? (l.qualificationAnswers as unknown as QualificationAnswer[])
    : [],
  createdAt: l.createdAt,
});

/** The `data` of a lead.created webhook event. */
const leadEventData = (l: LeadRow) => ({
  id: l.id,
  name: l.name,
  email: l.email,
  phone: l.phone,
  message: l.message,
  source: l.source,
  status: l.status,
  contactId: l.contactId,
  createdAt: l.createdAt.toISOString(),
});

const LEAD_STATUS_VALUES: ReadonlySet<string> = new Set(Object.values(LeadStatuses));

/** A cursor's sort value for `field`: a date as cursor.ts accepts one, a status, or any text. */
const parseLeadSortValue =
  (field: LeadOrderField) =>
  (raw: string): string | Date | undefined => {
    if (field === LeadOrderField.CREATED_AT) return parseCursorDate(raw);
    if (field === LeadOrderField.STATUS) return LEAD_STATUS_VALUES.has(raw) ? raw : undefined;
    return raw;
  };

/** An order other than the default (CREATED_AT DESC, the newest-first path); null or undefined: the default. */
const sortedOrder = (order: LeadOrder | null | undefined): LeadOrder | undefined =>
  order && !(order.field === LeadOrderField.CREATED_AT && order.direction === OrderDirection.DESC) ? order : undefined;

/** Keyset condition for newest-first lists ordered by (createdAt desc, id desc). */
export function createLeadsService({
  db,
  followUp,
  notify,
  emit,
}: {
  db: Db;
  /** Outbound webhooks (lead.created), in the lead's transaction. */
  emit?: EmitWebhookEvent;
  /** The opening message or call (issue 12). */
  followUp?: {
    /** Whether `run` may do anything for a lead (when not: the lead is written in one round trip). */
    mayAct: (lead: { phone: string | null }) => boolean;
    /** Runs in the lead's transaction; returns queues to wake after commit. */
    run: (
      tx: TenantTx,
      lead: { workspaceId: string; id: string; contactId: string; name: string; phone: string | null },
    ) => Promise<QueueName[]>;
  };
  notify?: (queues: QueueName[]) => void;
}) {
  async function insertLead(
    workspaceId: string,
    userId: string | null,
    input: SubmitLeadInput,
    source: LeadSource,
    actor: Actor,
    caller: Caller,
    reads: NestedReads,
    extra: { apiKeyId?: string; actorMembershipId?: string; fields?: LeadSelection; optInText?: string },
  ) {
    const email = normaliseContactEmail(input.email);
    const phone = normalisePhone(input.phone);
    const name = input.name.trim();
    const message = input.message?.trim() || null;
    // The contact (by e-mail, else phone, else new), the lead and its audit row: one statement.
    const submitted = {
      workspaceId,
      name,
      email,
      phone,
      message,
      source,
      apiKeyId: extra.apiKeyId ?? null,
      actor,
      actorMembershipId: extra.actorMembershipId ?? null,
      fields: extra.fields,
    };
    // One round trip when nothing else has to happen in the transaction: no follow-up for this
    // lead, and no webhook endpoint listening for lead.created (the statement checks that itself
    // and writes nothing otherwise), coalesced with the other leads of the workspace submitted in
    // the same turn. Else, or when it wrote nothing (a contact created meanwhile, a refused
    // statement): the transaction below.
    if (!followUp?.mayAct({ phone }) && !extra.optInText) {
      const rows = await writeBatched(db, caller, { userId, workspaceId }, submitBatch, submitted);
      const lead = rows && repo.submittedFromRows(rows);
      if (lead) return toLeadView(lead, reads);
    }
    // Two submissions for one new address may race to create its contact: the loser retries
    // and finds the winner's row.
    for (let attempt = 0; ; attempt++) {
      try {
        const { view, wake } = await inTenant(db, caller, { userId, workspaceId }, async (tx) => {
          const lead = await repo.submit(tx, submitted);
          // Issue 56: the WhatsApp opt-in the public form recorded (the exact text shown, and when).
          if (extra.optInText) await repo.recordOptIn(tx, workspaceId, lead.contactId, extra.optInText);
          await emit?.(tx, workspaceId, "lead.created", leadEventData(lead));
          const wake = (await followUp?.run(tx, lead)) ?? [];
          return { view: toLeadView(lead, reads), wake };
        });
        notify?.(wake);
        return view;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 2) throw err;
      }
    }
  }

  /**
   * A page of the leads sorted by `order` (sorted-page.ts): its own keyset over (value IS NULL,
   * value, id), one round trip like the default page. Its cursors name the order they were made
   * under: another order's cursor (or a newest-first one) is CURSOR_ORDER_MISMATCH.
   */
  async function sortedList(
    access: WorkspaceAccess,
    where: Prisma.LeadWhereInput,
    order: LeadOrder,
    page: PageRequest,
    args: { withTotal?: boolean; fields?: LeadSelection },
  ): Promise<LeadConnection> {
    const sort = LEAD_SORT[order.field];
    const name = `lead:${order.field}:${order.direction}`;
    const cursor = page.cursor
      ? decodeOrderCursor(page.cursor, name, parseLeadSortValue(order.field), sort.nullable, page.cursorArg)
      : undefined;
    const withTotal = args.withTotal !== false;
    const statements = repo.sortedPageStatements(
      where,
      sort,
      {
        descending: order.direction === OrderDirection.DESC,
        backward: page.backward,
        cursor,
        take: page.take,
        withTotal,
      },
      args.fields,
    );
    // The ability's conditions are field equalities, which always have a plain-SQL form; fail closed otherwise.
    if (!statements) throw forbidden();
    const [rows, total] = repo.pageFromRows(await readInWorkspace(db, access, statements), withTotal);
    const reads = nestedReadsOf(access);
    const valueOf = (l: LeadRow): string | null => {
      const value = l[sort.field];
      return value instanceof Date ? value.toISOString() : (value ?? null);
    };
    return orderedConnection(rows, page, total, (l) => toLeadView(l, reads), name, valueOf);
  }

  return {
    /** From the public form: no principal, the workspace comes from the slug. */
    submitFromForm(
      workspaceId: string,
      input: SubmitLeadInput,
      actor: Actor,
      opts: { optInText?: string } = {},
    ): Promise<LeadView> {
      return insertLead(
        workspaceId,
        null,
        input,
        "FORM" as LeadSource,
        actor,
        actor,
        NO_NESTED_READS,
        opts.optInText ? { optInText: opts.optInText } : {},
      );
    },

    /**
     * From the public API with an API key whose ability allows creating leads. `fields`: what the
     * request selected of the lead and its contact (undefined: all); the view has only those.
     */
    submitWithApiKey(
      access: WorkspaceAccess,
      apiKeyId: string,
      input: SubmitLeadInput,
      actor: Actor,
      fields?: LeadSelection,
    ): Promise<LeadView> {
      authorizeRow(access.ability, "create", "Lead", { workspaceId: access.workspaceId });
      return insertLead(access.workspaceId, null, input, "API" as LeadSource, actor, access, nestedReadsOf(access), {
        apiKeyId,
        actorMembershipId: access.membershipId,
        fields,
      });
    },

    /**
     * `withTotal: false` when the caller did not select totalCount: no count statement then.
     * `orderBy`: another order than newest first (issue 48) reads through `sortedList`; without
     * one (or with CREATED_AT DESC) the page is read exactly as before. first/after page forwards,
     * last/before backwards (cursor.ts's `pageRequest`).
     */
    async list(
      access: WorkspaceAccess,
      args: PageArgs & {
        status?: LeadStatus | null;
        withTotal?: boolean;
        fields?: LeadSelection;
        orderBy?: LeadOrder | null;
      },
    ): Promise<LeadConnection> {
      const page = pageRequest(args);
      // Only rows the ability allows (FORBIDDEN when none), and always this workspace's.
      const where = {
        AND: accessibleWhere(access.ability, "read", "Lead").AND,
        workspaceId: access.workspaceId,
        ...(args.status ? { status: args.status } : {}),
      };
      const order = args.orderBy && sortedOrder(args.orderBy);
      if (order) return sortedList(access, where, order, page, args);
      // One statement for the page with its contacts (relationJoins), whatever the page size; a
      // backward page walks the same index the other way.
      const ks = keyset(page);
      const withTotal = args.withTotal !== false;
      // Reading the selected fields' columns. The ability's conditions are field equalities, which
      // always have a plain-SQL form; fail closed otherwise.
      const statements = repo.pageStatements(where, ks.where, page.take, withTotal, args.fields, page.backward);
      if (!statements) throw forbidden();
      const [rows, total] = repo.pageFromRows(await readInWorkspace(db, access, statements), withTotal);
      const reads = nestedReadsOf(access);
      return connection(rows, page, total, (l) => toLeadView(l, reads));
    },

    async get(access: WorkspaceAccess, id: string): Promise<LeadView> {
      if (!UUID_RE.test(id)) throw notFound("Lead");
      const lead = await inWorkspace(db, access, (tx) => repo.find(tx, access.workspaceId, id));
      if (!lead) throw notFound("Lead");
      authorizeRow(access.ability, "read", "Lead", lead);
      return toLeadView(lead, nestedReadsOf(access));
    },

    async updateStatus(access: WorkspaceAccess, id: string, status: LeadStatus, actor: Actor): Promise<LeadView> {
      if (!UUID_RE.test(id)) throw notFound("Lead");
      return inWorkspace(db, access, async (tx) => {
        const lead = await repo.findRow(tx, access.workspaceId, id);
        if (!lead) throw notFound("Lead");
        authorizeRow(access.ability, "update", "Lead", lead);
        const updated = await repo.update(tx, access.workspaceId, id, { status });
        await recordWorkspaceAudit(
          tx,
          access.workspaceId,
          { ...actor },
          {
            action: "lead.status_changed",
            actorMembershipId: access.membershipId,
            targetType: "Lead",
            targetId: id,
            data: { from: lead.status, to: status },
          },
        );
        return toLeadView(updated, nestedReadsOf(access));
      });
    },

    /**
     * Voice channel (issue 12), inside the caller's transaction: the lead behind a phone number —
     * its contact's latest lead, or a new PHONE lead (and contact) when the number is unknown.
     */
    async leadForCaller(tx: TenantTx, workspaceId: string, phone: string): Promise<LeadRow> {
      const contact =
        (await repo.contactByPhone(tx, workspaceId, phone)) ??
        (await repo.createContact(tx, { workspaceId, name: phone, phone }));
      const lead = await repo.latestOfContact(tx, workspaceId, contact.id);
      if (lead) return lead;
      const created = await repo.createWithContact(tx, {
        workspaceId,
        contactId: contact.id,
        name: contact.name,
        email: contact.email,
        phone,
        source: "PHONE",
      });
      await emit?.(tx, workspaceId, "lead.created", leadEventData(created));
      return created;
    },

    /** update_lead: a new status and/or qualification answers (an answer replaces one to the same question). */
    /** The agent's status moves the lead forward only (issue 56): a booked lead stays booked. */
    async recordQualification(
      tx: TenantTx,
      workspaceId: string,
      lead: LeadRow,
      update: { status?: LeadStatus; answers?: QualificationAnswer[] },
    ): Promise<LeadRow> {
      const current = Array.isArray(lead.qualificationAnswers)
        ? (lead.qualificationAnswers as unknown as QualificationAnswer[])
        : [];
      const answers = update.answers
        ? [...current.filter((a) => !update.answers!.some((n) => n.question === a.question)), ...update.answers]
        : current;
      if (update.status) await advanceLeadStatus(tx, workspaceId, lead.id, update.status, "AGENT_UPDATE", VAPI_ACTOR);
      return repo.update(tx, workspaceId, lead.id, {
        qualificationAnswers: answers as unknown as Prisma.InputJsonArray,
      });
    },

    /** A booking was made for the lead: BOOKED, with its timeline entry (issue 56). */
    async markBooked(tx: TenantTx, workspaceId: string, leadId: string): Promise<void> {
      await advanceLeadStatus(tx, workspaceId, leadId, "BOOKED" as LeadStatus, "BOOKING_MADE");
    },

    /** The lead's timeline of status changes, oldest first: by hand and automatic (issue 56). */
    async statusHistory(access: WorkspaceAccess, id: string): Promise<LeadStatusChange[]> {
      if (!UUID_RE.test(id)) throw notFound("Lead");
      return inWorkspace(db, access, async (tx) => {
        const lead = await repo.findRow(tx, access.workspaceId, id);
        if (!lead) throw notFound("Lead");
        authorizeRow(access.ability, "read", "Lead", lead);
        const rows = await repo.statusChanges(tx, access.workspaceId, id);
        return rows.map((r) => {
          const data = (r.data ?? {}) as { from?: unknown; to?: unknown; cause?: unknown; automatic?: unknown };
          return {
            at: r.createdAt,
            from: (typeof data.from === "string" ? data.from : "NEW") as LeadStatus,
            to: (typeof data.to === "string" ? data.to : "NEW") as LeadStatus,
            automatic: data.automatic === true,
            cause: typeof data.cause === "string" ? data.cause : r.actorUserId || r.actorApiKeyId ? "MANUAL" : null,
          };
        });
      });
    },
  };
}

export type LeadsService = ReturnType<typeof createLeadsService>;
