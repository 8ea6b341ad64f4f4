// A person's own account (issue 49, decision 0038): changing the password (current password
// required, step-up when a workspace asks for it), changing the e-mail address with a revert link
// to the old one, and deleting the account — refused while they alone own a workspace, otherwise
// taking their memberships, sessions, factors and API keys, and leaving only their id in audit.
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

const CHANGE_PASSWORD = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const REQUEST_EMAIL_CHANGE = `mutation($e: String!, $c: String!) { requestEmailChange(newEmail: $e, currentPassword: $c) }`;
const CONFIRM_EMAIL_CHANGE = `mutation($t: String!) { confirmEmailChange(token: $t) }`;
const REVERT_EMAIL_CHANGE = `mutation($t: String!) { revertEmailChange(token: $t) }`;
const DELETE_ACCOUNT = `mutation($c: String!) { deleteAccount(currentPassword: $c) }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken } }`;
const ME = `{ me { id email } }`;
const NEW_PASSWORD = "violet-orbit-kettle-57";

describe("account changes", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ stepUpEnabled: true });
  });
  afterAll(async () => api.close());

  const signIn = (email: string, password: string) =>
    api.gql<{ signIn: { accessToken: string; refreshToken: string } }>(SIGN_IN, { i: { email, password } });
  const count = async (sql: string, params: unknown[]) => (await ownerSql<{ n: number }>(api, sql, params))[0]!.n;
  const mailsTo = async (email: string) =>
    (await (await fetch(`${api.url}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as {
      subject: string;
      text: string;
    }[];

  describe("change password", () => {
    it("refuses a wrong current password, typed on its field", async () => {
      const user = await api.user();
      const r = await api.gql(CHANGE_PASSWORD, { c: "not my password", n: NEW_PASSWORD }, { token: user.token });
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.extensions?.reason).toBe("WRONG_PASSWORD");
      expect(r.errors?.[0]?.extensions?.fields).toEqual({ currentPassword: "That is not your current password." });
      expect((await signIn(user.email, user.password)).errors).toBeUndefined();
      expect(codeOf(await signIn(user.email, NEW_PASSWORD))).toBe("UNAUTHENTICATED");
    });

    it("budgets wrong current passwords per user", async () => {
      const user = await api.user();
      for (let i = 0; i < 10; i++)
        expect(
          codeOf(await api.gql(CHANGE_PASSWORD, { c: `wrong ${i}`, n: NEW_PASSWORD }, { token: user.token })),
        ).toBe("BAD_USER_INPUT");
      expect(codeOf(await api.gql(CHANGE_PASSWORD, { c: user.password, n: NEW_PASSWORD }, { token: user.token }))).toBe(
        "RATE_LIMITED",
      );
    });

    it("refuses a weak new password with feedback, and the current one again", async () => {
      const user = await api.user();
      const weak = await api.gql(CHANGE_PASSWORD, { c: user.password, n: "password123456" }, { token: user.token });
      expect(weak.errors?.[0]?.extensions?.reason).toBe("WEAK_PASSWORD");
      expect(Object.keys(weak.errors?.[0]?.extensions?.fields as object)).toEqual(["newPassword"]);
      const same = await api.gql(CHANGE_PASSWORD, { c: user.password, n: user.password }, { token: user.token });
      expect(same.errors?.[0]?.extensions?.fields).toEqual({
        newPassword: "Choose a password different from your current one.",
      });
    });

    it("changes it with the current one: this session stays, the others end, a notice is mailed", async () => {
      const user = await api.user();
      const other = (await signIn(user.email, user.password)).data!.signIn;
      expect(
        (await api.gql(CHANGE_PASSWORD, { c: user.password, n: NEW_PASSWORD }, { token: user.token })).data,
      ).toEqual({ changePassword: true });
      expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: user.email } });
      expect(codeOf(await api.gql(ME, {}, { token: other.accessToken }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await signIn(user.email, user.password))).toBe("UNAUTHENTICATED");
      expect((await signIn(user.email, NEW_PASSWORD)).errors).toBeUndefined();
      const mails = await mailbox(api.url, user.email, 2);
      expect(mails[0]!.subject).toBe("Your Atrium password was changed");
    });

    it("asks for step-up when a workspace of the user requires it, and not for an API key at all", async () => {
      const user = await api.user();
      const ws = await createWorkspace(api, user, "Strict Co");
      await ownerSql(api, `UPDATE workspaces SET require_step_up = true, step_up_lifetime_minutes = 10 WHERE id = $1`, [
        ws.id,
      ]);
      const r = await api.gql(CHANGE_PASSWORD, { c: user.password, n: NEW_PASSWORD }, { token: user.token });
      expect(codeOf(r)).toBe("STEP_UP_REQUIRED");
      expect(r.errors?.[0]?.extensions?.lifetimeMinutes).toBe(10);
      // A verification older than the lifetime does not count; a fresh one does.
      await ownerSql(
        api,
        `UPDATE sessions SET step_up_verified_at = now() - interval '11 minutes' WHERE user_id = $1`,
        [user.id],
      );
      expect(codeOf(await api.gql(CHANGE_PASSWORD, { c: user.password, n: NEW_PASSWORD }, { token: user.token }))).toBe(
        "STEP_UP_REQUIRED",
      );
      await ownerSql(api, `UPDATE sessions SET step_up_verified_at = now() WHERE user_id = $1`, [user.id]);
      expect(
        (await api.gql(CHANGE_PASSWORD, { c: user.password, n: NEW_PASSWORD }, { token: user.token })).data,
      ).toEqual({ changePassword: true });
      // API keys are machine principals: no account changes.
      const key = (
        await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.read"] }) { secret } }`,
          { w: ws.id },
          { token: user.token },
        )
      ).data!.createApiKey.secret;
      expect(
        codeOf(await api.gql(CHANGE_PASSWORD, { c: NEW_PASSWORD, n: "another-fine-passphrase-91" }, { token: key })),
      ).toBe("FORBIDDEN");
    });
  });

  describe("change e-mail", () => {
    it("moves the account once the new address confirms, tells the old one, and reverts within 7 days", async () => {
      const user = await api.user();
      const other = (await signIn(user.email, user.password)).data!.signIn;
      const next = `moved-${Date.now()}@example.com`;
      const wrong = await api.gql(REQUEST_EMAIL_CHANGE, { e: next, c: "not my password" }, { token: user.token });
      expect(wrong.errors?.[0]?.extensions?.reason).toBe("WRONG_PASSWORD");
      expect((await api.gql(REQUEST_EMAIL_CHANGE, { e: next, c: user.password }, { token: user.token })).data).toEqual({
        requestEmailChange: true,
      });
      // Nothing changes before the new address confirms.
      expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: user.email } });
      const confirm = await mailboxToken(api.url, next);
      expect((await mailbox(api.url, next))[0]!.subject).toBe("Confirm your new e-mail address for Atrium");
      expect((await api.gql(CONFIRM_EMAIL_CHANGE, { t: confirm })).data).toEqual({ confirmEmailChange: true });
      expect(codeOf(await api.gql(CONFIRM_EMAIL_CHANGE, { t: confirm }))).toBe("BAD_USER_INPUT");
      expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: next } });
      expect((await signIn(next, user.password)).errors).toBeUndefined();
      expect(codeOf(await signIn(user.email, user.password))).toBe("UNAUTHENTICATED");

      // The old address is told, with a revert link valid 7 days, stored as a hash.
      const told = await mailbox(api.url, user.email, 2);
      expect(told[0]!.subject).toBe("Your Atrium e-mail address was changed");
      expect(told[0]!.text).toContain(next);
      const revert = await mailboxToken(api.url, user.email, 2);
      const row = await ownerSql<{ revert_token_hash: string; revert_expires_at: Date; confirmed_at: Date }>(
        api,
        `SELECT revert_token_hash, revert_expires_at, confirmed_at FROM email_changes WHERE user_id = $1`,
        [user.id],
      );
      expect(row).toHaveLength(1);
      expect(row[0]!.revert_token_hash).not.toContain(revert);
      const days = (row[0]!.revert_expires_at.getTime() - row[0]!.confirmed_at.getTime()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThan(7.01);

      expect((await api.gql(REVERT_EMAIL_CHANGE, { t: revert })).data).toEqual({ revertEmailChange: true });
      expect(codeOf(await api.gql(REVERT_EMAIL_CHANGE, { t: revert }))).toBe("BAD_USER_INPUT");
      // The old address is back; every session ended (whoever moved it may hold one).
      for (const t of [user.token, other.accessToken])
        expect(codeOf(await api.gql(ME, {}, { token: t }))).toBe("UNAUTHENTICATED");
      const back = await signIn(user.email, user.password);
      expect(back.errors).toBeUndefined();
      expect((await api.gql(ME, {}, { token: back.data!.signIn.accessToken })).data).toEqual({
        me: { id: user.id, email: user.email },
      });
      expect(codeOf(await signIn(next, user.password))).toBe("UNAUTHENTICATED");
      expect((await mailbox(api.url, user.email, 3))[0]!.subject).toBe("Your Atrium e-mail address was restored");
    });

    it("refuses an expired revert link", async () => {
      const user = await api.user();
      const next = `moved-exp-${Date.now()}@example.com`;
      await api.gql(REQUEST_EMAIL_CHANGE, { e: next, c: user.password }, { token: user.token });
      await api.gql(CONFIRM_EMAIL_CHANGE, { t: await mailboxToken(api.url, next) });
      const revert = await mailboxToken(api.url, user.email, 2);
      await ownerSql(
        api,
        `UPDATE email_changes SET revert_expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );
      expect(codeOf(await api.gql(REVERT_EMAIL_CHANGE, { t: revert }))).toBe("BAD_USER_INPUT");
      expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: next } });
    });

    it("answers alike for an address another account holds, mails that address a notice, changes nothing", async () => {
      const user = await api.user();
      const holder = await api.user();
      expect(
        (await api.gql(REQUEST_EMAIL_CHANGE, { e: holder.email, c: user.password }, { token: user.token })).data,
      ).toEqual({ requestEmailChange: true });
      const mails = await mailbox(api.url, holder.email, 2);
      expect(mails[0]!.subject).toBe("Someone tried to use your address on Atrium");
      expect(mails[0]!.text).not.toMatch(/token=/);
      expect(await count(`SELECT count(*)::int AS n FROM email_changes WHERE user_id = $1`, [user.id])).toBe(0);
      expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: user.email } });
    });
  });

  describe("delete account", () => {
    it("is refused while the user is the only owner of a workspace, naming those workspaces", async () => {
      const user = await api.user();
      const a = await createWorkspace(api, user, "Acme Alone");
      const b = await createWorkspace(api, user, "Beta Alone");
      const shared = await createWorkspace(api, user, "Gamma Shared");
      await addMember(api, shared.id, await api.user(), "OWNER");
      const r = await api.gql(DELETE_ACCOUNT, { c: user.password }, { token: user.token });
      expect(codeOf(r)).toBe("CONFLICT");
      const ext = r.errors?.[0]?.extensions as {
        reason: string;
        workspaces: { id: string; slug: string; name: string }[];
      };
      expect(ext.reason).toBe("SOLE_OWNER");
      expect(ext.workspaces.map((w) => w.id).sort()).toEqual([a.id, b.id].sort());
      expect(r.errors?.[0]?.message).toContain("Acme Alone");
      expect(r.errors?.[0]?.message).toContain("Beta Alone");
      expect(r.errors?.[0]?.message).not.toContain("Gamma Shared");
      // The page can show them beforehand.
      const listed = await api.gql<{ soleOwnedWorkspaces: { name: string }[] }>(
        `{ soleOwnedWorkspaces { name } }`,
        {},
        { token: user.token },
      );
      expect(listed.data?.soleOwnedWorkspaces.map((w) => w.name)).toEqual(["Acme Alone", "Beta Alone"]);
      // Nothing was removed.
      expect(await count(`SELECT count(*)::int AS n FROM memberships WHERE user_id = $1`, [user.id])).toBe(3);
      expect((await api.gql(ME, {}, { token: user.token })).data).toEqual({ me: { id: user.id, email: user.email } });
    });

    it("needs the current password", async () => {
      const user = await api.user();
      const r = await api.gql(DELETE_ACCOUNT, { c: "not my password" }, { token: user.token });
      expect(r.errors?.[0]?.extensions?.reason).toBe("WRONG_PASSWORD");
      expect(await count(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [user.id])).toBe(1);
    });

    it("removes memberships, sessions, factors and keys; the audit trail keeps only the id", async () => {
      const owner = await api.user();
      const ws = await createWorkspace(api, owner, "Keeps Going");
      const leaver: TestUser = await api.user();
      await addMember(api, ws.id, leaver, "ADMIN");
      const other = await createWorkspace(api, owner, "Also Here");
      await addMember(api, other.id, leaver, "OWNER"); // a co-owner: not the only one
      const second = (await signIn(leaver.email, leaver.password)).data!.signIn;
      const key = await api.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "leaver's key", scopes: ["lead.read"] }) { secret apiKey { id } } }`,
        { w: ws.id },
        { token: leaver.token },
      );
      const secret = key.data!.createApiKey.secret;
      const LEADS = `query($w: ID!) { leads(workspaceId: $w) { totalCount } }`;
      expect((await api.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();
      expect((await api.gql(`mutation { enrollTotp { secret } }`, {}, { token: leaver.token })).errors).toBeUndefined();
      expect(await count(`SELECT count(*)::int AS n FROM totp_factors WHERE user_id = $1`, [leaver.id])).toBe(1);

      expect((await api.gql(DELETE_ACCOUNT, { c: leaver.password }, { token: leaver.token })).data).toEqual({
        deleteAccount: true,
      });

      for (const [table, column] of [
        ["memberships", "user_id"],
        ["sessions", "user_id"],
        ["totp_factors", "user_id"],
        ["recovery_codes", "user_id"],
        ["users", "id"],
      ] as const) {
        expect(await count(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [leaver.id]), table).toBe(0);
      }
      expect(
        await count(`SELECT count(*)::int AS n FROM api_keys WHERE created_by_user_id = $1 AND revoked_at IS NULL`, [
          leaver.id,
        ]),
      ).toBe(0);
      expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: secret }))).toBe("UNAUTHENTICATED");
      for (const t of [leaver.token, second.accessToken])
        expect(codeOf(await api.gql(ME, {}, { token: t }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await signIn(leaver.email, leaver.password))).toBe("UNAUTHENTICATED");

      // Each workspace's log records the departure under the user's id; nothing names the person.
      const events = await ownerSql<{ workspace_id: string; actor_user_id: string; data: object }>(
        api,
        `SELECT workspace_id, actor_user_id, data FROM audit_events WHERE action = 'member.account_deleted' ORDER BY workspace_id`,
      );
      expect(events.map((e) => e.workspace_id).sort()).toEqual([ws.id, other.id].sort());
      expect(events.every((e) => e.actor_user_id === leaver.id)).toBe(true);
      expect(JSON.stringify(events)).not.toContain(leaver.email);
      const platform = await ownerSql<{ data: { workspaces: number; apiKeysRevoked: number } }>(
        api,
        `SELECT data FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'user.account_deleted'`,
        [leaver.id],
      );
      expect(platform.map((p) => p.data)).toEqual([{ workspaces: 2, apiKeysRevoked: 1 }]);
      // The workspaces carry on with their owner.
      expect(
        await count(
          `SELECT count(*)::int AS n FROM memberships WHERE workspace_id = ANY($1::uuid[]) AND role = 'OWNER'`,
          [[ws.id, other.id]],
        ),
      ).toBe(2);
      // The address is free again, and a goodbye notice went to it.
      expect((await mailbox(api.url, leaver.email, 2))[0]!.subject).toBe("Your Atrium account was deleted");
      expect((await mailsTo(leaver.email)).some((m) => /token=/.test(m.text) && m.subject.includes("deleted"))).toBe(
        false,
      );
    });
  });
});
