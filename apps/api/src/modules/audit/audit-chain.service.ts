// The audit hash chain's export (issue 50, decision 0053): everything `chain.ts` needs to verify a
// workspace's log offline, read as the system client in one repeatable-read snapshot so the rows,
// the anchor and the checkpoints agree with each other.
import type { Db } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import {
  CHAIN_FORMAT,
  checkpointSignedBy,
  GENESIS_HASH,
  verifyChain,
  type ChainCheckpoint,
  type ChainExport,
} from "../../platform/audit/chain.ts";
import { AUDIT_KEYS_PATH } from "../../platform/audit/signing.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { auditChainRepository as repo, type ChainHead, type ChainReader } from "./audit-chain.repository.ts";

const PAGE = 5_000;

export async function exportChain(db: Db, workspaceId: string): Promise<ChainExport> {
  return db.system.$transaction(
    async (tx) => {
      const head = await repo.head(tx, workspaceId);
      const anchor = head ? { seq: head.anchorSeq, hash: head.anchorHash } : { seq: 0, hash: GENESIS_HASH };
      const rows: ChainExport["rows"] = [];
      for (let after = anchor.seq; ; ) {
        const page = await repo.rows(tx, workspaceId, { afterSeq: after, limit: PAGE });
        rows.push(...page);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      const checkpoints = await repo.checkpoints(tx, workspaceId);
      return {
        format: CHAIN_FORMAT,
        workspace_id: workspaceId,
        exported_at: new Date().toISOString(),
        anchor,
        rows,
        checkpoints,
      };
    },
    { isolationLevel: "RepeatableRead", timeout: 600_000 },
  );
}

// ------------------------------------------------------------------ signed checkpoints
// The checkpoint job (audit-checkpoint-sweep.ts) signs where a chain stands only once the rows
// since its newest checkpoint pass `checkSinceCheckpoint`; `auditChainStatus` runs the same check.

/** Rows verified per statement and `verifyChain` call (the links carry across pages). */
const CHECK_PAGE = 5_000;

export interface SinceCheckpoint {
  head: ChainHead | null;
  /** The newest checkpoint (null: none since the anchor). */
  checkpoint: ChainCheckpoint | null;
  /** The last row checked: what a new checkpoint would sign (null: no row after the checkpoint). */
  last: { seq: number; hash: string } | null;
  /** Rows checked after the checkpoint (or the anchor). */
  checked: number;
  /** True when `limit` stopped the check before the head. */
  partial: boolean;
  /** The first thing that does not hold, in `verifyChain`'s words; null when the rows verify. */
  problem: string | null;
}

/** Runs `fn` in one transaction: the workspace's tenant one (a request), or the system client's (the job). */
export type ChainTransaction = <T>(fn: (tx: ChainReader) => Promise<T>) => Promise<T>;

/**
 * Verifies the rows after the newest checkpoint, starting from the checkpoint's own row (its hash
 * must be the one signed, its content must match it), or from the anchor when there is no
 * checkpoint; at most `limit` rows (`partial` says so). Rows are only ever appended, so reading
 * them page by page after the head is safe.
 */
export async function checkSinceCheckpoint(
  transaction: ChainTransaction,
  workspaceId: string,
  opts: { limit?: number } = {},
): Promise<SinceCheckpoint> {
  const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
  return transaction(async (tx) => {
    const head = await repo.head(tx, workspaceId);
    const [newest] = await repo.checkpoints(tx, workspaceId, { newestFirst: true, limit: 1 });
    const checkpoint = newest && head && newest.seq > head.anchorSeq ? newest : null;
    const result: SinceCheckpoint = { head, checkpoint, last: null, checked: 0, partial: false, problem: null };
    if (!head) return result;
    let anchor = { seq: head.anchorSeq, hash: head.anchorHash };
    if (checkpoint) {
      const [row] = await repo.rows(tx, workspaceId, { afterSeq: checkpoint.seq - 1, limit: 1 });
      if (!row || row.seq !== checkpoint.seq)
        return {
          ...result,
          problem: `the row at seq ${checkpoint.seq}, signed by the checkpoint of ${checkpoint.signed_at}, is not in the log (deleted?)`,
        };
      if (row.hash !== checkpoint.hash)
        return {
          ...result,
          problem: `the chain was rewritten: the checkpoint signed ${checkpoint.signed_at} says seq ${checkpoint.seq} has hash ${checkpoint.hash}, the log has ${row.hash}`,
        };
      // The checkpoint's row is checked too: its content must still match the hash that was signed.
      anchor = { seq: checkpoint.seq - 1, hash: row.prev_hash };
    }
    const base = checkpoint?.seq ?? head.anchorSeq;
    for (let fetched = 0; ; ) {
      const page = await repo.rows(tx, workspaceId, { afterSeq: anchor.seq, limit: CHECK_PAGE });
      if (page.length === 0) break;
      const v = verifyChain(
        { format: CHAIN_FORMAT, workspace_id: workspaceId, exported_at: "", anchor, rows: page, checkpoints: [] },
        [],
      );
      if (!v.ok) return { ...result, checked: Math.max(0, anchor.seq - base), problem: v.problem!.message };
      const tail = page[page.length - 1]!;
      anchor = { seq: tail.seq, hash: tail.hash };
      fetched += page.length;
      if (page.length < CHECK_PAGE) break;
      if (fetched >= limit) {
        result.partial = tail.seq < head.seq;
        break;
      }
    }
    result.checked = Math.max(0, anchor.seq - base);
    if (anchor.seq > base) result.last = anchor;
    return result;
  });
}

/** The status's fresh check reads at most this many rows after the newest checkpoint (the sweep reads them all). */
export const STATUS_CHECK_LIMIT = 10_000;

export interface AuditChainStatusView {
  rows: number;
  headSeq: number;
  verifiedThrough: { seq: number; signedAt: Date; keyId: string } | null;
  unsignedRows: number;
  problem: string | null;
  signing: boolean;
  publicKeysUrl: string;
}

export function createAuditChainService(deps: { db: Db; config: Pick<AppConfig, "publicUrl" | "auditChain"> }) {
  const { db, config } = deps;
  const publicKeys = new Map(config.auditChain.keys.map((k) => [k.kid, k.publicKey] as const));
  return {
    /**
     * Where the workspace's chain stands: the newest checkpoint (its signature checked with the
     * platform's keys) and a fresh check of the rows after it (at most STATUS_CHECK_LIMIT).
     */
    async status(access: WorkspaceAccess): Promise<AuditChainStatusView> {
      const check = await checkSinceCheckpoint((fn) => inWorkspace(db, access, fn), access.workspaceId, {
        limit: STATUS_CHECK_LIMIT,
      });
      const head = check.head ?? { seq: 0, hash: GENESIS_HASH, anchorSeq: 0, anchorHash: GENESIS_HASH };
      const c = check.checkpoint;
      let problem = check.problem;
      if (c && problem === null) {
        const key = publicKeys.get(c.key_id);
        if (!key)
          problem = `the newest checkpoint (seq ${c.seq}) is signed with key "${c.key_id}", which this server no longer publishes`;
        else if (!checkpointSignedBy(c, key))
          problem = `the newest checkpoint (seq ${c.seq}, signed ${c.signed_at}) has a signature that does not verify with key "${c.key_id}"`;
      }
      return {
        rows: head.seq - head.anchorSeq,
        headSeq: head.seq,
        verifiedThrough: c ? { seq: c.seq, signedAt: new Date(c.signed_at), keyId: c.key_id } : null,
        unsignedRows: head.seq - (c?.seq ?? head.anchorSeq),
        problem,
        signing: config.auditChain.keys.length > 0,
        publicKeysUrl: `${config.publicUrl}${AUDIT_KEYS_PATH}`,
      };
    },
  };
}

export type AuditChainService = ReturnType<typeof createAuditChainService>;
