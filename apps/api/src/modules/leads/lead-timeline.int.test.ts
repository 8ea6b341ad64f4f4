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
import { readOf, requestStatements } from "../../test/request-statements.ts";

const TIMELINE = `query($w: ID!, $l: ID!, $f: Int) { leadTimeline(workspaceId: $w, leadId: $l, first: $f) { id kind at summary conversationId messageId callId bookingId campaignId } }`;

interface Entry {
  id: string;
  kind: string;
  at: string;
  summary: string;
  conversationId: string | null;
  messageId: string | null;
  callId: string | null;
  bookingId: string | null;
  campaignId: string | null;
}

describe("leadTimeline (issue 48)", () => {
  let api: TestApi;
  const statements = requestStatements();
  let owner: TestUser;
  let reader: TestUser;
  let stranger: TestUser;
  let ws: { id: string };
  let lead: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    [owner, reader, stranger] = await Promise.all([api.user("Owner"), api.user("Reader"), api.user("Stranger")]);
    ws = await createWorkspace(api, owner, "Timeline Co");
    await addMember(api, ws.id, reader, "AGENT", ["lead.read"]);
    const w = ws.id;
    const contact = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, phone) VALUES ($1, 'Ana', '+34600000001') RETURNING id`,
        [w],
      )
    )[0]!.id;
    lead = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, phone, source, created_at) VALUES ($1, $2, 'Ana', '+34600000001', 'FORM', now() - interval '5 hours') RETURNING id`,
        [w, contact],
      )
    )[0]!.id;
    const other = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source) VALUES ($1, $2, 'Ana again', 'API') RETURNING id`,
        [w, contact],
      )
    )[0]!.id;
    const conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, lead_id) VALUES ($1, $2, $3) RETURNING id`,
        [w, contact, lead],
      )
    )[0]!.id;
    const otherConv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, lead_id) VALUES ($1, $2, $3) RETURNING id`,
        [w, contact, other],
      )
    )[0]!.id;
    ids.conv = conv;
    const message = async (c: string, direction: string, sender: string, body: string, status: string, ago: string) =>
      (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, $3::message_direction, $4::message_sender, $5, $6::message_status, now() - $7::interval) RETURNING id`,
          [w, c, direction, sender, body, status, ago],
        )
      )[0]!.id;
    ids.in = await message(conv, "INBOUND", "CONTACT", "Hi, is the flat\nstill free?", "RECEIVED", "4 hours");
    ids.out = await message(conv, "OUTBOUND", "AGENT", "Yes it is. Want to visit?", "DELIVERED", "3 hours");
    await message(otherConv, "INBOUND", "CONTACT", "Another lead's message", "RECEIVED", "1 minute");
    ids.call = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO calls (workspace_id, contact_id, lead_id, status, ended_reason, created_at) VALUES ($1, $2, $3, 'ENDED', 'customer-ended-call', now() - interval '150 minutes') RETURNING id`,
        [w, contact, lead],
      )
    )[0]!.id;
    ids.campaign = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO campaigns (workspace_id, name, message, status) VALUES ($1, 'Spring open day', 'Come by', 'RUNNING') RETURNING id`,
        [w],
      )
    )[0]!.id;
    ids.campaignMessage = await message(conv, "OUTBOUND", "SYSTEM", "Come by", "SENT", "2 hours");
    await ownerSql(
      api,
      `INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id, status, message_id) VALUES ($1, $2, $3, 'QUEUED', $4)`,
      [w, ids.campaign, contact, ids.campaignMessage],
    );
    ids.booking = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email, created_at) VALUES ($1, $2, 'uid-1', '2026-12-01T10:00:00Z', '2026-12-01T10:30:00Z', 'ACCEPTED', 'Ana', 'ana@example.com', now() - interval '1 hour') RETURNING id`,
        [w, lead],
      )
    )[0]!.id;
    const moved = await api.gql(
      `mutation($w: ID!, $id: ID!) { updateLeadStatus(workspaceId: $w, id: $id, status: QUALIFIED) { status } }`,
      { w, id: lead },
      { token: owner.token },
    );
    if (moved.errors) throw new Error(JSON.stringify(moved.errors));
  });
  afterAll(async () => api.close());

  it("lists everything that happened to the lead, newest first, with its kinds and ids", async () => {
    const r = await api.gql<{ leadTimeline: Entry[] }>(TIMELINE, { w: ws.id, l: lead }, { token: owner.token });
    expect(r.errors).toBeUndefined();
    const entries = r.data!.leadTimeline;
    expect(entries.map((e) => e.kind)).toEqual([
      "STATUS_CHANGE",
      "BOOKING",
      "CAMPAIGN_SEND",
      "CALL",
      "MESSAGE_OUT",
      "MESSAGE_IN",
    ]);
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const [status, booking, campaign, call, out, inbound] = entries as [Entry, Entry, Entry, Entry, Entry, Entry];
    expect(status.summary).toBe("Status NEW → QUALIFIED");
    expect(booking).toMatchObject({ bookingId: ids.booking, summary: "Booking accepted for 2026-12-01T10:00:00.000Z" });
    expect(booking.summary).not.toContain("ana@example.com");
    expect(campaign).toMatchObject({
      campaignId: ids.campaign,
      messageId: ids.campaignMessage,
      conversationId: ids.conv,
      summary: "Campaign “Spring open day” sent",
    });
    expect(call).toMatchObject({ callId: ids.call, summary: "Call ended (customer-ended-call)" });
    expect(out).toMatchObject({ messageId: ids.out, conversationId: ids.conv, summary: "Yes it is. Want to visit?" });
    expect(inbound).toMatchObject({ messageId: ids.in, summary: "Hi, is the flat still free?" });
    expect(entries.some((e) => e.summary.includes("Another lead"))).toBe(false);
  });

  it("reads the lead and its timeline in one pipeline: settings, the lead, the timeline, no BEGIN", async () => {
    const first = await api.gql(TIMELINE, { w: ws.id, l: lead }, { token: owner.token }); // the principal into the cache
    const r = await api.gql(TIMELINE, { w: ws.id, l: lead }, { token: owner.token });
    expect(r.errors).toBeUndefined();
    expect(r.data, "the same answer, from the cached principal").toEqual(first.data);
    // The settings (verifying the cached principal), the lead, its timeline: one round trip.
    expect(await statements.of(r), "statements the request ran").toBe(readOf(2));
  });

  it("is bounded: first takes the newest; out of range is BAD_USER_INPUT", async () => {
    const r = await api.gql<{ leadTimeline: Entry[] }>(TIMELINE, { w: ws.id, l: lead, f: 2 }, { token: owner.token });
    expect(r.data!.leadTimeline.map((e) => e.kind)).toEqual(["STATUS_CHANGE", "BOOKING"]);
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, l: lead, f: 101 }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, l: lead, f: 0 }, { token: owner.token }))).toBe("BAD_USER_INPUT");
  });

  it("shows message text only to those who may read conversations", async () => {
    const r = await api.gql<{ leadTimeline: Entry[] }>(TIMELINE, { w: ws.id, l: lead }, { token: reader.token });
    expect(r.errors).toBeUndefined();
    const summaries = r.data!.leadTimeline.map((e) => e.summary);
    expect(summaries).toContain("Message received");
    expect(summaries).toContain("Message delivered");
    expect(summaries.join(" ")).not.toContain("flat");
    expect(summaries).toContain("Campaign message sent");
  });

  it("another workspace's lead, an unknown id or a malformed id is NOT_FOUND; a NUL is BAD_USER_INPUT", async () => {
    const theirs = await createWorkspace(api, stranger, "Elsewhere");
    expect(codeOf(await api.gql(TIMELINE, { w: theirs.id, l: lead }, { token: stranger.token }))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, l: lead }, { token: stranger.token }))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, l: crypto.randomUUID() }, { token: owner.token }))).toBe(
      "NOT_FOUND",
    );
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, l: "not-a-uuid" }, { token: owner.token }))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, l: "a\u0000b" }, { token: owner.token }))).toBe("BAD_USER_INPUT");
  });
});
