// Generated from the permission snapshot (each root field's `auth` extension), so every
// workspace operation is covered the day it is added — no hand-kept list to forget:
//
// 1. role × single policy × operation: for every `@Can(action, Subject)` operation and every
//    subject (OWNER, ADMIN, AGENT with no policy, AGENT with each catalog policy), the guard lets
//    the call through exactly when the shared ability factory (the one the web app uses) allows
//    `action` on `Subject`; otherwise the answer is FORBIDDEN. Arguments are generated from the
//    schema with harmless values (random row ids, a wrong confirmation slug), so a call the guard
//    lets through ends in NOT_FOUND for the row, BAD_USER_INPUT or a no-op — never FORBIDDEN and
//    never "Workspace not found".
// 2. cross-workspace: a member of workspace B calling every operation with workspace A's id or
//    slug gets NOT_FOUND; and, in B, with A's rows (a member, a conversation, a lead, a contact) NOT_FOUND too.
import { defineAbilityFor, POLICY_CATALOG, POLICY_GRANTS, type MembershipRole, type PolicyKey } from "@atrium/policies";
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
import { call, eachLimited, OPS, type Seeds } from "../../test/operations.ts";

/** Policies whose grants no current operation requires (so the matrix cannot show them working yet). */
// Every catalog policy grants at least one operation now (campaigns, phone configurations, webhooks
// and billing have theirs); a new policy without one goes here with the reason.
const POLICIES_WITHOUT_OPERATIONS: Partial<Record<PolicyKey, string>> = {};

describe("operation matrix generated from the permission snapshot", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let other: { id: string; slug: string };
  let otherOwner: TestUser;
  let seedsA: Seeds;
  const people: { label: string; role: MembershipRole; policies: string[]; user?: TestUser }[] = [
    { label: "OWNER", role: "OWNER", policies: [] },
    { label: "ADMIN", role: "ADMIN", policies: [] },
    { label: "AGENT (no policies)", role: "AGENT", policies: [] },
    ...POLICY_CATALOG.map((p) => ({ label: `AGENT + ${p.key}`, role: "AGENT" as const, policies: [p.key as string] })),
  ];

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Matrix A");
    otherOwner = await api.user("Other owner");
    other = await createWorkspace(api, otherOwner, "Matrix B");
    for (const p of people) {
      if (p.role === "OWNER") {
        p.user = owner;
        continue;
      }
      p.user = await api.user(p.label);
      await addMember(api, ws.id, p.user, p.role, p.policies);
    }
    // Rows of workspace A for the cross-workspace row checks.
    const member = await api.user("A member");
    await addMember(api, ws.id, member, "AGENT", []);
    const contact = (
      await ownerSql<{ id: string }>(api, `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'C') RETURNING id`, [
        ws.id,
      ])
    )[0]!.id;
    const conversationId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    const leadId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source) VALUES ($1, $2, 'L', 'FORM') RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    seedsA = {
      workspaceId: ws.id,
      slug: ws.slug,
      ids: { userId: member.id, conversationId, leadId, contactId: contact },
    };
  });
  afterAll(async () => api.close());

  it("finds every workspace operation of the snapshot (and the count cannot silently drop)", () => {
    expect(OPS.length).toBeGreaterThanOrEqual(40);
    expect(OPS.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        "Mutation.setWorkspaceSecurity",
        "Query.explainAccess",
        "Mutation.setIntegration",
        "Query.leads",
      ]),
    );
  });

  it("covers every catalog policy: each grants at least one operation, unless listed with a reason", () => {
    const uncovered = POLICY_CATALOG.map((p) => p.key).filter(
      (key) => !OPS.some((op) => POLICY_GRANTS[key].some((g) => g.action === op.action && g.subject === op.subject)),
    );
    expect(uncovered.sort()).toEqual(Object.keys(POLICIES_WITHOUT_OPERATIONS).sort());
    expect(people.map((p) => p.policies[0]).filter(Boolean)).toEqual(POLICY_CATALOG.map((p) => p.key));
  });

  it.each(people.map((p) => [p.label, p] as const))(
    "%s: the guard allows exactly what the ability factory allows, on every operation",
    async (_label, p) => {
      const ability = defineAbilityFor({ workspaceId: ws.id, role: p.role, policies: p.policies });
      const mismatches: string[] = [];
      // Independent calls, 6 at a time; leaveWorkspace (which the member is re-added after) last, alone.
      const check = async (op: (typeof OPS)[number]) => {
        const expected = ability.can(op.action, op.subject);
        const { document, variables } = call(op, { workspaceId: ws.id, slug: ws.slug, ids: {} });
        const r = await api.gql(document, variables, { token: p.user!.token });
        const code = codeOf(r);
        const workspaceMissing = code === "NOT_FOUND" && r.errors?.[0]?.message === "Workspace not found.";
        const got = code === "FORBIDDEN" ? "deny" : workspaceMissing ? "workspace not found" : "allow";
        if (got !== (expected ? "allow" : "deny"))
          mismatches.push(
            `${op.name} (${op.action}:${op.subject}): expected ${expected ? "allow" : "deny"}, got ${got} ${code ?? ""} ${r.errors?.[0]?.message ?? ""}`,
          );
        if (op.name === "Mutation.leaveWorkspace" && !r.errors)
          await addMember(api, ws.id, p.user!, p.role, p.policies);
      };
      await eachLimited(
        OPS.filter((op) => op.name !== "Mutation.leaveWorkspace"),
        6,
        check,
      );
      for (const op of OPS.filter((o) => o.name === "Mutation.leaveWorkspace")) await check(op);
      expect(mismatches).toEqual([]);
    },
  );

  it("cross-workspace: a member of another workspace gets NOT_FOUND from every operation on A's id or slug", async () => {
    const leaks: string[] = [];
    for (const op of OPS) {
      const { document, variables } = call(op, seedsA);
      const r = await api.gql(document, variables, { token: otherOwner.token });
      if (codeOf(r) !== "NOT_FOUND") leaks.push(`${op.name}: ${codeOf(r) ?? "success"}`);
    }
    expect(leaks).toEqual([]);
  });

  it("cross-workspace rows: in its own workspace, an owner naming A's member, conversation, lead or contact gets NOT_FOUND", async () => {
    const withRows = OPS.filter((op) => op.field.args.some((a) => a.name in seedsA.ids));
    expect(withRows.length).toBeGreaterThanOrEqual(5);
    const leaks: string[] = [];
    for (const op of withRows) {
      const { document, variables } = call(
        op,
        { workspaceId: other.id, slug: other.slug, ids: seedsA.ids },
        { count: true },
      );
      const r = await api.gql(document, variables, { token: otherOwner.token });
      const code = codeOf(r);
      // NOT_FOUND for the row; BAD_USER_INPUT only where input validation comes first; a list
      // filtered by A's row (bookings of a lead) answers empty.
      const emptyList =
        !r.errors && (Object.values(r.data ?? {})[0] as { totalCount?: number } | null)?.totalCount === 0;
      if (code !== "NOT_FOUND" && code !== "BAD_USER_INPUT" && !emptyList)
        leaks.push(`${op.name}: ${code ?? "success"} ${JSON.stringify(r.data)}`);
    }
    expect(leaks).toEqual([]);
  });
});
