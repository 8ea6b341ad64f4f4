// The one place for SHA-256 digests and constant-time comparison (issue 10: the pair was written
// out in ten places). Tokens, invitation secrets and API-key secrets are stored as SHA-256 hex;
// checking a presented secret against a stored digest never leaks how many bytes matched.
import { hash, timingSafeEqual } from "node:crypto";

/** SHA-256 of `input`, lowercase hex (64 characters): Node's one-shot `hash`, no Hash object per call. */
export const sha256Hex = (input: string | Uint8Array): string => hash("sha256", input, "hex");

/**
 * Constant-time equality of two secrets: two strings by UTF-16 code unit (so two different lone
 * surrogates, equal once encoded as UTF-8, are unequal); a string and bytes as UTF-8 bytes.
 * Different lengths are simply unequal (`timingSafeEqual` itself throws on them), so callers never
 * compare lengths themselves.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  // Two strings (the digests of every key-authenticated request): every code unit compared, no
  // early exit, without the two buffers the byte path makes (~2 µs a request).
  if (typeof a === "string" && typeof b === "string") {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return diff === 0;
  }
  const x = typeof a === "string" ? Buffer.from(a, "utf8") : Buffer.from(a);
  const y = typeof b === "string" ? Buffer.from(b, "utf8") : Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `secret` is what the stored SHA-256 hex digest was made from, in constant time. */
export const matchesSha256 = (storedHex: string, secret: string): boolean =>
  constantTimeEqual(storedHex, sha256Hex(secret));
