// The contacts import plan (decision 0030): what every row of a file does — create, merge into
// the contact it matches, skip, or refuse — and which fields each merge adds, replaces or leaves
// unused. One pure function over the whole file and the stored contacts it can match; the
// preview returns it, the import computes it again inside its transaction (under its locks) and
// applies exactly its operations, in file order. So the two cannot disagree.
//
// Rows are matched as leads are (contact-identity.ts): normalised e-mail first, then E.164 phone,
// against the stored contacts *and* the contacts earlier rows of the same file create or change.
import { createHash } from "node:crypto";

import { CONTACT_NAME_MAX, CONTACT_NAME_MESSAGES, MAX_TAGS, normaliseTags } from "@atrium/validation";

import { normaliseContactEmail, normalisePhone } from "../leads/contact-identity.ts";
import type { ContactRow } from "./contacts.repository.ts";
import {
  ContactImportAction,
  ContactImportChangeKind,
  ContactImportConflictMode,
  type ContactImportFieldChange,
  type ContactImportRowInput,
  type ContactImportRowResult,
} from "./contacts.types.ts";

/** A row as the import reads it: normalised values, or the column at fault and why. */
export type NormalisedRow =
  | { ok: true; raw: RawValues; name: string | null; email: string | null; phone: string | null; tags: string[] }
  | { ok: false; raw: RawValues; field: string; error: string };

interface RawValues {
  name: string | null;
  email: string | null;
  phone: string | null;
}

const messageOf = (err: unknown, fallback: string) => (err instanceof Error ? err.message : fallback);

/** The row's values checked with the rules the import stores by (nothing about other rows). */
export function normaliseImportRow(row: ContactImportRowInput): NormalisedRow {
  const raw = { name: row.name?.trim() || null, email: row.email?.trim() || null, phone: row.phone?.trim() || null };
  const fail = (field: string, error: string): NormalisedRow => ({ ok: false, raw, field, error });
  let email: string | null;
  let phone: string | null;
  try {
    email = normaliseContactEmail(row.email);
  } catch (err) {
    return fail("email", messageOf(err, "Invalid e-mail."));
  }
  try {
    phone = normalisePhone(row.phone);
  } catch (err) {
    return fail("phone", messageOf(err, "Invalid phone."));
  }
  const tags = normaliseTags((row.tags ?? "").split(/[,;]/));
  if ("problem" in tags) return fail("tags", tags.problem);
  // Never cut silently: a name too long is refused, as the contact form refuses it.
  if (raw.name && raw.name.length > CONTACT_NAME_MAX) return fail("name", CONTACT_NAME_MESSAGES.tooLong);
  if (!email && !phone) return fail("email", "A row needs an e-mail address or a phone number.");
  return { ok: true, raw, name: raw.name, email, phone, tags: tags.tags };
}

/** The identifying values of the rows that can match a stored contact (what to load and lock). */
export function importKeys(rows: readonly NormalisedRow[]): { emails: string[]; phones: string[] } {
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const r of rows) {
    if (!r.ok) continue;
    if (r.email) emails.add(r.email);
    if (r.phone) phones.add(r.phone);
  }
  return { emails: [...emails], phones: [...phones] };
}

export interface ContactValues {
  name: string;
  email: string | null;
  phone: string | null;
  tags: string[];
}

/**
 * One write of the plan; `target` indexes `ImportPlan.targetIds`. Applied in this order. An
 * update carries the fields the row changes and the contact's values after it; `frees`: it gives
 * up an e-mail or phone that a later row may take.
 */
export type PlanOp =
  | { kind: "create"; target: number; data: ContactValues }
  | { kind: "update"; target: number; data: Partial<ContactValues>; after: ContactValues; frees: boolean };

interface Target extends ContactValues {
  /** The stored contact's id; null for a contact this file creates. */
  id: string | null;
  /** The first row that created or changed this contact. */
  firstRow: number | null;
}

