// Sign-in budgets (decision 0024): failures only count; a per-(account, IP) failure budget, a
// higher per-account failure ceiling across IPs, and a RATE_LIMITED answer with a retry hint in
// `extensions.retryAfterSeconds` and an HTTP Retry-After header. The client IP comes from
// x-forwarded-for (TRUST_PROXY on, as behind the product's proxy).
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, startTestApi, type GqlResult, type TestApi, type TestUser } from "../../test/harness.ts";

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { id } } }`;
const PER_ACCOUNT_IP = 10;
const PER_ACCOUNT = 25;

describe("sign-in budgets", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      trustProxy: true,
      rateLimits: { signInPerAccount: PER_ACCOUNT_IP, signInFailuresPerAccount: PER_ACCOUNT },
    });
  });
  afterAll(async () => api.close());

  const signIn = (
    email: string,
    password: string,
    ip: string,
  ): Promise<GqlResult<{ signIn: { accessToken: string; user: { id: string } } }>> =>
    api.gql(SIGN_IN, { i: { email, password } }, { headers: { "x-forwarded-for": ip } });
  const fail = async (u: Pick<TestUser, "email">, ip: string, times: number): Promise<(string | undefined)[]> => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < times; i++) codes.push(codeOf(await signIn(u.email, "not the password", ip)));
    return codes;
  };

  it("a stranger's failures from one IP do not lock the owner out from theirs", async () => {
    const owner = await api.user();
    expect(await fail(owner, "203.0.113.1", PER_ACCOUNT_IP)).toEqual(Array(PER_ACCOUNT_IP).fill("UNAUTHENTICATED"));
    const ok = await signIn(owner.email, owner.password, "198.51.100.7");
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.signIn.user.id).toBe(owner.id);
  });

  it("refuses an IP past its failure budget for the account, with retryAfterSeconds and a Retry-After header", async () => {
    const owner = await api.user();
    const ip = "203.0.113.2";
    expect(await fail(owner, ip, PER_ACCOUNT_IP)).toEqual(Array(PER_ACCOUNT_IP).fill("UNAUTHENTICATED"));
    const limited = await signIn(owner.email, "not the password", ip);
    expect(codeOf(limited)).toBe("RATE_LIMITED");
    const retry = limited.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(typeof retry).toBe("number");
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(api.config.rateLimits.windowSeconds);
    expect(limited.headers.get("retry-after")).toBe(String(retry));
    // The right password from that IP is refused too while the budget is spent (no oracle for guessing).
    expect(codeOf(await signIn(owner.email, owner.password, ip))).toBe("RATE_LIMITED");
    // Another account from the same IP is not affected.
    const other = await api.user();
    expect((await signIn(other.email, other.password, ip)).errors).toBeUndefined();
  });

  it("never counts successful sign-ins, and a success clears that IP's failures", async () => {
    const owner = await api.user();
    const ip = "203.0.113.3";
    for (let i = 0; i < 30; i++) {
      const r = await signIn(owner.email, owner.password, ip);
      expect(r.errors, `sign-in ${i + 1}`).toBeUndefined();
    }
    // Nine failures, a success, nine more: the success cleared the first nine.
    expect(await fail(owner, ip, PER_ACCOUNT_IP - 1)).toEqual(Array(PER_ACCOUNT_IP - 1).fill("UNAUTHENTICATED"));
    expect((await signIn(owner.email, owner.password, ip)).errors).toBeUndefined();
    expect(await fail(owner, ip, PER_ACCOUNT_IP - 1)).toEqual(Array(PER_ACCOUNT_IP - 1).fill("UNAUTHENTICATED"));
    expect((await signIn(owner.email, owner.password, ip)).errors).toBeUndefined();
  });

  it("caps failures on one account across many IPs", async () => {
    const owner = await api.user();
    // 25 failures from 5 IPs (5 each): under every per-IP budget, at the account's ceiling.
    for (let n = 0; n < PER_ACCOUNT / 5; n++)
      expect(await fail(owner, `192.0.2.${n + 10}`, 5)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    const fresh = await signIn(owner.email, "not the password", "192.0.2.99");
    expect(codeOf(fresh)).toBe("RATE_LIMITED");
    expect(fresh.headers.get("retry-after")).toBe(String(fresh.errors?.[0]?.extensions?.retryAfterSeconds));
  });

  it("answers an unknown address exactly like a known one, budget included", async () => {
    const known = await api.user();
    const unknown = { email: `nobody-${Math.random().toString(36).slice(2, 8)}@example.com` };
    const ip = "203.0.113.4";
    const a = await fail(known, ip, PER_ACCOUNT_IP + 1);
    const b = await fail(unknown, ip, PER_ACCOUNT_IP + 1);
    expect(a).toEqual(b);
    expect(a.at(-1)).toBe("RATE_LIMITED");
    const [ka, ua] = await Promise.all([
      signIn(known.email, "not the password", ip),
      signIn(unknown.email, "not the password", ip),
    ]);
    expect(ka.errors?.[0]?.message.replace(/\d+/g, "N")).toBe(ua.errors?.[0]?.message.replace(/\d+/g, "N"));
  });

  it("admits no more failures than the budget when guesses arrive all at once", async () => {
    const owner = await api.user();
    const codes = (
      await Promise.all(
        Array.from({ length: 2 * PER_ACCOUNT_IP }, () => signIn(owner.email, "not the password", "203.0.113.5")),
      )
    ).map(codeOf);
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(PER_ACCOUNT_IP);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(PER_ACCOUNT_IP);
  });

  it("puts a Retry-After header on every rate-limited operation, not only sign-in", async () => {
    const email = `resend-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const RESEND = `mutation($e: String!) { resendVerificationEmail(email: $e) }`;
    let last: GqlResult | undefined;
    for (let i = 0; i < 6; i++) last = await api.gql(RESEND, { e: email });
    expect(codeOf(last!)).toBe("RATE_LIMITED");
    const retry = last!.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(retry).toBeGreaterThan(0);
    expect(last!.headers.get("retry-after")).toBe(String(retry));
  });
});
