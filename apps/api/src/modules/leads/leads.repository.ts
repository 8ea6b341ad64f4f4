// The only code that touches Prisma for leads, their contacts and the public form's workspace.
import {
  inStatementFamily,
  nestedRow,
  Prisma,
  WRITE_BATCH_MAX,
  type ReadRows,
  type TenantTx,
  type WriteBatch,
} from "@atrium/db";

import {
  workspaceAuditInsert,
  workspaceAuditInsertEach,
  type Actor,
  type AuditRow,
} from "../../platform/audit/audit.ts";
import {
  KEYSET,
  keysetPage,
  keysetRows,
  lateralParent,
  projected,
  readModel,
  selectList,
  whereSql,
} from "../../platform/db/read-sql.ts";
import { sortedPageStatements, type SortColumn, type SortedPageOptions } from "../../platform/db/sorted-page.ts";

export type LeadRow = Prisma.LeadGetPayload<{ include: { contact: true } }>;
export type ContactRow = Prisma.ContactGetPayload<object>;

const include = { contact: true } as const;

const leads = readModel("leads", Prisma.LeadScalarFieldEnum);
const contacts = readModel("contacts", Prisma.ContactScalarFieldEnum);
const CONTACT = "contact.";
/** The fields a list query selected of each lead and of its contact (`selectedFields`; undefined: all). */
export interface LeadSelection {
  lead?: ReadonlySet<string>;
  contact?: ReadonlySet<string>;
}
/**
 * The columns of the lead fields and contact fields selected (`projected`; undefined: all), the
 * lead's under `leadAlias` and the contact's under `contactAlias` as "contact.*", with the lead's
 * `always` and the contact's id.
 */
const leadWithContactSelect = (
  fields: LeadSelection,
  leadAlias: string,
  contactAlias: string,
  always: readonly string[],
) =>
  Prisma.sql`${selectList(projected(leads, fields.lead, always, ["contact"]), leadAlias)}, ${selectList(projected(contacts, fields.contact, ["id"]), contactAlias, CONTACT)}`;
/** The page with its contacts by join, as `page`'s findMany reads it (relationJoins): the selected fields' columns. */
const pageSelect = (fields: LeadSelection = {}) => leadWithContactSelect(fields, "t", "c", KEYSET);
/** Each lead's contact, looked up per lead (read-sql.ts's `lateralParent`). */
const pageJoin = lateralParent("contacts", "c", "contact_id");

/**
 * The lead list's server-side orders (LeadOrderField): each field's column, how it compares and
 * whether it may be empty. Each has an index (workspace_id, column, id); created_at's is the
 * newest-first one, walked forwards or backwards. Names compare under the ICU root collation
 * ("und-x-icu"), in the index too (migration 20261128120000_list_sort_indexes).
 */
export const LEAD_SORT = {
  CREATED_AT: { field: "createdAt", column: "created_at", type: "timestamptz", nullable: false },
  NAME: { field: "name", column: "name", collate: "und-x-icu", type: "text", nullable: false },
  EMAIL: { field: "email", column: "email", type: "text", nullable: true },
  PHONE: { field: "phone", column: "phone", type: "text", nullable: true },
  STATUS: { field: "status", column: "status", type: `"public"."lead_status"`, nullable: false },
} as const satisfies Record<string, SortColumn & { field: string }>;
export type LeadSortKey = (typeof LEAD_SORT)[keyof typeof LEAD_SORT];

/** Every field any of `sets` names; undefined (all) when one of them is. */
function union(sets: readonly (ReadonlySet<string> | undefined)[]): ReadonlySet<string> | undefined {
  if (sets.length === 1) return sets[0];
  if (sets.some((set) => set === undefined)) return undefined;
  const all = new Set<string>();
  for (const set of sets) for (const name of set!) all.add(name);
  return all;
}
/**
 * What the statements of `submitBatch` return of each lead (alias `l`) and its contact (`k`): the
 * columns of the fields the batch's requests selected, together (each request reads its own), and
 * the ids. A client asking for a lead's id alone is not sent, nor made to parse, 24 other columns.
 */
const submittedSelect = (batch: readonly SubmittedLead[]) =>
  leadWithContactSelect(
    { lead: union(batch.map((l) => l.fields?.lead)), contact: union(batch.map((l) => l.fields?.contact)) },
    "l",
    "k",
    ["id"],
  );
/** Every column of a submitted lead and of its contact. */
const fullSubmittedSelect = leadWithContactSelect({}, "l", "k", ["id"]);

/**
 * A row of `pageStatements` or `submitStatement` from a pipeline: the lead with its contact. The
 * pipelines read the "contact.*" aliases as the row's own contact object (@atrium/db's rows.ts),
 * and a page's row has only the columns its selection named.
 */
