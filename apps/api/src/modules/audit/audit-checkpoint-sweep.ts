// Issue 50 (decision 0053): the audit checkpoint job, every AUDIT_CHECKPOINT_INTERVAL_SECONDS (a
// platform job: the system client lists the workspaces whose chain moved, across workspaces). For
// each, the rows since its newest checkpoint are verified (`checkSinceCheckpoint`: from the
// checkpoint's own row, whose hash must still be the one signed, or from the anchor); only if they
// hold is {workspace, seq, hash, signed_at} of the last row signed with the first key of
// AUDIT_SIGNING_KEYS and written to audit_checkpoints. A chain that does not hold is never signed:
// the job logs it at error level ("AUDIT CHAIN BROKEN"), its output (pgboss.job.output) lists it,
// and `auditChainStatus` finds it again with the same check, so the audit page shows it.
import type { Db } from "@atrium/db";

import { signCheckpoint, type AuditSigningKey } from "../../platform/audit/signing.ts";
import { auditChainRepository as repo } from "./audit-chain.repository.ts";
import { checkSinceCheckpoint } from "./audit-chain.service.ts";

export interface CheckpointSweepResult {
  workspaces: number;
  signed: number;
  /** Workspaces whose rows since their last checkpoint do not verify: not signed. */
  problems: { workspaceId: string; problem: string }[];
}

/** One run of the checkpoint job over every workspace whose chain moved. Signs nothing without a key. */
export async function runCheckpointSweep(deps: {
  db: Db;
  keys: readonly AuditSigningKey[];
  log: (msg: string, data?: object) => void;
  /** A chain that does not verify (default: `log`); the scheduler sends it to stderr at error level. */
  alarm?: (msg: string, data: object) => void;
}): Promise<CheckpointSweepResult> {
  const key = deps.keys[0];
  const result: CheckpointSweepResult = { workspaces: 0, signed: 0, problems: [] };
  if (!key) {
    deps.log("audit checkpoints: AUDIT_SIGNING_KEYS is not set, nothing is signed");
    return result;
  }
  for (const workspaceId of await repo.unsignedWorkspaces(deps.db.system)) {
    result.workspaces++;
    const check = await checkSinceCheckpoint(
      (fn) => deps.db.system.$transaction(fn, { isolationLevel: "RepeatableRead", timeout: 600_000 }),
      workspaceId,
    );
    if (check.problem !== null) {
      result.problems.push({ workspaceId, problem: check.problem });
      (deps.alarm ?? deps.log)("AUDIT CHAIN BROKEN: not signing a checkpoint", {
        workspaceId,
        problem: check.problem,
        lastCheckpointSeq: check.checkpoint?.seq ?? null,
      });
      continue;
    }
    if (!check.last) continue;
    // Milliseconds: the column's precision, and what the export prints.
    const signedAt = new Date().toISOString();
    const c = signCheckpoint(key, {
      workspace_id: workspaceId,
      seq: check.last.seq,
      hash: check.last.hash,
      signed_at: signedAt,
    });
    if (await repo.insertCheckpoint(deps.db.system, c)) result.signed++;
  }
  return result;
}
