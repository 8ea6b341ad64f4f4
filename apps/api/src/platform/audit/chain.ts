// The audit hash chain as anyone can check it offline (issue 50, decision 0053): the canonical
// form of a row, its hash, the signed checkpoints, the export file and its verification. Nothing
// here reads the database; `pnpm atrium audit verify` runs it on an export and a public key.
//
// A row's hash is SHA-256(prev_hash || RFC 8785 canonical JSON of every column except seq,
// prev_hash and hash). The database computes it (the BEFORE INSERT trigger `audit_seal`); this
// module recomputes it. seq is outside the hash on purpose: the links order the rows, so a row
// moved, inserted or deleted shows as a broken link (named as such) and an edited one as a hash
// that no longer matches its content.
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";

export const CHAIN_FORMAT = "atrium-audit-chain/1";
export const GENESIS_HASH = "0".repeat(64);

/** One audit row as exported: the database's columns, hashes in lowercase hex, time as ISO 8601 UTC with milliseconds. */
export interface ChainRow {
  workspace_id: string;
  id: string;
  seq: number;
  prev_hash: string;
  hash: string;
  actor_user_id: string | null;
  actor_membership_id: string | null;
  actor_api_key_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  data: unknown;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: string;
}

/** The platform's Ed25519 signature over where a workspace's chain stood. */
export interface ChainCheckpoint {
  workspace_id: string;
  seq: number;
  hash: string;
  signed_at: string;
  key_id: string;
  /** base64url */
  signature: string;
}

export interface ChainExport {
  format: typeof CHAIN_FORMAT;
  workspace_id: string;
  exported_at: string;
  /** Where the chain starts: the genesis (0, zeros) or the last row a retention cut removed. */
  anchor: { seq: number; hash: string };
  rows: ChainRow[];
  checkpoints: ChainCheckpoint[];
}

/** RFC 8785 (JSON Canonicalization Scheme): ECMAScript serialisation of primitives, object keys sorted by UTF-16 code units. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new TypeError("canonical JSON has no NaN or Infinity");
    if (value === undefined) throw new TypeError("canonical JSON has no undefined");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** What a row's hash covers: every column except the chain's own. */
export function rowContent(r: ChainRow): Record<string, unknown> {
  const { seq: _seq, prev_hash: _prev, hash: _hash, ...content } = r;
  return content;
}

export function rowHash(prevHashHex: string, r: ChainRow): string {
  return createHash("sha256")
    .update(Buffer.from(prevHashHex, "hex"))
    .update(canonicalJson(rowContent(r)), "utf8")
    .digest("hex");
}

/** The bytes a checkpoint's signature covers. */
export function checkpointPayload(c: Pick<ChainCheckpoint, "workspace_id" | "seq" | "hash" | "signed_at">): Buffer {
  return Buffer.from(
    canonicalJson({ workspace_id: c.workspace_id, seq: c.seq, hash: c.hash, signed_at: c.signed_at }),
    "utf8",
  );
}

/** Whether `key` signed the checkpoint (Ed25519 over `checkpointPayload`). */
export function checkpointSignedBy(c: ChainCheckpoint, key: KeyObject): boolean {
  return verifySignature(null, checkpointPayload(c), key, Buffer.from(c.signature, "base64url"));
}

export type ChainProblemKind = "edited" | "deleted" | "inserted" | "reordered" | "foreign" | "checkpoint";

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first bad row's position in the chain (for "deleted": the first missing one). */
  seq: number;
  /** The row's id, when the problem is a row present in the export. */
  id: string | null;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  rows: number;
  /** The newest checkpoint that matches the chain and whose signature verifies. */
  verifiedThrough: { seq: number; signedAt: string; keyId: string } | null;
  /** Rows after the newest verified checkpoint: linked, but not yet signed. */
  unsignedRows: number;
  problem: ChainProblem | null;
}

/** The public keys a verification accepts: by key id, or any key when the export's id is not listed. */
export type PublicKeys = ReadonlyMap<string, KeyObject> | readonly KeyObject[];

