// Access tokens: an instance remembers the tokens it verified (no HS256 per request), and a
// remembered token still expires on time, while a changed token is verified (and refused) afresh.
import { describe, expect, it } from "@atrium/test-kit";

import { AccessTokens } from "./tokens.ts";

describe("AccessTokens.verify", () => {
  const claims = { userId: "8d7f6c1e-0000-4000-8000-000000000001", sessionId: "8d7f6c1e-0000-4000-8000-000000000002" };

  it("gives a remembered token's claims until it expires, then TOKEN_EXPIRED", async () => {
    const tokens = new AccessTokens(["secret-one-that-is-long-enough-123"], 60);
    const issued = new Date();
    const { token, expiresAt } = await tokens.sign(claims, issued);
    expect(await tokens.verify(token)).toEqual({ ok: true, claims });
    expect(await tokens.verify(token), "remembered").toEqual({ ok: true, claims });
    expect(await tokens.verify(token, expiresAt.getTime() - 1_000)).toEqual({ ok: true, claims });
    expect(await tokens.verify(token, expiresAt.getTime())).toEqual({ ok: false, reason: "TOKEN_EXPIRED" });
    expect(await tokens.verify(token, expiresAt.getTime() + 5_000)).toEqual({ ok: false, reason: "TOKEN_EXPIRED" });
  });

  it("refuses a validly signed token whose sub or sid is not a UUID as the server signs it", async () => {
    const tokens = new AccessTokens(["secret-one-that-is-long-enough-123"], 60);
    for (const bad of [
      { userId: "not-a-uuid", sessionId: claims.sessionId },
      { userId: claims.userId, sessionId: "not-a-uuid" },
      { userId: claims.userId, sessionId: `${claims.sessionId}\u0000` },
      { userId: claims.userId.toUpperCase(), sessionId: claims.sessionId },
      { userId: "", sessionId: claims.sessionId },
    ]) {
      const { token } = await tokens.sign(bad);
      expect(await tokens.verify(token), JSON.stringify(bad)).toEqual({ ok: false, reason: "TOKEN_INVALID" });
    }
  });

  it("refuses a token changed by one character, and one signed with a key the instance does not hold", async () => {
    const tokens = new AccessTokens(["secret-one-that-is-long-enough-123"], 60);
    const { token } = await tokens.sign(claims);
    expect((await tokens.verify(token)).ok).toBe(true);
    const [h, p, sig] = token.split(".");
    // One character in the middle of the signature, always a different one (the last characters
    // of base64url may carry only padding bits; the one before them may already be the new one).
    const flipped = `${h}.${p}.${sig!.slice(0, 10)}${sig![10] === "A" ? "B" : "A"}${sig!.slice(11)}`;
    expect(flipped).not.toBe(token);
    expect(await tokens.verify(flipped)).toEqual({ ok: false, reason: "TOKEN_INVALID" });
    const other = await new AccessTokens(["another-secret-that-is-long-enough"], 60).sign(claims);
    expect(await tokens.verify(other.token)).toEqual({ ok: false, reason: "TOKEN_INVALID" });
  });
});
