// The audit hash chain's export (issue 50, decision 0053): everything `chain.ts` needs to verify a
// workspace's log offline, read as the system client in one repeatable-read snapshot so the rows,
// the anchor and the checkpoints agree with each other.
import type { Db } from "@atrium/db";
import { CHAIN_FORMAT, type ChainExport } from "../../platform/audit/chain.ts";
import { auditChainRepository as repo } from "./audit-chain.repository.ts";

const PAGE = 5_000;

export async function exportChain(db: Db, workspaceId: string): Promise<ChainExport> {
  return db.system.$transaction(
    async (tx) => {
      const head = await repo.head(tx, workspaceId);
      const anchor = head ? { seq: head.anchorSeq, hash: head.anchorHash } : { seq: 0, hash: "0".repeat(64) };
      const rows: ChainExport["rows"] = [];
      for (let after = anchor.seq; ; ) {
        const page = await repo.rows(tx, workspaceId, { afterSeq: after, limit: PAGE });
        rows.push(...page);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      const checkpoints = await repo.checkpoints(tx, workspaceId);
      return { format: CHAIN_FORMAT, workspace_id: workspaceId, exported_at: new Date().toISOString(), anchor, rows, checkpoints };
    },
    { isolationLevel: "RepeatableRead", timeout: 600_000 },
  );
}