function keysFor(keys: PublicKeys, keyId: string): KeyObject[] {
  if (Array.isArray(keys)) return [...(keys as readonly KeyObject[])];
  const map = keys as ReadonlyMap<string, KeyObject>;
  const k = map.get(keyId);
  return k ? [k] : [];
}

/**
 * Walks the export in file order and names the first row that does not hold: its content no
 * longer matches its hash (edited), its link points at a row that is missing (deleted), at a row
 * further down (reordered), or past rows that should not be there (inserted). Then checks every
 * checkpoint against the chain and its signature.
 */
export function verifyChain(exp: ChainExport, keys: PublicKeys): ChainVerification {
  const rows = exp.rows;
  const byHash = new Map<string, number>();
  rows.forEach((r, i) => byHash.set(r.hash, i));
  const fail = (problem: ChainProblem): ChainVerification => ({
    ok: false,
    rows: rows.length,
    verifiedThrough: null,
    unsignedRows: 0,
    problem,
  });
  let prev = exp.anchor.hash;
  let nextSeq = exp.anchor.seq + 1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.workspace_id !== exp.workspace_id)
      return fail({
        kind: "foreign",
        seq: r.seq,
        id: r.id,
        message: `row ${r.id} at seq ${r.seq} belongs to workspace ${r.workspace_id}, not ${exp.workspace_id}`,
      });
    if (r.prev_hash !== prev) {
      const j = byHash.get(r.prev_hash);
      if (j === undefined) {
        if (r.seq > nextSeq)
          return fail({
            kind: "deleted",
            seq: nextSeq,
            id: null,
            message: `rows ${nextSeq}${r.seq - 1 > nextSeq ? `–${r.seq - 1}` : ""} were deleted: row ${r.id} at seq ${r.seq} links to a row that is not in the log`,
          });
        const before = rows[i - 1];
        if (before)
          return fail({
            kind: "edited",
            seq: before.seq,
            id: before.id,
            message: `row ${before.id} at seq ${before.seq} was edited and its hash recomputed: the row after it links to the hash it had`,
          });
        return fail({
          kind: "inserted",
          seq: r.seq,
          id: r.id,
          message: `row ${r.id} at seq ${r.seq} was inserted: it links to no row of the log`,
        });
      }
      if (j > i)
        return fail({
          kind: "reordered",
          seq: r.seq,
          id: r.id,
          message: `row ${r.id} at seq ${r.seq} was moved: it follows row ${rows[j]!.id} (seq ${rows[j]!.seq}), which comes after it`,
        });
      const first = rows[j + 1]!;
      return fail({
        kind: "inserted",
        seq: first.seq,
        id: first.id,
        message: `row ${first.id} at seq ${first.seq} was inserted: row ${r.id} at seq ${r.seq} follows row ${rows[j]!.id} (seq ${rows[j]!.seq}) directly`,
      });
    }
    if (rowHash(r.prev_hash, r) !== r.hash)
      return fail({
        kind: "edited",
        seq: r.seq,
        id: r.id,
        message: `row ${r.id} at seq ${r.seq} was edited: its content no longer matches its hash`,
      });
    if (r.seq !== nextSeq)
      return fail({
        kind: "reordered",
        seq: r.seq,
        id: r.id,
        message: `row ${r.id} was renumbered: it is the chain's row ${nextSeq} but says seq ${r.seq}`,
      });
    prev = r.hash;
    nextSeq = r.seq + 1;
  }
  const hashAt = new Map<number, string>([
    [exp.anchor.seq, exp.anchor.hash],
    ...rows.map((r) => [r.seq, r.hash] as const),
  ]);
  let verifiedThrough: ChainVerification["verifiedThrough"] = null;
  for (const c of [...exp.checkpoints].sort((a, b) => a.seq - b.seq)) {
    const at = hashAt.get(c.seq);
    const bad = (message: string) => fail({ kind: "checkpoint", seq: c.seq, id: null, message });
    if (c.workspace_id !== exp.workspace_id) return bad(`the checkpoint at seq ${c.seq} is another workspace's`);
    const candidates = keysFor(keys, c.key_id);
    if (candidates.length === 0)
      return bad(`the checkpoint at seq ${c.seq} is signed with key "${c.key_id}", which was not given`);
    const signed = candidates.some((k) => checkpointSignedBy(c, k));
    if (!signed)
      return bad(
        `the checkpoint at seq ${c.seq} (signed ${c.signed_at}) has a signature that does not verify with key "${c.key_id}"`,
      );
    if (at === undefined) {
      if (c.seq < exp.anchor.seq) continue; // cut by retention before this export
      return bad(`the checkpoint at seq ${c.seq} names a row that is not in the log (deleted from the end?)`);
    }
    if (at !== c.hash)
      return bad(
        `the chain was rewritten: the checkpoint signed ${c.signed_at} says seq ${c.seq} has hash ${c.hash}, the log has ${at}`,
      );
    verifiedThrough = { seq: c.seq, signedAt: c.signed_at, keyId: c.key_id };
  }
  const last = rows.length > 0 ? rows[rows.length - 1]!.seq : exp.anchor.seq;
  return {
    ok: true,
    rows: rows.length,
    verifiedThrough,
    unsignedRows: last - (verifiedThrough?.seq ?? exp.anchor.seq),
    problem: null,
  };
}

