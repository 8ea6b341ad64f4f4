// The platform's Ed25519 keys that sign audit checkpoints (issue 50, decision 0053).
//
// AUDIT_SIGNING_KEYS: a comma-separated list of `<kid>:<seed>` entries, newest first. `kid` names
// the key in each checkpoint and in the published JWKS (1–64 of A–Z a–z 0–9 . _ -); `seed` is the
// 32-byte Ed25519 private key (RFC 8032 seed) as base64url (43 characters) or hex (64). The first
// entry signs; every entry's public key is published at /.well-known/atrium-audit-keys.json, so
// checkpoints signed before a rotation still verify. `pnpm atrium audit keygen` prints a new entry.
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from "node:crypto";

import { checkpointPayload, type ChainCheckpoint } from "./chain.ts";

export interface AuditSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw public key, base64url (the JWK's `x`). */
  x: string;
}

/** The well-known path of the public keys (a JWKS). */
export const AUDIT_KEYS_PATH = "/.well-known/atrium-audit-keys.json";

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export const KEYGEN_HINT = "generate one with: pnpm atrium audit keygen";

export function signingKeyFromSeed(kid: string, seed: Uint8Array): AuditSigningKey {
  if (seed.length !== 32) throw new Error("an Ed25519 seed is 32 bytes");
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  const x = (publicKey.export({ format: "jwk" }) as { x: string }).x;
  return { kid, privateKey, publicKey, x };
}

/** The development key: derived from the published development secret, so as safe as this repository. Refused in production. */
export function devAuditSigningKey(devSecret: string): AuditSigningKey {
  return signingKeyFromSeed("dev", createHash("sha256").update(`atrium-audit-signing-key:${devSecret}`).digest());
}

/** One `<kid>:<seed>` entry of AUDIT_SIGNING_KEYS. Errors name the entry, never its value. */
export function parseAuditSigningKey(raw: string, index: number): AuditSigningKey {
  const at = raw.indexOf(":");
  const kid = at > 0 ? raw.slice(0, at) : "";
  const seedText = at > 0 ? raw.slice(at + 1) : "";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(kid))
    throw new Error(
      `AUDIT_SIGNING_KEYS entry ${index + 1} must be <kid>:<seed>, the kid 1–64 of A-Z a-z 0-9 . _ -; ${KEYGEN_HINT}`,
    );
  let seed: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(seedText)) seed = Buffer.from(seedText, "hex");
  else if (/^[A-Za-z0-9_-]{43}$/.test(seedText)) seed = Buffer.from(seedText, "base64url");
  if (!seed || seed.length !== 32)
    throw new Error(
      `AUDIT_SIGNING_KEYS entry ${index + 1} ("${kid}") must end in a 32-byte Ed25519 seed as base64url (43 characters) or hex (64 characters); ${KEYGEN_HINT}`,
    );
  return signingKeyFromSeed(kid, seed);
}

/**
 * The keys, newest (signing) first. Without the variable: the development key, except in
 * production, where there is none (checkpoints are not signed; the server warns at start-up and
 * the audit page says so), as for INTEGRATIONS_ENCRYPTION_KEY.
 */
export function parseAuditSigningKeys(
  raw: string | undefined,
  nodeEnv: "development" | "test" | "production",
  devSecret: string,
): AuditSigningKey[] {
  const entries = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const dev = devAuditSigningKey(devSecret);
  if (entries.length === 0) return nodeEnv === "production" ? [] : [dev];
  const keys = entries.map(parseAuditSigningKey);
  const kids = keys.map((k) => k.kid);
  const dupKid = kids.find((k, i) => kids.indexOf(k) !== i);
  if (dupKid !== undefined) throw new Error(`AUDIT_SIGNING_KEYS names the key id "${dupKid}" twice`);
  const xs = keys.map((k) => k.x);
  if (new Set(xs).size !== xs.length) throw new Error("AUDIT_SIGNING_KEYS lists the same key twice");
  if (nodeEnv === "production") {
    const index = xs.indexOf(dev.x);
    if (index >= 0)
      throw new Error(
        `AUDIT_SIGNING_KEYS entry ${index + 1} is the published development key, refused in production; ${KEYGEN_HINT}`,
      );
  }
  return keys;
}

/** A new entry for AUDIT_SIGNING_KEYS and its public key. */
export function generateAuditSigningKey(kid: string): { entry: string; key: AuditSigningKey } {
  const seed = randomBytes(32);
  const key = signingKeyFromSeed(kid, seed);
  return { entry: `${kid}:${seed.toString("base64url")}`, key };
}

export interface Jwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  use: "sig";
  alg: "EdDSA";
}

/** The public half of every key, as a JWKS (RFC 7517, RFC 8037). */
export function publicJwks(keys: readonly AuditSigningKey[]): { keys: Jwk[] } {
  return { keys: keys.map((k) => ({ kty: "OKP", crv: "Ed25519", x: k.x, kid: k.kid, use: "sig", alg: "EdDSA" })) };
}

/** A checkpoint signed with `key` (over `checkpointPayload`). */
export function signCheckpoint(
  key: AuditSigningKey,
  c: Pick<ChainCheckpoint, "workspace_id" | "seq" | "hash" | "signed_at">,
): ChainCheckpoint {
  return { ...c, key_id: key.kid, signature: sign(null, checkpointPayload(c), key.privateKey).toString("base64url") };
}
