// Pre-verification account takeover (decision 0024): someone signs up with another person's
// address and a password of their own. Whoever verifies the address holds the mailbox, so the
// first verification makes them choose (or confirm) the password: the sign-up password and every
// session from before it stop working.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  codeOf,
  createWorkspace,
  mailbox,
  mailboxToken,
  ownerSql,
  startTestApi,
  type TestApi,
} from "../../test/harness.ts";

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { user { id email emailVerified } } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { id } } }`;
const VERIFY = `mutation($t: String!, $p: String) { verifyEmail(token: $t, password: $p) }`;
const VERIFY_TOKEN_ONLY = `mutation($t: String!) { verifyEmail(token: $t) }`;
const ME = `{ me { id } }`;

const ATTACKER_PASSWORD = "attacker's own password";
const VICTIM_PASSWORD = "the victim's real password";

describe("pre-verification account takeover", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  const address = () => `victim-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const signUp = (email: string, password: string) =>
    api.gql<{ signUp: { user: { id: string; emailVerified: boolean } } }>(SIGN_UP, {
      i: { email, password, name: "Someone" },
    });
  const signIn = (email: string, password: string) =>
    api.gql<{ signIn: { accessToken: string; user: { id: string } } }>(SIGN_IN, { i: { email, password } });

  it("the attacker's sign-up password and sessions stop working once the mailbox owner verifies", async () => {
    const email = address();
    expect((await signUp(email, ATTACKER_PASSWORD)).errors).toBeUndefined();
    const userId = (await ownerSql<{ id: string }>(api, `SELECT id FROM users WHERE email = $1`, [email]))[0]!.id;
    // A session on the unverified account (none can be made through the API today; defence in depth).
    const sessionId = (
      await ownerSql<{ id: string }>(api, `INSERT INTO sessions (user_id) VALUES ($1) RETURNING id`, [userId])
    )[0]!.id;
    const attackerToken = (await api.services.tokens.sign({ userId, sessionId })).token;
    expect((await api.gql<{ me: { id: string } | null }>(ME, {}, { token: attackerToken })).data?.me?.id).toBe(userId);

    // The victim opens the link mailed to them and chooses their password.
    const token = await mailboxToken(api.url, email);
    expect((await api.gql(VERIFY, { t: token, p: VICTIM_PASSWORD })).data).toEqual({ verifyEmail: true });

    expect(codeOf(await signIn(email, ATTACKER_PASSWORD))).toBe("UNAUTHENTICATED");
    const stale = await api.gql(ME, {}, { token: attackerToken });
    expect(codeOf(stale)).toBe("UNAUTHENTICATED");
    const mine = await signIn(email, VICTIM_PASSWORD);
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.signIn.user.id).toBe(userId);
  });

  it("a link opened without a password neither verifies nor spends the token; confirming the sign-up password then works", async () => {
    const email = address();
    await signUp(email, VICTIM_PASSWORD);
    const token = await mailboxToken(api.url, email);
    const bare = await api.gql(VERIFY_TOKEN_ONLY, { t: token });
    expect(codeOf(bare)).toBe("BAD_USER_INPUT");
    expect(bare.errors?.[0]?.extensions?.reason).toBe("PASSWORD_REQUIRED");
    expect(bare.errors?.[0]?.extensions?.fields).toHaveProperty("password");
    // Nothing changed: the address is not verified, the sign-up password opens nothing.
    expect(codeOf(await signIn(email, VICTIM_PASSWORD))).toBe("EMAIL_NOT_VERIFIED");
    // The legitimate user confirms the password they chose at sign-up, with the same link.
    expect((await api.gql(VERIFY, { t: token, p: VICTIM_PASSWORD })).data).toEqual({ verifyEmail: true });
    expect((await signIn(email, VICTIM_PASSWORD)).errors).toBeUndefined();
  });

  it("refuses a password the sign-up rules would refuse, and keeps the token", async () => {
    const email = address();
    await signUp(email, VICTIM_PASSWORD);
    const token = await mailboxToken(api.url, email);
    const short = await api.gql(VERIFY, { t: token, p: "short" });
    expect(codeOf(short)).toBe("BAD_USER_INPUT");
    expect(short.errors?.[0]?.extensions?.fields).toHaveProperty("password");
    expect((await api.gql(VERIFY, { t: token, p: VICTIM_PASSWORD })).data).toEqual({ verifyEmail: true });
  });

  it("signing up again with an unverified address mails a link to finish with the owner's own password, and voids older links", async () => {
    const email = address();
    const first = await signUp(email, ATTACKER_PASSWORD);
    await mailbox(api.url, email, 1);
    const again = await signUp(email, VICTIM_PASSWORD);
    // The same answer as a fresh sign-up: nothing says the address was taken.
    expect(again.errors).toBeUndefined();
    expect(again.data?.signUp.user.emailVerified).toBe(first.data?.signUp.user.emailVerified);
    const mails = await mailbox(api.url, email, 2);
    expect(mails[0]?.text).toContain("/verify-email?token=");
    const attackersLink = /token=([A-Za-z0-9_.-]+)/.exec(mails[1]?.text ?? "")![1]!;
    const victimsLink = await mailboxToken(api.url, email, 2);
    expect(victimsLink).not.toBe(attackersLink);

    expect((await api.gql(VERIFY, { t: victimsLink, p: VICTIM_PASSWORD })).data).toEqual({ verifyEmail: true });
    expect(codeOf(await signIn(email, ATTACKER_PASSWORD))).toBe("UNAUTHENTICATED");
    expect((await signIn(email, VICTIM_PASSWORD)).errors).toBeUndefined();
    // The attacker's own link (should they get hold of it) is spent with the verification.
    expect(codeOf(await api.gql(VERIFY, { t: attackersLink, p: ATTACKER_PASSWORD }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await signIn(email, ATTACKER_PASSWORD))).toBe("UNAUTHENTICATED");
  });

  it("an invited sign-up onto an address someone pre-registered takes the account with the invitee's password", async () => {
    const email = address();
    await signUp(email, ATTACKER_PASSWORD);
    await mailbox(api.url, email, 1);
    const owner = await api.user("Owner");
    const ws = await createWorkspace(api, owner, "Pre-registered Co");
    const invited = await api.gql(
      `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`,
      { w: ws.id, i: { email, preset: "viewer" } },
      { token: owner.token },
    );
    expect(invited.errors).toBeUndefined();
    const invitation = await mailboxToken(api.url, email, 2);
    const up = await api.gql<{ signUp: { user: { emailVerified: boolean } } }>(SIGN_UP, {
      i: { email, password: VICTIM_PASSWORD, name: "Invitee", invitationToken: invitation },
    });
    expect(up.data?.signUp.user.emailVerified).toBe(true);
    expect((await signIn(email, VICTIM_PASSWORD)).errors).toBeUndefined();
    expect(codeOf(await signIn(email, ATTACKER_PASSWORD))).toBe("UNAUTHENTICATED");
  });

  it("a verified account's sign-up again still only gets the 'already exists' mail", async () => {
    const u = await api.user();
    await signUp(u.email, ATTACKER_PASSWORD);
    const mails = await mailbox(api.url, u.email, 2);
    expect(mails[0]?.subject).toMatch(/tried to sign up/i);
    expect(mails[0]?.text).not.toContain("token=");
    expect((await signIn(u.email, u.password)).errors).toBeUndefined();
  });
});
