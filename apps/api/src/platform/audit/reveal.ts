// Reading audit rows people can understand (issue 50, decision 0053): personal data inside a row
// is stored encrypted under its subject's key ("pii:v1:<key id>:<base64 iv + AES-256-CBC>", by the
// trigger `audit_seal`). `revealAudit` decrypts what the page, the stream or an export shows; a
// value whose key an erasure destroyed reads "[erased]". One statement per page, none when the
// page holds no personal data.
import { createDecipheriv } from "node:crypto";

import type { TenantTx } from "@atrium/db";

export const ERASED = "[erased]";
const SEALED = /^pii:v1:([0-9a-f-]{36}):([A-Za-z0-9+/=]+)$/;

export interface RevealableRow {
  data: unknown;
  ip?: string | null;
  userAgent?: string | null;
}

function collect(value: unknown, ids: Set<string>): void {
  if (typeof value === "string") {
    const m = SEALED.exec(value);
    if (m) ids.add(m[1]!);
  } else if (Array.isArray(value)) for (const v of value) collect(v, ids);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collect(v, ids);
}

function open(value: string, keys: ReadonlyMap<string, Buffer>): string {
  const m = SEALED.exec(value);
  if (!m) return value;
  const key = keys.get(m[1]!);
  if (!key) return ERASED;
  try {
    const bytes = Buffer.from(m[2]!, "base64");
    const decipher = createDecipheriv("aes-256-cbc", key, bytes.subarray(0, 16));
    return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString("utf8");
  } catch {
    return ERASED;
  }
}

function openDeep(value: unknown, keys: ReadonlyMap<string, Buffer>): unknown {
  if (typeof value === "string") return open(value, keys);
  if (Array.isArray(value)) return value.map((v) => openDeep(v, keys));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, openDeep(v, keys)]));
  return value;
}

/** The key ids of the sealed values in `rows`. */
function sealedKeyIds(rows: readonly RevealableRow[]): Set<string> {
  const ids = new Set<string>();
  for (const r of rows) {
    collect(r.data, ids);
    collect(r.ip, ids);
    collect(r.userAgent, ids);
  }
  return ids;
}

/** Whether any row holds a sealed value (no statement needed when none does). */
export function hasSealed(rows: readonly RevealableRow[]): boolean {
  return sealedKeyIds(rows).size > 0;
}

/** The keys of the sealed values in `rows` (one statement), or none when nothing is sealed. */
async function keysOf(
  tx: Pick<TenantTx, "$queryRaw">,
  workspaceId: string,
  rows: readonly RevealableRow[],
): Promise<Map<string, Buffer> | null> {
  const ids = sealedKeyIds(rows);
  if (ids.size === 0) return null;
  const found = await tx.$queryRaw<{ id: string; key: Buffer | Uint8Array }[]>`
    SELECT id::text, key FROM audit_subject_keys WHERE workspace_id = ${workspaceId}::uuid AND id = ANY(${[...ids]}::uuid[])`;
  return new Map(found.map((k) => [k.id, Buffer.from(k.key)]));
}

/** `rows` with their personal data readable again (or "[erased]"); the same objects when nothing is sealed. */
export async function revealAudit<T extends RevealableRow>(
  tx: Pick<TenantTx, "$queryRaw">,
  workspaceId: string,
  rows: readonly T[],
): Promise<T[]> {
  const keys = await keysOf(tx, workspaceId, rows);
  if (!keys) return [...rows];
  return rows.map((r) => ({
    ...r,
    data: openDeep(r.data, keys),
    ...(r.ip !== undefined ? { ip: r.ip === null ? null : open(r.ip, keys) } : {}),
    ...(r.userAgent !== undefined ? { userAgent: r.userAgent === null ? null : open(r.userAgent, keys) } : {}),
  }));
}
