// Role/policy matrix and cross-workspace rows for the operations of issue 13 (campaigns,
// analytics, usage and plans): for each role and each single catalog policy, every operation is
// allowed exactly when the ability factory (the one the web app uses) allows it, refusals are
// FORBIDDEN; with another workspace's ids every operation answers NOT_FOUND, by user and by key.
import { randomUUID } from "node:crypto";
import { subject } from "@casl/ability";

import { defineAbilityFor, POLICY_CATALOG, type Action, type MembershipRole, type SubjectName } from "@atrium/policies";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { seedContacts } from "../../test/campaigns.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

type Who = { workspaceId: string; role: MembershipRole; policies: string[] };
interface Op {
  name: string;
  expected: (w: Who) => boolean;
  query: string;
  vars: () => Promise<Record<string, unknown>>;
}

const can = (action: Action, subj: SubjectName) => (w: Who) =>
  defineAbilityFor(w).can(action, subject(subj, { workspaceId: w.workspaceId }));

describe("campaigns, analytics, usage: permission matrix and cross-workspace isolation", () => {
  let api: TestApi;
  let owner: TestUser;
  let admin: TestUser;
  let ws: { id: string; slug: string };
  let contactId: string;
  let offeredPlan: string;
  let ops: Op[];
  const subjects: { label: string; role: MembershipRole; policies: string[]; user?: TestUser }[] = [
    { label: "OWNER", role: "OWNER", policies: [] },
    { label: "ADMIN", role: "ADMIN", policies: [] },
    { label: "AGENT (defaults)", role: "AGENT", policies: [] },
    ...POLICY_CATALOG.map((p) => ({ label: `AGENT + ${p.key}`, role: "AGENT" as const, policies: [p.key as string] })),
  ];
  /** A campaign in a given state, written directly (the state machine is tested elsewhere). */
  const campaignIn = async (workspaceId: string, status: string) =>
    (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO campaigns (workspace_id, name, message, status, audience_contact_ids) VALUES ($1, 'M', 'Hi', $2, $3) RETURNING id`,
        [workspaceId, status, workspaceId === ws.id ? [contactId] : []],
      )
    )[0]!.id;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    admin = await api.user("Admin");
    await api.services.platformAdmin.grantAdmin(admin.email);
    ws = await createWorkspace(api, owner, "Matrix Campaigns");
    contactId = (await seedContacts(api, ws.id, 1))[0]!.id;
    offeredPlan = (
      await api.gql<{ createPlan: { id: string } }>(
        `mutation { createPlan(input: { name: "Offered", monthlyMessages: 100, offered: true }) { id } }`,
        {},
        { token: admin.token },
      )
    ).data!.createPlan.id;
    for (const s of subjects) {
      if (s.role === "OWNER") {
        s.user = owner;
        continue;
      }
      s.user = await api.user(s.label);
      await addMember(api, ws.id, s.user, s.role, s.policies);
    }
    const w = () => Promise.resolve({ w: ws.id });
    const withCampaign = (status: string) => async () => ({ w: ws.id, id: await campaignIn(ws.id, status) });
    ops = [
      {
        name: "campaigns",
        expected: can("read", "Campaign"),
        query: `query($w: ID!) { campaigns(workspaceId: $w) { totalCount } }`,
        vars: w,
      },
      {
        name: "campaign",
        expected: can("read", "Campaign"),
        query: `query($w: ID!, $id: ID!) { campaign(workspaceId: $w, id: $id) { id sent } }`,
        vars: withCampaign("DRAFT"),
      },
      {
        name: "createCampaign",
        expected: can("create", "Campaign"),
        query: `mutation($w: ID!, $c: ID!) { createCampaign(workspaceId: $w, input: { name: "N", message: "Hi {{name}}", contactIds: [$c] }) { id } }`,
        vars: () => Promise.resolve({ w: ws.id, c: contactId }),
      },
      {
        name: "deleteCampaign",
        expected: can("delete", "Campaign"),
        query: `mutation($w: ID!, $id: ID!) { deleteCampaign(workspaceId: $w, id: $id) }`,
        vars: withCampaign("DRAFT"),
      },
      {
        name: "runCampaign",
        expected: can("run", "Campaign"),
        query: `mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { status } }`,
        vars: withCampaign("DRAFT"),
      },
      {
        name: "scheduleCampaign",
        expected: can("run", "Campaign"),
        query: `mutation($w: ID!, $id: ID!, $at: DateTimeISO!) { scheduleCampaign(workspaceId: $w, id: $id, at: $at) { status } }`,
        vars: async () => ({ ...(await withCampaign("DRAFT")()), at: new Date(Date.now() + 86_400_000).toISOString() }),
      },
      {
        name: "pauseCampaign",
        expected: can("run", "Campaign"),
        query: `mutation($w: ID!, $id: ID!) { pauseCampaign(workspaceId: $w, id: $id) { status } }`,
        vars: withCampaign("RUNNING"),
      },
      {
        name: "resumeCampaign",
        expected: can("run", "Campaign"),
        query: `mutation($w: ID!, $id: ID!) { resumeCampaign(workspaceId: $w, id: $id) { status } }`,
        vars: withCampaign("PAUSED"),
      },
      {
        name: "cancelCampaign",
        expected: can("run", "Campaign"),
        query: `mutation($w: ID!, $id: ID!) { cancelCampaign(workspaceId: $w, id: $id) { status } }`,
        vars: withCampaign("PAUSED"),
      },
      {
        name: "analytics",
        expected: can("read", "Lead"),
        query: `query($w: ID!) { analytics(workspaceId: $w, from: "2026-11-01", to: "2026-11-07") { day leads } }`,
        vars: w,
      },
      {
        name: "usage",
        expected: can("read", "Billing"),
        query: `query($w: ID!) { usage(workspaceId: $w) { month messages { used } } }`,
        vars: w,
      },
      {
        name: "availablePlans",
        expected: can("read", "Billing"),
        query: `query($w: ID!) { availablePlans(workspaceId: $w) { id } }`,
        vars: w,
      },
      {
        name: "switchPlan",
        expected: can("update", "Billing"),
        query: `mutation($w: ID!, $p: ID!) { switchPlan(workspaceId: $w, planId: $p) { month } }`,
        vars: () => Promise.resolve({ w: ws.id, p: offeredPlan }),
      },
      // Platform operations: no workspace role or policy reaches them.
      { name: "plans", expected: () => false, query: `query { plans { id } }`, vars: () => Promise.resolve({}) },
      {
        name: "createPlan",
        expected: () => false,
        query: `mutation { createPlan(input: { name: "X", offered: true }) { id } }`,
        vars: () => Promise.resolve({}),
      },
      {
        name: "updatePlan",
        expected: () => false,
        query: `mutation($p: ID!) { updatePlan(id: $p, input: { name: "Offered", monthlyMessages: 1, offered: true }) { id } }`,
        vars: () => Promise.resolve({ p: offeredPlan }),
      },
      {
        name: "assignPlan",
        expected: () => false,
        query: `mutation($s: String!) { assignPlan(slug: $s, planId: null) { id } }`,
        vars: () => Promise.resolve({ s: ws.slug }),
      },
    ];
  }, 240_000); // 25 accounts signed up (password hashing) on a shared machine
  afterAll(async () => api.close());

  it("covers every catalog policy and every operation of this issue", () => {
    expect(subjects.length).toBe(POLICY_CATALOG.length + 3);
    expect(ops.map((o) => o.name).sort()).toEqual(
      [
        "analytics",
        "assignPlan",
        "availablePlans",
        "campaign",
        "campaigns",
        "cancelCampaign",
        "createCampaign",
        "createPlan",
        "deleteCampaign",
        "pauseCampaign",
        "plans",
        "resumeCampaign",
        "runCampaign",
        "scheduleCampaign",
        "switchPlan",
        "updatePlan",
        "usage",
      ].sort(),
    );
  });

  it.each(subjects.map((s) => [s.label, s] as const))(
    "%s: the API allows exactly what the ability factory allows",
    async (_label, s) => {
      const rows: string[] = [];
      for (const op of ops) {
        const expected = op.expected({ workspaceId: ws.id, role: s.role, policies: s.policies });
        const r = await api.gql(op.query, await op.vars(), { token: s.user!.token });
        const ok = !r.errors;
        rows.push(
          `${op.name}: expected ${expected ? "allow" : "deny"}, got ${ok ? "allow" : `deny (${codeOf(r)}: ${r.errors?.[0]?.message})`}`,
        );
        if (!expected) expect(codeOf(r), op.name).toBe("FORBIDDEN");
      }
      const mismatches = rows.filter(
        (r) =>
          (r.includes("expected allow") && !r.includes("got allow")) ||
          (r.includes("expected deny") && r.includes("got allow")),
      );
      expect(mismatches, rows.join("\n")).toEqual([]);
    },
  );

  it("the platform admin (not a member) reaches the platform operations and no workspace operation", async () => {
    expect((await api.gql(`query { plans { id } }`, {}, { token: admin.token })).errors).toBeUndefined();
    expect(
      codeOf(
        await api.gql(`query($w: ID!) { usage(workspaceId: $w) { month } }`, { w: ws.id }, { token: admin.token }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("every operation with another workspace's ids answers NOT_FOUND, by user and by key, and changes nothing", async () => {
    const stranger = await api.user("Stranger");
    const theirs = await createWorkspace(api, stranger, "Stranger Campaigns");
    const ours = {
      draft: await campaignIn(ws.id, "DRAFT"),
      running: await campaignIn(ws.id, "RUNNING"),
      paused: await campaignIn(ws.id, "PAUSED"),
    };
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const cases: [string, Record<string, unknown>][] = [];
    // Our workspace id (they are not members), then their own workspace id with our row ids.
    for (const w of [ws.id, theirs.id]) {
      cases.push(
        [`query($w: ID!, $id: ID!) { campaign(workspaceId: $w, id: $id) { id } }`, { w, id: ours.draft }],
        [`mutation($w: ID!, $id: ID!) { deleteCampaign(workspaceId: $w, id: $id) }`, { w, id: ours.draft }],
        [`mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { id } }`, { w, id: ours.draft }],
        [
          `mutation($w: ID!, $id: ID!, $at: DateTimeISO!) { scheduleCampaign(workspaceId: $w, id: $id, at: $at) { id } }`,
          { w, id: ours.draft, at },
        ],
        [`mutation($w: ID!, $id: ID!) { pauseCampaign(workspaceId: $w, id: $id) { id } }`, { w, id: ours.running }],
        [`mutation($w: ID!, $id: ID!) { resumeCampaign(workspaceId: $w, id: $id) { id } }`, { w, id: ours.paused }],
        [`mutation($w: ID!, $id: ID!) { cancelCampaign(workspaceId: $w, id: $id) { id } }`, { w, id: ours.running }],
      );
    }
    cases.push(
      [`query($w: ID!) { campaigns(workspaceId: $w) { totalCount } }`, { w: ws.id }],
      [
        `mutation($w: ID!, $c: ID!) { createCampaign(workspaceId: $w, input: { name: "N", message: "Hi", contactIds: [$c] }) { id } }`,
        { w: ws.id, c: contactId },
      ],
      [`query($w: ID!) { analytics(workspaceId: $w, from: "2026-11-01", to: "2026-11-07") { day } }`, { w: ws.id }],
      [`query($w: ID!) { usage(workspaceId: $w) { month } }`, { w: ws.id }],
      [`query($w: ID!) { availablePlans(workspaceId: $w) { id } }`, { w: ws.id }],
      [
        `mutation($w: ID!, $p: ID!) { switchPlan(workspaceId: $w, planId: $p) { month } }`,
        { w: ws.id, p: offeredPlan },
      ],
      [`query($w: ID!, $id: ID!) { campaign(workspaceId: $w, id: $id) { id } }`, { w: randomUUID(), id: ours.draft }],
    );
    const allScopes = [
      "campaign.read",
      "campaign.manage",
      "campaign.run",
      "lead.read",
      "billing.read",
      "billing.manage",
    ];
    const theirKey = (
      await api.gql<{ createApiKey: { secret: string } }>(
        `mutation($w: ID!, $s: [String!]!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: $s }) { secret } }`,
        { w: theirs.id, s: allScopes },
        { token: stranger.token },
      )
    ).data!.createApiKey.secret;
    for (const token of [stranger.token, theirKey]) {
      for (const [q, v] of cases)
        expect(codeOf(await api.gql(q, v, { token })), `${q} ${JSON.stringify(v)}`).toBe("NOT_FOUND");
    }
    // Creating a campaign in their own workspace with our contact: refused as unknown, nothing written.
    const foreign = await api.gql(
      `mutation($w: ID!, $c: ID!) { createCampaign(workspaceId: $w, input: { name: "N", message: "Hi", contactIds: [$c] }) { id } }`,
      { w: theirs.id, c: contactId },
      { token: theirKey },
    );
    expect(codeOf(foreign)).toBe("BAD_USER_INPUT");
    const states = await ownerSql<{ id: string; status: string }>(
      api,
      `SELECT id, status::text FROM campaigns WHERE id = ANY($1)`,
      [[ours.draft, ours.running, ours.paused]],
    );
    expect(Object.fromEntries(states.map((s) => [s.id, s.status]))).toEqual({
      [ours.draft]: "DRAFT",
      [ours.running]: "RUNNING",
      [ours.paused]: "PAUSED",
    });
    expect(await ownerSql(api, `SELECT 1 FROM campaigns WHERE workspace_id = $1`, [theirs.id])).toEqual([]);
    expect(
      (await ownerSql<{ plan_id: string | null }>(api, `SELECT plan_id FROM workspaces WHERE id = $1`, [ws.id]))[0]!
        .plan_id,
    ).not.toBe("x");
  });
});
