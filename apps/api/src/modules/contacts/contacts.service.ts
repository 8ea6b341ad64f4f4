// Contacts (R2): create, edit, delete (contact.manage), search by name / e-mail / phone, tags,
// import of a whole file with a per-row outcome (one plan, contacts-import-plan.ts, for the
// preview and the import: decision 0030), and the same deduplication as leads: normalised e-mail
// first, then E.164 phone.
import { createHash, randomUUID } from "node:crypto";
import { subject } from "@casl/ability";

import type { Db, Prisma, TenantTx } from "@atrium/db";
import { normaliseTags as normaliseSharedTags } from "@atrium/validation";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, readInWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { escapeLike } from "../../platform/db/like.ts";
import {
  AppError,
  badInput,
  conflict,
  ErrorCode,
  forbidden,
  isFkViolation,
  isUniqueViolation,
  notFound,
} from "../../platform/errors.ts";
import {
  connection,
  keyset,
  pageCursor,
  pageRequest,
  type PageArgs,
  type PageRequest,
} from "../../platform/graphql/cursor.ts";
import { decodeOrderCursor, OrderDirection, orderedConnection, parseCursorDate } from "../../platform/graphql/order.ts";
import { normaliseContactEmail, normalisePhone } from "../leads/contact-identity.ts";
import type { ContactConnection } from "../leads/leads.types.ts";
import { importKeys, normaliseImportRow, planContactImport, type ImportPlan } from "./contacts-import-plan.ts";
import { CONTACT_SORT, contactsRepository as repo, type ExportRow } from "./contacts.repository.ts";
import {
  ContactImportAction,
  ContactImportConflictMode,
  ContactOrderField,
  type ContactImportProgress,
  type ContactImportResult,
  type ContactInput,
  type ContactOrder,
  type ImportContactsInput,
} from "./contacts.types.ts";

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

/**
 * The list's filter terms, as both forms of the filter use them: the tag lower-cased, and the
 * search as LIKE-escaped terms that match what was typed literally — the name (anywhere,
 * case-insensitively), the e-mail lower-cased (a prefix of the address, or of its domain: `domain`,
 * without a leading "@"), and the phone digits (a number's start after its "+", or its end) when
 * the search looks like a number.
 */
function filterTerms(args: ContactFilter): {
  tag: string | null;
  search: { name: string; email: string; domain: string; phone: string | null } | null;
} {
  const tag = args.tag?.trim() ? args.tag.trim().toLowerCase() : null;
  const q = args.search?.trim();
  if (!q) return { tag, search: null };
  const digits = q.replace(/[\s().-]/g, "").replace(/^\+/, "");
  return {
    tag,
    search: {
      name: escapeLike(q),
      email: escapeLike(q.toLowerCase()),
      domain: escapeLike(q.toLowerCase().replace(/^@/, "")),
      phone: /^\d+$/.test(digits) ? digits : null,
    },
  };
}

/**
 * Whether `access` may read every contact of its workspace: a rule for Contact whose only
 * condition is the workspace itself (rules are ORed, so one such rule allows them all).
 */
function readsWholeWorkspace(access: WorkspaceAccess): boolean {
  const rules = access.ability.rulesFor("read", "Contact");
  if (rules.some((r) => r.inverted || r.fields)) return false;
  return rules.some((r) => {
    const conditions = r.conditions;
    return !!conditions && Object.keys(conditions).length === 1 && conditions.workspaceId === access.workspaceId;
  });
}

/** An order other than the default (CREATED_AT DESC, the newest-first path); null or undefined: the default. */
const sortedOrder = (order: ContactOrder | null | undefined): ContactOrder | undefined =>
  order && !(order.field === ContactOrderField.CREATED_AT && order.direction === OrderDirection.DESC)
    ? order
    : undefined;

/** The import's transaction limit: a file of CONTACT_IMPORT_MAX_ROWS rows takes a few seconds (decision 0030). */
const IMPORT_TIMEOUT_MS = 30_000;

/** Issue 50: the erasure tombstones (privacy service), consulted by imports. */
export interface ErasureTombstones {
  keyedHash(value: string): string;
  erasedAmong(
    tx: TenantTx,
    workspaceId: string,
    people: { email: string | null; phone: string | null }[],
  ): Promise<Set<string>>;
}

