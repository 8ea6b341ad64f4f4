// Contacts (R2): create, edit, delete (contact.manage), search by name / e-mail / phone, tags,
// import in batches with a per-row outcome (the preview is the same run, rolled back), and the
// same deduplication as leads: normalised e-mail first, then E.164 phone.
import type { Db, Prisma, TenantTx } from "@atrium/db";
import { MAX_TAGS, normaliseTags as normaliseSharedTags } from "@atrium/validation";
import { subject } from "@casl/ability";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { AppError, badInput, conflict, forbidden, notFound, isFkViolation, isUniqueViolation } from "../../platform/errors.ts";
import { escapeLike } from "../../platform/db/like.ts";
import { beforeCursor, connection, pageSize } from "../../platform/graphql/cursor.ts";
import { normaliseContactEmail, normalisePhone } from "../leads/contact-identity.ts";
import type { ContactConnection } from "../leads/leads.types.ts";
import { contactsRepository as repo, type ExportRow } from "./contacts.repository.ts";
import { ContactImportAction, type ContactImportResult, type ContactImportRowInput, type ContactImportRowResult, type ContactInput } from "./contacts.types.ts";

/** Tags as stored (the rule is @atrium/validation's, shared with the contact form). */
export function normaliseTags(raw: readonly string[] | null | undefined): string[] {
  const result = normaliseSharedTags(raw ?? []);
  if ("problem" in result) throw badInput(result.problem, { tags: result.problem });
  return result.tags;
}

/** The contacts list's filter, which the CSV export takes too. */
export interface ContactFilter {
  search?: string | null;
  tag?: string | null;
}

class DryRunRollback extends Error {
  constructor(readonly result: ContactImportResult) {
    super("dry run");
  }
}

