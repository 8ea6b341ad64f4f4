import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  codeOf,
  createWorkspace,
  mailboxToken,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const USERS = `query($s: String, $f: Int, $a: String) { adminUsers(search: $s, first: $f, after: $a) { totalCount hasNextPage endCursor nodes { id email disabled globalRole } } }`;
/** The common connection shape (issue 51), both ways. */
const USER_PAGES = `query($s: String, $f: Int, $a: String, $l: Int, $b: String) {
  adminUsers(search: $s, first: $f, after: $a, last: $l, before: $b) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id email } }
    nodes { id } hasNextPage endCursor
  }
}`;
const SET_REG = `mutation($i: RegistrationSettingsInput!) { updateRegistrationSettings(input: $i) { mode allowedEmailDomains } }`;
const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { user { id emailVerified } } }`;

describe("platform admin and registration control", () => {
  let api: TestApi;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.user("Platform Admin");
    user = await api.user("Regular");
    // The CLI's path (`pnpm atrium admin grant <email>`).
    await api.services.platformAdmin.grantAdmin(admin.email.toUpperCase());
  });
  afterAll(async () => api.close());

  const setMode = (mode: string, allowedEmailDomains: string[] = []) =>
    api.gql(SET_REG, { i: { mode, allowedEmailDomains } }, { token: admin.token });
  const signUp = (email: string, invitationToken?: string) =>
    api.gql<{ signUp: { user: { emailVerified: boolean } } }>(SIGN_UP, {
      i: { email, password: "long enough password", name: "N", invitationToken },
    });

  it("platform pages are for global admins only; the role applies on the next request", async () => {
    expect(codeOf(await api.gql(USERS, {}, { token: user.token }))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(USERS, {}))).toBe("UNAUTHENTICATED");
    const r = await api.gql<{ adminUsers: { totalCount: number; nodes: { email: string; globalRole: string }[] } }>(
      USERS,
      { s: "regular" },
      { token: admin.token },
    );
    expect(r.data?.adminUsers.nodes.map((n) => n.email)).toEqual([user.email]);
    const me = await api.gql<{ me: { globalRole: string } }>(`{ me { globalRole } }`, {}, { token: admin.token });
    expect(me.data?.me.globalRole).toBe("ADMIN");
  });

  it("paginates users", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: Awaited<ReturnType<TestApi["gql"]>> = await api.gql(USERS, { f: 1, a: after }, { token: admin.token });
      const c = (r.data as { adminUsers: { hasNextPage: boolean; endCursor: string | null; nodes: { id: string }[] } })
        .adminUsers;
      seen.push(...c.nodes.map((n) => n.id));
      if (!c.hasNextPage) break;
      after = c.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(user.id);
    expect(seen).toContain(admin.id);
  });

  it("pages users in the common connection shape both ways; the deprecated fields still say the same", async () => {
    type UserPage = {
      totalCount: number;
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
      edges: { cursor: string; node: { id: string; email: string } }[];
      nodes: { id: string }[];
      hasNextPage: boolean;
      endCursor: string | null;
    };
    for (let i = 0; i < 4; i++) await api.user(`Pager ${i}`);
    const page = async (vars: Record<string, unknown>) => {
      const r = await api.gql<{ adminUsers: UserPage }>(USER_PAGES, vars, { token: admin.token });
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      const p = r.data.adminUsers;
      // The first shape's fields, deprecated for one release, from the same page.
      expect(p.nodes.map((n) => n.id)).toEqual(p.edges.map((e) => e.node.id));
      expect(p.hasNextPage).toBe(p.pageInfo.hasNextPage);
      expect(p.endCursor).toBe(p.pageInfo.endCursor);
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
      return p;
    };
    const walk = async (backward: boolean) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const p = await page(backward ? { l: 2, b: cursor } : { f: 2, a: cursor });
        if (backward) ids.unshift(...p.edges.map((e) => e.node.id));
        else ids.push(...p.edges.map((e) => e.node.id));
        expect(backward ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage).toBe(i > 0);
        if (!(backward ? p.pageInfo.hasPreviousPage : p.pageInfo.hasNextPage)) return { ids, total: p.totalCount };
        cursor = backward ? p.pageInfo.startCursor : p.pageInfo.endCursor;
      }
      throw new Error("more than 50 pages");
    };
    const forwards = await walk(false);
    expect(forwards.ids.length).toBe(forwards.total);
    expect(forwards.ids.length, "three pages at least").toBeGreaterThanOrEqual(6);
    expect(new Set(forwards.ids).size).toBe(forwards.ids.length);
    expect((await walk(true)).ids).toEqual(forwards.ids);
    // Newest first: the last user created is the first row.
    const newest = await api.user("Newest of all");
    expect((await page({ f: 1 })).edges[0]!.node.id).toBe(newest.id);
    expect(codeOf(await api.gql(USER_PAGES, { f: 1, l: 1 }, { token: admin.token }))).toBe("BAD_USER_INPUT");
    const bad = await api.gql(USER_PAGES, { l: 1, b: "garbage" }, { token: admin.token });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { before: "invalid cursor" } });
  });

  it("a platform admin still needs a membership to see a workspace", async () => {
    const ws = await createWorkspace(api, user, "Private Biz");
    expect(
      codeOf(
        await api.gql(`query($s: String!) { workspace(slug: $s) { id } }`, { s: ws.slug }, { token: admin.token }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      codeOf(
        await api.gql(`query($w: ID!) { members(workspaceId: $w) { role } }`, { w: ws.id }, { token: admin.token }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("disabling a user ends their sessions at once and blocks sign-in; enabling restores sign-in", async () => {
    const victim = await api.user("Disable me");
    const r = await api.gql<{ setUserDisabled: { disabled: boolean } }>(
      `mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { disabled } }`,
      { u: victim.id },
      { token: admin.token },
    );
    expect(r.data?.setUserDisabled.disabled).toBe(true);
    expect(codeOf(await api.gql(`{ me { id } }`, {}, { token: victim.token }))).toBe("UNAUTHENTICATED");
    const signIn = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`;
    expect(codeOf(await api.gql(signIn, { i: { email: victim.email, password: victim.password } }))).toBe(
      "UNAUTHENTICATED",
    );
    await api.gql(
      `mutation($u: ID!) { setUserDisabled(userId: $u, disabled: false) { disabled } }`,
      { u: victim.id },
      { token: admin.token },
    );
    expect((await api.gql(signIn, { i: { email: victim.email, password: victim.password } })).errors).toBeUndefined();
    expect(
      codeOf(
        await api.gql(
          `mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { disabled } }`,
          { u: victim.id },
          { token: user.token },
        ),
      ),
    ).toBe("FORBIDDEN");
  });

  it("registration modes: allowed domains, invitation only (invitations still admit), closed (nothing admits)", async () => {
    // An invitation to use across modes.
    const owner = user;
    const ws = await createWorkspace(api, owner, "Hiring Co");
    await api.gql(
      `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`,
      { w: ws.id, i: { email: "invitee@elsewhere.org", preset: "viewer" } },
      { token: owner.token },
    );
    const invitation = await mailboxToken(api.url, "invitee@elsewhere.org");

    expect(codeOf(await setMode("ALLOWED_DOMAINS", []))).toBe("BAD_USER_INPUT");
    expect(codeOf(await setMode("ALLOWED_DOMAINS", ["Not A Domain"]))).toBe("BAD_USER_INPUT");
    expect((await setMode("ALLOWED_DOMAINS", ["acme.com"])).errors).toBeUndefined();
    expect((await signUp("someone@acme.com")).errors).toBeUndefined();
    const refused = await signUp("someone@other.com");
    expect(codeOf(refused)).toBe("FORBIDDEN");
    expect(refused.errors?.[0]?.extensions?.reason).toBe("REGISTRATION_DOMAIN_NOT_ALLOWED");

    await setMode("INVITATION_ONLY");
    expect(codeOf(await signUp("someone2@acme.com"))).toBe("FORBIDDEN");
    // An invitation for another address does not admit.
    expect(codeOf(await signUp("intruder@elsewhere.org", invitation))).toBe("FORBIDDEN");

    await setMode("CLOSED");
    expect(codeOf(await signUp("invitee@elsewhere.org", invitation))).toBe("FORBIDDEN");

    await setMode("INVITATION_ONLY");
    const ok = await signUp("invitee@elsewhere.org", invitation);
    expect(ok.data?.signUp.user.emailVerified).toBe(true);

    await setMode("OPEN");
    expect((await signUp("anyone@anywhere.net")).errors).toBeUndefined();
    expect(
      codeOf(await api.gql(SET_REG, { i: { mode: "CLOSED", allowedEmailDomains: [] } }, { token: user.token })),
    ).toBe("FORBIDDEN");
  });
});
