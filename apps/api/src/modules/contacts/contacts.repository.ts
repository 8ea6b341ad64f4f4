// The only code that touches Prisma for contacts.
import { Prisma, type ReadRows, type TenantTx } from "@atrium/db";

import { COUNT_CAP, keysetRows, readModel, whereSql } from "../../platform/db/read-sql.ts";
import { sortedPageStatements, type SortColumn, type SortedPageOptions } from "../../platform/db/sorted-page.ts";

export type ContactRow = Prisma.ContactGetPayload<object>;

/** The columns of the CSV export. */
const EXPORT_SELECT = {
  id: true,
  name: true,
  email: true,
  phone: true,
  tags: true,
  createdAt: true,
} as const satisfies Prisma.ContactSelect;
export type ExportRow = Prisma.ContactGetPayload<{ select: typeof EXPORT_SELECT }>;

/** A string's characters in reverse order (the phone's end is searched as the start of its reverse). */
const reversed = (s: string) => [...s].reverse().join("");

const contacts = readModel("contacts", Prisma.ContactScalarFieldEnum);

/**
 * The contact list's server-side orders (ContactOrderField): each field's column, how it compares
 * and whether it may be empty. Each has an index (workspace_id, column, id), names under the ICU
 * root collation ("und-x-icu") as in ORDER BY (migration 20261128120000_list_sort_indexes).
 */
export const CONTACT_SORT = {
  CREATED_AT: { field: "createdAt", column: "created_at", type: "timestamptz", nullable: false },
  NAME: { field: "name", column: "name", collate: "und-x-icu", type: "text", nullable: false },
  EMAIL: { field: "email", column: "email", type: "text", nullable: true },
  PHONE: { field: "phone", column: "phone", type: "text", nullable: true },
} as const satisfies Record<string, SortColumn & { field: string }>;
export type ContactSortKey = (typeof CONTACT_SORT)[keyof typeof CONTACT_SORT];

/** The list's filter in plain SQL over alias `t` (the service's `filterWhere`, term for term). */
export interface ContactFilterSql {
  /** The ability's rows and the workspace (field equalities). */
  allowed: Prisma.ContactWhereInput;
  /** `tag`: lower-cased. */
  tag: string | null;
  /**
   * LIKE-escaped terms: the name (anywhere, case-insensitive), the e-mail (a prefix of the address)
   * and `domain` (a prefix of the part after the last "@"), the phone's digits (a number's start
   * after its "+" or its end; digits only; null: not searched).
   */
  search: { name: string; email: string; domain: string; phone: string | null } | null;
}

