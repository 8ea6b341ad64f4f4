// The workspace's home (issue 48): the checklist read from real rows (each item flips when its row
// appears), the last 24 h against the 24 h before with rows seeded at known times (another
// workspace's rows never counted), the activity feed, and what a Viewer and an agent are shown.
import { PRESETS } from "@atrium/policies";
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
import { SET_INTEGRATION, twilioCard, vapiCard } from "../../test/providers.ts";
import { readOf, requestStatements } from "../../test/request-statements.ts";

const HOME = `query($w: ID!) { workspaceHome(workspaceId: $w) {
  checklist { items { key done } doneCount total complete }
  glance { since until previousSince newLeads { current previous } waitingForReply { current previous } bookings { current previous } sendsFailed { current previous } }
  activity { id action actorName targetType targetId targetLabel createdAt } } }`;

type Metric = { current: number; previous: number } | null;
interface Home {
  checklist: { items: { key: string; done: boolean }[]; doneCount: number; total: number; complete: boolean } | null;
  glance: {
    since: string;
    until: string;
    previousSince: string;
    newLeads: Metric;
    waitingForReply: Metric;
    bookings: Metric;
    sendsFailed: Metric;
  };
  activity: {
    id: string;
    action: string;
    actorName: string | null;
    targetType: string | null;
    targetId: string | null;
    targetLabel: string | null;
    createdAt: string;
  }[];
}

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

