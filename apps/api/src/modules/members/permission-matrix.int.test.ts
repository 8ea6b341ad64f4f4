// Table-driven from the policy catalog: for each role and each single policy, every operation
// it should allow succeeds and every other one is refused — and the API agrees with the ability
// factory the web app uses (M1, M2, M7).
import { POLICY_CATALOG, canGrant, defineAbilityFor, type MembershipRole } from "@atrium/policies";
import { subject } from "@casl/ability";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { addMember, codeOf, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

interface Op {
  name: string;
  /** What the ability factory says (plus the no-escalation rule where the op grants something). */
  expected: (who: { workspaceId: string; role: MembershipRole; policies: string[] }) => boolean;
  run: (api: TestApi, token: string) => Promise<{ ok: boolean; code?: string }>;
}

const can = (action: Parameters<ReturnType<typeof defineAbilityFor>["can"]>[0], subj: "Workspace" | "Member" | "Invitation" | "AuditEvent") =>
  (w: { workspaceId: string; role: MembershipRole; policies: string[] }) => defineAbilityFor(w).can(action, subject(subj, { workspaceId: w.workspaceId }));

describe("permission matrix (role × single policy × operation)", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let target: TestUser;
  const subjects: { label: string; role: MembershipRole; policies: string[]; user?: TestUser }[] = [
    { label: "OWNER", role: "OWNER", policies: [] },
    { label: "ADMIN", role: "ADMIN", policies: [] },
    { label: "AGENT (defaults, no stored policies)", role: "AGENT", policies: [] },
    ...POLICY_CATALOG.map((p) => ({ label: `AGENT + ${p.key}`, role: "AGENT" as const, policies: [p.key as string] })),
  ];

  const gqlOk = async (api: TestApi, token: string, q: string, v: Record<string, unknown>) => {
    const r = await api.gql(q, v, { token });
    return { ok: !r.errors, code: codeOf(r) };
  };

  let ops: Op[];

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Matrix");
    target = await api.user("Target");
    await addMember(api, ws.id, target, "AGENT", []);
    for (const s of subjects) {
      if (s.role === "OWNER") {
        s.user = owner;
        continue;
      }
      s.user = await api.user(s.label);
      await addMember(api, ws.id, s.user, s.role, s.policies);
    }
    let n = 0;
    ops = [
      { name: "workspace(slug)", expected: can("read", "Workspace"), run: (a, t) => gqlOk(a, t, `query($s: String!) { workspace(slug: $s) { id } }`, { s: ws.slug }) },
      { name: "members", expected: can("read", "Member"), run: (a, t) => gqlOk(a, t, `query($w: ID!) { members(workspaceId: $w) { role } }`, { w: ws.id }) },
      { name: "invitations", expected: can("read", "Invitation"), run: (a, t) => gqlOk(a, t, `query($w: ID!) { invitations(workspaceId: $w) { id } }`, { w: ws.id }) },
      { name: "auditEvents", expected: can("read", "AuditEvent"), run: (a, t) => gqlOk(a, t, `query($w: ID!) { auditEvents(workspaceId: $w) { totalCount } }`, { w: ws.id }) },
      {
        name: "inviteMember (AGENT with lead.read)",
        expected: (w) => can("create", "Invitation")(w) && canGrant(w, { role: "AGENT", policies: ["lead.read"] }),
        run: (a, t) => gqlOk(a, t, `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`, { w: ws.id, i: { email: `m${++n}@example.com`, role: "AGENT", policies: ["lead.read"] } }),
      },
      {
        name: "updateMember (target AGENT, no policies → no policies)",
        expected: (w) => can("update", "Member")(w) && canGrant(w, { role: "AGENT", policies: [] }),
        run: (a, t) => gqlOk(a, t, `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role } }`, { w: ws.id, u: target.id, i: { role: "AGENT", policies: [] } }),
      },
      {
        name: "removeMember (target AGENT)",
        expected: (w) => can("delete", "Member")(w) && canGrant(w, { role: "AGENT", policies: [] }),
        run: async (a, t) => {
          const r = await gqlOk(a, t, `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`, { w: ws.id, u: target.id });
          if (r.ok) await addMember(a, ws.id, target, "AGENT", []);
          return r;
        },
      },
      {
        name: "transferOwnership (to target)",
        expected: can("transfer", "Workspace"),
        run: async (a, t) => {
          const r = await gqlOk(a, t, `mutation($w: ID!, $u: ID!) { transferOwnership(workspaceId: $w, userId: $u) { id } }`, { w: ws.id, u: target.id });
          if (r.ok) {
            // Put the original owner back.
            await ownerSql(a, `UPDATE memberships SET role = 'OWNER' WHERE workspace_id = $1 AND user_id = $2`, [ws.id, owner.id]);
            await ownerSql(a, `UPDATE memberships SET role = 'AGENT', policies = '{}' WHERE workspace_id = $1 AND user_id = $2`, [ws.id, target.id]);
          }
          return r;
        },
      },
    ];
  });
  afterAll(async () => api.close());

  it("covers every catalog policy", () => {
    expect(subjects.length).toBe(POLICY_CATALOG.length + 3);
  });

  it.each(subjects.map((s) => [s.label, s] as const))("%s: the API allows exactly what the ability factory allows", async (_label, s) => {
    const rows: string[] = [];
    for (const op of ops) {
      const expected = op.expected({ workspaceId: ws.id, role: s.role, policies: s.policies });
      const got = await op.run(api, s.user!.token);
      rows.push(`${op.name}: expected ${expected ? "allow" : "deny"}, got ${got.ok ? "allow" : `deny (${got.code})`}`);
      if (!expected) expect(["FORBIDDEN"]).toContain(got.code);
    }
    const mismatches = rows.filter((r) => (r.includes("expected allow") && !r.includes("got allow")) || (r.includes("expected deny") && r.includes("got allow")));
    expect(mismatches, rows.join("\n")).toEqual([]);
  });
});
