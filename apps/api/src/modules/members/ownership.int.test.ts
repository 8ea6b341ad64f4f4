import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const UPDATE = `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role policies } }`;
const REMOVE = `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`;
const TRANSFER = `mutation($w: ID!, $u: ID!) { transferOwnership(workspaceId: $w, userId: $u) { myRole } }`;
const LEAVE = `mutation($w: ID!) { leaveWorkspace(workspaceId: $w) }`;
const INVITE = `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`;

describe("ownership and escalation", () => {
  let api: TestApi;
  let owner: TestUser;
  let admin: TestUser;
  let agentWithMembers: TestUser;
  let plainAgent: TestUser;
  let ws: { id: string; slug: string };

  const owners = async (workspaceId: string) =>
    Number(
      (
        await ownerSql<{ n: string }>(
          api,
          `SELECT count(*) AS n FROM memberships WHERE workspace_id = $1 AND role = 'OWNER'`,
          [workspaceId],
        )
      )[0]!.n,
    );
  const roleOf = async (workspaceId: string, userId: string) =>
    (
      await ownerSql<{ role: string }>(api, `SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
        workspaceId,
        userId,
      ])
    )[0]?.role;

  beforeAll(async () => {
    api = await startTestApi();
    [owner, admin, agentWithMembers, plainAgent] = await Promise.all([
      api.user("Owner"),
      api.user("Admin"),
      api.user("Lead agent"),
      api.user("Agent"),
    ]);
    ws = await createWorkspace(api, owner, "Escalation Inc");
    await addMember(api, ws.id, admin, "ADMIN");
    await addMember(api, ws.id, agentWithMembers, "AGENT", ["workspace.members", "lead.read"]);
    await addMember(api, ws.id, plainAgent, "AGENT", ["lead.read"]);
  });
  afterAll(async () => api.close());

  it("nobody grants a policy they do not hold", async () => {
    const r = await api.gql(
      UPDATE,
      { w: ws.id, u: plainAgent.id, i: { policies: ["lead.read", "audit.read"] } },
      { token: agentWithMembers.token },
    );
    expect(codeOf(r)).toBe("FORBIDDEN");
    const inv = await api.gql(
      INVITE,
      { w: ws.id, i: { email: "x@example.com", role: "AGENT", policies: ["lead.manage"] } },
      { token: agentWithMembers.token },
    );
    expect(codeOf(inv)).toBe("FORBIDDEN");
    const adminInvite = await api.gql(
      INVITE,
      { w: ws.id, i: { email: "y@example.com", role: "ADMIN" } },
      { token: agentWithMembers.token },
    );
    expect(codeOf(adminInvite)).toBe("FORBIDDEN");
    // What they hold, they may grant.
    const ok = await api.gql(
      UPDATE,
      { w: ws.id, u: plainAgent.id, i: { policies: ["lead.read"] } },
      { token: agentWithMembers.token },
    );
    expect(ok.errors).toBeUndefined();
  });

  it("an agent cannot promote themselves, and a self-granted policy is refused", async () => {
    expect(
      codeOf(
        await api.gql(
          UPDATE,
          { w: ws.id, u: agentWithMembers.id, i: { role: "ADMIN" } },
          { token: agentWithMembers.token },
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(
      codeOf(
        await api.gql(
          UPDATE,
          { w: ws.id, u: agentWithMembers.id, i: { policies: ["workspace.members", "lead.read", "lead.manage"] } },
          { token: agentWithMembers.token },
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(await roleOf(ws.id, agentWithMembers.id)).toBe("AGENT");
  });

  it("an admin cannot make themselves owner, demote or remove the owner, or transfer ownership", async () => {
    expect(codeOf(await api.gql(UPDATE, { w: ws.id, u: admin.id, i: { role: "OWNER" } }, { token: admin.token }))).toBe(
      "FORBIDDEN",
    );
    expect(codeOf(await api.gql(UPDATE, { w: ws.id, u: owner.id, i: { role: "AGENT" } }, { token: admin.token }))).toBe(
      "FORBIDDEN",
    );
    expect(codeOf(await api.gql(REMOVE, { w: ws.id, u: owner.id }, { token: admin.token }))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(TRANSFER, { w: ws.id, u: admin.id }, { token: admin.token }))).toBe("FORBIDDEN");
    expect(
      codeOf(
        await api.gql(INVITE, { w: ws.id, i: { email: "owner2@example.com", role: "OWNER" } }, { token: admin.token }),
      ),
    ).toBe("FORBIDDEN");
    expect(await roleOf(ws.id, owner.id)).toBe("OWNER");
    expect(await roleOf(ws.id, admin.id)).toBe("ADMIN");
  });

  it("editing a member of another workspace with a valid user id answers NOT_FOUND", async () => {
    const other = await api.user("Other owner");
    const theirs = await createWorkspace(api, other, "Theirs Ltd");
    const victim = await api.user("Victim");
    await addMember(api, theirs.id, victim, "AGENT", ["lead.read"]);
    // Our workspace id, their member's id: not a member here.
    expect(
      codeOf(
        await api.gql(UPDATE, { w: ws.id, u: victim.id, i: { role: "AGENT", policies: [] } }, { token: owner.token }),
      ),
    ).toBe("NOT_FOUND");
    // Their workspace id: we are not members there.
    for (const [q, v] of [
      [UPDATE, { w: theirs.id, u: victim.id, i: { policies: [] } }],
      [REMOVE, { w: theirs.id, u: victim.id }],
      [TRANSFER, { w: theirs.id, u: victim.id }],
      [LEAVE, { w: theirs.id }],
      [`query($w: ID!) { members(workspaceId: $w) { role } }`, { w: theirs.id }],
    ] as const) {
      expect(codeOf(await api.gql(q, v, { token: owner.token })), q).toBe("NOT_FOUND");
    }
    expect(await roleOf(theirs.id, victim.id)).toBe("AGENT");
  });

  it("the last owner cannot leave or be demoted (CONFLICT); transfer moves ownership", async () => {
    const solo = await api.user("Solo");
    const mine = await createWorkspace(api, solo, "Solo Works");
    expect(codeOf(await api.gql(LEAVE, { w: mine.id }, { token: solo.token }))).toBe("CONFLICT");
    expect(codeOf(await api.gql(UPDATE, { w: mine.id, u: solo.id, i: { role: "ADMIN" } }, { token: solo.token }))).toBe(
      "CONFLICT",
    );
    const heir = await api.user("Heir");
    await addMember(api, mine.id, heir, "AGENT", []);
    const t = await api.gql<{ transferOwnership: { myRole: string } }>(
      TRANSFER,
      { w: mine.id, u: heir.id },
      { token: solo.token },
    );
    expect(t.data?.transferOwnership.myRole).toBe("ADMIN");
    expect(await roleOf(mine.id, heir.id)).toBe("OWNER");
    expect(await owners(mine.id)).toBe(1);
    expect((await api.gql(LEAVE, { w: mine.id }, { token: solo.token })).data).toEqual({ leaveWorkspace: true });
  });

  it("two owners demoting each other at the same time never leave zero owners", async () => {
    for (let round = 0; round < 8; round++) {
      const [a, b] = await Promise.all([api.user(`A${round}`), api.user(`B${round}`)]);
      const w = await createWorkspace(api, a, `Race ${round}`);
      await addMember(api, w.id, b, "OWNER");
      const results = await Promise.all([
        api.gql(UPDATE, { w: w.id, u: b.id, i: { role: "ADMIN" } }, { token: a.token }),
        api.gql(UPDATE, { w: w.id, u: a.id, i: { role: "ADMIN" } }, { token: b.token }),
      ]);
      expect(await owners(w.id)).toBeGreaterThanOrEqual(1);
      const failed = results.filter((r) => r.errors);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      for (const f of failed) expect(["CONFLICT", "FORBIDDEN"]).toContain(codeOf(f));
    }
  });

  it("two owners leaving at once, or one leaving while demoting the other, keep an owner", async () => {
    for (let round = 0; round < 6; round++) {
      const [a, b] = await Promise.all([api.user(`L${round}a`), api.user(`L${round}b`)]);
      const w = await createWorkspace(api, a, `Leave race ${round}`);
      await addMember(api, w.id, b, "OWNER");
      const ops =
        round % 2 === 0
          ? [api.gql(LEAVE, { w: w.id }, { token: a.token }), api.gql(LEAVE, { w: w.id }, { token: b.token })]
          : [
              api.gql(LEAVE, { w: w.id }, { token: a.token }),
              api.gql(UPDATE, { w: w.id, u: b.id, i: { role: "AGENT" } }, { token: a.token }),
            ];
      const results = await Promise.all(ops);
      expect(await owners(w.id)).toBeGreaterThanOrEqual(1);
      expect(results.some((r) => r.errors)).toBe(true);
    }
  });
});
