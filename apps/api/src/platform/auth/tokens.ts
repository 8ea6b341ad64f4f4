// Access tokens: compact JWS, HS256 pinned, typ/iss/aud/exp checked, `kid` names the secret so
// AUTH_SECRET can rotate (list the new secret first, keep the old one until tokens expire).
import { randomBytes } from "node:crypto";
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";

import { sha256Hex } from "../crypto/digest.ts";

const ISSUER = "atrium";
const AUDIENCE = "atrium-api";
const TYP = "at+jwt";
const ALG = "HS256";

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

interface Key {
  kid: string;
  secret: Uint8Array;
}

/** A UUID as PostgreSQL prints it (lower case): the only form of the ids this server signs. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isCanonicalUuid = (v: unknown): v is string => typeof v === "string" && CANONICAL_UUID.test(v);

/** Verified tokens an instance remembers: verifying HS256 on every request cost ~6 % of a read's CPU. */
const VERIFIED_CACHE_SIZE = 10_000;

export class AccessTokens {
  private readonly keys: Key[];
  /**
   * Token → its claims and expiry, for tokens this instance verified. A token is a fixed string
   * checked against fixed keys, so the answer is the same until it expires (then it is verified
   * again, and refused). Revocation is not the token's business: the session is checked on every
   * request (session_state). Oldest entry out first when full.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; exp: number }>();
  constructor(
    secrets: string[],
    private readonly ttlSeconds: number,
  ) {
    if (secrets.length === 0) throw new Error("at least one signing secret is required");
    this.keys = secrets.map((s) => ({ kid: sha256Hex(s).slice(0, 16), secret: new TextEncoder().encode(s) }));
  }

  async sign(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const key = this.keys[0]!;
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: ALG, typ: TYP, kid: key.kid })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.secret);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Returns the claims, or the reason the token is refused. Never throws. */
  /** When a token this instance verified expires (epoch seconds), or null when it does not know it. */
  expiryOf(token: string): number | null {
    return this.verified.get(token)?.exp ?? null;
  }

  async verify(
    token: string,
    now = Date.now(),
  ): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: "TOKEN_EXPIRED" | "TOKEN_INVALID" }> {
    const known = this.verified.get(token);
    // jose's rule: expired once exp <= now (in whole seconds).
    if (known && known.exp > Math.floor(now / 1000)) return { ok: true, claims: known.claims };
    this.verified.delete(token);
    try {
      const { payload } = await jwtVerify<JWTPayload & { sid?: unknown }>(
        token,
        (header) => {
          const key = this.keys.find((k) => k.kid === header.kid);
          if (!key) throw new errors.JWSSignatureVerificationFailed("unknown kid");
          return key.secret;
        },
        {
          algorithms: [ALG],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: TYP,
          requiredClaims: ["sub", "exp", "iat"],
          currentDate: new Date(now),
        },
      );
      // Every claim's shape before anything looks it up: a validly signed token with a `sid` or
      // `sub` that is not a UUID (as PostgreSQL prints one; the only form this server signs) would
      // reach the session lookup and fail there (22P02) as a server error.
      if (!isCanonicalUuid(payload.sid) || !isCanonicalUuid(payload.sub)) return { ok: false, reason: "TOKEN_INVALID" };
      const claims = { userId: payload.sub, sessionId: payload.sid };
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { claims, exp: payload.exp! });
      return { ok: true, claims };
    } catch (err) {
      return { ok: false, reason: err instanceof errors.JWTExpired ? "TOKEN_EXPIRED" : "TOKEN_INVALID" };
    }
  }
}

/** Opaque random token for refresh, e-mail verification and invitations; only its hash is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export const hashOpaqueToken = (token: string): string => sha256Hex(token);
