// A contact's page (issue 48): the contact, its leads, and its timeline — every message (in, out,
// campaign sends, with or without a lead), call, booking and status change of the contact's
// conversations and leads, newest first — read in one tenant transaction sent as one round trip
// (`tenantRead`), worded as the lead timeline words them (`toTimelineEntry`).
import type { Db, ReadRows, TenantTx } from "@atrium/db";

import { inWorkspace, readInWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { nestedReadsOf } from "../../platform/authz/nested-reads.ts";
import { notFound } from "../../platform/errors.ts";
import { pageSize } from "../../platform/graphql/cursor.ts";
import type { TimelineRow } from "../leads/leads-timeline.repository.ts";
import { TIMELINE_DEFAULT, toTimelineEntry } from "../leads/leads-timeline.service.ts";
import type { LeadTimelineEntry } from "../leads/leads-timeline.types.ts";
import { toLeadView } from "../leads/leads.service.ts";
import type { ContactView, LeadView } from "../leads/leads.types.ts";
import { contactTimelineRepository as repo } from "./contact-timeline.repository.ts";

type ContactRow = ContactView & { workspaceId: string };

/** Issue 50: whether a contact is an erased person come back (privacy.service). */
export interface ContactErasure {
  erasedWithoutNewConsent(
    tx: TenantTx,
    workspaceId: string,
    contact: { id: string; email: string | null; phone: string | null },
  ): Promise<boolean>;
}

export function createContactTimelineService({ db, erasure }: { db: Db; erasure?: ContactErasure }) {
  /** The statements' rows: in one pipeline, or (no pipeline) one transaction. */
  const read = async (
    access: WorkspaceAccess,
    statements: ReturnType<typeof repo.contactStatement>[],
  ): Promise<ReadRows[]> => await readInWorkspace(db, access, statements);

  /** The contact of `rows[0]`, if the caller may read it; another workspace's or no contact: NOT_FOUND. */
  const contactOf = (access: WorkspaceAccess, rows: ReadRows[]): ContactRow => {
    const contact = rows[0]?.[0] as ContactRow | undefined;
    if (!contact) throw notFound("Contact");
    authorizeRow(access.ability, "read", "Contact", { ...contact });
    return contact;
  };

  return {
    /**
     * One contact, with whether the person was erased on request and has not come back since
     * (the rule campaigns skip by). Another workspace's, an unknown or a malformed id: NOT_FOUND.
     */
    async get(access: WorkspaceAccess, id: string): Promise<ContactView> {
      if (!UUID_RE.test(id)) throw notFound("Contact");
      const { workspaceId: _workspaceId, ...contact } = contactOf(
        access,
        await read(access, [repo.contactStatement(access.workspaceId, id)]),
      );
      // The tombstones hold keyed hashes made in this process: a second statement, after the contact.
      const erasedOnRequest =
        erasure && (contact.email || contact.phone)
          ? await inWorkspace(db, access, (tx) => erasure.erasedWithoutNewConsent(tx, access.workspaceId, contact))
          : false;
      return { ...contact, erasedOnRequest };
    },

    /**
     * The contact's timeline, newest first; `first` 1–100 (default 50). Bookings and status changes
     * are its leads' and need read Lead; message text needs read Message, a campaign's name read
     * Campaign (as on a lead's timeline). Another workspace's contact, or no contact: NOT_FOUND.
     */
    async timeline(access: WorkspaceAccess, contactId: string, first: number | null): Promise<LeadTimelineEntry[]> {
      const take = first == null ? TIMELINE_DEFAULT : pageSize(first);
      if (!UUID_RE.test(contactId)) throw notFound("Contact");
      const leads = access.ability.can("read", "Lead");
      const rows = await read(access, [
        repo.contactStatement(access.workspaceId, contactId),
        repo.timelineStatement(access.workspaceId, contactId, take, { leads }),
      ]);
      contactOf(access, rows);
      const reads = {
        messages: access.ability.can("read", "Message"),
        campaigns: access.ability.can("read", "Campaign"),
      };
      return (rows[1] as unknown as TimelineRow[]).map((r) => toTimelineEntry(r, reads));
    },

    /** The contact's leads the caller may read, newest first; `first` 1–100 (default 20). No such contact: NOT_FOUND. */
    async leads(access: WorkspaceAccess, contactId: string, first: number | null): Promise<LeadView[]> {
      const take = pageSize(first);
      if (!UUID_RE.test(contactId)) throw notFound("Contact");
      const where = {
        workspaceId: access.workspaceId,
        contactId,
        AND: [accessibleWhere(access.ability, "read", "Lead")],
      };
      const rows = await inWorkspace(db, access, async (tx) => {
        if (!(await repo.contactExists(tx, access.workspaceId, contactId))) throw notFound("Contact");
        return repo.leads(tx, where, take);
      });
      const reads = nestedReadsOf(access);
      return rows.map((l) => toLeadView(l, reads));
    },
  };
}

export type ContactTimelineService = ReturnType<typeof createContactTimelineService>;
