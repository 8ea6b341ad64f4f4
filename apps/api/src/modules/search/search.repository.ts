// The only code that touches the database for the command palette's search.
import type { Prisma, TenantTx } from "@atrium/db";

export interface SearchIdRow {
  kind: "LEAD" | "CONTACT" | "CONVERSATION";
  id: string;
}

export const searchRepository = {
  /**
   * Ids of the rows of `kinds` whose name matches `name` (an ILIKE pattern, wildcards escaped) or
   * whose phone starts (after its "+") or ends with the digits `phone`, at most `limit` per kind:
   * `shell_search`, which runs each arm on its index (name trigrams, the phone's two btrees) within
   * the tenant context's workspace (decision 0042; migration 20261129020000).
   */
  async ids(tx: TenantTx, name: string, phone: string | null, kinds: string[], limit: number): Promise<SearchIdRow[]> {
    return tx.$queryRaw<
      SearchIdRow[]
    >`SELECT kind, id FROM shell_search(${name}, ${phone}, ${kinds}::text[], ${limit})`;
  },
  /** The leads `where` allows (ids and the caller's row conditions), newest first. */
  leads(tx: TenantTx, where: Prisma.LeadWhereInput, take: number) {
    return tx.lead.findMany({
      where,
      select: { id: true, name: true, phone: true, email: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  },
  /** The contacts `where` allows, newest first. */
  contacts(tx: TenantTx, where: Prisma.ContactWhereInput, take: number) {
    return tx.contact.findMany({
      where,
      select: { id: true, name: true, phone: true, email: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  },
  /** The conversations `where` allows, with their contact's name and numbers, most recently active first. */
  conversations(tx: TenantTx, where: Prisma.ConversationWhereInput, take: number) {
    return tx.conversation.findMany({
      where,
      select: { id: true, contact: { select: { name: true, phone: true, email: true } } },
      orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
      take,
    });
  },
};
