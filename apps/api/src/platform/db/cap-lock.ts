// Per-workspace caps ("at most N rows of a kind") are count-then-insert: two transactions that
// count at once both see room, and under READ COMMITTED both insert. `lockCap` serialises them:
// a transaction-scoped advisory lock on (cap, workspace), taken in the tenant transaction before
// the count, so the next creator's count (a fresh snapshot) sees the previous one's committed row,
// and the loser of a race gets the very error the cap gives sequentially. Released at commit or
// rollback; it blocks only creators of the same kind in the same workspace.
import type { TenantTx } from "@atrium/db";

/** Holds the `cap` lock of `workspaceId` until the transaction ends. Call before counting. */
export async function lockCap(tx: TenantTx, cap: string, workspaceId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`cap:${cap}:${workspaceId}`}, 0))`;
}