export interface ImportPlan {
  mode: ContactImportConflictMode;
  rows: ContactImportRowResult[];
  ops: PlanOp[];
  /** Stored ids of the targets (null: created by the plan). */
  targetIds: (string | null)[];
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** A digest of the mode and the rows' outcomes: equal plans have equal ids. */
  planId: string;
}

type Field = "name" | "email" | "phone";
const FIELDS: readonly Field[] = ["name", "email", "phone"];
const tagText = (tags: readonly string[]) => (tags.length > 0 ? tags.join(", ") : null);

/**
 * The plan for `rows` (normalised, in file order) against `stored` (the workspace's contacts
 * with any of the rows' e-mails or phones). `canUpdate` says whether a stored contact may be
 * merged into (the caller's ability on that row).
 */
/** Issue 50: a row naming a person erased on request is refused, never imported. */
export const ERASED_ON_REQUEST =
  "Erased on request: this person asked for their data to be erased, so an import does not add them again.";

/**
 * `erased` (issue 50): which of a new row's e-mail or phone is an erasure tombstone, or null. Such
 * a row would bring back a person who asked to be forgotten: it is refused (an ERROR row saying
 * so). A contact that exists again (the person came back through the public form) is matched as
 * usual.
 */
export function planContactImport(
  rows: readonly NormalisedRow[],
  stored: readonly ContactRow[],
  mode: ContactImportConflictMode,
  canUpdate: (contact: ContactRow) => boolean,
  erased: (row: { email: string | null; phone: string | null }) => "email" | "phone" | null = () => null,
): ImportPlan {
  const targets: Target[] = [];
  const storedRows: (ContactRow | null)[] = [];
  const byEmail = new Map<string, number>();
  const byPhone = new Map<string, number>();
  const register = (t: Target, row: ContactRow | null) => {
    const index = targets.push(t) - 1;
    storedRows.push(row);
    if (t.email) byEmail.set(t.email, index);
    if (t.phone) byPhone.set(t.phone, index);
    return index;
  };
  for (const c of stored)
    register({ id: c.id, name: c.name, email: c.email, phone: c.phone, tags: [...c.tags], firstRow: null }, c);

  const ops: PlanOp[] = [];
  const results: ContactImportRowResult[] = [];
  for (const [index, row] of rows.entries()) {
    const refuse = (field: string, error: string): ContactImportRowResult => ({
      row: index,
      action: ContactImportAction.ERROR,
      ...row.raw,
      tags: [],
      error,
      field,
      matchedBy: null,
      duplicateOfRow: null,
      changes: [],
    });
    if (!row.ok) {
      results.push(refuse(row.field, row.error));
      continue;
    }
    const viaEmail = row.email ? byEmail.get(row.email) : undefined;
    const viaPhone = row.phone ? byPhone.get(row.phone) : undefined;
    if (viaEmail !== undefined && viaPhone !== undefined && viaEmail !== viaPhone) {
      results.push(refuse("phone", "The e-mail and the phone number belong to two different contacts."));
      continue;
    }
    const at = viaEmail ?? viaPhone;
    const values = { name: row.name, email: row.email, phone: row.phone, tags: row.tags };

    if (at === undefined) {
      const tombstone = erased(row);
      if (tombstone) {
        results.push(refuse(tombstone, ERASED_ON_REQUEST));
        continue;
      }
      if (!row.name) {
        results.push(refuse("name", "A new contact needs a name."));
        continue;
      }
      const data = { name: row.name, email: row.email, phone: row.phone, tags: row.tags };
      const target = register({ ...data, tags: [...data.tags], id: null, firstRow: index }, null);
      ops.push({ kind: "create", target, data });
      results.push({
        row: index,
        action: ContactImportAction.CREATED,
        ...data,
        tags: [...data.tags],
        error: null,
        field: null,
        matchedBy: null,
        duplicateOfRow: null,
        changes: [],
      });
      continue;
    }

    const target = targets[at]!;
    const storedRow = storedRows[at];
    // Merging into a stored contact is an update of that row: checked on the row itself.
    if (storedRow && !canUpdate(storedRow)) {
      results.push(refuse("email", "You cannot change the existing contact with this e-mail address or phone number."));
      continue;
    }
    const matchedBy = viaEmail !== undefined ? "email" : "phone";
    const changes: ContactImportFieldChange[] = [];
    const patch: Partial<ContactValues> = {};
    let conflicts = false;
    for (const field of FIELDS) {
      const incoming = row[field];
      const current = target[field];
      if (incoming === null || incoming === current) continue;
      if (current === null) {
        changes.push({ field, kind: ContactImportChangeKind.ADDED, stored: null, incoming });
        patch[field] = incoming;
        continue;
      }
      conflicts = true;
      if (mode === ContactImportConflictMode.OVERWRITE) {
        changes.push({ field, kind: ContactImportChangeKind.REPLACED, stored: current, incoming });
        patch[field] = incoming;
      } else {
        changes.push({ field, kind: ContactImportChangeKind.IGNORED, stored: current, incoming });
      }
    }
    const newTags = row.tags.filter((t) => !target.tags.includes(t));
    if (newTags.length > 0) {
      const fit = newTags.slice(0, Math.max(0, MAX_TAGS - target.tags.length));
      const over = newTags.slice(fit.length);
      if (fit.length > 0) {
        changes.push({
          field: "tags",
          kind: ContactImportChangeKind.ADDED,
          stored: tagText(target.tags),
          incoming: tagText(fit),
        });
        patch.tags = [...target.tags, ...fit];
      }
      if (over.length > 0)
        changes.push({
          field: "tags",
          kind: ContactImportChangeKind.IGNORED,
          stored: tagText(target.tags),
          incoming: tagText(over),
        });
    }
    const duplicateOfRow = target.firstRow;

    if (conflicts && mode === ContactImportConflictMode.SKIP) {
      // Nothing of the row is used; what it would have changed is listed.
      results.push({
        row: index,
        action: ContactImportAction.SKIPPED,
        ...values,
        tags: [...values.tags],
        error: null,
        field: null,
        matchedBy,
        duplicateOfRow,
        changes: changes.map((c) => ({ ...c, kind: ContactImportChangeKind.IGNORED })),
      });
      continue;
    }
    if (Object.keys(patch).length > 0) {
      // Keep the lookups in step: a replaced e-mail or phone frees the old one for later rows.
      if (patch.email !== undefined) {
        if (target.email) byEmail.delete(target.email);
        if (patch.email) byEmail.set(patch.email, at);
      }
      if (patch.phone !== undefined) {
        if (target.phone) byPhone.delete(target.phone);
        if (patch.phone) byPhone.set(patch.phone, at);
      }
      const frees =
        (patch.email !== undefined && target.email !== null) || (patch.phone !== undefined && target.phone !== null);
      Object.assign(target, patch, patch.tags ? { tags: [...patch.tags] } : {});
      ops.push({
        kind: "update",
        target: at,
        data: patch,
        after: { name: target.name, email: target.email, phone: target.phone, tags: [...target.tags] },
        frees,
      });
    }
    target.firstRow ??= index;
    results.push({
      row: index,
      action: ContactImportAction.UPDATED,
      name: target.name,
      email: target.email,
      phone: target.phone,
      tags: [...target.tags],
      error: null,
      field: null,
      matchedBy,
      duplicateOfRow,
      changes,
    });
  }

  const count = (action: ContactImportAction) => results.filter((r) => r.action === action).length;
  return {
    mode,
    rows: results,
    ops,
    targetIds: targets.map((t) => t.id),
    created: count(ContactImportAction.CREATED),
    updated: count(ContactImportAction.UPDATED),
    skipped: count(ContactImportAction.SKIPPED),
    failed: count(ContactImportAction.ERROR),
    planId: createHash("sha256")
      .update(JSON.stringify({ mode, rows: results }))
      .digest("base64url")
      .slice(0, 32),
  };
}