describe("workspace home", () => {
  let api: TestApi;
  const statements = requestStatements();
  let owner: TestUser;

  const home = async (w: string, token: string) => {
    const r = await api.gql<{ workspaceHome: Home }>(HOME, { w }, { token });
    expect(r.errors).toBeUndefined();
    return r.data!.workspaceHome;
  };
  const done = (h: Home) => Object.fromEntries(h.checklist!.items.map((i) => [i.key, i.done]));

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    owner = await api.user("Owner");
  });
  afterAll(async () => api.close());

  it("the checklist starts at 0 of 6 and each item flips when its row appears; complete at the end", async () => {
    const ws = await createWorkspace(api, owner, "Checklist Dental");
    let h = await home(ws.id, owner.token);
    expect(h.checklist).toEqual({
      items: [
        "CHANNEL_CONNECTED",
        "PERSONA_SET",
        "FIRST_LEAD",
        "TEAMMATE_INVITED",
        "API_KEY_CREATED",
        "FIRST_CAMPAIGN",
      ].map((key) => ({ key, done: false })),
      doneCount: 0,
      total: 6,
      complete: false,
    });

    const persona = await api.gql(
      `mutation($w: ID!) { updateAgentPersona(workspaceId: $w, input: { agentName: "Ava", agentRole: "Receptionist", tone: "FRIENDLY", qualificationQuestions: [] }) { id } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(persona.errors).toBeUndefined();
    h = await home(ws.id, owner.token);
    expect(done(h)).toMatchObject({ PERSONA_SET: true, CHANNEL_CONNECTED: false });
    expect(h.checklist!.doneCount).toBe(1);

    // The public form: the first lead.
    const form = await fetch(`${api.url}/forms/${ws.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Form Lead", email: "form@lead.test" }),
    });
    expect(form.status).toBe(201);
    expect(done(await home(ws.id, owner.token)).FIRST_LEAD).toBe(true);

    // A revoked invitation does not count; a pending one does.
    const inv = await api.gql<{ inviteMember: { id: string } }>(
      `mutation($w: ID!) { inviteMember(workspaceId: $w, input: { email: "mate@team.test", role: AGENT }) { id } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(inv.errors).toBeUndefined();
    expect(done(await home(ws.id, owner.token)).TEAMMATE_INVITED).toBe(true);
    await ownerSql(api, `UPDATE invitations SET revoked_at = now() WHERE workspace_id = $1`, [ws.id]);
    expect(done(await home(ws.id, owner.token)).TEAMMATE_INVITED).toBe(false);
    // …and a second member (added any way) does.
    await addMember(api, ws.id, await api.user("Mate"), "AGENT", []);
    expect(done(await home(ws.id, owner.token)).TEAMMATE_INVITED).toBe(true);

    const key = await api.gql(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "Site", scopes: ["lead.manage"] }) { secret } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(key.errors).toBeUndefined();
    expect(done(await home(ws.id, owner.token)).API_KEY_CREATED).toBe(true);

    const contact = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM contacts WHERE workspace_id = $1 LIMIT 1`, [ws.id])
    )[0]!.id;
    const camp = await api.gql(
      `mutation($w: ID!, $c: ID!) { createCampaign(workspaceId: $w, input: { name: "Spring", message: "Hi {{name}}", contactIds: [$c] }) { id } }`,
      { w: ws.id, c: contact },
      { token: owner.token },
    );
    expect(camp.errors).toBeUndefined();
    h = await home(ws.id, owner.token);
    expect(h.checklist).toMatchObject({ doneCount: 5, total: 6, complete: false });

    const card = await api.gql(SET_INTEGRATION, { w: ws.id, i: { twilio: twilioCard() } }, { token: owner.token });
    expect(card.errors).toBeUndefined();
    h = await home(ws.id, owner.token);
    expect(h.checklist).toMatchObject({ doneCount: 6, total: 6, complete: true });
    expect(h.checklist!.items.every((i) => i.done)).toBe(true);

    // Removing the card un-ticks it: state, not a stored flag.
    await api.gql(
      `mutation($w: ID!) { removeIntegration(workspaceId: $w, provider: TWILIO) }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(done(await home(ws.id, owner.token)).CHANNEL_CONNECTED).toBe(false);
  });

  it("a voice workspace's channel is Vapi: a Twilio-less Vapi card ticks it", async () => {
    const voice = await createWorkspace(api, owner, "Checklist Voice", "VOICE");
    expect(done(await home(voice.id, owner.token)).CHANNEL_CONNECTED).toBe(false);
    const card = await api.gql(SET_INTEGRATION, { w: voice.id, i: { vapi: vapiCard() } }, { token: owner.token });
    expect(card.errors).toBeUndefined();
    expect(done(await home(voice.id, owner.token)).CHANNEL_CONNECTED).toBe(true);
  });

  describe("today at a glance", () => {
    let ws: { id: string; slug: string };
    let other: { id: string; slug: string };

    /** A conversation whose messages are (hours ago, direction) in order. */
    async function conversation(
      workspaceId: string,
      messages: [number, "INBOUND" | "OUTBOUND"][],
      opts: { status?: string; closedHoursAgo?: number; createdHoursAgo?: number } = {},
    ) {
      const [contact] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'Seed') RETURNING id`,
        [workspaceId],
      );
      const last = messages.length ? Math.min(...messages.map((m) => m[0])) : (opts.createdHoursAgo ?? 0);
      const [conv] = await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, status, closed_at, created_at, last_activity_at) VALUES ($1, $2, $3::conversation_status, $4, $5, $6) RETURNING id`,
        [
          workspaceId,
          contact!.id,
          opts.status ?? "OPEN",
          opts.closedHoursAgo === undefined ? null : ago(opts.closedHoursAgo),
          ago(opts.createdHoursAgo ?? 200),
          ago(last),
        ],
      );
      for (const [h, dir] of messages) {
        await ownerSql(
          api,
          `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, $3, $4, 'x', $5, $6)`,
          [
            workspaceId,
            conv!.id,
            dir,
            dir === "INBOUND" ? "CONTACT" : "AGENT",
            dir === "INBOUND" ? "RECEIVED" : "SENT",
            ago(h),
          ],
        );
      }
      return { contactId: contact!.id, conversationId: conv!.id };
    }

    async function seed(workspaceId: string) {
      const { contactId, conversationId } = await conversation(workspaceId, []);
      const lead = (h: number) =>
        ownerSql(
          api,
          `INSERT INTO leads (workspace_id, contact_id, name, source, created_at) VALUES ($1, $2, 'Seeded', 'FORM', $3)`,
          [workspaceId, contactId, ago(h)],
        );
      const booking = (h: number) =>
        ownerSql(
          api,
          `INSERT INTO bookings (workspace_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email, created_at) VALUES ($1, gen_random_uuid()::text, now(), now(), 'ACCEPTED', 'A', 'a@x.test', $2)`,
          [workspaceId, ago(h)],
        );
      const failed = (h: number, status = "FAILED", direction = "OUTBOUND") =>
        ownerSql(
          api,
          `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, $3, 'AGENT', 'x', $4, $5)`,
          [workspaceId, conversationId, direction, status, ago(h)],
        );
      const failedCall = (h: number) =>
        ownerSql(
          api,
          `INSERT INTO calls (workspace_id, contact_id, status, created_at) VALUES ($1, $2, 'FAILED', $3)`,
          [workspaceId, contactId, ago(h)],
        );
      return { lead, booking, failed, failedCall };
    }

    beforeAll(async () => {
      ws = await createWorkspace(api, owner, "Glance Dental");
      other = await createWorkspace(api, owner, "Glance Other");
      const s = await seed(ws.id);
      // Leads: 3 in the last 24 h (one at 23.9 h), 2 in the 24 h before (one at 47.9 h), 1 older.
      for (const h of [0.1, 5, 23.9]) await s.lead(h);
      for (const h of [24.1, 47.9]) await s.lead(h);
      await s.lead(48.1);
      // Bookings: 1 now, 2 before.
      await s.booking(1);
      await s.booking(30);
      await s.booking(40);
      // Sends failed: 2 messages + 1 call now; 1 message before; a sent one and an older failure do not count.
      await s.failed(2);
      await s.failed(3);
      await s.failedCall(4);
      await s.failed(26);
      await s.failed(2, "SENT");
      await s.failed(50);
      // Waiting for a reply:
      await conversation(ws.id, [[2, "INBOUND"]], { createdHoursAgo: 3 }); // waiting now only (new today)
      await conversation(ws.id, [[30, "INBOUND"]]); // waiting now and 24 h ago
      await conversation(ws.id, [
        [30, "INBOUND"],
        [5, "OUTBOUND"],
      ]); // answered today: waiting 24 h ago only
      await conversation(ws.id, [
        [30, "OUTBOUND"],
        [1, "INBOUND"],
      ]); // waiting now, not then
      await conversation(ws.id, [[30, "INBOUND"]], { status: "CLOSED", closedHoursAgo: 10 }); // closed today: waiting then only
      await conversation(ws.id, [[30, "INBOUND"]], { status: "CLOSED", closedHoursAgo: 28 }); // closed before: never
      await conversation(ws.id, [[9 * 24, "INBOUND"]]); // silent for 9 days: outside the window
      // Another workspace's rows of every kind, inside both periods.
      const o = await seed(other.id);
      for (const h of [1, 30]) {
        await o.lead(h);
        await o.booking(h);
        await o.failed(h);
        await o.failedCall(h);
        await conversation(other.id, [[h, "INBOUND"]]);
      }
    });

    it("counts the last 24 h and the 24 h before, from rows at known times, never another workspace's", async () => {
      const h = await home(ws.id, owner.token);
      expect(h.glance.newLeads).toEqual({ current: 3, previous: 2 });
      expect(h.glance.bookings).toEqual({ current: 1, previous: 2 });
      expect(h.glance.sendsFailed).toEqual({ current: 3, previous: 1 });
      expect(h.glance.waitingForReply).toEqual({ current: 3, previous: 3 });
      const until = Date.parse(h.glance.until);
      expect(Math.abs(until - Date.now())).toBeLessThan(60_000);
      expect(until - Date.parse(h.glance.since)).toBe(24 * HOUR);
      expect(until - Date.parse(h.glance.previousSince)).toBe(48 * HOUR);
    });

    it("the other workspace sees its own numbers only", async () => {
      const h = await home(other.id, owner.token);
      expect(h.glance.newLeads).toEqual({ current: 1, previous: 1 });
      expect(h.glance.bookings).toEqual({ current: 1, previous: 1 });
      expect(h.glance.sendsFailed).toEqual({ current: 2, previous: 2 });
      expect(h.glance.waitingForReply).toEqual({ current: 2, previous: 1 });
    });

    it("a reply moves a conversation out of waiting at once", async () => {
      const [row] = await ownerSql<{ id: string }>(
        api,
        `SELECT c.id FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE c.workspace_id = $1 GROUP BY c.id HAVING count(*) = 1 AND max(m.created_at) > now() - interval '3 hours' AND bool_and(m.direction = 'INBOUND')`,
        [ws.id],
      );
      await ownerSql(
        api,
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'OUTBOUND', 'MEMBER', 'On it', 'SENT')`,
        [ws.id, row!.id],
      );
      expect((await home(ws.id, owner.token)).glance.waitingForReply).toEqual({ current: 2, previous: 3 });
    });
  });

  it("the activity feed: the audit log's latest events, named, newest first", async () => {
    const ws = await createWorkspace(api, owner, "Feed Dental");
    await fetch(`${api.url}/forms/${ws.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Feed Lead", email: "feed@lead.test" }),
    });
    const h = await home(ws.id, owner.token);
    expect(h.activity[0]).toMatchObject({
      action: "lead.created",
      actorName: null,
      targetType: "Lead",
      targetLabel: expect.stringContaining("Feed Lead"),
    });
    expect(h.activity.map((a) => a.action)).toContain("workspace.created");
    const times = h.activity.map((a) => Date.parse(a.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("a Viewer gets no checklist, the counts its reads allow, and leads (not the audit log) without audit.read", async () => {
    const ws = await createWorkspace(api, owner, "Viewer Dental");
    await fetch(`${api.url}/forms/${ws.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Viewer Lead", email: "viewer@lead.test" }),
    });
    const viewerPolicies = PRESETS.find((p) => p.id === "viewer")!.policies.filter((p) => p !== "audit.read");
    const viewer = await api.user("Viewer");
    await addMember(api, ws.id, viewer, "AGENT", [...viewerPolicies]);
    const v = await home(ws.id, viewer.token);
    expect(v.checklist).toBeNull();
    expect(v.glance.newLeads).toEqual({ current: 1, previous: 0 });
    expect(v.glance.waitingForReply).not.toBeNull();
    expect(v.activity).toEqual([
      expect.objectContaining({
        action: "lead.created",
        targetType: "Lead",
        targetLabel: "Viewer Lead",
        actorName: null,
      }),
    ]);

    // The whole Viewer preset reads the audit log: the feed is the log's (the workspace's creation, by its owner).
    const fullViewer = await api.user("Full viewer");
    await addMember(api, ws.id, fullViewer, "AGENT", [...PRESETS.find((p) => p.id === "viewer")!.policies]);
    const fv = await home(ws.id, fullViewer.token);
    expect(fv.checklist).toBeNull();
    expect(fv.activity.map((a) => a.action)).toEqual(expect.arrayContaining(["lead.created", "workspace.created"]));

    // A member with no read policies: the workspace's home answers, with nothing it may not read.
    const bare = await api.user("Bare");
    await addMember(api, ws.id, bare, "AGENT", []);
    const b = await home(ws.id, bare.token);
    expect(b).toMatchObject({
      checklist: null,
      activity: [],
      glance: { newLeads: null, waitingForReply: null, bookings: null, sendsFailed: null },
    });

    // Leads but no conversations: lead counts only.
    const leadsOnly = await api.user("Leads only");
    await addMember(api, ws.id, leadsOnly, "AGENT", ["lead.read"]);
    const l = await home(ws.id, leadsOnly.token);
    expect(l.glance).toMatchObject({
      newLeads: { current: 1, previous: 0 },
      bookings: { current: 0, previous: 0 },
      waitingForReply: null,
      sendsFailed: null,
    });
  });

  it("a non-member gets NOT_FOUND; an unselected part is not read", async () => {
    const ws = await createWorkspace(api, owner, "Private Dental");
    const stranger = await api.user("Stranger");
    expect(codeOf(await api.gql(HOME, { w: ws.id }, { token: stranger.token }))).toBe("NOT_FOUND");
    const CHECKLIST = `query($w: ID!) { workspaceHome(workspaceId: $w) { checklist { total } } }`;
    await api.gql(CHECKLIST, { w: ws.id }, { token: owner.token }); // the owner's access into the cache
    const r = await api.gql<{ workspaceHome: { checklist: { total: number } } }>(
      CHECKLIST,
      { w: ws.id },
      { token: owner.token },
    );
    expect(r.data!.workspaceHome.checklist.total).toBe(6);
    // The settings and the checklist's one statement: no glance, no activity feed.
    expect(await statements.of(r), "statements the request ran").toBe(readOf(1));
  });
});
