// Issue 50: the one place an erasure touches the audit trail. Audit rows are append-only for the
// app role, so this runs as the schema owner (system client), always naming the workspace.
//
// Today: the person's e-mail, phone and contact/lead ids in an audit row's `data` (and a
// `target_id` naming their contact or lead) are replaced by "[erased]" in place; the row and what
// happened stay. When the audit trail becomes hash-chained, in-place edits break the chain: this
// function is where that switches to crypto-shredding (encrypt personal fields under a per-person
// key, erase = delete the key), and nothing else in the erasure needs to change.
import type { Db } from "@atrium/db";
import { privacyRepository as repo, type Subject } from "./privacy.repository.ts";

export async function eraseFromAudit(db: Db, workspaceId: string, subject: Subject): Promise<number> {
  const ids = await db.tenant({ workspaceId }, (tx) => repo.subjectIds(tx, workspaceId, subject));
  return repo.redactAudit(db.system, workspaceId, subject, ids);
}
