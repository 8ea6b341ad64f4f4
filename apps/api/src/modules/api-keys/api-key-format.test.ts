import { randomUUID } from "node:crypto";
import { describe, expect, it } from "@atrium/test-kit";
import { crc32, generateApiKey, hashApiKeySecret, parseApiKey } from "./api-key-format.ts";

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
    for (const bad of ["", "atr_", "atr_prod_x_y", key.slice(0, -1), `${key}0`, key.toUpperCase(), `Bearer ${key}`]) expect(parseApiKey(bad)).toBeNull();
  });
});
