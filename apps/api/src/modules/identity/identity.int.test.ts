import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, mailbox, mailboxToken, startTestApi, type TestApi } from "../../test/harness.ts";

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { user { id email emailVerified } } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken expiresAt user { id email } } }`;
const ME = `{ me { id email globalRole } }`;
const REFRESH = `mutation($t: String) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;

describe("identity", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ rateLimits: { signInPerAccount: 5 } });
  });
  afterAll(async () => api.close());

  it("signs up, verifies through the dev mailbox link and signs in", async () => {
    const email = "Ada.Lovelace@Example.com";
    const up = await api.gql<{ signUp: { user: { id: string; email: string; emailVerified: boolean } } }>(SIGN_UP, {
      i: { email, password: "analytical-engine", name: "Ada" },
    });
    expect(up.data?.signUp.user).toMatchObject({ email: "ada.lovelace@example.com", emailVerified: false });

    const before = await api.gql(SIGN_IN, { i: { email, password: "analytical-engine" } });
    expect(codeOf(before)).toBe("EMAIL_NOT_VERIFIED");

    const mails = await mailbox(api.url, "ada.lovelace@example.com");
    expect(mails[0]?.subject).toMatch(/verify/i);
    expect(mails[0]?.text).toContain("/verify-email?token=");
    const token = await mailboxToken(api.url, "ada.lovelace@example.com");
    // The first verification confirms the password (decision 0024).
    const VERIFY = `mutation($t: String!, $p: String) { verifyEmail(token: $t, password: $p) }`;
    expect((await api.gql(VERIFY, { t: token, p: "analytical-engine" })).data).toEqual({ verifyEmail: true });
    // Single use.
    expect(codeOf(await api.gql(VERIFY, { t: token, p: "analytical-engine" }))).toBe("BAD_USER_INPUT");

    const ok = await api.gql<{ signIn: { accessToken: string; user: { id: string } } }>(SIGN_IN, {
      i: { email, password: "analytical-engine" },
    });
    expect(ok.data?.signIn.user.id).toBe(up.data?.signUp.user.id);
    const me = await api.gql<{ me: { id: string; globalRole: string } }>(
      ME,
      {},
      { token: ok.data!.signIn.accessToken },
    );
    expect(me.data?.me).toMatchObject({ id: up.data?.signUp.user.id, globalRole: "USER" });
  });

  it("does not reveal whether an e-mail exists, at sign-up or sign-in", async () => {
    const u = await api.user();
    const dup = await api.gql<{ signUp: { user: { id: string; emailVerified: boolean } } }>(SIGN_UP, {
      i: { email: u.email, password: "something-else-long", name: "X" },
    });
    expect(dup.errors).toBeUndefined();
    expect(dup.data?.signUp.user.emailVerified).toBe(false);
    expect(dup.data?.signUp.user.id).not.toBe(u.id);

    const wrongPassword = await api.gql(SIGN_IN, { i: { email: u.email, password: "not the password" } });
    const unknown = await api.gql(SIGN_IN, { i: { email: "nobody-here@example.com", password: "not the password" } });
    expect(codeOf(wrongPassword)).toBe("UNAUTHENTICATED");
    expect(codeOf(unknown)).toBe("UNAUTHENTICATED");
    expect(wrongPassword.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    expect(wrongPassword.errors?.[0]?.extensions).toEqual(unknown.errors?.[0]?.extensions);
  });

  it("signing out ends the session at once: the same access token is refused on the next request", async () => {
    const u = await api.user();
    expect((await api.gql(ME, {}, { token: u.token })).data?.me).not.toBeNull();
    expect((await api.gql(`mutation { signOut }`, {}, { token: u.token })).data).toEqual({ signOut: true });
    const after = await api.gql(ME, {}, { token: u.token });
    expect(codeOf(after)).toBe("UNAUTHENTICATED");
    expect(after.errors?.[0]?.extensions?.reason).toBe("SESSION_REVOKED");
    expect(codeOf(await api.gql(REFRESH, { t: u.refreshToken }))).toBe("UNAUTHENTICATED");
  });

  it("sign-out everywhere ends every session of the user", async () => {
    const u = await api.user();
    const second = await api.gql<{ signIn: { accessToken: string } }>(SIGN_IN, {
      i: { email: u.email, password: u.password },
    });
    const other = second.data!.signIn.accessToken;
    await api.gql(`mutation { signOutEverywhere }`, {}, { token: u.token });
    expect(codeOf(await api.gql(ME, {}, { token: u.token }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await api.gql(ME, {}, { token: other }))).toBe("UNAUTHENTICATED");
  });

  it("rotates refresh tokens, and reuse of a rotated token revokes the whole family", async () => {
    const u = await api.user();
    const r1 = await api.gql<{ refreshSession: { accessToken: string; refreshToken: string } }>(REFRESH, {
      t: u.refreshToken,
    });
    expect(r1.errors).toBeUndefined();
    const next = r1.data!.refreshSession;
    expect(next.refreshToken).not.toBe(u.refreshToken);
    expect((await api.gql(ME, {}, { token: next.accessToken })).data?.me).not.toBeNull();

    // The old token again: someone copied it. The session (and every token in it) dies.
    const reuse = await api.gql(REFRESH, { t: u.refreshToken });
    expect(codeOf(reuse)).toBe("UNAUTHENTICATED");
    expect(reuse.errors?.[0]?.extensions?.reason).toBe("REFRESH_TOKEN_REUSED");
    expect(codeOf(await api.gql(REFRESH, { t: next.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await api.gql(ME, {}, { token: next.accessToken }))).toBe("UNAUTHENTICATED");
  });

  it("lets only one of two concurrent refreshes with the same token succeed", async () => {
    const u = await api.user();
    const results = await Promise.all([
      api.gql(REFRESH, { t: u.refreshToken }),
      api.gql(REFRESH, { t: u.refreshToken }),
    ]);
    expect(results.filter((r) => !r.errors).length).toBeLessThanOrEqual(1);
  });

  it("refuses tampered, foreign and malformed access tokens", async () => {
    const u = await api.user();
    const [h, p, s] = u.token.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: crypto.randomUUID() })).toString("base64url")}.${s}`;
    for (const token of [forged, `${u.token}x`, "not-a-jwt", `${h}.${p}.`]) {
      const r = await api.gql(ME, {}, { token });
      expect(codeOf(r)).toBe("UNAUTHENTICATED");
    }
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${p}.`;
    expect(codeOf(await api.gql(ME, {}, { token: none }))).toBe("UNAUTHENTICATED");
    expect((await api.gql(ME, {})).data).toEqual({ me: null });
  });

  it("rate-limits failed sign-ins per account and IP", async () => {
    const u = await api.user();
    // 5 failures per (account, IP) per window; the harness's successful sign-in did not count.
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(codeOf(await api.gql(SIGN_IN, { i: { email: u.email, password: "wrong password!" } })));
    expect(codes.slice(0, 5).every((c) => c === "UNAUTHENTICATED")).toBe(true);
    expect(codes.at(-1)).toBe("RATE_LIMITED");
    const limited = await api.gql(SIGN_IN, { i: { email: u.email, password: u.password } });
    expect(codeOf(limited)).toBe("RATE_LIMITED");
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("web sessions use httpOnly cookies and refuse cookie requests without the CSRF header", async () => {
    const u = await api.user();
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: SIGN_IN, variables: { i: { email: u.email, password: u.password } } }),
    });
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith("atrium_at="))).toMatch(/HttpOnly/i);
    expect(cookies.find((c) => c.startsWith("atrium_rt="))).toMatch(/HttpOnly/i);
    const csrf = /atrium_csrf=([^;]+)/.exec(cookies.join("\n"))![1]!;
    const cookieHeader = cookies.map((c) => c.split(";")[0]).join("; ");
    const call = (headers: Record<string, string>) =>
      api.gql<{ me: { id: string } | null }>(ME, {}, { headers: { cookie: cookieHeader, ...headers } });
    expect((await call({ "x-csrf-token": csrf })).data?.me?.id).toBe(u.id);
    const missing = await call({});
    expect(codeOf(missing)).toBe("UNAUTHENTICATED");
    expect(missing.errors?.[0]?.extensions?.reason).toBe("CSRF_TOKEN_INVALID");
    expect(codeOf(await call({ "x-csrf-token": "forged" }))).toBe("UNAUTHENTICATED");
  });

  it("answers malformed input with BAD_USER_INPUT and field messages, never a 500", async () => {
    const cases: [string, Record<string, unknown>][] = [
      [SIGN_UP, { i: { email: "not-an-email", password: "long enough pw", name: "A" } }],
      [SIGN_UP, { i: { email: "a@example.com", password: "short", name: "A" } }],
      [SIGN_UP, { i: { email: `${"a".repeat(300)}@example.com`, password: "long enough pw", name: "A" } }],
      [SIGN_UP, { i: { email: "b@example.com", password: "long enough pw", name: "x".repeat(10_000) } }],
      [SIGN_UP, { i: { email: "c@example.com", password: 12345678901, name: "A" } }],
      [SIGN_UP, { i: { email: "d@example.com", name: "A" } }],
      [SIGN_IN, { i: { email: ["x"], password: "p" } }],
      [`mutation { signUp(input: {email: 1}) { user { id } } }`, {}],
      [`{ me { id `, {}],
      [`mutation($t: String!) { verifyEmail(token: $t) }`, { t: "x".repeat(5000) }],
    ];
    for (const [query, variables] of cases) {
      const r = await api.gql(query, variables);
      expect(r.status).toBeLessThan(500);
      expect(codeOf(r), JSON.stringify(variables).slice(0, 80)).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(r.errors)).not.toMatch(/stack|at \w+ \(|prisma|SELECT /i);
    }
    const bad = await api.gql(SIGN_UP, { i: { email: "not-an-email", password: "short", name: " " } });
    expect(Object.keys(bad.errors?.[0]?.extensions?.fields ?? {}).sort()).toEqual(["email", "name", "password"]);
  });
});
