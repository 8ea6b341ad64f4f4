// The only code that reads the audit hash chain's own tables (issue 50, decision 0053): the rows as
// `chain.ts` hashes them, the head, and the signed checkpoints. The chain columns are written only
// by the database (trigger `audit_seal`); checkpoints are written here, by the checkpoint job.
import { Prisma, type SystemClient, type TenantTx } from "@atrium/db";

import type { ChainCheckpoint, ChainRow } from "../../platform/audit/chain.ts";

/** Either client: the CLI and platform jobs read as the system client, naming the workspace; requests through the tenant one. */
type Reader = Pick<TenantTx, "$queryRaw"> | Pick<SystemClient, "$queryRaw">;
export type ChainReader = Reader;

interface RawRow extends Omit<ChainRow, "seq"> {
  seq: bigint;
}

/** Rows in chain order as `chain.ts` hashes them (times formatted as the trigger formats them). */
const ROW_SELECT = Prisma.sql`SELECT workspace_id::text, id::text, seq, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash,
    actor_user_id::text, actor_membership_id::text, actor_api_key_id::text, action, target_type, target_id, data, ip, user_agent, request_id,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
  FROM audit_events`;

const toRow = (r: RawRow): ChainRow => ({ ...r, seq: Number(r.seq) });

export interface ChainHead {
  seq: number;
  hash: string;
  anchorSeq: number;
  anchorHash: string;
}

export const auditChainRepository = {
  /** The workspace's rows with seq in (afterSeq, throughSeq], in chain order, at most `limit`. */
  async rows(
    db: Reader,
    workspaceId: string,
    opts: { afterSeq?: number; throughSeq?: number; limit?: number } = {},
  ): Promise<ChainRow[]> {
    const rows = await db.$queryRaw<RawRow[]>`${ROW_SELECT}
      WHERE workspace_id = ${workspaceId}::uuid AND seq > ${opts.afterSeq ?? 0}
        ${opts.throughSeq === undefined ? Prisma.empty : Prisma.sql`AND seq <= ${opts.throughSeq}`}
      ORDER BY seq ${opts.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${opts.limit}`}`;
    return rows.map(toRow);
  },

  async head(db: Reader, workspaceId: string): Promise<ChainHead | null> {
    const [h] = await db.$queryRaw<{ seq: bigint; hash: string; anchor_seq: bigint; anchor_hash: string }[]>`
      SELECT seq, encode(hash, 'hex') AS hash, anchor_seq, encode(anchor_hash, 'hex') AS anchor_hash FROM audit_chain_heads WHERE workspace_id = ${workspaceId}::uuid`;
    return h ? { seq: Number(h.seq), hash: h.hash, anchorSeq: Number(h.anchor_seq), anchorHash: h.anchor_hash } : null;
  },

  /** Checkpoints newest first (at most `limit`), or all oldest first. */
  async checkpoints(
    db: Reader,
    workspaceId: string,
    opts: { newestFirst?: boolean; limit?: number } = {},
  ): Promise<ChainCheckpoint[]> {
    const rows = await db.$queryRaw<(Omit<ChainCheckpoint, "seq"> & { seq: bigint })[]>`
      SELECT workspace_id::text, seq, encode(hash, 'hex') AS hash, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at,
             key_id, translate(encode(signature, 'base64'), E'+/=\\n', '-_') AS signature
      FROM audit_checkpoints WHERE workspace_id = ${workspaceId}::uuid
      ORDER BY seq ${opts.newestFirst ? Prisma.sql`DESC` : Prisma.sql`ASC`} ${opts.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${opts.limit}`}`;
    return rows.map((c) => ({ ...c, seq: Number(c.seq) }));
  },

  /** Workspaces whose head moved past their newest checkpoint (or past the anchor, when none): the checkpoint job's work. */
  async unsignedWorkspaces(db: Pick<SystemClient, "$queryRaw">): Promise<string[]> {
    const rows = await db.$queryRaw<{ workspace_id: string }[]>`
      SELECT h.workspace_id::text FROM audit_chain_heads h
      WHERE h.seq > greatest(h.anchor_seq, coalesce((SELECT max(c.seq) FROM audit_checkpoints c WHERE c.workspace_id = h.workspace_id), 0))
      ORDER BY h.workspace_id`;
    return rows.map((r) => r.workspace_id);
  },

  /** Writes a signed checkpoint; false when one already stands at that seq (another instance signed it). */
  async insertCheckpoint(db: Pick<SystemClient, "$executeRaw">, c: ChainCheckpoint): Promise<boolean> {
    const n = await db.$executeRaw`
      INSERT INTO audit_checkpoints (workspace_id, seq, hash, signed_at, key_id, signature)
      VALUES (${c.workspace_id}::uuid, ${c.seq}, decode(${c.hash}, 'hex'), ${c.signed_at}::timestamptz, ${c.key_id}, decode(${Buffer.from(c.signature, "base64url").toString("hex")}, 'hex'))
      ON CONFLICT (workspace_id, seq) DO NOTHING`;
    return n === 1;
  },
};
