// The daily digest's recipients (issue 47): members on the DAILY e-mail setting with unread
// notifications not yet e-mailed, across workspaces — found with the system client (like the
// month-start release of held sends); each is then mailed inside its own workspace's tenant
// transaction (operators.service.ts `sendDigests`).
import type { Db } from "@atrium/db";

import { operatorsRepository } from "./operators.repository.ts";

export function digestRecipients(db: Db): Promise<{ workspace_id: string; membership_id: string }[]> {
  return operatorsRepository.digestWorkspaces(db.system);
}
