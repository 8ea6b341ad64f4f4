// The command palette's search (issue 48, decision 0042): leads, contacts and conversations by
// name or phone number, in one workspace, each kind only when the caller may read it and each
// row only when the caller's ability allows it (row conditions included).
import type { Db } from "@atrium/db";

import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere } from "../../platform/authz/accessible.ts";
import { badInput } from "../../platform/errors.ts";
import { MAX_PAGE } from "../../platform/graphql/cursor.ts";
import { searchRepository as repo } from "./search.repository.ts";
import { SearchHitKind, type SearchHit } from "./search.types.ts";

/** At least three characters (a trigram), at most 100; 1–100 hits per kind (the API's page bound, MAX_PAGE), 5 by default. */
export const SEARCH_MIN = 3;
export const SEARCH_MAX = 100;
const FIRST_DEFAULT = 5;
const FIRST_MAX = MAX_PAGE;
/** Ids fetched per kind before the ability's row conditions: room for rows the caller may not read. */
const ID_HEADROOM = 4;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");

/**
 * The digits of a query that looks like a phone number ("+1 (555) 010-9999", "0109": digits,
 * spaces, dots, dashes, brackets and "+"), when it has three or more: phones (E.164) match when
 * they start with them after the "+" or end with them (migration 20261129020000).
 */
export function phoneDigits(query: string): string | null {
  if (!/^[\d\s+().-]+$/.test(query)) return null;
  const digits = query.replace(/\D/g, "");
  return digits.length >= SEARCH_MIN ? digits : null;
}

export function createSearchService({ db }: { db: Db }) {
  return {
    async search(access: WorkspaceAccess, args: { query: string; first?: number | null }): Promise<SearchHit[]> {
      const query = args.query.trim();
      if (query.length < SEARCH_MIN)
        throw badInput(`Search for at least ${SEARCH_MIN} characters.`, { query: "too short" });
      if (query.length > SEARCH_MAX)
        throw badInput(`Search for at most ${SEARCH_MAX} characters.`, { query: "too long" });
      const first = args.first ?? FIRST_DEFAULT;
      if (!Number.isInteger(first) || first < 1 || first > FIRST_MAX)
        throw badInput(`first must be between 1 and ${FIRST_MAX}.`, { first: "out of range" });
      const { ability, workspaceId } = access;
      const kinds: SearchHitKind[] = [];
      if (ability.can("read", "Lead")) kinds.push(SearchHitKind.LEAD);
      if (ability.can("read", "Contact")) kinds.push(SearchHitKind.CONTACT);
      // A conversation is shown by its contact's name: both must be readable.
      if (ability.can("read", "Conversation") && ability.can("read", "Contact")) kinds.push(SearchHitKind.CONVERSATION);
      if (kinds.length === 0) return [];
      return inWorkspace(db, access, async (tx) => {
        const found = await repo.ids(tx, `%${escapeLike(query)}%`, phoneDigits(query), kinds, first * ID_HEADROOM);
        const idsOf = (kind: SearchHitKind) =>
          found.filter((row) => (row.kind as string) === (kind as string)).map((row) => row.id);
        const [leads, contacts, conversations] = await Promise.all([
          idsOf(SearchHitKind.LEAD).length === 0
            ? []
            : repo.leads(
                tx,
                {
                  AND: [
                    ...accessibleWhere(ability, "read", "Lead").AND,
                    { workspaceId, id: { in: idsOf(SearchHitKind.LEAD) } },
                  ],
                },
                first,
              ),
          idsOf(SearchHitKind.CONTACT).length === 0
            ? []
            : repo.contacts(
                tx,
                {
                  AND: [
                    ...accessibleWhere(ability, "read", "Contact").AND,
                    { workspaceId, id: { in: idsOf(SearchHitKind.CONTACT) } },
                  ],
                },
                first,
              ),
          idsOf(SearchHitKind.CONVERSATION).length === 0
            ? []
            : repo.conversations(
                tx,
                {
                  AND: [
                    ...accessibleWhere(ability, "read", "Conversation").AND,
                    { workspaceId, id: { in: idsOf(SearchHitKind.CONVERSATION) } },
                    { contact: { AND: accessibleWhere(ability, "read", "Contact").AND } },
                  ],
                },
                first,
              ),
        ]);
        return [
          ...leads.map((l) => ({ kind: SearchHitKind.LEAD, id: l.id, title: l.name, subtitle: l.phone ?? l.email })),
          ...contacts.map((c) => ({
            kind: SearchHitKind.CONTACT,
            id: c.id,
            title: c.name,
            subtitle: c.phone ?? c.email,
          })),
          ...conversations.map((c) => ({
            kind: SearchHitKind.CONVERSATION,
            id: c.id,
            title: c.contact.name,
            subtitle: c.contact.phone ?? c.contact.email,
          })),
        ];
      });
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
