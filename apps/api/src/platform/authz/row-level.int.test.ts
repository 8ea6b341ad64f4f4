// Authorization on the concrete row (issue 14): every list filters with `accessibleWhere`, every
// single-row read, change or delete checks the ability on the row it loaded.
//
// The product's only row condition is `message.send` → `send Conversation { humanTakeover: true }`;
// it is exercised through the API below. The catalog has no condition on a *read* rule, so to
// prove that every list really applies the ability's where-clause (and every row method really
// looks at the row), the second part hands the real services, on a real database, an ability
// whose rules carry a condition on a column of each table — a test fixture, not a product
// policy. Without the filter or the row check these tests fail: the non-matching rows appear.
import { createMongoAbility } from "@casl/ability";

import type { AppAbility } from "@atrium/policies";
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
import type { Actor } from "../audit/audit.ts";
import { AppError } from "../errors.ts";
import { accessFromMembership, type WorkspaceAccess } from "./access.ts";

const actor: Actor = { userId: null, ip: null, userAgent: "row-level test", requestId: "row-level-test" };

async function forbiddenCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ALLOWED";
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe("authorization on the concrete row", () => {
  let api: TestApi;
  let owner: TestUser;
  let agent: TestUser;
  let other: TestUser;
  let ws: { id: string; slug: string };
  let ownerAccess: WorkspaceAccess;
  /** The owner's membership with a fixture ability: rules as given, each with `{ workspaceId }` added. */
  const withRules = (
    rules: { action: string[]; subject: string; conditions: Record<string, unknown> }[],
  ): WorkspaceAccess => ({
    ...ownerAccess,
    ability: createMongoAbility(
      rules.map((r) => ({ ...r, conditions: { ...r.conditions, workspaceId: ws.id } })),
    ) as unknown as AppAbility,
  });

  beforeAll(async () => {
    api = await startTestApi();
    [owner, agent, other] = await Promise.all([api.user("Owner"), api.user("Agent"), api.user("Other")]);
    ws = await createWorkspace(api, owner, "Rows Co");
    await addMember(api, ws.id, agent, "AGENT", ["conversation.read", "message.send", "lead.read"]);
    await addMember(api, ws.id, other, "AGENT", []);
    const [m] = await ownerSql<{ id: string }>(
      api,
      `SELECT id FROM memberships WHERE workspace_id = $1 AND user_id = $2`,
      [ws.id, owner.id],
    );
    ownerAccess = accessFromMembership({
      id: m!.id,
      workspaceId: ws.id,
      userId: owner.id,
      role: "OWNER",
      policies: [],
    });
  });
  afterAll(async () => api.close());

  describe("through the API: message.send holds only under human takeover", () => {
    it("lists every readable conversation, and refuses a reply on the row that fails the condition", async () => {
      // Ana wrote within the day: WhatsApp's window is open for a reply (issue 56).
      const [contact] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, email, last_inbound_at) VALUES ($1, 'Ana', 'ana@rows.test', now()) RETURNING id`,
        [ws.id],
      );
      const [bot] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, human_takeover) VALUES ($1, $2, false) RETURNING id`,
        [ws.id, contact!.id],
      );
      const [human] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, human_takeover) VALUES ($1, $2, true) RETURNING id`,
        [ws.id, contact!.id],
      );
      const list = await api.gql<{ conversations: { edges: { node: { id: string } }[] } }>(
        `query($w: ID!) { conversations(workspaceId: $w) { edges { node { id } } } }`,
        { w: ws.id },
        { token: agent.token },
      );
      expect(list.data!.conversations.edges.map((e) => e.node.id).sort()).toEqual([bot!.id, human!.id].sort());
      const REPLY = `mutation($w: ID!, $c: ID!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: "hello" }) { id } }`;
      const refused = await api.gql(REPLY, { w: ws.id, c: bot!.id }, { token: agent.token });
      expect(codeOf(refused)).toBe("FORBIDDEN");
      expect(refused.errors![0]!.message).toContain("Take over the conversation");
      expect(codeOf(await api.gql(REPLY, { w: ws.id, c: human!.id }, { token: agent.token }))).toBeUndefined();
      // The explainer names the condition the refused row failed.
      const why = await api.gql<{ explainAccess: { allowed: boolean; reasons: string[] } }>(
        `query($w: ID!) { explainAccess(workspaceId: $w, action: "send", subject: "Conversation") { allowed reasons } }`,
        { w: ws.id },
        { token: agent.token },
      );
      expect(why.data!.explainAccess.reasons.join(" ")).toMatch(/human takeover/i);
    });

    it("a member without the policy gets FORBIDDEN on the list, a stranger's guess at a row NOT_FOUND", async () => {
      const r = await api.gql(
        `query($w: ID!) { conversations(workspaceId: $w) { totalCount } }`,
        { w: ws.id },
        { token: other.token },
      );
      expect(codeOf(r)).toBe("FORBIDDEN");
      const stranger = await api.user("Stranger");
      const s = await api.gql(
        `query($w: ID!) { conversations(workspaceId: $w) { totalCount } }`,
        { w: ws.id },
        { token: stranger.token },
      );
      expect(codeOf(s)).toBe("NOT_FOUND");
    });
  });

  describe("services with a condition-bearing ability (fixture)", () => {
    it("leads: the list keeps matching rows; the other row is FORBIDDEN to read and to change", async () => {
      const a = await api.services.leads.submitFromForm(
        ws.id,
        { name: "New lead", email: "new@rows.test" },
        actor,
        undefined,
      );
      const b = await api.services.leads.submitFromForm(
        ws.id,
        { name: "Won lead", email: "won@rows.test" },
        actor,
        undefined,
      );
      await api.services.leads.updateStatus(ownerAccess, b.id, "QUALIFIED" as never, actor);
      const access = withRules([{ action: ["read", "update"], subject: "Lead", conditions: { status: "NEW" } }]);
      const list = await api.services.leads.list(access, {});
      const ids = list.edges.map((e) => e.node.id);
      expect(ids).toContain(a.id);
      expect(ids).not.toContain(b.id);
      expect(list.totalCount).toBe(ids.length);
      expect((await api.services.leads.get(access, a.id)).id).toBe(a.id);
      expect(await forbiddenCode(api.services.leads.get(access, b.id))).toBe("FORBIDDEN");
      expect(await forbiddenCode(api.services.leads.updateStatus(access, b.id, "LOST" as never, actor))).toBe(
        "FORBIDDEN",
      );

      // Bookings belong to their lead: only those of readable leads are listed, and a change
      // is checked on the booking's lead row.
      const booking = (leadId: string, uid: string) =>
        ownerSql<{ id: string }>(
          api,
          `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES ($1, $2, $3, now() + interval '1 day', now() + interval '1 day 30 minutes', 'ACCEPTED', 'X', 'x@rows.test') RETURNING id`,
          [ws.id, leadId, uid],
        );
      const [ba] = await booking(a.id, "uid-a");
      const [bb] = await booking(b.id, "uid-b");
      const bookings = await api.services.bookings.list(access, {});
      expect(bookings.edges.map((e) => e.node.id)).toEqual([ba!.id]);
      expect(bookings.totalCount).toBe(1);
      expect((await api.services.bookings.list(ownerAccess, {})).edges.map((e) => e.node.id).sort()).toEqual(
        [ba!.id, bb!.id].sort(),
      );
      expect(await forbiddenCode(api.services.bookings.cancel(access, bb!.id, null, actor))).toBe("FORBIDDEN");
    });

    it("contacts: list (with and without a search, across pages), tags, update and delete", async () => {
      const vip = await api.services.contacts.create(
        ownerAccess,
        { name: "Vip One", email: "vip1@rows.test", tags: ["gold"] },
        actor,
      );
      await api.services.contacts.create(
        ownerAccess,
        { name: "Vip Two", email: "vip2@rows.test", tags: ["gold"] },
        actor,
      );
      const plain = await api.services.contacts.create(
        ownerAccess,
        { name: "Vip Plain", email: "plain@rows.test", tags: ["tin"] },
        actor,
      );
      // A condition on a scalar column the list can filter by.
      await ownerSql(api, `UPDATE contacts SET opted_out_at = now() WHERE workspace_id = $1 AND id = $2`, [
        ws.id,
        plain.id,
      ]);
      const access = withRules([
        { action: ["read", "update", "delete"], subject: "Contact", conditions: { optedOutAt: null } },
      ]);
      const all = await api.services.contacts.list(access, { search: "vip" });
      expect(all.edges.map((e) => e.node.name).sort()).toEqual(["Vip One", "Vip Two"]);
      expect(all.totalCount).toBe(2);
      // Page 2 of a search keeps both the search and the filter (they are separate clauses).
      const p1 = await api.services.contacts.list(access, { search: "vip", first: 1 });
      const p2 = await api.services.contacts.list(access, { search: "vip", first: 1, after: p1.pageInfo.endCursor });
      expect([...p1.edges, ...p2.edges].map((e) => e.node.name).sort()).toEqual(["Vip One", "Vip Two"]);
      expect(p2.pageInfo.hasNextPage).toBe(false);
      expect(await api.services.contacts.tags(access)).toEqual(["gold"]);
      expect((await api.services.contacts.tags(ownerAccess)).sort()).toEqual(["gold", "tin"]);
      expect(
        await forbiddenCode(
          api.services.contacts.update(access, plain.id, { name: "Renamed", email: "plain@rows.test" }, actor),
        ),
      ).toBe("FORBIDDEN");
      expect(await forbiddenCode(api.services.contacts.remove(access, plain.id, actor))).toBe("FORBIDDEN");
      expect(
        (await api.services.contacts.update(access, vip.id, { name: "Vip Uno", email: "vip1@rows.test" }, actor)).name,
      ).toBe("Vip Uno");
    });

    it("members and invitations", async () => {
      const access = withRules([
        { action: ["read", "update", "delete"], subject: "Member", conditions: { role: "AGENT" } },
        { action: ["read", "create", "delete"], subject: "Invitation", conditions: { role: "AGENT" } },
      ]);
      const members = await api.services.members.list(access);
      expect(members.map((m) => m.user.id).sort()).toEqual([agent.id, other.id].sort());
      // The owner's own row fails the condition: changing it is refused on the row.
      expect(await forbiddenCode(api.services.members.update(access, owner.id, { policies: [] }, actor))).toBe(
        "FORBIDDEN",
      );
      const inviteAgent = await api.services.members.invite(
        ownerAccess,
        { email: "agent-invite@rows.test", role: "AGENT" as never },
        actor,
      );
      const inviteAdmin = await api.services.members.invite(
        ownerAccess,
        { email: "admin-invite@rows.test", role: "ADMIN" as never },
        actor,
      );
      expect((await api.services.members.listInvitations(access)).map((i) => i.id)).toEqual([inviteAgent.id]);
      expect(await forbiddenCode(api.services.members.revokeInvitation(access, inviteAdmin.id, actor))).toBe(
        "FORBIDDEN",
      );
      expect(await forbiddenCode(api.services.members.resendInvitation(access, inviteAdmin.id, actor))).toBe(
        "FORBIDDEN",
      );
      expect(await api.services.members.revokeInvitation(access, inviteAgent.id, actor)).toBe(true);
    });

    it("audit events", async () => {
      const access = withRules([
        { action: ["read"], subject: "AuditEvent", conditions: { action: "contact.created" } },
      ]);
      const events = await api.services.audit.list(access, {});
      expect(events.edges.length).toBeGreaterThanOrEqual(3);
      expect(new Set(events.edges.map((e) => e.node.action))).toEqual(new Set(["contact.created"]));
      expect(events.totalCount).toBe(events.edges.length);
    });

    it("campaigns, phone numbers, webhooks, API keys, integrations", async () => {
      const draft = await api.services.campaigns.create(
        ownerAccess,
        { name: "Draft", message: "Hi", contactIds: [], tag: "gold" },
        actor,
      );
      const cancelled = await api.services.campaigns.create(
        ownerAccess,
        { name: "Gone", message: "Hi", contactIds: [], tag: "gold" },
        actor,
      );
      await api.services.campaigns.cancel(ownerAccess, cancelled.id, actor);
      const twilio = await api.services.phoneConfigs.create(
        ownerAccess,
        { number: "+14155550101", provider: "TWILIO" as never, label: "Main" },
        actor,
      );
      const vapi = await api.services.phoneConfigs.create(
        ownerAccess,
        { number: "+14155550102", provider: "VAPI" as never, label: "Voice", providerRef: "pn_1" },
        actor,
      );
      const [on] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://a.example/h', '{lead.created}', 'x') RETURNING id`,
        [ws.id],
      );
      const [off] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe, enabled) VALUES ($1, 'https://b.example/h', '{lead.created}', 'x', false) RETURNING id`,
        [ws.id],
      );
      const keepKey = await api.services.apiKeys.create(ownerAccess, { name: "keep", scopes: ["lead.read"] }, actor);
      const hideKey = await api.services.apiKeys.create(ownerAccess, { name: "hide", scopes: ["lead.read"] }, actor);

      const access = withRules([
        { action: ["read", "run", "delete"], subject: "Campaign", conditions: { status: "DRAFT" } },
        { action: ["read", "update", "delete"], subject: "PhoneConfig", conditions: { provider: "TWILIO" } },
        { action: ["read", "update", "delete"], subject: "Webhook", conditions: { enabled: true } },
        { action: ["read", "delete"], subject: "ApiKey", conditions: { name: "keep" } },
        { action: ["read", "update", "delete"], subject: "Integration", conditions: { provider: "CALCOM" } },
      ]);
      expect((await api.services.campaigns.list(access, {})).edges.map((e) => e.node.id)).toEqual([draft.id]);
      expect(await forbiddenCode(api.services.campaigns.get(access, cancelled.id))).toBe("FORBIDDEN");
      expect(await forbiddenCode(api.services.campaigns.remove(access, cancelled.id, actor))).toBe("FORBIDDEN");

      expect((await api.services.phoneConfigs.list(access)).map((p) => p.id)).toEqual([twilio.id]);
      expect(await forbiddenCode(api.services.phoneConfigs.remove(access, vapi.id, actor))).toBe("FORBIDDEN");
      expect(
        await forbiddenCode(
          api.services.phoneConfigs.update(
            access,
            vapi.id,
            { number: "+14155550102", provider: "VAPI" as never, label: "X", providerRef: "pn_1" },
            actor,
          ),
        ),
      ).toBe("FORBIDDEN");

      expect((await api.services.webhooks.list(access)).map((e) => e.id)).toEqual([on!.id]);
      expect(await forbiddenCode(api.services.webhooks.deliveries(access, off!.id, {}))).toBe("FORBIDDEN");
      expect(await forbiddenCode(api.services.webhooks.remove(access, off!.id, actor))).toBe("FORBIDDEN");
      expect(await forbiddenCode(api.services.webhooks.update(access, off!.id, { enabled: true }, actor))).toBe(
        "FORBIDDEN",
      );
      expect((await api.services.webhooks.deliveries(access, on!.id, {})).totalCount).toBe(0);

      expect((await api.services.apiKeys.list(access)).map((k) => k.id)).toEqual([keepKey.apiKey.id]);
      expect(await forbiddenCode(api.services.apiKeys.revoke(access, hideKey.apiKey.id, actor))).toBe("FORBIDDEN");

      // Integration cards: a stored card outside the condition is not listed as configured.
      await api.services.integrations.set(
        ownerAccess,
        { openai: { apiKey: "sk-test-rows-1234567890", model: "gpt-4o-mini" } },
        actor,
      );
      const cards = await api.services.integrations.list(access);
      expect(cards.find((c) => c.provider === ("OPENAI" as never))?.configured).toBe(false);
      expect(
        (await api.services.integrations.list(ownerAccess)).find((c) => c.provider === ("OPENAI" as never))?.configured,
      ).toBe(true);
      expect(await forbiddenCode(api.services.integrations.remove(access, "OPENAI" as never, actor))).toBe("FORBIDDEN");
    });
  });
});