const leadWithContact = (r: Record<string, unknown>): LeadRow => r as unknown as LeadRow;

/** What `submitStatement` writes: the lead's fields (normalised) and its audit row's tail. */
export interface SubmittedLead {
  workspaceId: string;
  name: string;
  email: string | null;
  phone: string | null;
  message: string | null;
  source: string;
  apiKeyId: string | null;
  /** Who submitted it, for its audit row (lead.created). */
  actor: Actor;
  actorMembershipId: string | null;
  /**
   * The fields its request selected of the lead and of its contact (`selectedFields`; undefined:
   * all): the coalesced statements return only their columns (`submittedSelect`).
   */
  fields?: LeadSelection;
}

/** A submitted lead's audit entry (lead.created), with its actor. */
const leadAuditRow = (lead: SubmittedLead): AuditRow => ({
  actor: lead.actor,
  entry: {
    action: "lead.created",
    actorMembershipId: lead.actorMembershipId ?? undefined,
    targetType: "Lead",
    data: { source: lead.source },
  },
});

/** A submitted lead's audit row, reading the lead written from the relation named. */
const leadAudit = (lead: SubmittedLead, relation: string) => workspaceAuditInsert(leadAuditRow(lead), relation);

/** Whether no enabled webhook endpoint of the workspace listens for lead.created (else the transaction writes the lead and its event). */
const noLeadHook = (ws: Prisma.Sql) =>
  Prisma.sql`NOT ('lead.created' = ANY (COALESCE(workspace_webhook_event_types(${ws}), '{}')))`;

/**
 * The contact a lead names (at most one row): the one with its e-mail, else the one with its
 * phone — two look-ups, each an equality on a unique index's whole key, never `email = $ OR
 * phone = $` (a connection's generic plan for the OR, made while the table had no statistics,
 * filters every contact of the workspace); the order of the two rows is explicit, a UNION ALL's is
 * not guaranteed.
 */
const contactNamed = (ws: Prisma.Sql, email: Prisma.Sql, phone: Prisma.Sql) => Prisma.sql`SELECT u.* FROM (
      (SELECT c.* FROM "public"."contacts" AS c WHERE c."workspace_id" = ${ws} AND c."email" = ${email})
      UNION ALL
      (SELECT c.* FROM "public"."contacts" AS c WHERE c."workspace_id" = ${ws} AND c."phone" = ${phone})
    ) AS u
    ORDER BY (u."email" = ${email}) IS TRUE DESC LIMIT 1`;

