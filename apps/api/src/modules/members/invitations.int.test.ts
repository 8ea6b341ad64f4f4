import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  codeOf,
  createWorkspace,
  mailbox,
  mailboxToken,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const INVITE = `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id email role policies status } }`;
const ACCEPT = `mutation($t: String!) { acceptInvitation(token: $t) { id slug myRole myPolicies } }`;
const PREVIEW = `query($t: String!) { invitation(token: $t) { workspaceName email role } }`;
const MEMBERS = `query($w: ID!) { members(workspaceId: $w) { user { id email } role policies effectivePolicies } }`;

describe("invitations", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };

  async function invite(email: string, input: Record<string, unknown> = { preset: "viewer" }, by = owner) {
    return api.gql<{ inviteMember: { id: string; role: string; policies: string[]; status: string } }>(
      INVITE,
      { w: ws.id, i: { email, ...input } },
      { token: by.token },
    );
  }
  /** The newest invitation link to `email`, once its `count`th mail arrived. */
  const tokenFor = (email: string, count = 1) => mailboxToken(api.url, email, count);

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Invite Co");
  });
  afterAll(async () => api.close());

  it("invites with a preset; a newcomer signs up from the link (already verified) and accepts into the workspace", async () => {
    const r = await invite("newcomer@example.com");
    expect(r.data?.inviteMember).toMatchObject({ role: "AGENT", status: "PENDING" });
    expect(r.data?.inviteMember.policies).toContain("lead.read");
    expect(r.data?.inviteMember.policies).not.toContain("lead.manage");
    const token = await tokenFor("newcomer@example.com");
    expect(token.startsWith(ws.id)).toBe(true);
    // The mail names who invited (issue 56).
    const [sent] = await mailbox(api.url, "newcomer@example.com", 1);
    expect(sent!.subject).toBe("Owner invited you to Invite Co on Atrium");
    expect(sent!.text).toContain(
      `Owner (${owner.email}) invited you to join the workspace "Invite Co" on Atrium as agent.`,
    );

    const preview = await api.gql<{ invitation: { workspaceName: string; email: string; role: string } }>(PREVIEW, {
      t: token,
    });
    expect(preview.data?.invitation).toEqual({
      workspaceName: "Invite Co",
      email: "newcomer@example.com",
      role: "AGENT",
    });

    const up = await api.gql<{ signUp: { user: { emailVerified: boolean } } }>(
      `mutation($i: SignUpInput!) { signUp(input: $i) { user { emailVerified } } }`,
      { i: { email: "newcomer@example.com", password: "a long enough password", name: "New", invitationToken: token } },
    );
    expect(up.data?.signUp.user.emailVerified).toBe(true);
    const signIn = await api.gql<{ signIn: { accessToken: string } }>(
      `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email: "newcomer@example.com", password: "a long enough password" } },
    );
    const newcomer = signIn.data!.signIn.accessToken;

    const accepted = await api.gql<{ acceptInvitation: { slug: string; myRole: string; myPolicies: string[] } }>(
      ACCEPT,
      { t: token },
      { token: newcomer },
    );
    expect(accepted.data?.acceptInvitation).toMatchObject({ slug: ws.slug, myRole: "AGENT" });
    expect(accepted.data?.acceptInvitation.myPolicies).toEqual(r.data?.inviteMember.policies);

    // Single use.
    const again = await api.gql(ACCEPT, { t: token }, { token: newcomer });
    expect(codeOf(again)).toBe("BAD_USER_INPUT");
    expect(again.errors?.[0]?.extensions?.reason).toBe("INVITATION_USED");
  });

  it("refuses a token presented by another account, a revoked, an expired and an unknown one", async () => {
    const other = await api.user("Other");
    await invite("someone@example.com");
    const token = await tokenFor("someone@example.com");
    const wrong = await api.gql(ACCEPT, { t: token }, { token: other.token });
    expect(codeOf(wrong)).toBe("FORBIDDEN");
    expect(wrong.errors?.[0]?.extensions?.reason).toBe("INVITATION_FOR_ANOTHER_ACCOUNT");

    const revokedInv = await invite(other.email);
    const revokedToken = await tokenFor(other.email, 2); // after its verification mail
    expect(
      (
        await api.gql(
          `mutation($w: ID!, $id: ID!) { revokeInvitation(workspaceId: $w, id: $id) }`,
          { w: ws.id, id: revokedInv.data!.inviteMember.id },
          { token: owner.token },
        )
      ).data,
    ).toEqual({ revokeInvitation: true });
    const revoked = await api.gql(ACCEPT, { t: revokedToken }, { token: other.token });
    expect(revoked.errors?.[0]?.extensions?.reason).toBe("INVITATION_REVOKED");

    const expiring = await invite(other.email);
    const expiredToken = await tokenFor(other.email, 3);
    await ownerSql(
      api,
      `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE workspace_id = $1 AND id = $2`,
      [ws.id, expiring.data!.inviteMember.id],
    );
    const expired = await api.gql(ACCEPT, { t: expiredToken }, { token: other.token });
    expect(expired.errors?.[0]?.extensions?.reason).toBe("INVITATION_EXPIRED");

    // The expired token with its secret's end changed (to "AA", or "BA" when it already ended so:
    // one random token in 1,024 does, and was then the expired token itself).
    const tampered = `${expiredToken.slice(0, -2)}${expiredToken.endsWith("AA") ? "BA" : "AA"}`;
    for (const t of ["garbage", `${ws.id}.${crypto.randomUUID()}.${"A".repeat(43)}`, tampered]) {
      expect(codeOf(await api.gql(ACCEPT, { t }, { token: other.token }))).toBe("NOT_FOUND");
    }
    // Nothing was created along the way.
    const rows = await ownerSql(api, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
      ws.id,
      other.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("lists pending invitations, and resending replaces the link", async () => {
    const inv = await invite("resend@example.com");
    const first = await tokenFor("resend@example.com");
    const list = await api.gql<{ invitations: { id: string; email: string }[] }>(
      `query($w: ID!) { invitations(workspaceId: $w) { id email } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(list.data?.invitations.map((i) => i.email)).toContain("resend@example.com");
    await api.gql(
      `mutation($w: ID!, $id: ID!) { resendInvitation(workspaceId: $w, id: $id) { id } }`,
      { w: ws.id, id: inv.data!.inviteMember.id },
      { token: owner.token },
    );
    const second = await tokenFor("resend@example.com", 2);
    expect(second).not.toBe(first);
    expect(codeOf(await api.gql(PREVIEW, { t: first }))).toBe("NOT_FOUND");
    expect((await api.gql(PREVIEW, { t: second })).data).not.toBeNull();
  });

  it("answers CONFLICT when inviting an existing member", async () => {
    const member = await api.user("Member");
    await addMember(api, ws.id, member, "AGENT", ["lead.read"]);
    const r = await invite(member.email);
    expect(codeOf(r)).toBe("CONFLICT");
  });

  it("validates invitation input: unknown policies, policies an agent may never hold, unknown presets", async () => {
    expect(codeOf(await invite("x1@example.com", { role: "AGENT", policies: ["lead.read", "lead.destroy"] }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await invite("x2@example.com", { role: "AGENT", policies: ["apikey.manage"] }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await invite("x3@example.com", { preset: "godmode" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await invite("not-an-email", {}))).toBe("BAD_USER_INPUT");
  });

  it("a removed member loses the workspace on the next request; their account stays", async () => {
    const gone = await api.user("Gone");
    await addMember(api, ws.id, gone, "AGENT", ["lead.read"]);
    expect((await api.gql(MEMBERS, { w: ws.id }, { token: gone.token })).errors).toBeUndefined();
    expect(
      (
        await api.gql(
          `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`,
          { w: ws.id, u: gone.id },
          { token: owner.token },
        )
      ).data,
    ).toEqual({ removeMember: true });
    expect(codeOf(await api.gql(MEMBERS, { w: ws.id }, { token: gone.token }))).toBe("NOT_FOUND");
    expect((await api.gql<{ me: { id: string } }>(`{ me { id } }`, {}, { token: gone.token })).data?.me.id).toBe(
      gone.id,
    );
  });

  it("every invitation operation on another workspace's ids answers NOT_FOUND", async () => {
    const stranger = await api.user("Stranger");
    const theirs = await createWorkspace(api, stranger, "Theirs");
    const inv = await invite("target@example.com");
    const id = inv.data!.inviteMember.id;
    const attempts: [string, Record<string, unknown>][] = [
      [INVITE, { w: ws.id, i: { email: "z@example.com", preset: "viewer" } }],
      [`query($w: ID!) { invitations(workspaceId: $w) { id } }`, { w: ws.id }],
      [`mutation($w: ID!, $id: ID!) { resendInvitation(workspaceId: $w, id: $id) { id } }`, { w: ws.id, id }],
      [`mutation($w: ID!, $id: ID!) { revokeInvitation(workspaceId: $w, id: $id) }`, { w: ws.id, id }],
      // Their own workspace id with our invitation id: the row is not theirs.
      [`mutation($w: ID!, $id: ID!) { revokeInvitation(workspaceId: $w, id: $id) }`, { w: theirs.id, id }],
      [`mutation($w: ID!, $id: ID!) { resendInvitation(workspaceId: $w, id: $id) { id } }`, { w: theirs.id, id }],
    ];
    for (const [q, v] of attempts) expect(codeOf(await api.gql(q, v, { token: stranger.token })), q).toBe("NOT_FOUND");
    const still = await ownerSql<{ revoked_at: Date | null }>(api, `SELECT revoked_at FROM invitations WHERE id = $1`, [
      id,
    ]);
    expect(still[0]?.revoked_at).toBeNull();
  });
});
