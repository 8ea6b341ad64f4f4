// An authenticator app protects sign-in (issue 56, item 10): a right password of a user with a
// confirmed TOTP factor gets a challenge and no session; completeSignIn with a TOTP code or a
// recovery code creates the session, which starts step-up verified. Per user, with the
// platform's STEP_UP_ENABLED switch off (this file's default). And verifying an e-mail signs
// the person in (item 12).
import { createHash } from "node:crypto";
import { generate } from "otplib";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  codeOf,
  mailboxToken,
  ownerSql,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken expiresAt user { id email } } }`;
const COMPLETE = `mutation($ch: String!, $c: String!) { completeSignIn(challenge: $ch, code: $c) { accessToken refreshToken expiresAt user { id email } } }`;
const ENROLL = `mutation { enrollTotp { secret otpauthUrl } }`;
const CONFIRM = `mutation($c: String!) { confirmTotp(code: $c) }`;
const ME = `{ me { id } }`;
const STATUS = `query { accountSecurity { stepUpAvailable totpEnabled recoveryCodesLeft stepUpVerifiedAt } }`;
const VERIFY_AND_SIGN_IN = `mutation($t: String!, $p: String!) { verifyEmailAndSignIn(token: $t, password: $p) { session { accessToken user { id email } } } }`;

type AuthPayload = {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { id: string; email: string };
};

/** The TOTP code `offsetSteps` 30-second steps from now (the server refuses a step already used). */
const codeAt = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

/** A code that is certainly not the user's current one (nor the neighbouring steps'). */
async function wrongCode(secret: string): Promise<string> {
  const near = new Set([await codeAt(secret, -1), await codeAt(secret), await codeAt(secret, 1)]);
  for (const candidate of ["000000", "111111", "222222", "333333"]) if (!near.has(candidate)) return candidate;
  throw new Error("unreachable");
}

const extensionsOf = (r: GqlResult) => r.errors?.[0]?.extensions;

describe("sign-in with an authenticator app (second step)", () => {
  let api: TestApi;

  beforeAll(async () => {
    // The platform switch stays off (default): the factor guards sign-in regardless. Six failed
    // sign-ins per (account, IP) — so a test can reach the budget with wrong codes.
    api = await startTestApi({ rateLimits: { signInPerAccount: 6 } });
  });
  afterAll(async () => api.close());

  const sessionsOf = async (userId: string) =>
    (await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]))[0]!.n;
  const signIn = (u: { email: string; password: string }) =>
    api.gql<{ signIn: AuthPayload }>(SIGN_IN, { i: { email: u.email, password: u.password } });
  const complete = (challenge: string, code: string) =>
    api.gql<{ completeSignIn: AuthPayload }>(COMPLETE, { ch: challenge, c: code });

  /** A user with a confirmed authenticator app: its secret and recovery codes. */
  async function enrolled(name: string): Promise<{ user: TestUser; secret: string; recovery: string[] }> {
    const user = await api.user(name);
    const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: user.token });
    const secret = e.data!.enrollTotp.secret;
    const c = await api.gql<{ confirmTotp: string[] }>(CONFIRM, { c: await codeAt(secret) }, { token: user.token });
    expect(c.errors).toBeUndefined();
    return { user, secret, recovery: c.data!.confirmTotp };
  }

  /** The password step of a factor user: the challenge it answers with. */
  async function challengeFor(user: TestUser): Promise<string> {
    const r = await signIn(user);
    expect(extensionsOf(r)).toMatchObject({ code: "UNAUTHENTICATED", reason: "SECOND_FACTOR_REQUIRED" });
    return extensionsOf(r)!.challenge as string;
  }

  it("a password-only user signs in with the password alone, as before", async () => {
    const user = await api.user("Password only");
    const before = await sessionsOf(user.id);
    const r = await signIn(user);
    expect(r.errors).toBeUndefined();
    expect(r.data!.signIn.user).toEqual({ id: user.id, email: user.email });
    expect((await api.gql<{ me: { id: string } }>(ME, {}, { token: r.data!.signIn.accessToken })).data?.me.id).toBe(
      user.id,
    );
    expect(await sessionsOf(user.id)).toBe(before + 1);
    // Nothing pending, and a password sign-in is not a step-up verification.
    expect(await ownerSql(api, `SELECT 1 FROM sign_in_challenges WHERE user_id = $1`, [user.id])).toHaveLength(0);
    const s = await api.gql<{ accountSecurity: { stepUpVerifiedAt: string | null } }>(
      STATUS,
      {},
      { token: r.data!.signIn.accessToken },
    );
    expect(s.data!.accountSecurity.stepUpVerifiedAt).toBeNull();
  });

  it("a user with an authenticator app gets a challenge and no session for the right password; the challenge is stored hashed", async () => {
    const { user } = await enrolled("Factor user");
    const before = await sessionsOf(user.id);
    const r = await signIn(user);
    expect(r.data).toBeNull();
    expect(codeOf(r)).toBe("UNAUTHENTICATED");
    const ext = extensionsOf(r)!;
    expect(ext).toMatchObject({ reason: "SECOND_FACTOR_REQUIRED", methods: ["TOTP", "RECOVERY_CODE"] });
    expect(typeof ext.challenge).toBe("string");
    const expiresIn = Date.parse(ext.challengeExpiresAt as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
    expect(await sessionsOf(user.id)).toBe(before);
    const rows = await ownerSql<{ token_hash: string }>(
      api,
      `SELECT token_hash FROM sign_in_challenges WHERE user_id = $1`,
      [user.id],
    );
    expect(rows).toEqual([
      {
        token_hash: createHash("sha256")
          .update(ext.challenge as string)
          .digest("hex"),
      },
    ]);
    // Identity data: the API's login role cannot read it (only the system client can).
    const { default: pg } = await import("pg");
    const app = new pg.Client({ connectionString: api.testDb.appUrl });
    await app.connect();
    try {
      await expect(app.query(`SELECT * FROM sign_in_challenges`)).rejects.toMatchObject({ code: "42501" });
    } finally {
      await app.end();
    }
    // The wrong password is still just a wrong password: no challenge for it.
    const wrong = await signIn({ email: user.email, password: "not the password at all" });
    expect(extensionsOf(wrong)).toMatchObject({ code: "UNAUTHENTICATED", reason: "INVALID_CREDENTIALS" });
    expect(extensionsOf(wrong)).not.toHaveProperty("challenge");
  });

  it("the right TOTP code completes: a working session that starts step-up verified, cookies for the web app; the challenge and the code are spent", async () => {
    const { user, secret } = await enrolled("Completes with TOTP");
    const challenge = await challengeFor(user);
    const code = await codeAt(secret, 1);
    const r = await complete(challenge, ` ${code} `);
    expect(r.errors).toBeUndefined();
    const session = r.data!.completeSignIn;
    expect(session.user).toEqual({ id: user.id, email: user.email });
    expect(r.headers.get("set-cookie")).toMatch(/atrium_at=/);
    expect((await api.gql<{ me: { id: string } }>(ME, {}, { token: session.accessToken })).data?.me.id).toBe(user.id);
    const s = await api.gql<{ accountSecurity: { stepUpAvailable: boolean; stepUpVerifiedAt: string | null } }>(
      STATUS,
      {},
      { token: session.accessToken },
    );
    expect(s.data!.accountSecurity.stepUpAvailable).toBe(false);
    expect(Date.now() - Date.parse(s.data!.accountSecurity.stepUpVerifiedAt!)).toBeLessThan(60_000);
    const audit = await ownerSql<{ data: unknown }>(
      api,
      `SELECT data FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'user.signed_in' ORDER BY created_at DESC LIMIT 1`,
      [user.id],
    );
    expect(audit[0]!.data).toEqual({ secondFactor: "totp" });

    // The challenge made its one session.
    expect(extensionsOf(await complete(challenge, await codeAt(secret, 1)))).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "SIGN_IN_CHALLENGE_EXPIRED",
    });
    // The same code with a new challenge is a replay.
    const again = await complete(await challengeFor(user), code);
    expect(codeOf(again)).toBe("BAD_USER_INPUT");
    expect(again.data).toBeNull();
  });

  it("a recovery code completes once, and not twice", async () => {
    const { user, recovery } = await enrolled("Completes with a recovery code");
    const [first] = recovery;
    const before = await sessionsOf(user.id);
    const r = await complete(await challengeFor(user), first!.toLowerCase());
    expect(r.errors).toBeUndefined();
    expect(r.data!.completeSignIn.user.id).toBe(user.id);
    expect(await sessionsOf(user.id)).toBe(before + 1);
    const s = await api.gql<{ accountSecurity: { recoveryCodesLeft: number } }>(
      STATUS,
      {},
      { token: r.data!.completeSignIn.accessToken },
    );
    expect(s.data!.accountSecurity.recoveryCodesLeft).toBe(9);

    const twice = await complete(await challengeFor(user), first!);
    expect(codeOf(twice)).toBe("BAD_USER_INPUT");
    expect(await sessionsOf(user.id)).toBe(before + 1);
  });

  it("a wrong code is refused with BAD_USER_INPUT naming the field, makes no session, and keeps the challenge for a retry", async () => {
    const { user, secret } = await enrolled("Mistypes");
    const challenge = await challengeFor(user);
    const before = await sessionsOf(user.id);
    const wrong = await complete(challenge, await wrongCode(secret));
    expect(codeOf(wrong)).toBe("BAD_USER_INPUT");
    expect(extensionsOf(wrong)?.fields).toEqual({ code: "invalid" });
    expect(wrong.data).toBeNull();
    expect(await sessionsOf(user.id)).toBe(before);
    const failed = await ownerSql<{ data: unknown }>(
      api,
      `SELECT data FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'step_up.failed'`,
      [user.id],
    );
    expect(failed).toEqual([{ data: { method: "totp" } }]);
    // A code that is no code at all is refused before any check.
    expect(codeOf(await complete(challenge, "   "))).toBe("BAD_USER_INPUT");
    // The right code on the same challenge still works.
    expect((await complete(challenge, await codeAt(secret, 1))).errors).toBeUndefined();
  });

  it("wrong codes count against the sign-in budget of the account: past it, codes and passwords alike are RATE_LIMITED", async () => {
    const { user, secret } = await enrolled("Guessed at");
    const wrong = await wrongCode(secret);
    // Five wrong codes use up a challenge (5 codes each)…
    const first = await challengeFor(user);
    for (let i = 0; i < 5; i++) expect(codeOf(await complete(first, wrong))).toBe("BAD_USER_INPUT");
    // …a new one (the right password is not a failure) takes the sixth…
    const second = await challengeFor(user);
    expect(codeOf(await complete(second, wrong))).toBe("BAD_USER_INPUT");
    // …and the budget of 6 failures per (account, IP) is spent: even the right code waits.
    const limited = await complete(second, await codeAt(secret, 1));
    expect(codeOf(limited)).toBe("RATE_LIMITED");
    expect(extensionsOf(limited)?.retryAfterSeconds).toEqual(expect.any(Number));
    expect(codeOf(await signIn(user))).toBe("RATE_LIMITED");
  });

  it("an expired challenge, one out of attempts, one replaced by a newer sign-in and an unknown one are refused", async () => {
    const { user, secret } = await enrolled("Slow typist");
    const expired = await challengeFor(user);
    await ownerSql(api, `UPDATE sign_in_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      user.id,
    ]);
    expect(extensionsOf(await complete(expired, await codeAt(secret, 1)))).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "SIGN_IN_CHALLENGE_EXPIRED",
    });

    const older = await challengeFor(user);
    const newer = await challengeFor(user);
    expect(extensionsOf(await complete(older, await codeAt(secret, 1)))).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "SIGN_IN_CHALLENGE_EXPIRED",
    });

    await ownerSql(api, `UPDATE sign_in_challenges SET attempts = 5 WHERE user_id = $1`, [user.id]);
    expect(extensionsOf(await complete(newer, await codeAt(secret, 1)))).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "SIGN_IN_CHALLENGE_EXPIRED",
    });

    expect(extensionsOf(await complete("not-a-challenge", await codeAt(secret, 1)))).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "SIGN_IN_CHALLENGE_EXPIRED",
    });
    expect(codeOf(await complete("x".repeat(600), "123456"))).toBe("BAD_USER_INPUT");
  });

  it("two right answers to one challenge at once make one session", async () => {
    const { user, recovery } = await enrolled("Double click");
    const challenge = await challengeFor(user);
    const before = await sessionsOf(user.id);
    const answers = await Promise.all([complete(challenge, recovery[0]!), complete(challenge, recovery[1]!)]);
    expect(answers.filter((a) => a.errors === undefined)).toHaveLength(1);
    expect(await sessionsOf(user.id)).toBe(before + 1);
  });

  it("a user disabled between the two steps gets no session", async () => {
    const { user, secret } = await enrolled("Disabled meanwhile");
    const challenge = await challengeFor(user);
    await ownerSql(api, `UPDATE users SET disabled_at = now() WHERE id = $1`, [user.id]);
    expect(codeOf(await complete(challenge, await codeAt(secret, 1)))).toBe("UNAUTHENTICATED");
  });

  it("turning the app off turns the second step off", async () => {
    const { user } = await enrolled("Turns it off");
    // The enrolling session is freshly verified (its first code), so it may turn the factor off.
    expect((await api.gql(`mutation { disableTotp }`, {}, { token: user.token })).data).toEqual({ disableTotp: true });
    const r = await signIn(user);
    expect(r.errors).toBeUndefined();
    expect(r.data!.signIn.user.id).toBe(user.id);
  });
});