export const leadsRepository = {
  /**
   * The public form's workspace, by slug: a SECURITY DEFINER look-up (RLS shows a tenant
   * transaction nothing before it knows its workspace), then the workspace setting for the rest
   * of the transaction, then the row itself.
   */
  async workspaceBySlug(tx: TenantTx, slug: string): Promise<{ id: string; name: string; channel: string } | null> {
    const rows = await tx.$queryRaw<{ id: string | null }[]>`SELECT workspace_id_for_slug(${slug}) AS id`;
    const id = rows[0]?.id;
    if (!id) return null;
    await tx.$executeRaw`SELECT set_config('app.workspace_id', ${id}, true)`;
    return tx.workspace.findUnique({ where: { id }, select: { id: true, name: true, channel: true } });
  },

  /** Issue 56: consent to WhatsApp messages, as given on the public form (a STOP given earlier stands until START). */
  async recordOptIn(tx: TenantTx, workspaceId: string, contactId: string, text: string): Promise<void> {
    await tx.contact.update({
      where: { workspaceId_id: { workspaceId, id: contactId } },
      data: { optInAt: new Date(), optInText: text },
    });
  },

  async contactByPhone(tx: TenantTx, workspaceId: string, phone: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_phone: { workspaceId, phone } } });
  },

  async createContact(tx: TenantTx, data: Prisma.ContactUncheckedCreateInput): Promise<ContactRow> {
    return tx.contact.create({ data });
  },

  async createWithContact(tx: TenantTx, data: Prisma.LeadUncheckedCreateInput): Promise<LeadRow> {
    return tx.lead.create({ data, include });
  },

  /** A page of the leads with their contacts, for `readInWorkspace` (undefined: `where` has no plain-SQL form); `backward`: oldest first. */
  pageStatements(
    where: Prisma.LeadWhereInput,
    after: Prisma.LeadWhereInput,
    take: number,
    withTotal: boolean,
    fields?: LeadSelection,
    backward = false,
  ): Prisma.Sql[] | undefined {
    return keysetPage(leads, {
      where,
      after,
      take,
      withTotal,
      select: pageSelect(fields),
      join: pageJoin,
      oldestFirst: backward,
    });
  },

  /**
   * A page of the list sorted by `sort` (sorted-page.ts), with each lead's contact, as `pageStatements`
   * reads it: the selected fields' columns and always the sort column (cursors are made of it).
   * Undefined when `where` has no plain-SQL form.
   */
  sortedPageStatements(
    where: Prisma.LeadWhereInput,
    sort: LeadSortKey,
    page: Pick<SortedPageOptions, "descending" | "backward" | "cursor" | "take" | "withTotal">,
    fields: LeadSelection = {},
  ): Prisma.Sql[] | undefined {
    const filter = whereSql(leads, where, "t");
    if (!filter) return undefined;
    const select = leadWithContactSelect(fields, "t", "c", [...KEYSET, sort.field]);
    return sortedPageStatements({ table: leads.table, select, join: pageJoin, where: filter, sort, ...page });
  },

  /** `pageStatements`' rows: each lead with its contact (the fields not selected undefined). */
  pageFromRows(rows: ReadRows[], withTotal: boolean): [LeadRow[], number] {
    return keysetRows(rows, withTotal, leadWithContact);
  },

  /**
   * A submitted lead in one statement: its contact — the one with its e-mail, else the one with its
   * phone, else a new one — the lead and its audit row (`leadAudit`, an INSERT … SELECT from
   * `lead`); returns the lead with its contact. With `unlessWebhook`, it writes nothing and returns
   * no row when an enabled webhook endpoint of the workspace listens for lead.created (that event
   * is written by the webhooks module in the same transaction). A contact created meanwhile by
   * another submission fails it with a unique violation. The contact is found by `contactNamed`
   * (two unique-key look-ups, whatever plan a connection keeps).
   */
  submitStatement(lead: SubmittedLead, unlessWebhook: boolean, select: Prisma.Sql = fullSubmittedSelect): Prisma.Sql {
    const ws = Prisma.sql`${lead.workspaceId}::uuid`;
    const go = unlessWebhook ? noLeadHook(ws) : Prisma.sql`TRUE`;
    return Prisma.sql`WITH go AS (SELECT ${go} AS ok),
  found AS (${contactNamed(ws, Prisma.sql`${lead.email}::text`, Prisma.sql`${lead.phone}::text`)}),
  created AS (
    INSERT INTO "public"."contacts" ("workspace_id", "name", "email", "phone")
    SELECT ${ws}, ${lead.name}::text, ${lead.email}::text, ${lead.phone}::text FROM go WHERE go.ok AND NOT EXISTS (SELECT 1 FROM found)
    RETURNING *
  ),
  contact AS (SELECT * FROM found UNION ALL SELECT * FROM created),
  lead AS (
    INSERT INTO "public"."leads" ("workspace_id", "contact_id", "name", "email", "phone", "message", "source", "api_key_id")
    SELECT ${ws}, contact."id", ${lead.name}::text, ${lead.email}::text, ${lead.phone}::text, ${lead.message}::text, ${lead.source}::text::"public"."lead_source", ${lead.apiKeyId}::uuid
    FROM contact, go WHERE go.ok
    RETURNING *
  ),
  audit AS (${leadAudit(lead, "lead")})
SELECT ${select} FROM lead AS l CROSS JOIN contact AS k`;
  },

  /**
   * `submitStatement` (with its webhook condition) for 2 to WRITE_BATCH_MAX leads of one
   * workspace, submitted in one turn: one statement, all or nothing, each lead's contact found as
   * `submitStatement` finds it (`contactNamed`, per lead) or created, then the leads and their
   * audit rows. Returns each lead with its contact and its 1-based position `n`, in order. Two
   * leads of the batch that would share a new contact (one e-mail, or one phone) both try to create
   * it: the unique key refuses the batch, and each is then written on its own, in order, the second
   * finding the first's.
   */
  submitManyStatement(batch: readonly SubmittedLead[]): Prisma.Sql {
    const workspaceId = batch[0]!.workspaceId;
    if (batch.length > WRITE_BATCH_MAX || batch.some((l) => l.workspaceId !== workspaceId))
      throw new Error("a batch of leads is of one workspace, at most WRITE_BATCH_MAX");
    const ws = Prisma.sql`${workspaceId}::uuid`;
    const column = (value: (l: SubmittedLead) => string | null) => batch.map(value);
    return Prisma.sql`WITH go AS (SELECT ${noLeadHook(ws)} AS ok),
  input AS (
    SELECT i.*, gen_random_uuid() AS contact_id, gen_random_uuid() AS lead_id
    FROM unnest(${column((l) => l.name)}::text[], ${column((l) => l.email)}::text[], ${column((l) => l.phone)}::text[], ${column((l) => l.message)}::text[],
      ${column((l) => l.source)}::text[], ${column((l) => l.apiKeyId)}::uuid[])
      WITH ORDINALITY AS i("name", "email", "phone", "message", "source", "api_key_id", "n")
  ),
  found AS (
    SELECT i."n", f.* FROM input AS i CROSS JOIN LATERAL (${contactNamed(ws, Prisma.sql`i."email"`, Prisma.sql`i."phone"`)}) AS f
  ),
  created AS (
    INSERT INTO "public"."contacts" ("id", "workspace_id", "name", "email", "phone")
    SELECT i."contact_id", ${ws}, i."name", i."email", i."phone" FROM input AS i, go
    WHERE go.ok AND NOT EXISTS (SELECT 1 FROM found AS f WHERE f."n" = i."n") ORDER BY i."n"
    RETURNING *
  ),
  contact AS (SELECT f.* FROM found AS f UNION ALL SELECT i."n", c.* FROM created AS c JOIN input AS i ON i."contact_id" = c."id"),
  lead AS (
    INSERT INTO "public"."leads" ("id", "workspace_id", "contact_id", "name", "email", "phone", "message", "source", "api_key_id")
    SELECT i."lead_id", ${ws}, k."id", i."name", i."email", i."phone", i."message", i."source"::"public"."lead_source", i."api_key_id"
    FROM input AS i JOIN contact AS k ON k."n" = i."n", go WHERE go.ok ORDER BY i."n"
    RETURNING *
  ),
  written AS (SELECT l."workspace_id", l."id", i."n" FROM lead AS l JOIN input AS i ON i."lead_id" = l."id"),
  audit AS (${workspaceAuditInsertEach(batch.map(leadAuditRow), "written", "n")})
SELECT ${submittedSelect(batch)}, i."n"::int AS "n"
FROM input AS i JOIN lead AS l ON l."id" = i."lead_id" JOIN contact AS k ON k."n" = i."n" ORDER BY i."n"`;
  },

  /** `submitStatement` in the caller's transaction (without its webhook condition): the lead with its contact. */
  async submit(tx: TenantTx, lead: SubmittedLead): Promise<LeadRow> {
    // Prisma gives the "contact.*" aliases as flat keys; the pipelines give them as the contact object.
    const [flat] = await tx.$queryRaw<Record<string, unknown>[]>(leadsRepository.submitStatement(lead, false));
    const row = flat && leadWithContact(nestedRow(flat));
    if (!row) throw new Error("the lead's INSERT returned no row");
    return row;
  },

  /** `submitStatement`'s row: the lead with its contact (undefined: nothing was written). */
  submittedFromRows(rows: readonly Record<string, unknown>[]): LeadRow | undefined {
    return rows[0] ? leadWithContact(rows[0]) : undefined;
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<LeadRow | null> {
    return tx.lead.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include });
  },

  async findRow(tx: TenantTx, workspaceId: string, id: string) {
    return tx.lead.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async latestOfContact(tx: TenantTx, workspaceId: string, contactId: string): Promise<LeadRow | null> {
    return tx.lead.findFirst({
      where: { workspaceId, contactId },
      include,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
  },

  async update(tx: TenantTx, workspaceId: string, id: string, data: Prisma.LeadUncheckedUpdateInput): Promise<LeadRow> {
    return tx.lead.update({ where: { workspaceId_id: { workspaceId, id } }, data, include });
  },

  async statusOf(tx: TenantTx, workspaceId: string, id: string): Promise<LeadRow["status"] | null> {
    return (
      (await tx.lead.findUnique({ where: { workspaceId_id: { workspaceId, id } }, select: { status: true } }))
        ?.status ?? null
    );
  },

  /** Moves the lead from `from` to `to` in one conditional UPDATE; false when its status was no longer `from`. */
  async moveStatus(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    from: LeadRow["status"],
    to: LeadRow["status"],
  ): Promise<boolean> {
    return (await tx.lead.updateMany({ where: { workspaceId, id, status: from }, data: { status: to } })).count > 0;
  },

  /** The lead's status changes (audit entries `lead.status_changed`), oldest first; the latest 200. */
  async statusChanges(tx: TenantTx, workspaceId: string, leadId: string) {
    const rows = await tx.auditEvent.findMany({
      where: { workspaceId, targetId: leadId, targetType: "Lead", action: "lead.status_changed" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
      select: { createdAt: true, data: true, actorUserId: true, actorApiKeyId: true },
    });
    return rows.reverse();
  },
};

/**
 * A submitted lead's one-round-trip write, coalesced with the others of its workspace in the same
 * turn (`tenantWriteBatched`): `submitStatement` alone, `submitManyStatement` for several.
 */
export const submitBatch: WriteBatch<SubmittedLead> = {
  // The selected columns vary with the requests' selections: statement families (their own budget of names).
  one: (lead) => inStatementFamily(leadsRepository.submitStatement(lead, true, submittedSelect([lead])), "submit:lead"),
  many: (batch) => inStatementFamily(leadsRepository.submitManyStatement(batch), "submit:leads"),
};