export function createContactsService({ db, erasure }: { db: Db; erasure?: ErasureTombstones }) {
  // Before any work: may this member do `action` on some contact at all (the bare type: a
  // grant's row conditions are checked later, on the rows, by the list filter and authorizeRow).
  // Creating is checked on the new row itself.
  const check = (access: WorkspaceAccess, action: "read" | "create" | "update" | "delete") => {
    const allowed =
      action === "create"
        ? access.ability.can("create", subject("Contact", { workspaceId: access.workspaceId }))
        : access.ability.can(action, "Contact");
    if (!allowed) throw forbidden();
  };

  /** Another contact of the workspace with this e-mail or phone (a duplicate), if any. */
  async function clash(
    tx: TenantTx,
    workspaceId: string,
    email: string | null,
    phone: string | null,
    exceptId?: string,
  ) {
    if (email) {
      const c = await repo.idByEmail(tx, workspaceId, email);
      if (c && c.id !== exceptId)
        return { field: "email", message: "Another contact already has this e-mail address." };
    }
    if (phone) {
      const c = await repo.idByPhone(tx, workspaceId, phone);
      if (c && c.id !== exceptId) return { field: "phone", message: "Another contact already has this phone number." };
    }
    return null;
  }

  /**
   * Writes `plan`'s operations with the effect of running them one by one in file order, in few
   * statements: a run of new contacts is one INSERT; a run of updates is one UPDATE, cut after an
   * update that gives up an e-mail or phone (a later row may take it) and before a contact's
   * second update.
   */
  async function applyPlan(tx: TenantTx, workspaceId: string, plan: ImportPlan) {
    const ids = [...plan.targetIds];
    let creates: { id: string; name: string; email: string | null; phone: string | null; tags: string[] }[] = [];
    let updates: { id: string; name: string; email: string | null; phone: string | null; tags: string[] }[] = [];
    const updating = new Set<string>();
    const flush = async () => {
      await repo.createMany(tx, workspaceId, creates);
      await repo.updateMany(tx, workspaceId, updates);
      creates = [];
      updates = [];
      updating.clear();
    };
    for (const op of plan.ops) {
      if (op.kind === "create") {
        if (updates.length > 0) await flush();
        const id = randomUUID();
        ids[op.target] = id;
        creates.push({ id, ...op.data });
        continue;
      }
      const id = ids[op.target]!;
      if (creates.length > 0 || updating.has(id)) await flush();
      updates.push({ id, ...op.after });
      updating.add(id);
      if (op.frees) await flush();
    }
    await flush();
  }

  /**
   * The contacts `access` may read that match the list's filter: `search` (name, e-mail or phone),
   * `tag`; `extra` (a keyset condition) ANDed beside them. Only the rows the ability allows; the
   * search and the keyset are separate ANDed clauses (both may be ORs, and one must not replace
   * the other).
   */
  function filterWhere(
    access: WorkspaceAccess,
    args: ContactFilter,
    extra?: Prisma.ContactWhereInput,
  ): Prisma.ContactWhereInput {
    const { tag, search } = filterTerms(args);
    return {
      workspaceId: access.workspaceId,
      ...(tag !== null ? { tags: { has: tag } } : {}),
      AND: [
        accessibleWhere(access.ability, "read", "Contact"),
        ...(search !== null
          ? [
              {
                OR: [
                  // `contains` is a LIKE pattern: what was typed is matched literally.
                  { name: { contains: search.name, mode: "insensitive" as const } },
                  // The e-mail from its start, or its domain from its start (an address has one
                  // "@" outside a quoted local part).
                  { email: { startsWith: search.email } },
                  { email: { contains: `@${search.domain}` } },
                  // The number from its start after the "+", or its end (digits only).
                  ...(search.phone !== null
                    ? [{ phone: { startsWith: `+${search.phone}` } }, { phone: { endsWith: search.phone } }]
                    : []),
                ],
              },
            ]
          : []),
        ...(extra ? [extra] : []),
      ],
    };
  }

  /**
   * A page of the contacts sorted by `order` (sorted-page.ts): its own keyset over (value IS NULL,
   * value, id), read in one round trip. The filter is `filterWhere`'s, in plain SQL
   * (contactsRepository.sortedPageStatements) from the same terms. Its cursors name the order they
   * were made under: another order's cursor (or a newest-first one) is CURSOR_ORDER_MISMATCH.
   */
  async function sortedList(
    access: WorkspaceAccess,
    args: ContactFilter & { withTotal?: boolean },
    order: ContactOrder,
    page: PageRequest,
  ): Promise<ContactConnection> {
    const sort = CONTACT_SORT[order.field];
    const name = `contact:${order.field}:${order.direction}`;
    const cursor = page.cursor
      ? decodeOrderCursor(
          page.cursor,
          name,
          (raw) => (order.field === ContactOrderField.CREATED_AT ? parseCursorDate(raw) : raw),
          sort.nullable,
          page.cursorArg,
        )
      : undefined;
    const withTotal = args.withTotal !== false;
    const allowed = { AND: accessibleWhere(access.ability, "read", "Contact").AND, workspaceId: access.workspaceId };
    const statements = repo.sortedPageStatements({ allowed, ...filterTerms(args) }, sort, {
      descending: order.direction === OrderDirection.DESC,
      backward: page.backward,
      cursor,
      take: page.take,
      withTotal,
    });
    // The ability's conditions are field equalities, which always have a plain-SQL form; fail closed otherwise.
    if (!statements) throw forbidden();
    const [rows, total] = repo.sortedPageFromRows(await readInWorkspace(db, access, statements), withTotal);
    const valueOf = (c: (typeof rows)[number]): string | null => {
      const value = c[sort.field];
      return value instanceof Date ? value.toISOString() : value;
    };
    return orderedConnection(rows, page, total, (c) => c, name, valueOf);
  }

  return {
    /** `withTotal: false` when the caller did not select totalCount: no count statement then. */
    async list(
      access: WorkspaceAccess,
      args: PageArgs & {
        search?: string | null;
        tag?: string | null;
        withTotal?: boolean;
        orderBy?: ContactOrder | null;
      },
    ): Promise<ContactConnection> {
      check(access, "read");
      const page = pageRequest(args);
      // Another order than newest first (issue 48); without one the page is read as before.
      const order = sortedOrder(args.orderBy);
      if (order) return sortedList(access, args, order, page);
      const terms = filterTerms(args);
      // A search by a caller who may read every contact: search_contacts (the trigram indexes;
      // RLS keeps a plain query from using them). Same filter, order and keyset as below.
      if (terms.search !== null && readsWholeWorkspace(access)) {
        const withTotal = args.withTotal !== false;
        const statements = repo.searchPageStatements(
          access.workspaceId,
          terms,
          pageCursor(page),
          page.backward,
          page.take,
          withTotal,
        );
        const [rows, total] = repo.sortedPageFromRows(await readInWorkspace(db, access, statements), withTotal);
        return connection(rows, page, total, (c) => c);
      }
      const where = filterWhere(access, args);
      const [rows, total] = await inWorkspace(db, access, (tx) =>
        repo.page(tx, where, keyset(page), page.take, args.withTotal !== false),
      );
      return connection(rows, page, total, (c) => c);
    },

    /**
     * One batch of the CSV export (`contacts-export.routes.ts`): the contacts the list shows for
     * the same filter, `take` at most, by id after `afterId` (keyset: each row once, whatever
     * changes between batches). Each batch is its own tenant transaction. The first batch
     * (`afterId` null) records the export in the audit log, in the same transaction, and
     * returns the workspace's slug for the file's name.
     */
    async exportBatch(
      access: WorkspaceAccess,
      args: ContactFilter & { afterId: string | null; take: number; actor: Actor },
    ): Promise<{ rows: ExportRow[]; slug: string | null }> {
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
      const wholeWorkspace = access.ability
        .rulesFor("read", "Contact")
        .some((r) => Object.keys(r.conditions ?? {}).join() === "workspaceId");
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
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "contact.created",
            actorMembershipId: access.membershipId,
            targetType: "Contact",
            targetId: c.id,
          });
          return c;
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw conflict("Another contact already has this e-mail address or phone number.", { email: "duplicate" });
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
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "contact.updated",
            actorMembershipId: access.membershipId,
            targetType: "Contact",
            targetId: id,
          });
          return c;
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw conflict("Another contact already has this e-mail address or phone number.", { email: "duplicate" });
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
          if (uses > 0)
            throw conflict(
              "This contact has leads, conversations or calls; it is kept with them (the retention sweep removes them together).",
              { id: "in use" },
            );
          await repo.delete(tx, access.workspaceId, id);
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "contact.deleted",
            actorMembershipId: access.membershipId,
            targetType: "Contact",
            targetId: id,
          });
          return true;
        });
      } catch (err) {
        if (isFkViolation(err))
          throw conflict("This contact has leads, conversations or calls; it is kept with them.", { id: "in use" });
        throw err;
      }
    },

    /** Issue 52: what of a chunked import is committed (null: nothing yet, or not this workspace's). */
    async importProgress(access: WorkspaceAccess, importId: string): Promise<ContactImportProgress | null> {
      check(access, "read");
      if (!UUID_RE.test(importId)) throw badInput("importId is not a UUID.", { importId: "not a UUID" });
      const done = await inWorkspace(db, access, (tx) =>
        repo.importChunks(tx, access.workspaceId, importId.toLowerCase()),
      );
      if (done.length === 0) return null;
      const sum = (k: "rows" | "created" | "updated" | "skipped" | "failed") => done.reduce((a, c) => a + c[k], 0);
      return {
        importId: importId.toLowerCase(),
        chunks: done[0]!.chunks,
        chunksDone: done.map((c) => c.chunk),
        rowsDone: sum("rows"),
        created: sum("created"),
        updated: sum("updated"),
        skipped: sum("skipped"),
        failed: sum("failed"),
      };
    },

    /**
     * A CSV import (the whole file). The plan (contacts-import-plan.ts) is computed from the file
     * and the stored contacts it can match; `dryRun` returns it (the preview). Otherwise it is
     * computed again in the import's transaction, after the import lock and with the matching
     * contacts locked, so a change since the preview is seen; with `expectedPlanId` a plan that
     * differs from the preview's is refused (CONFLICT, nothing stored); then exactly its
     * operations are written. Rows in error are listed and not stored; the others all are, or
     * (a lost race) none.
     */
    async importRows(access: WorkspaceAccess, input: ImportContactsInput, actor: Actor): Promise<ContactImportResult> {
      check(access, "create");
      check(access, "update");
      const dryRun = Boolean(input.dryRun);
      const mode = input.onConflict ?? ContactImportConflictMode.KEEP_EXISTING;
      const chunked = chunkOf(input);
      const rows = input.rows.map(normaliseImportRow);
      const { emails, phones } = importKeys(rows);
      const workspaceId = access.workspaceId;
      try {
        return await inWorkspace(
          db,
          access,
          async (tx) => {
            if (!dryRun) await repo.lockImports(tx, workspaceId);
            // Issue 52: a chunk committed before (its record is written with its contacts, and
            // imports of a workspace run one after another under the lock above) is answered
            // from its record and applied nothing twice.
            if (chunked && !dryRun) {
              const done = await repo.importChunks(tx, workspaceId, chunked.importId);
              if (done.length > 0 && done[0]!.chunks !== chunked.chunks)
                throw badInput(`This import was started with ${done[0]!.chunks} chunks, not ${chunked.chunks}.`, {
                  chunks: "differs from the import's first chunk",
                });
              const previous = done.find((c) => c.chunk === chunked.chunk);
              if (previous && previous.digest !== chunked.digest) {
                throw new AppError(
                  ErrorCode.CONFLICT,
                  `Chunk ${chunked.chunk} of this import was already imported with other rows or another conflict mode; nothing was imported. Send it with its first rows, or start another import.`,
                  { reason: "IMPORT_CHUNK_DIFFERS" },
                );
              }
              if (previous) {
                return {
                  dryRun: false,
                  onConflict: previous.onConflict as ContactImportConflictMode,
                  planId: previous.planId,
                  created: previous.created,
                  updated: previous.updated,
                  skipped: previous.skipped,
                  failed: previous.failed,
                  rows: previous.errors as unknown as ContactImportResult["rows"],
                  replayed: true,
                };
              }
            }
            const stored = await repo.matching(tx, workspaceId, emails, phones, !dryRun);
            const erasedHashes = erasure
              ? await erasure.erasedAmong(tx, workspaceId, [
                  ...emails.map((email) => ({ email, phone: null })),
                  ...phones.map((phone) => ({ email: null, phone })),
                ])
              : new Set<string>();
            const isErased = (v: string | null) =>
              v !== null && erasedHashes.size > 0 && erasedHashes.has(erasure!.keyedHash(v));
            const plan = planContactImport(
              rows,
              stored,
              mode,
              (c) => access.ability.can("update", subject("Contact", { ...c })),
              (r) => (isErased(r.email) ? "email" : isErased(r.phone) ? "phone" : null),
            );
            const result: ContactImportResult = {
              dryRun,
              onConflict: mode,
              planId: plan.planId,
              created: plan.created,
              updated: plan.updated,
              skipped: plan.skipped,
              failed: plan.failed,
              rows: plan.rows,
              replayed: false,
            };
            if (dryRun) return result;
            if (input.expectedPlanId && input.expectedPlanId !== plan.planId) {
              throw new AppError(
                ErrorCode.CONFLICT,
                "The contacts changed since the preview, so the import would no longer do what it showed. Nothing was imported: check the preview again.",
                { reason: "IMPORT_PLAN_CHANGED" },
              );
            }
            await applyPlan(tx, workspaceId, plan);
            if (chunked) {
              await repo.recordImportChunk(tx, {
                workspaceId,
                ...chunked,
                rows: rows.length,
                created: plan.created,
                updated: plan.updated,
                skipped: plan.skipped,
                failed: plan.failed,
                onConflict: mode,
                planId: plan.planId,
                errors: plan.rows.filter(
                  (r) => r.action === ContactImportAction.ERROR,
                ) as unknown as Prisma.InputJsonValue,
              });
            }
            await recordWorkspaceAudit(tx, workspaceId, actor, {
              action: "contact.imported",
              actorMembershipId: access.membershipId,
              targetType: "Contact",
              data: {
                created: plan.created,
                updated: plan.updated,
                skipped: plan.skipped,
                failed: plan.failed,
                onConflict: mode,
                ...(chunked ? { importId: chunked.importId, chunk: chunked.chunk, chunks: chunked.chunks } : {}),
              },
            });
            return result;
          },
          { timeoutMs: IMPORT_TIMEOUT_MS },
        );
      } catch (err) {
        // A lead or contact created the same address meanwhile: a lost race, nothing stored.
        if (isUniqueViolation(err))
          throw conflict(
            "Another change to these contacts happened at the same time; nothing was imported. Import the file again.",
          );
        throw err;
      }
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;

/** Issue 52: the chunk an import call is (importId, chunk and chunks all given), or null (a whole file). */
function chunkOf(
  input: ImportContactsInput,
): { importId: string; chunk: number; chunks: number; digest: string } | null {
  const given = [input.importId, input.chunk, input.chunks].filter((v) => v !== null && v !== undefined).length;
  if (given === 0) return null;
  if (given !== 3)
    throw badInput("A chunked import gives importId, chunk and chunks together.", {
      importId: "give importId, chunk and chunks together",
    });
  if (input.chunk! >= input.chunks!)
    throw badInput(`Chunk ${input.chunk} of ${input.chunks}: chunks are numbered from 0.`, {
      chunk: "must be less than chunks",
    });
  const digest = createHash("sha256")
    .update(
      JSON.stringify([
        input.onConflict ?? ContactImportConflictMode.KEEP_EXISTING,
        input.rows.map((r) => [r.name ?? null, r.email ?? null, r.phone ?? null, r.tags ?? null]),
      ]),
    )
    .digest("base64url");
  return { importId: input.importId!.toLowerCase(), chunk: input.chunk!, chunks: input.chunks!, digest };
}