export const contactsRepository = {
  async idByEmail(tx: TenantTx, workspaceId: string, email: string) {
    return tx.contact.findUnique({ where: { workspaceId_email: { workspaceId, email } }, select: { id: true } });
  },

  async idByPhone(tx: TenantTx, workspaceId: string, phone: string) {
    return tx.contact.findUnique({ where: { workspaceId_phone: { workspaceId, phone } }, select: { id: true } });
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  /** The contact with how many leads, conversations and calls still point at it. */
  async findWithUses(tx: TenantTx, workspaceId: string, id: string) {
    return tx.contact.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      include: { _count: { select: { leads: true, conversations: true, calls: true } } },
    });
  },

  /**
   * Newest first by (createdAt, id); `after` is the keyset condition, ANDed with `where` for the
   * page only. No count statement when `withTotal` is false.
   */
  async page(
    tx: TenantTx,
    where: Prisma.ContactWhereInput,
    keyset: { where: Prisma.ContactWhereInput; orderBy: Prisma.ContactOrderByWithRelationInput[] },
    take: number,
    withTotal: boolean,
  ): Promise<[ContactRow[], number]> {
    return Promise.all([
      tx.contact.findMany({ where: { ...where, ...keyset.where }, orderBy: keyset.orderBy, take: take + 1 }),
      withTotal ? tx.contact.count({ where, take: COUNT_CAP + 1 }) : Promise.resolve(0),
    ]);
  },

  /**
   * A page of the list sorted by `sort` (sorted-page.ts), every column, for `db.tenantRead`.
   * Undefined when the ability's conditions have no plain-SQL form.
   */
  sortedPageStatements(
    filter: ContactFilterSql,
    sort: ContactSortKey,
    page: Pick<SortedPageOptions, "descending" | "backward" | "cursor" | "take" | "withTotal">,
  ): Prisma.Sql[] | undefined {
    const allowed = whereSql(contacts, filter.allowed, "t");
    if (!allowed) return undefined;
    const parts = [allowed];
    // As Prisma's `has`, `contains` (mode insensitive: ILIKE) and `startsWith` send them.
    if (filter.tag !== null) parts.push(Prisma.sql`${filter.tag}::text = ANY (t."tags")`);
    if (filter.search !== null) {
      const { name, email, domain, phone } = filter.search;
      parts.push(
        Prisma.sql`(t."name" ILIKE ${`%${name}%`} OR t."email" LIKE ${`${email}%`} OR split_part(t."email", '@', -1) LIKE ${`${domain}%`}${phone === null ? Prisma.empty : Prisma.sql` OR t."phone" LIKE ${`+${phone}%`} OR reverse(t."phone") LIKE ${`${reversed(phone)}%`}`})`,
      );
    }
    return sortedPageStatements({
      table: contacts.table,
      select: contacts.select,
      where: Prisma.join(parts, " AND "),
      sort,
      ...page,
    });
  },

  /**
   * A newest-first page of a search (issue 52): `search_contacts`, which runs the list's filter
   * — the same patterns, tag, order and keyset — where the trigram indexes can be used (as the
   * owner, for the tenant context's workspace only: migration 20261128213000), and its count,
   * capped at COUNT_CAP. Only for a caller who may read every contact of the workspace: the
   * function knows no ability conditions. `cursor`: the keyset (null: the first page);
   * `oldestFirst`: a backward page.
   */
  searchPageStatements(
    workspaceId: string,
    filter: Omit<ContactFilterSql, "allowed">,
    cursor: { createdAt: Date; id: string } | null,
    oldestFirst: boolean,
    take: number,
    withTotal: boolean,
  ): Prisma.Sql[] {
    const { name, email, phone } = filter.search!;
    // The function derives the domain's pattern from the e-mail's (migration 20261129010000) and
    // the phone's two patterns from its digits (20261129020000).
    const terms = Prisma.sql`${workspaceId}::uuid, ${`%${name}%`}::text, ${`${email}%`}::text, ${phone}::text, ${filter.tag}::text`;
    return [
      Prisma.sql`SELECT ${contacts.select} FROM search_contacts(${terms}, ${cursor?.createdAt ?? null}::timestamptz, ${cursor?.id ?? null}::uuid, ${oldestFirst}, ${take + 1}::int) AS t`,
      ...(withTotal ? [Prisma.sql`SELECT search_contacts_count(${terms}, ${COUNT_CAP}::int) AS "count"`] : []),
    ];
  },

  /** `sortedPageStatements`' rows: the contacts and the total (0 without `withTotal`). */
  sortedPageFromRows(rows: ReadRows[], withTotal: boolean): [ContactRow[], number] {
    return keysetRows(rows, withTotal, (r) => r as unknown as ContactRow);
  },

  /**
   * One batch of the export: by id, ascending, `take` at most (one statement; `where` carries the
   * keyset condition `id > last`, which the primary key (workspace_id, id) serves).
   */
  async exportBatch(tx: TenantTx, where: Prisma.ContactWhereInput, take: number): Promise<ExportRow[]> {
    return tx.contact.findMany({ where, orderBy: { id: "asc" }, take, select: EXPORT_SELECT });
  },

  /** The workspace's slug (the export's file name); RLS shows only the caller's own. */
  async workspaceSlug(tx: TenantTx, workspaceId: string): Promise<string | null> {
    const ws = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { slug: true } });
    return ws?.slug ?? null;
  },

  /** Every tag of the workspace, sorted, at most 500. */
  async allTags(tx: TenantTx, workspaceId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<
      { tag: string }[]
    >`SELECT DISTINCT unnest(tags) AS tag FROM contacts WHERE workspace_id = ${workspaceId}::uuid ORDER BY 1 LIMIT 500`;
    return rows.map((r) => r.tag);
  },

  /** The tags of the contacts matching `where` that have any. */
  async tagsOf(tx: TenantTx, workspaceId: string, where: Prisma.ContactWhereInput) {
    return tx.contact.findMany({
      where: { ...where, workspaceId, NOT: { tags: { isEmpty: true } } },
      select: { tags: true },
    });
  },

  /** Imports of one workspace one after another (the next plans over the previous one's contacts); held until the transaction ends. */
  async lockImports(tx: TenantTx, workspaceId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`contact-import:${workspaceId}`}, 0))`;
  },

  /**
   * The contacts with any of these e-mails or phones; `lock`: locked (FOR UPDATE, in id order)
   * until the transaction ends, so nothing changes them between the import's plan and its writes.
   */
  async matching(
    tx: TenantTx,
    workspaceId: string,
    emails: string[],
    phones: string[],
    lock: boolean,
  ): Promise<ContactRow[]> {
    if (emails.length === 0 && phones.length === 0) return [];
    // The lists as one JSON parameter each: arrays of 5,000 parameters cost the client more than the query (issue 52).
    return tx.$queryRaw<ContactRow[]>`
      SELECT workspace_id AS "workspaceId", id, name, email, phone, tags, opted_out_at AS "optedOutAt", created_at AS "createdAt", updated_at AS "updatedAt"
      FROM contacts WHERE workspace_id = ${workspaceId}::uuid
       AND (email = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb))) OR phone = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))))
      ORDER BY id ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
  },

  /** New contacts in one INSERT, one parameter whatever their number (ids chosen by the caller). */
  async createMany(
    tx: TenantTx,
    workspaceId: string,
    rows: { id: string; name: string; email: string | null; phone: string | null; tags: string[] }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO contacts (workspace_id, id, name, email, phone, tags)
      SELECT ${workspaceId}::uuid, v.id, v.name, v.email, v.phone, ARRAY(SELECT jsonb_array_elements_text(v.tags))
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, name text, email text, phone text, tags jsonb)`;
  },

  /**
   * Contacts set to these values in one UPDATE. Each id at most once, and no row may take an
   * e-mail or phone another row of the same call gives up (unique keys are checked row by row).
   */
  async updateMany(
    tx: TenantTx,
    workspaceId: string,
    rows: { id: string; name: string; email: string | null; phone: string | null; tags: string[] }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await tx.$executeRaw`
      UPDATE contacts AS c SET name = v.name, email = v.email, phone = v.phone, tags = ARRAY(SELECT jsonb_array_elements_text(v.tags)), updated_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, name text, email text, phone text, tags jsonb)
      WHERE c.workspace_id = ${workspaceId}::uuid AND c.id = v.id`;
  },

  /** Issue 52: the committed chunks of a chunked import, ascending. */
  async importChunks(tx: TenantTx, workspaceId: string, importId: string) {
    return tx.contactImportChunk.findMany({ where: { workspaceId, importId }, orderBy: { chunk: "asc" } });
  },

  /** Issue 52: a chunk as committed, written in the transaction that writes its contacts. */
  async recordImportChunk(tx: TenantTx, data: Prisma.ContactImportChunkUncheckedCreateInput): Promise<void> {
    await tx.contactImportChunk.create({ data });
  },

  async create(tx: TenantTx, data: Prisma.ContactUncheckedCreateInput): Promise<ContactRow> {
    return tx.contact.create({ data });
  },

  async update(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.ContactUncheckedUpdateInput,
  ): Promise<ContactRow> {
    return tx.contact.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  async delete(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.contact.delete({ where: { workspaceId_id: { workspaceId, id } } });
  },
};