export function createContactsService({ db }: { db: Db }) {
  // Before any work: may this member do `action` on some contact at all (the bare type: a
  // grant's row conditions are checked later, on the rows, by the list filter and authorizeRow).
  // Creating is checked on the new row itself.
  const check = (access: WorkspaceAccess, action: "read" | "create" | "update" | "delete") => {
    const allowed = action === "create" ? access.ability.can("create", subject("Contact", { workspaceId: access.workspaceId })) : access.ability.can(action, "Contact");
    if (!allowed) throw forbidden();
  };

  /** Another contact of the workspace with this e-mail or phone (a duplicate), if any. */
  async function clash(tx: TenantTx, workspaceId: string, email: string | null, phone: string | null, exceptId?: string) {
    if (email) {
      const c = await repo.idByEmail(tx, workspaceId, email);
      if (c && c.id !== exceptId) return { field: "email", message: "Another contact already has this e-mail address." };
    }
    if (phone) {
      const c = await repo.idByPhone(tx, workspaceId, phone);
      if (c && c.id !== exceptId) return { field: "phone", message: "Another contact already has this phone number." };
    }
    return null;
  }

  async function importRow(access: WorkspaceAccess, tx: TenantTx, row: ContactImportRowInput, index: number): Promise<ContactImportRowResult> {
    const workspaceId = access.workspaceId;
    const base = { row: index, name: row.name?.trim() || null, email: row.email?.trim() || null, phone: row.phone?.trim() || null, tags: [] as string[], error: null, field: null };
    const fail = (field: string | null, error: string): ContactImportRowResult => ({ ...base, action: ContactImportAction.ERROR, field, error });
    let email: string | null;
    let phone: string | null;
    let tags: string[];
    try {
      email = normaliseContactEmail(row.email);
    } catch (err) {
      return fail("email", err instanceof Error ? err.message : "Invalid e-mail.");
    }
    try {
      phone = normalisePhone(row.phone);
    } catch (err) {
      return fail("phone", err instanceof Error ? err.message : "Invalid phone.");
    }
    try {
      tags = normaliseTags((row.tags ?? "").split(/[,;]/));
    } catch (err) {
      return fail("tags", err instanceof Error ? err.message : "Invalid tags.");
    }
    const name = row.name?.trim().slice(0, 200) || null;
    if (!email && !phone) return fail("email", "A row needs an e-mail address or a phone number.");
    const byEmail = email ? await repo.byEmail(tx, workspaceId, email) : null;
    const byPhone = phone ? await repo.byPhone(tx, workspaceId, phone) : null;
    if (byEmail && byPhone && byEmail.id !== byPhone.id) return fail("phone", "The e-mail and the phone number belong to two different contacts.");
    const existing = byEmail ?? byPhone;
    const out = { ...base, name, email, phone, tags };
    if (existing) {
      // Merging into a contact is an update of that row: checked on the row itself.
      if (!access.ability.can("update", subject("Contact", { ...existing }))) return fail("email", "You cannot change the existing contact with this e-mail address or phone number.");
      const merged = [...existing.tags, ...tags.filter((t) => !existing.tags.includes(t))].slice(0, MAX_TAGS);
      const updated = await repo.update(tx, workspaceId, existing.id, { name: name ?? existing.name, email: existing.email ?? email, phone: existing.phone ?? phone, tags: merged });
      return { ...out, name: updated.name, email: updated.email, phone: updated.phone, tags: updated.tags, action: ContactImportAction.UPDATED };
    }
    if (!name) return fail("name", "A new contact needs a name.");
    await repo.create(tx, { workspaceId, name, email, phone, tags });
    return { ...out, action: ContactImportAction.CREATED };
  }

  /**
   * The contacts `access` may read that match the list's filter: `search` (name, e-mail or phone),
   * `tag`; `extra` (a keyset condition) ANDed beside them. Only the rows the ability allows; the
   * search and the keyset are separate ANDed clauses (both may be ORs, and one must not replace
   * the other).
   */
  function filterWhere(access: WorkspaceAccess, args: ContactFilter, extra?: Prisma.ContactWhereInput): Prisma.ContactWhereInput {
    const q = args.search?.trim();
    const digits = q?.replace(/[\s().-]/g, "");
    return {
      workspaceId: access.workspaceId,
      ...(args.tag?.trim() ? { tags: { has: args.tag.trim().toLowerCase() } } : {}),
      AND: [
        accessibleWhere(access.ability, "read", "Contact"),
        ...(q
          ? [
              {
                OR: [
                  // `contains` is a LIKE pattern: what was typed is matched literally.
                  { name: { contains: escapeLike(q), mode: "insensitive" as const } },
                  { email: { contains: escapeLike(q.toLowerCase()) } },
                  ...(digits && /^\+?\d+$/.test(digits) ? [{ phone: { contains: escapeLike(digits) } }] : []),
                ],
              },
            ]
          : []),
        ...(extra ? [extra] : []),
      ],
    };
  }

  return {
    /** `withTotal: false` when the caller did not select totalCount: no count statement then. */
    async list(access: WorkspaceAccess, args: { first?: number | null; after?: string | null; search?: string | null; tag?: string | null; withTotal?: boolean }): Promise<ContactConnection> {
      check(access, "read");
      const take = pageSize(args.first);
      const where = filterWhere(access, args);
      const [rows, total] = await inWorkspace(db, access, (tx) => repo.page(tx, where, beforeCursor(args.after), take, args.withTotal !== false));
      return connection(rows, take, total, (c) => c);
    },

    /**
     * One batch of the CSV export (`contacts-export.routes.ts`): the contacts the list shows for
     * the same filter, `take` at most, by id after `afterId` (keyset: each row once, whatever
     * changes between batches). Each batch is its own tenant transaction. The first batch
     * (`afterId` null) records the export in the audit log, in the same transaction, and
     * returns the workspace's slug for the file's name.
     */
    async exportBatch(access: WorkspaceAccess, args: ContactFilter & { afterId: string | null; take: number; actor: Actor }): Promise<{ rows: ExportRow[]; slug: string | null }> {
      check(access, "read");
      const where = filterWhere(access, args, args.afterId === null ? undefined : { id: { gt: args.afterId } });
      return inWorkspace(db, access, async (tx) => {
        const rows = await repo.exportBatch(tx, where, args.take);
        if (args.afterId !== null) return { rows, slug: null };
        await recordWorkspaceAudit(tx, access.workspaceId, args.actor, {
          action: "contact.exported",
          actorMembershipId: access.membershipId,
          targetType: "Contact",
          data: { format: "csv", search: args.search?.trim() || null, tag: args.tag?.trim().toLowerCase() || null },
        });
        return { rows, slug: await repo.workspaceSlug(tx, access.workspaceId) };
      });
    },

    async tags(access: WorkspaceAccess): Promise<string[]> {
      check(access, "read");
      const where = accessibleWhere(access.ability, "read", "Contact") as Prisma.ContactWhereInput;
      const wholeWorkspace = access.ability.rulesFor("read", "Contact").some((r) => Object.keys(r.conditions ?? {}).join() === "workspaceId");
      return inWorkspace(db, access, async (tx) => {
        if (wholeWorkspace) return repo.allTags(tx, access.workspaceId);
        // Only some contacts are readable: the tags of those rows alone.
        const rows = await repo.tagsOf(tx, access.workspaceId, where);
        return [...new Set(rows.flatMap((r) => r.tags))].sort().slice(0, 500);
      });
    },

    async create(access: WorkspaceAccess, input: ContactInput, actor: Actor) {
      check(access, "create");
      const email = normaliseContactEmail(input.email);
      const phone = normalisePhone(input.phone);
      const tags = normaliseTags(input.tags);
      const name = input.name.trim();
      try {
        return await inWorkspace(db, access, async (tx) => {
          const dup = await clash(tx, access.workspaceId, email, phone);
          if (dup) throw conflict(dup.message, { [dup.field]: "duplicate" });
          const c = await repo.create(tx, { workspaceId: access.workspaceId, name, email, phone, tags });
          await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "contact.created", actorMembershipId: access.membershipId, targetType: "Contact", targetId: c.id });
          return c;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict("Another contact already has this e-mail address or phone number.", { email: "duplicate" });
        throw err;
      }
    },

    async update(access: WorkspaceAccess, id: string, input: ContactInput, actor: Actor) {
      check(access, "update");
      if (!UUID_RE.test(id)) throw notFound("Contact");
      const email = normaliseContactEmail(input.email);
      const phone = normalisePhone(input.phone);
      const tags = normaliseTags(input.tags);
      try {
        return await inWorkspace(db, access, async (tx) => {
          const existing = await repo.find(tx, access.workspaceId, id);
          if (!existing) throw notFound("Contact");
          authorizeRow(access.ability, "update", "Contact", existing);
          const dup = await clash(tx, access.workspaceId, email, phone, id);
          if (dup) throw conflict(dup.message, { [dup.field]: "duplicate" });
          const c = await repo.update(tx, access.workspaceId, id, { name: input.name.trim(), email, phone, tags });
          await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "contact.updated", actorMembershipId: access.membershipId, targetType: "Contact", targetId: id });
          return c;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict("Another contact already has this e-mail address or phone number.", { email: "duplicate" });
        throw err;
      }
    },

    async remove(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      check(access, "delete");
      if (!UUID_RE.test(id)) throw notFound("Contact");
      try {
        return await inWorkspace(db, access, async (tx) => {
          const existing = await repo.findWithUses(tx, access.workspaceId, id);
          if (!existing) throw notFound("Contact");
          authorizeRow(access.ability, "delete", "Contact", existing);
          const uses = existing._count.leads + existing._count.conversations + existing._count.calls;
          if (uses > 0) throw conflict("This contact has leads, conversations or calls; it is kept with them (the retention sweep removes them together).", { id: "in use" });
          await repo.delete(tx, access.workspaceId, id);
          await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "contact.deleted", actorMembershipId: access.membershipId, targetType: "Contact", targetId: id });
          return true;
        });
      } catch (err) {
        if (isFkViolation(err)) throw conflict("This contact has leads, conversations or calls; it is kept with them.", { id: "in use" });
        throw err;
      }
    },

    /** One batch of an import; `dryRun` runs exactly the same and rolls back (the preview). */
    async importRows(access: WorkspaceAccess, rows: ContactImportRowInput[], dryRun: boolean, actor: Actor): Promise<ContactImportResult> {
      check(access, "create");
      check(access, "update");
      try {
        return await inWorkspace(db, access, async (tx) => {
          const results: ContactImportRowResult[] = [];
          for (const [i, row] of rows.entries()) results.push(await importRow(access, tx, row, i));
          const result: ContactImportResult = {
            dryRun,
            created: results.filter((r) => r.action === ContactImportAction.CREATED).length,
            updated: results.filter((r) => r.action === ContactImportAction.UPDATED).length,
            failed: results.filter((r) => r.action === ContactImportAction.ERROR).length,
            rows: results,
          };
          if (dryRun) throw new DryRunRollback(result);
          await recordWorkspaceAudit(tx, access.workspaceId, actor, { action: "contact.imported", actorMembershipId: access.membershipId, targetType: "Contact", data: { created: result.created, updated: result.updated, failed: result.failed } });
          return result;
        });
      } catch (err) {
        if (err instanceof DryRunRollback) return err.result;
        // Another import or form submission created the same address meanwhile: a lost race.
        if (isUniqueViolation(err)) throw conflict("Another change to these contacts happened at the same time; import this batch again.");
        if (err instanceof AppError) throw err;
        throw err;
      }
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