/** The export as JSON Lines: a header, then one line per row, then one per checkpoint. */
export function exportToJsonLines(exp: ChainExport): string {
  const { rows, checkpoints, ...header } = exp;
  return (
    [
      JSON.stringify({ type: "header", ...header }),
      ...rows.map((r) => JSON.stringify({ type: "row", ...r })),
      ...checkpoints.map((c) => JSON.stringify({ type: "checkpoint", ...c })),
    ].join("\n") + "\n"
  );
}

export class ChainFileError extends Error {}

export function parseJsonLines(text: string): ChainExport {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const parsed = lines.map((l, i) => {
    try {
      return JSON.parse(l) as { type?: string } & Record<string, unknown>;
    } catch {
      throw new ChainFileError(`line ${i + 1} is not JSON`);
    }
  });
  const header = parsed[0];
  if (!header || header.type !== "header" || header.format !== CHAIN_FORMAT)
    throw new ChainFileError(`not an Atrium audit export: the first line must be a ${CHAIN_FORMAT} header`);
  const rows: ChainRow[] = [];
  const checkpoints: ChainCheckpoint[] = [];
  parsed.slice(1).forEach((p, i) => {
    const { type, ...rest } = p;
    if (type === "row") rows.push(rest as unknown as ChainRow);
    else if (type === "checkpoint") checkpoints.push(rest as unknown as ChainCheckpoint);
    else throw new ChainFileError(`line ${i + 2} is neither a row nor a checkpoint`);
  });
  const { type: _t, ...h } = header;
  return { ...(h as unknown as Omit<ChainExport, "rows" | "checkpoints">), rows, checkpoints };
}

/**
 * A public key as people pass it: a PEM, a JWK (JSON, `kty: "OKP"`, `crv: "Ed25519"`), a JWKS
 * (every key in it), or the raw 32-byte key in base64url/base64/hex.
 */
export function parsePublicKeys(text: string): Map<string, KeyObject> | KeyObject[] {
  const t = text.trim();
  if (t.startsWith("-----BEGIN")) return [createPublicKey(t)];
  if (t.startsWith("{")) {
    const json = JSON.parse(t) as { keys?: { kid?: string }[]; kid?: string };
    const jwks = json.keys ?? [json];
    const map = new Map<string, KeyObject>();
    jwks.forEach((jwk, i) => map.set(jwk.kid ?? `key-${i + 1}`, createPublicKey({ key: jwk as never, format: "jwk" })));
    return json.keys ? map : [...map.values()];
  }
  const raw = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64url");
  if (raw.length !== 32)
    throw new ChainFileError("the public key must be a PEM, a JWK or JWKS, or 32 bytes in base64url or hex");
  return [createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" })];
}
