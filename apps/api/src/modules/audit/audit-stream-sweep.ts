// Issue 50 (decision 0052): every minute, a pump for every enabled audit stream, across
// workspaces (a platform job: the system client lists the streams). The audit-stream queue keeps
// one queued run per workspace, so a stream whose chain is alive gains nothing; one whose chain
// was lost (its job's retries ran out while the database was away, say) starts again.
import type { Db } from "@atrium/db";

import { QUEUES, type JobQueue } from "../../platform/jobs/job-queue.ts";
import { auditStreamRepository as repo } from "./audit-stream.repository.ts";

/** One run of a stream's pump. */
export interface PumpJob {
  workspaceId: string;
}

/** Returns how many streams it looked at. */
export async function sweepAuditStreams(deps: { db: Db; jobs: JobQueue }): Promise<number> {
  const workspaces = await repo.enabledStreamWorkspaces(deps.db.system);
  for (const workspaceId of workspaces)
    await deps.jobs.send(QUEUES.auditStream, { workspaceId } satisfies PumpJob, { singletonKey: workspaceId });
  if (workspaces.length > 0) deps.jobs.notify(QUEUES.auditStream);
  return workspaces.length;
}
