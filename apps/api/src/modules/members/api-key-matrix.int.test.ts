// API-key principals, generated from the permission snapshot like the members' matrix
// (operation-matrix.int.test.ts), so every workspace operation is covered for keys too:
//
// 1. scope × operation: for every `@Can(action, Subject)` operation and a key (made by the owner)
//    holding each single catalog scope, the guard lets the call through exactly when the API-key
//    ability factory allows it and the operation is not for signed-in users only; otherwise
//    FORBIDDEN.
// 2. member management by key: a key grants nothing beyond its own scopes — never the ADMIN or
//    OWNER role, no policy it lacks — and cannot change or remove anyone holding more than it
//    (issue 55, finding 2); operations on a person's own membership are refused (finding 3).
import { defineAbilityForApiKey, POLICY_CATALOG } from "@atrium/policies";
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
import { call, eachLimited, OPS } from "../../test/operations.ts";

const CREATE_KEY = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`;
const INVITE = `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id role policies } }`;
const UPDATE = `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role policies } }`;
const REMOVE = `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`;
const LEAVE = `mutation($w: ID!) { leaveWorkspace(workspaceId: $w) }`;

describe("API keys in the generated operation matrix", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const keys = new Map<string, string>();

  const createKey = async (scopes: string[]) => {
    const r = await api.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: scopes.join(" ").slice(0, 60), scopes } },
      { token: owner.token },
    );
    if (!r.data) throw new Error(`createApiKey failed: ${JSON.stringify(r.errors)}`);
    return r.data.createApiKey.secret;
  };
  const membership = async (userId: string) =>
    (
      await ownerSql<{ role: string; policies: string[] }>(
        api,
        `SELECT role::text, policies FROM memberships WHERE workspace_id = $1 AND user_id = $2`,
        [ws.id, userId],
      )
    )[0];

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Key owner");
    ws = await createWorkspace(api, owner, "Key matrix");
    for (const p of POLICY_CATALOG) keys.set(p.key, await createKey([p.key]));
  });
  afterAll(async () => api.close());

  it("finds the operations refused to keys in the snapshot", () => {
    expect(
      OPS.filter((o) => o.signedInOnly)
        .map((o) => o.name)
        .sort(),
    ).toEqual([
      "Mutation.addSsoDomain",
      "Mutation.changeEnvironment",
      "Mutation.connectSsoProvider",
      "Mutation.createApiKey",
      "Mutation.createDataSubjectRequest",
      "Mutation.deletePersistedDocument",
      "Mutation.disconnectSsoProvider",
      "Mutation.leaveWorkspace",
      "Mutation.markNotificationsRead",
      "Mutation.registerPersistedDocument",
      "Mutation.removeSsoDomain",
      "Mutation.setSsoDomainRequired",
      "Mutation.setWorkspaceSecurity",
      "Mutation.updateInboxSettings",
      "Mutation.verifySsoDomain",
      "Query.inboxSettings",
      "Query.notifications",
      "Query.ssoSettings",
    ]);
  });

  it.each(POLICY_CATALOG.map((p) => [p.key] as const))(
    "a key scoped to %s: the guard allows exactly what the API-key ability allows, on every operation",
    async (scope) => {
      const ability = defineAbilityForApiKey({
        workspaceId: ws.id,
        creatorRole: "OWNER",
        creatorPolicies: [],
        scopes: [scope],
      });
      const mismatches: string[] = [];
      // Independent calls, 6 at a time.
      await eachLimited(OPS, 6, async (op) => {
        const expected = !op.signedInOnly && ability.can(op.action, op.subject);
        const { document, variables } = call(op, { workspaceId: ws.id, slug: ws.slug, ids: {} });
        const r = await api.gql(document, variables, { token: keys.get(scope)! });
        const code = codeOf(r);
        const workspaceMissing = code === "NOT_FOUND" && r.errors?.[0]?.message === "Workspace not found.";
        const got = code === "FORBIDDEN" ? "deny" : workspaceMissing ? "workspace not found" : "allow";
        if (got !== (expected ? "allow" : "deny"))
          mismatches.push(
            `${op.name} (${op.action}:${op.subject}): expected ${expected ? "allow" : "deny"}, got ${got} ${code ?? ""} ${r.errors?.[0]?.message ?? ""}`,
          );
      });
      expect(mismatches).toEqual([]);
      // No call above removed the key's creator (leaveWorkspace is refused to keys).
      expect((await membership(owner.id))?.role).toBe("OWNER");
    },
  );

  describe("member management by an owner's key with workspace.members", () => {
    let agent: TestUser;
    let admin: TestUser;
    let reader: TestUser;
    let membersOnly = "";
    let membersAndLeads = "";

    beforeAll(async () => {
      agent = await api.user("Plain agent");
      await addMember(api, ws.id, agent, "AGENT", []);
      admin = await api.user("Admin");
      await addMember(api, ws.id, admin, "ADMIN", []);
      reader = await api.user("Reader");
      await addMember(api, ws.id, reader, "AGENT", ["lead.read"]);
      membersOnly = await createKey(["workspace.members"]);
      membersAndLeads = await createKey(["workspace.members", "lead.read"]);
    });

    it("cannot invite an admin or an owner, nor an agent with a policy beyond its scopes", async () => {
      for (const i of [
        { email: "x-admin@example.com", role: "ADMIN", policies: [] },
        { email: "x-owner@example.com", role: "OWNER", policies: [] },
        { email: "x-agent@example.com", role: "AGENT", policies: ["lead.read"] },
        { email: "x-preset@example.com", preset: "operator" },
      ]) {
        expect([i.email, codeOf(await api.gql(INVITE, { w: ws.id, i }, { token: membersOnly }))]).toEqual([
          i.email,
          "FORBIDDEN",
        ]);
      }
      expect(
        await ownerSql(api, `SELECT 1 FROM invitations WHERE workspace_id = $1 AND email LIKE 'x-%'`, [ws.id]),
      ).toHaveLength(0);
    });

    it("invites an agent with policies within its scopes", async () => {
      const none = await api.gql<{ inviteMember: { role: string; policies: string[] } }>(
        INVITE,
        { w: ws.id, i: { email: "y-none@example.com", role: "AGENT", policies: [] } },
        { token: membersOnly },
      );
      expect(none.data?.inviteMember).toMatchObject({ role: "AGENT", policies: [] });
      const leads = await api.gql<{ inviteMember: { role: string; policies: string[] } }>(
        INVITE,
        { w: ws.id, i: { email: "y-leads@example.com", role: "AGENT", policies: ["lead.read"] } },
        { token: membersAndLeads },
      );
      expect(leads.data?.inviteMember).toMatchObject({ role: "AGENT", policies: ["lead.read"] });
    });

    it("cannot promote anyone to admin or grant a policy beyond its scopes", async () => {
      expect(
        codeOf(await api.gql(UPDATE, { w: ws.id, u: agent.id, i: { role: "ADMIN" } }, { token: membersOnly })),
      ).toBe("FORBIDDEN");
      expect(
        codeOf(await api.gql(UPDATE, { w: ws.id, u: agent.id, i: { role: "OWNER" } }, { token: membersAndLeads })),
      ).toBe("FORBIDDEN");
      expect(
        codeOf(
          await api.gql(
            UPDATE,
            { w: ws.id, u: agent.id, i: { policies: ["lead.read", "lead.manage"] } },
            { token: membersAndLeads },
          ),
        ),
      ).toBe("FORBIDDEN");
      expect(
        codeOf(
          await api.gql(UPDATE, { w: ws.id, u: agent.id, i: { policies: ["lead.read"] } }, { token: membersOnly }),
        ),
      ).toBe("FORBIDDEN");
      expect(await membership(agent.id)).toEqual({ role: "AGENT", policies: [] });
      // Within its scopes it works.
      const ok = await api.gql(
        UPDATE,
        { w: ws.id, u: agent.id, i: { policies: ["lead.read"] } },
        { token: membersAndLeads },
      );
      expect(ok.data).toEqual({ updateMember: { role: "AGENT", policies: ["lead.read"] } });
    });

    it("cannot demote or remove an admin or the owner, nor a member holding a policy it lacks", async () => {
      expect(
        codeOf(
          await api.gql(
            UPDATE,
            { w: ws.id, u: admin.id, i: { role: "AGENT", policies: [] } },
            { token: membersAndLeads },
          ),
        ),
      ).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(REMOVE, { w: ws.id, u: admin.id }, { token: membersAndLeads }))).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(REMOVE, { w: ws.id, u: owner.id }, { token: membersAndLeads }))).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(REMOVE, { w: ws.id, u: reader.id }, { token: membersOnly }))).toBe("FORBIDDEN");
      expect((await membership(admin.id))?.role).toBe("ADMIN");
      expect((await membership(reader.id))?.role).toBe("AGENT");
      // A member it could have granted itself, it may remove.
      expect((await api.gql(REMOVE, { w: ws.id, u: reader.id }, { token: membersAndLeads })).data).toEqual({
        removeMember: true,
      });
    });

    it("cannot remove its creator through leaveWorkspace, nor mint keys or lower the workspace's security", async () => {
      const fresh = await createKey(["workspace.members"]);
      for (const key of [
        fresh,
        membersOnly,
        membersAndLeads,
        keys.get("workspace.settings")!,
        keys.get("apikey.manage")!,
      ]) {
        expect(codeOf(await api.gql(LEAVE, { w: ws.id }, { token: key }))).toBe("FORBIDDEN");
      }
      expect((await membership(owner.id))?.role).toBe("OWNER");
      // An admin's key (the admin could leave; the owner could not): the admin stays.
      const adminKey = await api.gql<{ createApiKey: { secret: string } }>(
        CREATE_KEY,
        { w: ws.id, i: { name: "admin's", scopes: ["lead.read"] } },
        { token: admin.token },
      );
      expect(codeOf(await api.gql(LEAVE, { w: ws.id }, { token: adminKey.data!.createApiKey.secret }))).toBe(
        "FORBIDDEN",
      );
      expect((await membership(admin.id))?.role).toBe("ADMIN");
      expect(
        codeOf(
          await api.gql(
            CREATE_KEY,
            { w: ws.id, i: { name: "child", scopes: ["apikey.manage"] } },
            { token: keys.get("apikey.manage")! },
          ),
        ),
      ).toBe("FORBIDDEN");
      const security = `mutation($w: ID!) { setWorkspaceSecurity(workspaceId: $w, input: { requireStepUp: false }) { requireStepUp } }`;
      expect(codeOf(await api.gql(security, { w: ws.id }, { token: keys.get("workspace.settings")! }))).toBe(
        "FORBIDDEN",
      );
      // The refusal is in the denial log like any other (a fresh key: the log keeps 20 per key and window).
      const denials = await ownerSql<{ n: number }>(
        api,
        `SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'access.denied' AND data->>'operation' = 'Mutation.leaveWorkspace'`,
        [ws.id],
      );
      expect(denials[0]!.n).toBeGreaterThanOrEqual(1);
    });
  });
});
