import { createHash } from "node:crypto";

import { describe, expect, it } from "@atrium/test-kit";

import { constantTimeEqual, matchesSha256, sha256Hex } from "./digest.ts";

describe("digest", () => {
  it("sha256Hex is node's SHA-256 in hex for strings and bytes", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe(createHash("sha256").update("abc").digest("hex"));
  });

  it("constantTimeEqual: equal, unequal, different lengths and multi-byte characters without throwing", () => {
    expect(constantTimeEqual("token-1", "token-1")).toBe(true);
    expect(constantTimeEqual("token-1", "token-2")).toBe(false);
    expect(constantTimeEqual("short", "longer value")).toBe(false);
    // Same number of characters, different number of bytes: timingSafeEqual alone would throw.
    expect(constantTimeEqual("é", "e")).toBe(false);
    expect(constantTimeEqual(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    // A difference in the first or the last character only, and text against its own bytes.
    const digest = sha256Hex("k");
    expect(constantTimeEqual(digest, digest.slice())).toBe(true);
    expect(constantTimeEqual(digest, `${digest[0] === "0" ? "1" : "0"}${digest.slice(1)}`)).toBe(false);
    expect(constantTimeEqual(digest, `${digest.slice(0, -1)}${digest.endsWith("0") ? "1" : "0"}`)).toBe(false);
    expect(constantTimeEqual("abc", Buffer.from("abc"))).toBe(true);
    expect(constantTimeEqual("abd", Buffer.from("abc"))).toBe(false);
  });

  it("matchesSha256 accepts the secret a digest was made from and nothing else", () => {
    const stored = sha256Hex("s3cret");
    expect(matchesSha256(stored, "s3cret")).toBe(true);
    expect(matchesSha256(stored, "s3cret ")).toBe(false);
    expect(matchesSha256("not-hex", "s3cret")).toBe(false);
  });
});
