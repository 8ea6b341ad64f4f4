// A1 key format: atr_<env>_<id>_<secret><checksum>
//   env       dev | stg | live (the workspace's environment at creation)
//   id        43 base62 chars: workspace uuid + key uuid (32 bytes) — the key names its tenant,
//             so it is resolved inside that workspace's RLS context, never by a global scan
//   secret    32 base62 chars (~190 bits); only its SHA-256 is stored
//   checksum  6 base62 chars of CRC32 over everything before it, so secret scanners (and we)
//             reject a mistyped or mutated key without touching the database.
import { randomBytes } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";

import { BoundedMap } from "../../platform/bounded-map.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LEN = 43;
const SECRET_LEN = 32;
const CHECKSUM_LEN = 6;
export const API_KEY_ENVS = { DEVELOPMENT: "dev", STAGING: "stg", PRODUCTION: "live" } as const;
const KEY_RE = new RegExp(
  `^atr_(dev|stg|live)_([0-9A-Za-z]{${ID_LEN}})_([0-9A-Za-z]{${SECRET_LEN}})([0-9A-Za-z]{${CHECKSUM_LEN}})$`,
);

/**
 * Base 62 of a big-endian number of `bytes.length` bytes, left-padded to `width` digits. Schoolbook
 * division of a byte array by 62 in plain numbers (each step's remainder * 256 + byte < 2^14):
 * a BigInt loop costs ~4 µs of every key-authenticated request; the test checks both give the same
 * digits.
 */
export function toBase62(bytes: Uint8Array, width: number): string {
  const digits = Array.from(bytes);
  let out = "";
  let start = 0;
  while (start < digits.length) {
    let rem = 0;
    for (let i = start; i < digits.length; i++) {
      const acc = rem * 256 + digits[i]!;
      digits[i] = Math.floor(acc / 62);
      rem = acc % 62;
    }
    out = ALPHABET[rem]! + out;
    while (start < digits.length && digits[start] === 0) start++;
  }
  return out.padStart(width, "0");
}

/** Digit values of ALPHABET by char code (-1: not a base-62 digit). */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

const LIMB = 0x1_0000_0000;
/** Digits `fromBase62` takes at once: a 32-bit limb times 62^3 (< 2^18), plus the carry, stays below 2^53. */
const DIGITS_AT_ONCE = 3;

/**
 * `s` in base 62 as `byteLength` big-endian bytes; null when a character is no digit or the
 * number does not fit. Multiply-and-add on 32-bit limbs, three digits at a time: 120 steps for a
 * key's 43-digit id, where the byte-at-a-time loop it replaced took 1,376 and was most of a key's
 * parse. The test checks it against the BigInt reference.
 */
export function fromBase62(s: string, byteLength: number): Uint8Array | null {
  const size = Math.ceil(byteLength / 4);
  // limbs[0]: the least significant 32 bits.
  const limbs = new Uint32Array(size);
  for (let k = 0; k < s.length; k += DIGITS_AT_ONCE) {
    let scale = 1;
    let carry = 0;
    for (let j = k; j < k + DIGITS_AT_ONCE && j < s.length; j++) {
      const code = s.charCodeAt(j);
      const v = code < 128 ? DIGIT[code]! : -1;
      if (v < 0) return null;
      carry = carry * 62 + v;
      scale *= 62;
    }
    for (let i = 0; i < size; i++) {
      const acc = limbs[i]! * scale + carry;
      // Division and floor, not `%`: a floating-point remainder is a call into C on every step.
      carry = Math.floor(acc / LIMB);
      limbs[i] = acc - carry * LIMB;
    }
    // The number only grows with each digit: once past the limbs, it never fits.
    if (carry !== 0) return null;
  }
  // The top limb's bytes beyond `byteLength` must be zero.
  const topBits = 8 * (byteLength - 4 * (size - 1));
  if (size > 0 && topBits < 32 && limbs[size - 1]! >= 2 ** topBits) return null;
  const out = new Uint8Array(byteLength);
  for (let b = 0; b < byteLength; b++) {
    const fromEnd = byteLength - 1 - b;
    out[b] = (limbs[fromEnd >> 2]! >>> (8 * (fromEnd & 3))) & 0xff;
  }
  return out;
}

/** CRC-32 (IEEE) of the UTF-8 bytes: Node's own (node:zlib, which encodes a string itself). */
export const crc32 = (s: string): number => zlibCrc32(s);

/** The CRC-32 in base 62, 6 digits (62^6 > 2^32): the digits of its 4 big-endian bytes, taken from the number itself. */
function checksum(body: string): string {
  let n = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_LEN; i++) {
    out = ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out;
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");
/** Two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
/** 16 bytes as a UUID's text: each byte's digits from a table, no buffer copied and sliced. */
function bytesToUuid(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += "-";
    out += HEX[b[i]!]!;
  }
  return out;
}

export const hashApiKeySecret = (secret: string) => sha256Hex(secret);

export function generateApiKey(
  env: keyof typeof API_KEY_ENVS,
  workspaceId: string,
  keyId: string,
): { key: string; secretHash: string } {
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

/**
 * A presented key, parsed, with its secret's SHA-256 (what the stored digest is compared with)
 * instead of the secret itself: shared by the requests that present the key, so read-only.
 */
export interface PresentedApiKey extends Readonly<Omit<ParsedApiKey, "secret">> {
  readonly secretHash: string;
  /** The principal cache's key for it: `${workspaceId}/${keyId}`. */
  readonly cacheKey: string;
}

export interface PresentedKeys {
  /** `parseApiKey` with the secret's SHA-256, for a key presented again remembered (null: malformed, never remembered). */
  (token: string): PresentedApiKey | null;
  readonly size: number;
}

/**
 * Every key-authenticated request parsed its key (regex, CRC-32, base 62) and hashed its secret
 * again, ~10 µs and 2 KB of garbage a request for a pure function of the header. This remembers the
 * answer per presented key: at most `max` keys, each for `ttlMs`, the oldest forgotten first. The
 * secret itself is not kept, only its digest (the key, as the map's key, stays in memory as long as
 * its entry). Nothing else is remembered: whether the key exists, its secret matches the stored
 * digest, and it is revoked, expired or rate-limited are checked on every request as before. A
 * malformed key is not remembered, so garbage cannot fill it; well-formed keys (anyone can compute
 * a checksum) can only push others out, which costs a parse again.
 */
export function presentedKeys({
  max = 1024,
  ttlMs = 5 * 60_000,
  now = Date.now,
}: { max?: number; ttlMs?: number; now?: () => number } = {}): PresentedKeys {
  const memo = new BoundedMap<string, PresentedApiKey>({ max, ttlMs, now });
  const presented = (token: string): PresentedApiKey | null => {
    const hit = memo.get(token);
    if (hit) return hit;
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const key: PresentedApiKey = Object.freeze({
      env: parsed.env,
      workspaceId: parsed.workspaceId,
      keyId: parsed.keyId,
      secretHash: hashApiKeySecret(parsed.secret),
      cacheKey: `${parsed.workspaceId}/${parsed.keyId}`,
    });
    memo.set(token, key); // the newest entry (one whose time was over takes the newest place)
    return key;
  };
  return Object.defineProperty(presented, "size", { get: () => memo.size }) as PresentedKeys;
}

/** Shown in lists: enough to recognise a key, nothing that authenticates. */
export const apiKeyDisplayPrefix = (env: string, workspaceId: string, keyId: string) =>
  `atr_${env}_${toBase62(Buffer.concat([uuidBytes(workspaceId), uuidBytes(keyId)]), ID_LEN).slice(0, 8)}…`;
