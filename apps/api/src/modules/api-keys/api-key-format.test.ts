import { randomBytes, randomUUID } from "node:crypto";

import { describe, expect, it } from "@atrium/test-kit";

import {
  crc32,
  fromBase62,
  generateApiKey,
  hashApiKeySecret,
  parseApiKey,
  presentedKeys,
  toBase62,
} from "./api-key-format.ts";

// The BigInt base 62 the format was defined with: the reference the plain-number versions must
// agree with, digit for digit and byte for byte.
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function referenceToBase62(bytes: Uint8Array, width: number): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(width, "0");
}
function referenceFromBase62(s: string, byteLength: number): Uint8Array | null {
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

describe("API key format", () => {
  it("round-trips workspace id, key id and secret, and stores only the secret's hash", () => {
    const ws = randomUUID();
    const id = randomUUID();
    const { key, secretHash } = generateApiKey("PRODUCTION", ws, id);
    expect(key).toMatch(/^atr_live_[0-9A-Za-z]{43}_[0-9A-Za-z]{38}$/);
    const parsed = parseApiKey(key);
    expect(parsed).toMatchObject({ env: "live", workspaceId: ws, keyId: id });
    expect(hashApiKeySecret(parsed!.secret)).toBe(secretHash);
    expect(key).not.toContain(secretHash);
    // Ids of every shape, the all-zero and all-ones ones included.
    const ids = [
      randomUUID(),
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "00000000-0000-4000-8000-000000000001",
    ];
    for (let i = 0; i < 200; i++) ids.push(randomUUID());
    for (let i = 1; i < ids.length; i++) {
      const made = generateApiKey("STAGING", ids[i - 1]!, ids[i]!).key;
      expect(parseApiKey(made)).toMatchObject({ env: "stg", workspaceId: ids[i - 1], keyId: ids[i] });
      // The checksum: the CRC-32 of everything before it, as its 4 big-endian bytes in base 62.
      const crc = crc32(made.slice(0, -6));
      expect(made.slice(-6)).toBe(
        referenceToBase62(Uint8Array.of(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff), 6),
      );
    }
  });

  it("computes the standard CRC-32", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("rejects every single-character mutation of a valid key (checksum), without I/O", () => {
    const { key } = generateApiKey("DEVELOPMENT", randomUUID(), randomUUID());
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    let tried = 0;
    for (let i = 4; i < key.length; i++) {
      for (const ch of ["0", "z", "_", "A"]) {
        if (key[i] === ch || !alphabet.includes(ch)) continue;
        const mutated = key.slice(0, i) + ch + key.slice(i + 1);
        expect(parseApiKey(mutated), mutated).toBeNull();
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(300);
    for (const bad of ["", "atr_", "atr_prod_x_y", key.slice(0, -1), `${key}0`, key.toUpperCase(), `Bearer ${key}`])
      expect(parseApiKey(bad)).toBeNull();
  });

  it("encodes and decodes base 62 exactly as the BigInt reference, overflow and foreign characters included", () => {
    const cases: Uint8Array[] = [
      new Uint8Array(32),
      new Uint8Array(32).fill(0xff),
      new Uint8Array(4),
      new Uint8Array(4).fill(0xff),
      Uint8Array.of(0, 0, 0, 1),
      Uint8Array.of(0, 0, 1, 0),
    ];
    for (let i = 0; i < 500; i++) cases.push(randomBytes(i % 2 ? 32 : 4));
    // Leading zero bytes (a workspace id starting 00…).
    for (let i = 0; i < 50; i++) cases.push(Uint8Array.from([0, 0, ...randomBytes(30)]));
    for (const bytes of cases) {
      const width = bytes.length === 32 ? 43 : 6;
      const digits = toBase62(bytes, width);
      expect(digits).toBe(referenceToBase62(bytes, width));
      expect(fromBase62(digits, bytes.length)).toEqual(referenceFromBase62(digits, bytes.length));
      expect(Buffer.from(fromBase62(digits, bytes.length)!).equals(Buffer.from(bytes))).toBe(true);
    }
    const strings = [
      "z".repeat(43),
      "Z".repeat(43),
      "1".padEnd(44, "0"),
      "",
      "0",
      "abc_def",
      "abcé",
      "zzzzzz",
      "4GFfc4",
      "4GFfc3",
      "4GFfc5",
    ];
    for (let i = 0; i < 300; i++) strings.push(Array.from(randomBytes(43), (b) => ALPHABET[b % 62]).join(""));
    for (const s of strings)
      for (const n of [0, 3, 4, 5, 16, 32])
        expect(fromBase62(s, n), `${s} in ${n} bytes`).toEqual(referenceFromBase62(s, n));
  });

  describe("presented keys (remembered parses)", () => {
    const newKey = () => generateApiKey("STAGING", randomUUID(), randomUUID()).key;

    it("gives parseApiKey's answer with the secret's SHA-256 and the cache key, the same object while remembered", () => {
      const presented = presentedKeys();
      const key = newKey();
      const parsed = parseApiKey(key)!;
      const first = presented(key)!;
      expect(first).toEqual({
        env: parsed.env,
        workspaceId: parsed.workspaceId,
        keyId: parsed.keyId,
        secretHash: hashApiKeySecret(parsed.secret),
        cacheKey: `${parsed.workspaceId}/${parsed.keyId}`,
      });
      // The secret itself is not kept.
      expect(JSON.stringify(first)).not.toContain(parsed.secret);
      expect(Object.isFrozen(first)).toBe(true);
      expect(presented(key)).toBe(first);
      // Another key is its own entry, never the first's answer.
      const other = newKey();
      expect(presented(other)!.secretHash).toBe(hashApiKeySecret(parseApiKey(other)!.secret));
      expect(presented.size).toBe(2);
    });

    it("keeps keys of the same workspace and id apart: each answer has its own secret's digest", () => {
      const presented = presentedKeys();
      const ws = randomUUID();
      const id = randomUUID();
      // The same key id with two secrets (the real key and a forgery of it, or a key and its rotated successor).
      const [a, b] = [generateApiKey("STAGING", ws, id).key, generateApiKey("STAGING", ws, id).key];
      const first = presented(a)!;
      const second = presented(b)!;
      expect(first.cacheKey).toBe(second.cacheKey);
      expect(first.secretHash).toBe(hashApiKeySecret(parseApiKey(a)!.secret));
      expect(second.secretHash).toBe(hashApiKeySecret(parseApiKey(b)!.secret));
      expect(second.secretHash).not.toBe(first.secretHash);
      expect(presented(a)).toBe(first);
    });

    it("never remembers a malformed or mutated key: null every time, nothing stored", () => {
      const presented = presentedKeys();
      const key = newKey();
      presented(key);
      const at = key.length - 10;
      const mutated = key.slice(0, at) + (key[at] === "A" ? "B" : "A") + key.slice(at + 1);
      for (const bad of [mutated, mutated, "", "atr_", key.slice(0, -1), `${key}0`]) expect(presented(bad)).toBeNull();
      expect(presented.size).toBe(1);
    });

    it("holds at most `max` keys, forgetting the oldest first", () => {
      const presented = presentedKeys({ max: 3 });
      const keys = [newKey(), newKey(), newKey()];
      const answers = keys.map((k) => presented(k));
      presented(newKey());
      expect(presented.size).toBe(3);
      // The oldest was forgotten: parsed again (a new object, the same answer); the others were not.
      const again = presented(keys[0]!);
      expect(again).not.toBe(answers[0]);
      expect(again).toEqual(answers[0]);
      expect(presented(keys[2]!)).toBe(answers[2]);
    });

    it("forgets a key after `ttlMs`", () => {
      let clock = 1_000;
      const presented = presentedKeys({ ttlMs: 100, now: () => clock });
      const key = newKey();
      const first = presented(key);
      clock += 99;
      expect(presented(key)).toBe(first);
      clock += 1;
      const later = presented(key);
      expect(later).not.toBe(first);
      expect(later).toEqual(first);
      expect(presented.size).toBe(1);
    });

    it("puts a key parsed again after its time at the newest place: the next key to go is another", () => {
      let clock = 0;
      const presented = presentedKeys({ max: 2, ttlMs: 100, now: () => clock });
      const [a, b, c] = [newKey(), newKey(), newKey()];
      presented(a);
      clock = 50;
      const fromB = presented(b);
      clock = 120; // a's time is over, b's is not
      const again = presented(a);
      presented(c); // full: the oldest, b, goes
      expect(presented(a)).toBe(again);
      expect(presented(b)).not.toBe(fromB);
    });

    it("refuses a size or a time that would remember nothing", () => {
      expect(() => presentedKeys({ max: 0 })).toThrow();
      expect(() => presentedKeys({ ttlMs: 0 })).toThrow();
    });
  });
});
