// A1 key format: atr_<env>_<id>_<secret><checksum>
//   env       dev | stg | live (the workspace's environment at creation)
//   id        43 base62 chars: workspace uuid + key uuid (32 bytes) — the key names its tenant,
//             so it is resolved inside that workspace's RLS context, never by a global scan
//   secret    32 base62 chars (~190 bits); only its SHA-256 is stored
//   checksum  6 base62 chars of CRC32 over everything before it, so secret scanners (and we)
//             reject a mistyped or mutated key without touching the database.
import { crc32 as zlibCrc32 } from "node:zlib";
import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../platform/crypto/digest.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LEN = 43;
const SECRET_LEN = 32;
const CHECKSUM_LEN = 6;
export const API_KEY_ENVS = { DEVELOPMENT: "dev", STAGING: "stg", PRODUCTION: "live" } as const;
const KEY_RE = new RegExp(`^atr_(dev|stg|live)_([0-9A-Za-z]{${ID_LEN}})_([0-9A-Za-z]{${SECRET_LEN}})([0-9A-Za-z]{${CHECKSUM_LEN}})$`);

function toBase62(bytes: Uint8Array, width: number): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(width, "0");
}

function fromBase62(s: string, byteLength: number): Uint8Array | null {
  let n = 0n;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    n = n * 62n + BigInt(v);
  }
  if (n >> BigInt(byteLength * 8) !== 0n) return null;
  const out = new Uint8Array(byteLength);
  for (let i = byteLength - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** CRC-32 (IEEE) of the UTF-8 bytes: Node's own (node:zlib). */
export const crc32 = (s: string): number => zlibCrc32(Buffer.from(s, "utf8"));

const checksum = (body: string) => toBase62(new Uint8Array(new Uint32Array([crc32(body)]).buffer).reverse(), CHECKSUM_LEN);

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");
function bytesToUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const hashApiKeySecret = (secret: string) => sha256Hex(secret);

export function generateApiKey(env: keyof typeof API_KEY_ENVS, workspaceId: string, keyId: string): { key: string; secretHash: string } {
  const id = toBase62(Buffer.concat([uuidBytes(workspaceId), uuidBytes(keyId)]), ID_LEN);
  let secret = "";
  while (secret.length < SECRET_LEN) {
    for (const b of randomBytes(SECRET_LEN * 2)) if (b < 248 && secret.length < SECRET_LEN) secret += ALPHABET[b % 62]; // no modulo bias
  }
  const body = `atr_${API_KEY_ENVS[env]}_${id}_${secret}`;
  return { key: body + checksum(body), secretHash: hashApiKeySecret(secret) };
}

export interface ParsedApiKey {
  env: string;
  workspaceId: string;
  keyId: string;
  secret: string;
}

/** Pure: a malformed or mutated key is null, decided without any I/O. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const m = KEY_RE.exec(key);
  if (!m) return null;
  const [, env, id, secret, sum] = m as unknown as [string, string, string, string, string];
  if (checksum(`atr_${env}_${id}_${secret}`) !== sum) return null;
  const bytes = fromBase62(id, 32);
  if (!bytes) return null;
  return { env, workspaceId: bytesToUuid(bytes.subarray(0, 16)), keyId: bytesToUuid(bytes.subarray(16)), secret };
}

/** Shown in lists: enough to recognise a key, nothing that authenticates. */
export const apiKeyDisplayPrefix = (env: string, workspaceId: string, keyId: string) =>
  `atr_${env}_${toBase62(Buffer.concat([uuidBytes(workspaceId), uuidBytes(keyId)]), ID_LEN).slice(0, 8)}…`;
