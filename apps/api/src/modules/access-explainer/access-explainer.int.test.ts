// "Why can't I?" through the API, the denial log (FORBIDDEN recorded, rate-limited per
// principal, visible with audit.read) and the per-IP count of non-members' NOT_FOUND probes.
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
import { DENIALS_PER_WINDOW } from "./access-explainer.service.ts";

const EXPLAIN = `query($w: ID!, $a: String!, $s: String!, $u: ID) { explainAccess(workspaceId: $w, action: $a, subject: $s, userId: $u) { allowed reasons } }`;
const AUDIT = `query($w: ID!, $act: String) { auditEvents(workspaceId: $w, action: $act, first: 100) { totalCount edges { node { action actorUserId data } } } }`;
type Explanation = { explainAccess: { allowed: boolean; reasons: string[] } };

describe("explainAccess and the denial log", () => {
  let api: TestApi;
  let owner: TestUser;
  let ana: TestUser;
  let ws: { id: string; slug: string };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ana = await api.user("Ana");
    ws = await createWorkspace(api, owner, "Explained");
    await addMember(api, ws.id, ana, "AGENT", ["lead.read", "message.send"]);
  });
  afterAll(async () => api.close());

  it("explains the caller's own access with the granting policy or what is missing", async () => {
    const own = await api.gql<Explanation>(
      EXPLAIN,
      { w: ws.id, a: "update", s: "Integration" },
      { token: owner.token },
    );
    expect(own.data!.explainAccess.allowed).toBe(true);
    expect(own.data!.explainAccess.reasons).toEqual([
      "You can change integrations in Explained: your role Owner includes every policy, integration.manage among them.",
    ]);
    const denied = await api.gql<Explanation>(EXPLAIN, { w: ws.id, a: "create", s: "Lead" }, { token: ana.token });
    // Whom to ask is named: the workspace's owner.
    expect(denied.data!.explainAccess).toEqual({
      allowed: false,
      reasons: [
        "You can't create leads in Explained: your role Agent doesn't include lead.manage (create, edit and delete leads), the policy that allows it. Ask an owner or admin (Owner) to give it to you.",
      ],
    });
    const reply = await api.gql<Explanation>(EXPLAIN, { w: ws.id, a: "send", s: "Conversation" }, { token: ana.token });
    expect(reply.data!.explainAccess.reasons.join(" ")).toContain("only on a conversation under human takeover");
  });

  it("answers “what can Ana do here?” for another member, NOT_FOUND for a non-member id", async () => {
    const r = await api.gql<Explanation>(
      EXPLAIN,
      { w: ws.id, a: "read", s: "Lead", u: ana.id },
      { token: owner.token },
    );
    expect(r.data!.explainAccess).toEqual({
      allowed: true,
      reasons: ["Ana can see leads in Explained: Ana was given the policy lead.read (view leads)."],
    });
    // About oneself, by id ("What can I do here?"): in the second person.
    const self = await api.gql<Explanation>(
      EXPLAIN,
      { w: ws.id, a: "read", s: "Lead", u: owner.id },
      { token: owner.token },
    );
    expect(self.data!.explainAccess.reasons).toEqual([
      "You can see leads in Explained: your role Owner includes every policy, lead.read among them.",
    ]);
    const stranger = await api.user("Stranger");
    expect(
      codeOf(await api.gql(EXPLAIN, { w: ws.id, a: "read", s: "Lead", u: stranger.id }, { token: owner.token })),
    ).toBe("NOT_FOUND");
    // A non-member asking about the workspace: NOT_FOUND, never an explanation.
    expect(codeOf(await api.gql(EXPLAIN, { w: ws.id, a: "read", s: "Lead" }, { token: stranger.token }))).toBe(
      "NOT_FOUND",
    );
  });

  it("refuses unknown action and subject names with BAD_USER_INPUT", async () => {
    expect(codeOf(await api.gql(EXPLAIN, { w: ws.id, a: "fly", s: "Lead" }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await api.gql(EXPLAIN, { w: ws.id, a: "read", s: "all" }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("for an API key: its scopes ∩ its creator's current policies", async () => {
    const admin = await api.user("Admin");
    await addMember(api, ws.id, admin, "ADMIN");
    const k = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.manage"] }) { secret } }`,
      { w: ws.id },
      { token: admin.token },
    );
    const key = k.data!.createApiKey.secret;
    const before = await api.gql<Explanation>(EXPLAIN, { w: ws.id, a: "create", s: "Lead" }, { token: key });
    expect(before.data!.explainAccess).toEqual({
      allowed: true,
      reasons: [
        "This API key can create leads in Explained: its scope lead.manage allows it, and the member who created the key still holds that policy.",
      ],
    });
    await ownerSql(
      api,
      `UPDATE memberships SET role = 'AGENT', policies = '{lead.read}' WHERE workspace_id = $1 AND user_id = $2`,
      [ws.id, admin.id],
    );
    const after = await api.gql<Explanation>(EXPLAIN, { w: ws.id, a: "create", s: "Lead" }, { token: key });
    expect(after.data!.explainAccess.allowed).toBe(false);
    expect(after.data!.explainAccess.reasons[0]).toMatch(
      /^This API key can't create leads in Explained: its scope lead\.manage no longer counts, because the member who created the key no longer holds that policy/,
    );
  });

  it("records FORBIDDEN answers (guard and row level) in the audit log, visible with audit.read only", async () => {
    const denied = await api.gql(
      `mutation($w: ID!) { setAgentPaused(workspaceId: $w, paused: true) { id } }`,
      { w: ws.id },
      { token: ana.token },
    );
    expect(codeOf(denied)).toBe("FORBIDDEN");
    // Row level: a manual reply outside human takeover.
    const contact = (
      await ownerSql<{ id: string }>(api, `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'C') RETURNING id`, [
        ws.id,
      ])
    )[0]!.id;
    const conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    const reply = await api.gql(
      `mutation($w: ID!, $c: ID!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: "hi" }) { id } }`,
      { w: ws.id, c: conv },
      { token: ana.token },
    );
    expect(codeOf(reply)).toBe("FORBIDDEN");

    const log = await api.gql<{
      auditEvents: {
        edges: { node: { actorUserId: string; data: { operation: string; required: string; message: string } } }[];
      };
    }>(AUDIT, { w: ws.id, act: "access.denied" }, { token: owner.token });
    const rows = log.data!.auditEvents.edges.map((e) => ({
      ...e.node,
      data: (typeof e.node.data === "string" ? JSON.parse(e.node.data) : e.node.data) as {
        operation: string;
        message: string;
      },
    }));
    expect(rows.map((r) => r.data.operation).sort()).toEqual(["Mutation.sendManualReply", "Mutation.setAgentPaused"]);
    expect(rows.every((r) => r.actorUserId === ana.id)).toBe(true);
    expect(rows.find((r) => r.data.operation === "Mutation.sendManualReply")!.data.message).toMatch(
      /Take over the conversation/,
    );
    expect(codeOf(await api.gql(AUDIT, { w: ws.id, act: "access.denied" }, { token: ana.token }))).toBe("FORBIDDEN");
  });

  it("stores at most DENIALS_PER_WINDOW denials per principal and window", async () => {
    const bob = await api.user("Bob");
    await addMember(api, ws.id, bob, "AGENT", []);
    for (let i = 0; i < DENIALS_PER_WINDOW + 5; i++) {
      expect(
        codeOf(await api.gql(`query($w: ID!) { apiKeys(workspaceId: $w) { id } }`, { w: ws.id }, { token: bob.token })),
      ).toBe("FORBIDDEN");
    }
    const n = await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'access.denied' AND actor_user_id = $2`,
      [ws.id, bob.id],
    );
    expect(n[0]!.n).toBe(DENIALS_PER_WINDOW);
  });

  it("counts non-members' NOT_FOUND probes per IP (one counter row), readable by platform admins", async () => {
    const prober = await api.user("Prober");
    const before = await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM audit_events`);
    for (let i = 0; i < 3; i++)
      expect(
        codeOf(
          await api.gql(
            `query($w: ID!) { leads(workspaceId: $w) { totalCount } }`,
            { w: ws.id },
            { token: prober.token },
          ),
        ),
      ).toBe("NOT_FOUND");
    expect(await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM audit_events`)).toEqual(before);
    const buckets = await ownerSql<{ count: number }>(
      api,
      `SELECT count FROM rate_limit_buckets WHERE key = 'probe:ip:127.0.0.1'`,
    );
    expect(buckets).toHaveLength(1);
    expect(buckets[0]!.count).toBeGreaterThanOrEqual(3);
    await ownerSql(api, `UPDATE users SET global_role = 'ADMIN' WHERE id = $1`, [owner.id]);
    const probes = await api.gql<{ accessProbes: { ip: string; count: number }[] }>(
      `query { accessProbes { ip count } }`,
      {},
      { token: owner.token },
    );
    expect(probes.data!.accessProbes).toContainEqual({ ip: "127.0.0.1", count: buckets[0]!.count });
    expect(codeOf(await api.gql(`query { accessProbes { ip } }`, {}, { token: prober.token }))).toBe("FORBIDDEN");
  });
});