describe("verifying an e-mail signs the person in", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  const signUp = async (email: string, password: string) => {
    const r = await api.gql(`mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
      i: { email, password, name: "New person" },
    });
    expect(r.errors).toBeUndefined();
    return mailboxToken(api.url, email);
  };

  it("the first verification with the password returns a working session (and the web app's cookies); the link is then spent", async () => {
    const email = `verify-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const token = await signUp(email, "correct horse battery staple");
    const r = await api.gql<{
      verifyEmailAndSignIn: { session: { accessToken: string; user: { id: string; email: string } } | null };
    }>(VERIFY_AND_SIGN_IN, { t: token, p: "correct horse battery staple" });
    expect(r.errors).toBeUndefined();
    const session = r.data!.verifyEmailAndSignIn.session!;
    expect(session.user.email).toBe(email);
    expect(r.headers.get("set-cookie")).toMatch(/atrium_at=/);
    expect((await api.gql<{ me: { id: string } }>(ME, {}, { token: session.accessToken })).data?.me.id).toBe(
      session.user.id,
    );
    const audit = await ownerSql<{ data: unknown }>(
      api,
      `SELECT data FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'user.signed_in'`,
      [session.user.id],
    );
    expect(audit).toEqual([{ data: { via: "email-verification" } }]);
    expect(codeOf(await api.gql(VERIFY_AND_SIGN_IN, { t: token, p: "correct horse battery staple" }))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("a short password is refused and the link kept", async () => {
    const email = `verify-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const token = await signUp(email, "correct horse battery staple");
    const short = await api.gql(VERIFY_AND_SIGN_IN, { t: token, p: "short" });
    expect(codeOf(short)).toBe("BAD_USER_INPUT");
    expect(extensionsOf(short)?.fields).toHaveProperty("password");
    expect((await api.gql(VERIFY_AND_SIGN_IN, { t: token, p: "correct horse battery staple" })).data).toMatchObject({
      verifyEmailAndSignIn: { session: { user: { email } } },
    });
  });

  it("a link of an already verified account with an authenticator app verifies nothing new and signs no one in", async () => {
    const user = await api.user("Verified with a factor");
    const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: user.token });
    expect(
      (await api.gql(CONFIRM, { c: await codeAt(e.data!.enrollTotp.secret) }, { token: user.token })).errors,
    ).toBeUndefined();
    // A live link for the verified account (none is mailed for one; defence in depth).
    const token = "a-stray-link-for-a-verified-account";
    await ownerSql(
      api,
      `INSERT INTO email_verifications (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
      [user.id, createHash("sha256").update(token).digest("hex")],
    );
    const sessionsBefore = (
      await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [user.id])
    )[0]!.n;
    const r = await api.gql(VERIFY_AND_SIGN_IN, { t: token, p: user.password });
    expect(r.data).toEqual({ verifyEmailAndSignIn: { session: null } });
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(
      (await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [user.id]))[0]!
        .n,
    ).toBe(sessionsBefore);
  });
});
