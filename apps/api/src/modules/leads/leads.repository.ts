// The only code that touches Prisma for leads, their contacts and the public form's workspace.
import { Prisma, type ReadRows, type TenantTx } from "@atrium/db";
import { keysetPage, keysetRows, readModel, selectList } from "../../platform/db/read-sql.ts";

export type LeadRow = Prisma.LeadGetPayload<{ include: { contact: true } }>;
export type ContactRow = Prisma.ContactGetPayload<object>;

const include = { contact: true } as const;

const leads = readModel("leads", Prisma.LeadScalarFieldEnum);
const contacts = readModel("contacts", Prisma.ContactScalarFieldEnum);
const CONTACT = "contact.";
/** The page with its contacts by join, as `page`'s findMany reads it (relationJoins). */
const pageSelect = Prisma.sql`${leads.select}, ${selectList(contacts, "c", CONTACT)}`;
const leadFields = [...leads.fields];
const contactKeys = [...contacts.fields].map((f) => [f, `${CONTACT}${f}`] as const);
const pageJoin = Prisma.sql` JOIN "public"."contacts" AS c ON c."workspace_id" = t."workspace_id" AND c."id" = t."contact_id"`;


export const leadsRepository = {
  /**
   * The public form's workspace, by slug: a SECURITY DEFINER look-up (RLS shows a tenant
   * transaction nothing before it knows its workspace), then the workspace setting for the rest
   * of the transaction, then the row itself.
   */
  async workspaceBySlug(tx: TenantTx, slug: string): Promise<{ id: string; name: string } | null> {
    const rows = await tx.$queryRaw<{ id: string | null }[]>`SELECT workspace_id_for_slug(${slug}) AS id`;
    const id = rows[0]?.id;
    if (!id) return null;
    await tx.$executeRaw`SELECT set_config('app.workspace_id', ${id}, true)`;
    return tx.workspace.findUnique({ where: { id }, select: { id: true, name: true } });
  },

  async contactByEmail(tx: TenantTx, workspaceId: string, email: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_email: { workspaceId, email } } });
  },

  async contactByPhone(tx: TenantTx, workspaceId: string, phone: string): Promise<ContactRow | null> {
    return tx.contact.findUnique({ where: { workspaceId_phone: { workspaceId, phone } } });
  },

  async createContact(tx: TenantTx, data: Prisma.ContactUncheckedCreateInput): Promise<ContactRow> {
    return tx.contact.create({ data });
  },

  /** The INSERT's own row, without its contact. */
  async create(tx: TenantTx, data: Prisma.LeadUncheckedCreateInput) {
    return tx.lead.create({ data });
  },

  async createWithContact(tx: TenantTx, data: Prisma.LeadUncheckedCreateInput): Promise<LeadRow> {
    return tx.lead.create({ data, include });
  },

  /**
   * Newest first by (createdAt, id); `after` is the keyset condition, ANDed with `where` for the
   * page only. One statement for the page with its contacts; no count statement when `withTotal` is false.
   */
  async page(tx: TenantTx, where: Prisma.LeadWhereInput, after: Prisma.LeadWhereInput, take: number, withTotal: boolean): Promise<[LeadRow[], number]> {
    return Promise.all([
      tx.lead.findMany({ where: { ...where, ...after }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: take + 1 }),
      withTotal ? tx.lead.count({ where }) : Promise.resolve(0),
    ]);
  },

  /** The same page as plain statements for `readInWorkspace` (undefined: read it with `page`). */
  pageStatements(where: Prisma.LeadWhereInput, after: Prisma.LeadWhereInput, take: number, withTotal: boolean): Prisma.Sql[] | undefined {
    return keysetPage(leads, { where, after, take, withTotal, select: pageSelect, join: pageJoin });
  },

  /** `pageStatements`' rows as `page` returns them: each lead with its contact. */
  pageFromRows(rows: ReadRows[], withTotal: boolean): [LeadRow[], number] {
    return keysetRows(rows, withTotal, (r) => {
      const lead: Record<string, unknown> = {};
      for (const f of leadFields) lead[f] = r[f];
      const contact: Record<string, unknown> = {};
      for (const [f, key] of contactKeys) contact[f] = r[key];
      lead.contact = contact;
      return lead as LeadRow;
    });
  },

  async find(tx: TenantTx, workspaceId: string, id: string): Promise<LeadRow | null> {
    return tx.lead.findUnique({ where: { workspaceId_id: { workspaceId, id } }, include });
  },

  async findRow(tx: TenantTx, workspaceId: string, id: string) {
    return tx.lead.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  async latestOfContact(tx: TenantTx, workspaceId: string, contactId: string): Promise<LeadRow | null> {
    return tx.lead.findFirst({ where: { workspaceId, contactId }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  },

  async update(tx: TenantTx, workspaceId: string, id: string, data: Prisma.LeadUncheckedUpdateInput): Promise<LeadRow> {
    return tx.lead.update({ where: { workspaceId_id: { workspaceId, id } }, data, include });
  },

  async setStatus(tx: TenantTx, workspaceId: string, id: string, status: LeadRow["status"]): Promise<void> {
    await tx.lead.updateMany({ where: { workspaceId, id }, data: { status } });
  },
};
