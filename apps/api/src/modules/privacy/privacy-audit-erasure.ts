// Issue 50: the one place an erasure touches the audit trail. Audit rows are append-only and
// hash-chained (decision 0053), so nothing in them changes: the person's values inside them were
// sealed under their own keys when written, and erasing destroys those keys (crypto-shredding) —
// the keys of their e-mail address, their phone number, and their contacts' and leads' ids (an
// anonymous sender's IP address and browser). Runs as the schema owner (system client), naming the
// workspace: the app role cannot delete keys. Returns the keys destroyed; a second run finds none.
import type { Db } from "@atrium/db";

import { asJob } from "../../platform/data.ts";
import { privacyRepository as repo, type Subject } from "./privacy.repository.ts";

export async function eraseFromAudit(db: Db, workspaceId: string, subject: Subject): Promise<number> {
  const ids = await asJob(db, { workspaceId }, (tx) => repo.subjectIds(tx, workspaceId, subject));
  return repo.shredAudit(db.system, workspaceId, subject, ids);
}
