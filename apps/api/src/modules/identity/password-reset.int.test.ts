// Password reset by e-mail (issue 49, decision 0038): no account enumeration (same status, body
// and — within noise — time for unknown addresses, no mail for them), a single-use link valid 30
// minutes stored as a hash, budgets per address and per IP, weak passwords refused with zxcvbn's
// feedback, and every session of the account ended once the password is reset.
import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  codeOf,
  mailbox,
  mailboxToken,
  ownerSql,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken } }`;
const ME = `{ me { id email } }`;
const NEW_PASSWORD = "violet-orbit-kettle-57";
const PER_IP = 8;
const PER_ACCOUNT = 3;

let ipCounter = 0;
/** A fresh client IP (x-forwarded-for, TRUST_PROXY on) so tests do not share the per-IP budget. */
const freshIp = () => `198.51.100.${++ipCounter}`;

describe("password reset", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      trustProxy: true,
      rateLimits: { passwordResetPerIp: PER_IP, passwordResetPerAccount: PER_ACCOUNT },
    });
  });
  afterAll(async () => api.close());

  const request = (email: string, ip = freshIp()): Promise<GqlResult<{ requestPasswordReset: boolean }>> =>
    api.gql(REQUEST, { e: email }, { headers: { "x-forwarded-for": ip } });
  const reset = (token: string, password: string): Promise<GqlResult<{ resetPassword: boolean }>> =>
    api.gql(RESET, { t: token, p: password });
  const signIn = (email: string, password: string) =>
    api.gql<{ signIn: { accessToken: string; refreshToken: string } }>(SIGN_IN, { i: { email, password } });
  /** The reset link mailed to `user` (the newest mail: a reset link's token). */
  const resetToken = async (user: TestUser, nth = 1): Promise<string> => {
    // The verification mail of sign-up is the first; reset mails come after it.
    return mailboxToken(api.url, user.email, 1 + nth);
  };
  const mailsTo = async (email: string) =>
    (await (await fetch(`${api.url}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as {
      subject: string;
      text: string;
    }[];

  it("answers a known and an unknown address alike, and mails only the known one", async () => {
    const user = await api.user();
    const unknown = `nobody-${Date.now()}@example.com`;
    const known = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
      body: JSON.stringify({ query: REQUEST, variables: { e: user.email } }),
    });
    const stranger = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
      body: JSON.stringify({ query: REQUEST, variables: { e: unknown } }),
    });
    expect(stranger.status).toBe(known.status);
    expect(await stranger.text()).toBe(await known.text());
    expect(known.status).toBe(200);
    const mails = await mailbox(api.url, user.email, 2);
    expect(mails[0]!.subject).toBe("Reset your Atrium password");
    expect(mails[0]!.text).toMatch(/\/reset-password\?token=/);
    // Nothing for the unknown address: no mail (give the worker time to have sent one), no row.
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo(unknown)).toEqual([]);
    const rows = await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM password_resets`);
    expect(rows[0]!.n).toBe(1);
    // Both requests are audited alike (the unknown one without an actor), and no row names the address.
    const audit = await ownerSql<{ actor_user_id: string | null; data: object }>(
      api,
      `SELECT actor_user_id, data FROM platform_audit_events WHERE action = 'user.password_reset_requested' ORDER BY created_at`,
    );
    expect(audit.map((a) => a.actor_user_id)).toEqual([user.id, null]);
    expect(JSON.stringify(audit)).not.toContain(unknown);
    // The unknown address's mail was queued and undone: no job holds it.
    const jobs = await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'send-mail' AND data->>'kind' = 'password-reset'`,
    );
    expect(jobs[0]!.n).toBe(1);
  });

  it("takes as long for an unknown address as for a known one (paired medians within noise)", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => api.user()));
    const time = async (email: string) => {
      const t = performance.now();
      const r = await request(email);
      expect(r.data).toEqual({ requestPasswordReset: true });
      return performance.now() - t;
    };
    // Pairs taken back to back (so both see the same load on this shared machine), in alternating
    // order; each address at most PER_ACCOUNT times. The median of the pairs' differences.
    const known: number[] = [];
    const unknown: number[] = [];
    const differences: number[] = [];
    for (let round = 0; round < PER_ACCOUNT; round++) {
      for (const [i, u] of users.entries()) {
        const ghost = `ghost-${round}-${i}-${Date.now()}@example.com`;
        const knownFirst = (round + i) % 2 === 0;
        const a = await time(knownFirst ? u.email : ghost);
        const b = await time(knownFirst ? ghost : u.email);
        const [k, g] = knownFirst ? [a, b] : [b, a];
        known.push(k);
        unknown.push(g);
        differences.push(k - g);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    process.stdout.write(
      `requestPasswordReset over ${known.length} pairs: median known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, median difference ${median(differences).toFixed(1)} ms\n`,
    );
    // "Within noise": 20 ms, or a third of a request when the shared machine slows everything
    // down (a loaded run measured 5x the quiet medians; at load 8 a quarter was missed by 3 ms,
    // the known address's mail being sent by the job beside the next request). One argon2id hash
    // done for one kind of address only — 30–60 ms quiet, most of such a request, and as much
    // slower as the rest under load — is well above it.
    const noise = Math.max(20, 0.35 * median([...known, ...unknown]));
    expect(Math.abs(median(differences))).toBeLessThan(noise);
  });

  it("sets the new password once: the link is single-use and stored only as a hash", async () => {
    const user = await api.user();
    expect((await request(user.email)).data).toEqual({ requestPasswordReset: true });
    const token = await resetToken(user);
    const stored = await ownerSql<{ token_hash: string; expires_at: Date; created_at: Date }>(
      api,
      `SELECT token_hash, expires_at, created_at FROM password_resets WHERE user_id = $1`,
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(stored[0]!.token_hash).not.toContain(token);
    // Valid for 30 minutes.
    expect(stored[0]!.expires_at.getTime() - stored[0]!.created_at.getTime()).toBeGreaterThan(29 * 60_000);
    expect(stored[0]!.expires_at.getTime() - stored[0]!.created_at.getTime()).toBeLessThanOrEqual(30 * 60_000 + 1000);

    expect((await reset(token, NEW_PASSWORD)).data).toEqual({ resetPassword: true });
    const again = await reset(token, "another-fine-passphrase-91");
    expect(codeOf(again)).toBe("BAD_USER_INPUT");
    expect(again.errors?.[0]?.extensions?.reason).toBe("INVALID_LINK");
    expect(codeOf(await signIn(user.email, user.password))).toBe("UNAUTHENTICATED");
    expect((await signIn(user.email, NEW_PASSWORD)).errors).toBeUndefined();
    // The second password was never set.
    expect(codeOf(await signIn(user.email, "another-fine-passphrase-91"))).toBe("UNAUTHENTICATED");
  });

  it("refuses an expired link", async () => {
    const user = await api.user();
    await request(user.email);
    const token = await resetToken(user);
    await ownerSql(api, `UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      user.id,
    ]);
    const r = await reset(token, NEW_PASSWORD);
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.extensions?.reason).toBe("INVALID_LINK");
    expect((await signIn(user.email, user.password)).errors).toBeUndefined();
  });

  it("a successful reset spends the account's other reset links", async () => {
    const user = await api.user();
    await request(user.email);
    const first = await resetToken(user, 1);
    await request(user.email);
    const second = await resetToken(user, 2);
    expect(second).not.toBe(first);
    expect((await reset(second, NEW_PASSWORD)).data).toEqual({ resetPassword: true });
    expect(codeOf(await reset(first, "another-fine-passphrase-91"))).toBe("BAD_USER_INPUT");
  });

  it("refuses a weak password with zxcvbn's feedback, and keeps the link usable", async () => {
    const user = await api.user("Jane Doe");
    await request(user.email);
    const token = await resetToken(user);
    for (const weak of ["password123456", "qwertyuiop12", `${user.email}1`]) {
      const r = await reset(token, weak);
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      const ext = r.errors?.[0]?.extensions as {
        reason?: string;
        fields?: Record<string, string>;
        feedback?: { score: number; warning: string | null; suggestions: string[] };
      };
      expect(ext.reason).toBe("WEAK_PASSWORD");
      expect(ext.fields?.password).toMatch(/too easy to guess/);
      expect(ext.feedback?.score).toBeLessThan(3);
      expect([ext.feedback?.warning, ...(ext.feedback?.suggestions ?? [])].filter(Boolean).length).toBeGreaterThan(0);
    }
    // Too short is the shared length rule, before any strength check.
    const short = await reset(token, "abc");
    expect(short.errors?.[0]?.extensions?.fields).toEqual({ password: "Use at least 10 characters." });
    expect((await reset(token, NEW_PASSWORD)).data).toEqual({ resetPassword: true });
  });

  it("ends every session of the account and mails a notice", async () => {
    const user = await api.user();
    const second = (await signIn(user.email, user.password)).data!.signIn;
    expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: user.email } });
    await request(user.email);
    const token = await resetToken(user);
    expect((await reset(token, NEW_PASSWORD)).data).toEqual({ resetPassword: true });
    for (const access of [user.token, second.accessToken])
      expect(codeOf(await api.gql(ME, {}, { token: access }))).toBe("UNAUTHENTICATED");
    for (const refresh of [user.refreshToken, second.refreshToken]) {
      expect(
        codeOf(
          await api.gql(`mutation($r: String) { refreshSession(refreshToken: $r) { accessToken } }`, { r: refresh }),
        ),
      ).toBe("UNAUTHENTICATED");
    }
    const live = await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.id],
    );
    expect(live[0]!.n).toBe(0);
    const mails = await mailbox(api.url, user.email, 3);
    expect(mails[0]!.subject).toBe("Your Atrium password was reset");
    expect(mails[0]!.text).not.toMatch(/token=/);
    const audit = await ownerSql<{ data: { sessionsEnded: number } }>(
      api,
      `SELECT data FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'user.password_reset'`,
      [user.id],
    );
    expect(audit.map((a) => a.data.sessionsEnded)).toEqual([2]);
  });

  it("limits requests per address (known or not) and per IP, with a retry hint", async () => {
    const user = await api.user();
    const unknown = `ghost-limit-${Date.now()}@example.com`;
    for (const email of [user.email, unknown]) {
      for (let i = 0; i < PER_ACCOUNT; i++) expect((await request(email)).data).toEqual({ requestPasswordReset: true });
      const limited = await request(email);
      expect(codeOf(limited)).toBe("RATE_LIMITED");
      expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited.headers.get("retry-after")).toBe(String(limited.errors?.[0]?.extensions?.retryAfterSeconds));
    }
    // Known and unknown addresses are refused alike (the same answer but for the seconds left,
    // which depend on when each address's window opened).
    const a = await request(user.email);
    const b = await request(unknown);
    const shape = (r: GqlResult) => JSON.stringify({ data: r.data, errors: r.errors }).replace(/\d+/g, "N");
    expect(shape(a)).toBe(shape(b));
    expect(codeOf(a)).toBe("RATE_LIMITED");
    // Only the first PER_ACCOUNT requests were mailed.
    await mailbox(api.url, user.email, 1 + PER_ACCOUNT);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo(user.email)).toHaveLength(1 + PER_ACCOUNT);

    const ip = freshIp();
    for (let i = 0; i < PER_IP; i++)
      expect((await request(`spray-${i}-${Date.now()}@example.com`, ip)).data).toEqual({ requestPasswordReset: true });
    expect(codeOf(await request(`spray-last-${Date.now()}@example.com`, ip))).toBe("RATE_LIMITED");
    // Another IP is not affected.
    expect((await request(`spray-other-${Date.now()}@example.com`)).data).toEqual({ requestPasswordReset: true });
  });

  it("refuses a malformed address as input, never as an account fact", async () => {
    const r = await request("not-an-address");
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(Object.keys(r.errors?.[0]?.extensions?.fields as object)).toEqual(["email"]);
  });
});
