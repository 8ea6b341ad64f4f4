// A validly signed access token whose claims have the wrong shape (attack pass, finding 6): the
// claims are checked right after the signature, before any lookup, so a `sid` or `sub` that is
// not a UUID answers UNAUTHENTICATED like any invalid token — never a 500 with PostgreSQL's
// 22P02 behind it. Over the Authorization header and the web app's cookie alike.
import { decodeJwt, SignJWT } from "jose";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { startTestApi, type GqlResult, type TestApi, type TestUser } from "../../test/harness.ts";
import { sha256Hex } from "../crypto/digest.ts";

const ME = "{ me { id } }";

describe("access token claims are checked before any lookup", () => {
  let api: TestApi;
  let user: TestUser;
  let sessionId: string;
  beforeAll(async () => {
    api = await startTestApi();
    user = await api.user("Claims");
    sessionId = decodeJwt(user.token).sid as string;
  });
  afterAll(async () => api?.close());

  /** Signed with the server's real secret and kid, as the server signs: only the claims differ. */
  const sign = async (claims: { sub?: unknown; sid?: unknown }) => {
    const secret = api.config.authSecrets[0]!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...(claims.sid === undefined ? {} : { sid: claims.sid }) })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: sha256Hex(secret).slice(0, 16) })
      .setSubject(claims.sub as string)
      .setIssuer("atrium")
      .setAudience("atrium-api")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(secret));
  };
  const expectRefused = (r: GqlResult, what: string) => {
    expect([what, r.status]).toEqual([what, 200]);
    expect([what, r.errors?.[0]?.extensions]).toEqual([what, { code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" }]);
    expect(JSON.stringify(r.errors)).not.toMatch(/INTERNAL_SERVER_ERROR|22P02|uuid/i);
  };

  it("a token signed here with the user's real claims works (the signing above is the server's)", async () => {
    const r = await api.gql<{ me: { id: string } }>(ME, undefined, {
      token: await sign({ sub: user.id, sid: sessionId }),
    });
    expect(r.data?.me.id).toBe(user.id);
  });

  it.each([
    ["sid not a UUID", () => ({ sub: user.id, sid: "not-a-uuid" })],
    ["sub not a UUID", () => ({ sub: "not-a-uuid", sid: sessionId })],
    ["both not UUIDs", () => ({ sub: "x", sid: "y" })],
    ["sid a UUID with a trailing NUL", () => ({ sub: user.id, sid: `${sessionId}\u0000` })],
    ["sid a UUID with more after it", () => ({ sub: user.id, sid: `${sessionId}0` })],
    ["sid in capitals (never what the server signs)", () => ({ sub: user.id, sid: sessionId.toUpperCase() })],
    ["sid empty", () => ({ sub: user.id, sid: "" })],
    ["sid missing", () => ({ sub: user.id })],
    ["sid a number", () => ({ sub: user.id, sid: 5 })],
  ])("%s: UNAUTHENTICATED (TOKEN_INVALID), over Bearer and over the cookie", async (what, claims) => {
    const token = await sign(claims());
    expectRefused(await api.gql(ME, undefined, { token }), `${what} (Bearer)`);
    const csrf = "c".repeat(32);
    expectRefused(
      await api.gql(ME, undefined, {
        headers: { cookie: `atrium_at=${token}; atrium_csrf=${csrf}`, "x-csrf-token": csrf },
      }),
      `${what} (cookie)`,
    );
  });

  it("refresh tokens, verification and invitation tokens of any shape are client errors, never a 500", async () => {
    const bodies: [string, Record<string, unknown>][] = [
      ["mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }", { t: "not-a-token" }],
      ["mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }", { t: `${sessionId}\u0000` }],
      ["mutation($t: String!) { verifyEmail(token: $t) }", { t: "not-a-uuid" }],
      ["mutation($t: String!) { verifyEmail(token: $t) }", { t: "\u0000" }],
      ["query($t: String!) { invitation(token: $t) { workspaceName } }", { t: "not-a-uuid.not-a-uuid.secret" }],
      [
        "query($t: String!) { invitation(token: $t) { workspaceName } }",
        { t: `${sessionId}.${sessionId}.${"a".repeat(40)}` },
      ],
      ["mutation($t: String!) { acceptInvitation(token: $t) { id } }", { t: "x.y.z" }],
    ];
    for (const [query, variables] of bodies) {
      const r = await api.gql(query, variables, { token: user.token });
      expect([query, variables, r.status < 500]).toEqual([query, variables, true]);
      expect([query, variables, r.errors?.[0]?.extensions?.code]).not.toEqual([
        query,
        variables,
        "INTERNAL_SERVER_ERROR",
      ]);
      expect(r.errors?.length, JSON.stringify(r)).toBeGreaterThan(0);
    }
    // The refresh cookie too.
    const viaCookie = await api.gql("mutation { refreshSession { accessToken } }", undefined, {
      headers: { cookie: "atrium_rt=not-a-uuid" },
    });
    expect(viaCookie.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "REFRESH_TOKEN_INVALID",
    });
  });
});
