// Losing a race is a client error (issue 9): ten concurrent calls of the same change — one wins,
// the others get NOT_FOUND / FORBIDDEN / a typed refusal, never INTERNAL_SERVER_ERROR; and
// concurrent invitations to one address leave exactly one working link.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  createWorkspace,
  mailbox,
  ownerSql,
  raceOnLock,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const N = 10;
/** The test API's database pool: how many requests can be inside a transaction at once. */
const POOL = 5;
const REMOVE = `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`;
const UPDATE = `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role } }`;
const INVITE = `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`;
const PREVIEW = `query($t: String!) { invitation(token: $t) { email } }`;

/** The code of each answer ("ok" for a success), and a check that none is internal. */
function outcomes(results: GqlResult[]): string[] {
  return results.map((r) => {
    expect(r.status, JSON.stringify(r.errors)).toBeLessThan(500);
    const code = r.errors?.[0]?.extensions?.code;
    expect(code, JSON.stringify(r.errors)).not.toBe("INTERNAL_SERVER_ERROR");
    return code ?? "ok";
  });
}
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe("concurrent member and invitation changes", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };

  const times = <T>(n: number, fn: (i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
  const mailTokens = async (email: string, count: number): Promise<string[]> => {
    const mails = await mailbox(api.url, email, count);
    return mails.map((m) => /token=([A-Za-z0-9_.-]+)/.exec(m.text)![1]!);
  };
  const working = async (tokens: string[]) => {
    const previews = await Promise.all(tokens.map((t) => api.gql(PREVIEW, { t })));
    return previews.filter((p) => p.data !== null && !p.errors).length;
  };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Race Owner");
    ws = await createWorkspace(api, owner, "Race Co");
  });
  afterAll(async () => api?.close());

  it("10 concurrent removeMember for one member: 1 succeeds, 9 answer NOT_FOUND", async () => {
    const member = await api.user("Removed");
    await addMember(api, ws.id, member, "AGENT");
    // Every transaction the pool admits (5) reads the member, then waits to delete it: the race.
    const results = outcomes(
      await raceOnLock(
        api,
        `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 FOR UPDATE`,
        [ws.id, member.id],
        POOL,
        () => times(N, () => api.gql(REMOVE, { w: ws.id, u: member.id }, { token: owner.token })),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "NOT_FOUND")).toBe(N - 1);
    const audit = await ownerSql(
      api,
      `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'member.removed' AND target_id = $2`,
      [ws.id, member.id],
    );
    expect(audit).toHaveLength(1);
  });

  it("updateMember racing removeMember: each answers success or NOT_FOUND, one removal wins", async () => {
    for (let round = 0; round < 2; round++) {
      const member = await api.user(`Edited ${round}`);
      await addMember(api, ws.id, member, "AGENT", ["lead.read"]);
      const results = outcomes(
        await raceOnLock(
          api,
          `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 FOR UPDATE`,
          [ws.id, member.id],
          POOL,
          () =>
            times(N, (i) =>
              i % 2 === 0
                ? api.gql(REMOVE, { w: ws.id, u: member.id }, { token: owner.token })
                : api.gql(
                    UPDATE,
                    { w: ws.id, u: member.id, i: { role: "AGENT", policies: ["lead.read", "contact.read"] } },
                    { token: owner.token },
                  ),
            ),
        ),
      );
      expect(results.every((c) => c === "ok" || c === "NOT_FOUND")).toBe(true);
      const removals = (
        await ownerSql(
          api,
          `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'member.removed' AND target_id = $2`,
          [ws.id, member.id],
        )
      ).length;
      expect(removals).toBe(1);
      expect(
        await ownerSql(api, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.id, member.id]),
      ).toHaveLength(0);
    }
  });

  it("10 concurrent leaveWorkspace by one member: 1 succeeds, 9 answer NOT_FOUND", async () => {
    const leaver = await api.user("Leaver");
    await addMember(api, ws.id, leaver, "ADMIN");
    const results = outcomes(
      await times(N, () =>
        api.gql(`mutation($w: ID!) { leaveWorkspace(workspaceId: $w) }`, { w: ws.id }, { token: leaver.token }),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "NOT_FOUND")).toBe(N - 1);
  });

  it("10 concurrent transferOwnership: one transfer happens, the rest are FORBIDDEN, exactly one owner remains", async () => {
    const own = await api.user("Transfer Owner");
    const w = await createWorkspace(api, own, "Transfer Race");
    const targets: TestUser[] = [];
    for (let i = 0; i < N; i++) {
      const t = await api.user(`Heir ${i}`);
      await addMember(api, w.id, t, "ADMIN");
      targets.push(t);
    }
    // Half to one heir, half to ten different heirs: either way, one winner.
    const results = outcomes(
      await times(N, (i) =>
        api.gql(
          `mutation($w: ID!, $u: ID!) { transferOwnership(workspaceId: $w, userId: $u) { id } }`,
          { w: w.id, u: targets[i % 2 === 0 ? 0 : i]!.id },
          { token: own.token },
        ),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "FORBIDDEN")).toBe(N - 1);
    const owners = await ownerSql<{ user_id: string }>(
      api,
      `SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'OWNER'`,
      [w.id],
    );
    expect(owners).toHaveLength(1);
    expect(owners[0]!.user_id).not.toBe(own.id);
  });

  it("10 concurrent inviteMember for one address leave exactly one pending invitation and one working link", async () => {
    const email = "raced-invitee@example.com";
    const results = outcomes(
      await times(N, () => api.gql(INVITE, { w: ws.id, i: { email, preset: "viewer" } }, { token: owner.token })),
    );
    expect(results.every((c) => c === "ok")).toBe(true); // each replaced the one before it
    const pending = await ownerSql(
      api,
      `SELECT id FROM invitations WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [ws.id, email],
    );
    expect(pending).toHaveLength(1);
    const tokens = await mailTokens(email, N);
    expect(tokens).toHaveLength(N);
    expect(await working(tokens)).toBe(1);

    // Revoking "the" invitation leaves no working link.
    const revoked = await api.gql(
      `mutation($w: ID!, $id: ID!) { revokeInvitation(workspaceId: $w, id: $id) }`,
      { w: ws.id, id: (pending[0] as { id: string }).id },
      { token: owner.token },
    );
    expect(revoked.data).toEqual({ revokeInvitation: true });
    expect(await working(tokens)).toBe(0);
  });

  it("the database itself refuses a second pending invitation for the same address", async () => {
    const email = "index-guard@example.com";
    await api.gql(INVITE, { w: ws.id, i: { email, preset: "viewer" } }, { token: owner.token });
    await expect(
      ownerSql(
        api,
        `INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'AGENT', md5(random()::text), now() + interval '1 day')`,
        [ws.id, email],
      ),
    ).rejects.toThrow(/invitations_one_pending_per_email/);
    // A revoked or accepted one does not count.
    await ownerSql(
      api,
      `INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at, revoked_at) VALUES ($1, $2, 'AGENT', md5(random()::text), now() + interval '1 day', now())`,
      [ws.id, email],
    );
  });

  it("10 concurrent revokeInvitation: 1 succeeds, 9 answer NOT_FOUND", async () => {
    const r = await api.gql<{ inviteMember: { id: string } }>(
      INVITE,
      { w: ws.id, i: { email: "revoke-race@example.com", preset: "viewer" } },
      { token: owner.token },
    );
    const id = r.data!.inviteMember.id;
    const results = outcomes(
      await times(N, () =>
        api.gql(
          `mutation($w: ID!, $id: ID!) { revokeInvitation(workspaceId: $w, id: $id) }`,
          { w: ws.id, id },
          { token: owner.token },
        ),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "NOT_FOUND")).toBe(N - 1);
  });

  it("resendInvitation losing to a revocation answers NOT_FOUND and mails no new link", async () => {
    const email = "resend-race@example.com";
    const r = await api.gql<{ inviteMember: { id: string } }>(
      INVITE,
      { w: ws.id, i: { email, preset: "viewer" } },
      { token: owner.token },
    );
    const id = r.data!.inviteMember.id;
    const mailJobs = async () =>
      (await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'send-mail'`))[0]!.n;
    const jobsBefore = await mailJobs();
    // The resends read the pending invitation, then the revocation commits under them.
    const results = outcomes(
      await raceOnLock(
        api,
        `SELECT 1 FROM invitations WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
        [ws.id, id],
        POOL,
        () =>
          times(N, () =>
            api.gql(
              `mutation($w: ID!, $id: ID!) { resendInvitation(workspaceId: $w, id: $id) { id } }`,
              { w: ws.id, id },
              { token: owner.token },
            ),
          ),
        async (sql) => {
          await sql(`UPDATE invitations SET revoked_at = now() WHERE workspace_id = $1 AND id = $2`, [ws.id, id]);
          await sql("COMMIT");
        },
      ),
    );
    expect(count(results, "NOT_FOUND")).toBe(N);
    // The refused resends rolled back, and their mail jobs with them: the original mail only.
    expect(await mailJobs()).toBe(jobsBefore);
    const tokens = await mailTokens(email, 1);
    expect(tokens).toHaveLength(1);
    expect(await working(tokens)).toBe(0);
  });

  it("10 concurrent acceptInvitation with one link: 1 joins, 9 answer INVITATION_USED", async () => {
    const invitee = await api.user("Acceptor");
    await api.gql(INVITE, { w: ws.id, i: { email: invitee.email, preset: "viewer" } }, { token: owner.token });
    const [token] = await mailTokens(invitee.email, 2); // its verification mail, then the invitation
    const results = await times(N, () =>
      api.gql(`mutation($t: String!) { acceptInvitation(token: $t) { id } }`, { t: token }, { token: invitee.token }),
    );
    const codes = outcomes(results);
    expect(count(codes, "ok")).toBe(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.reason === "INVITATION_USED")).toHaveLength(N - 1);
    expect(
      await ownerSql(api, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.id, invitee.id]),
    ).toHaveLength(1);
  });
});
