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

const TIMELINE = `query($w: ID!, $c: ID!, $f: Int) { contactTimeline(workspaceId: $w, contactId: $c, first: $f) { id kind at summary conversationId messageId callId bookingId campaignId } }`;
const CONTACT = `query($w: ID!, $id: ID!) { contact(workspaceId: $w, id: $id) { id name email phone tags optInAt optedOutAt } }`;
const LEADS = `query($w: ID!, $c: ID!, $f: Int) { contactLeads(workspaceId: $w, contactId: $c, first: $f) { id name status contact { id } } }`;

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

describe("contact, contactTimeline and contactLeads (issue 48)", () => {
  let api: TestApi;
  const statements = requestStatements();
  let owner: TestUser;
  let reader: TestUser;
  let contactOnly: TestUser;
  let leadOnly: TestUser;
  let stranger: TestUser;
  let ws: { id: string };
  let contact: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    [owner, reader, contactOnly, leadOnly, stranger] = await Promise.all([
      api.user("Owner"),
      api.user("Reader"),
      api.user("Contact reader"),
      api.user("Lead reader"),
      api.user("Stranger"),
    ]);
    ws = await createWorkspace(api, owner, "Contact Timeline Co");
    await addMember(api, ws.id, reader, "AGENT", ["contact.read", "lead.read"]);
    await addMember(api, ws.id, contactOnly, "AGENT", ["contact.read"]);
    await addMember(api, ws.id, leadOnly, "AGENT", ["lead.read"]);
    const w = ws.id;
    contact = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, email, phone, tags, opt_in_at) VALUES ($1, 'Ana', 'ana@example.com', '+34600000001', '{vip}', now() - interval '7 hours') RETURNING id`,
        [w],
      )
    )[0]!.id;
    const bob = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, phone) VALUES ($1, 'Bob', '+34600000002') RETURNING id`,
        [w],
      )
    )[0]!.id;
    // Two leads of Ana's: the older one's status changes, the newer one has the booking.
    ids.lead1 = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, phone, source, created_at) VALUES ($1, $2, 'Ana', '+34600000001', 'FORM', now() - interval '8 hours') RETURNING id`,
        [w, contact],
      )
    )[0]!.id;
    ids.lead2 = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source, created_at) VALUES ($1, $2, 'Ana again', 'API', now() - interval '7 hours') RETURNING id`,
        [w, contact],
      )
    )[0]!.id;
    const bobLead = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source) VALUES ($1, $2, 'Bob', 'API') RETURNING id`,
        [w, bob],
      )
    )[0]!.id;
    ids.conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, lead_id) VALUES ($1, $2, $3) RETURNING id`,
        [w, contact, ids.lead1],
      )
    )[0]!.id;
    // A campaign reaches Ana in a conversation of no lead.
    ids.campaignConv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [w, contact],
      )
    )[0]!.id;
    const bobConv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, lead_id) VALUES ($1, $2, $3) RETURNING id`,
        [w, bob, bobLead],
      )
    )[0]!.id;
    const message = async (c: string, direction: string, sender: string, body: string, status: string, ago: string) =>
      (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, $3::message_direction, $4::message_sender, $5, $6::message_status, now() - $7::interval) RETURNING id`,
          [w, c, direction, sender, body, status, ago],
        )
      )[0]!.id;
    ids.in = await message(ids.conv, "INBOUND", "CONTACT", "Hi, is the flat\nstill free?", "RECEIVED", "6 hours");
    ids.out = await message(ids.conv, "OUTBOUND", "AGENT", "Yes it is. Want to visit?", "DELIVERED", "5 hours");
    await message(bobConv, "INBOUND", "CONTACT", "Bob's own message", "RECEIVED", "1 minute");
    // A call of the contact's with no lead.
    ids.call = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO calls (workspace_id, contact_id, status, ended_reason, created_at) VALUES ($1, $2, 'ENDED', 'customer-ended-call', now() - interval '4 hours') RETURNING id`,
        [w, contact],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO calls (workspace_id, contact_id, lead_id, status, created_at) VALUES ($1, $2, $3, 'ENDED', now() - interval '2 minutes')`,
      [w, bob, bobLead],
    );
    ids.campaign = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO campaigns (workspace_id, name, message, status) VALUES ($1, 'Spring open day', 'Come by', 'RUNNING') RETURNING id`,
        [w],
      )
    )[0]!.id;
    ids.campaignMessage = await message(ids.campaignConv, "OUTBOUND", "SYSTEM", "Come by", "SENT", "3 hours");
    await ownerSql(
      api,
      `INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id, status, message_id) VALUES ($1, $2, $3, 'QUEUED', $4)`,
      [w, ids.campaign, contact, ids.campaignMessage],
    );
    ids.booking = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email, created_at) VALUES ($1, $2, 'uid-1', '2026-12-01T10:00:00Z', '2026-12-01T10:30:00Z', 'ACCEPTED', 'Ana', 'ana@example.com', now() - interval '2 hours') RETURNING id`,
        [w, ids.lead2],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES ($1, $2, 'uid-bob', '2026-12-02T10:00:00Z', '2026-12-02T10:30:00Z', 'ACCEPTED', 'Bob', 'bob@example.com')`,
      [w, bobLead],
    );
    for (const [id, status] of [
      [ids.lead1, "QUALIFIED"],
      [bobLead, "LOST"],
    ] as const) {
      const moved = await api.gql(
        `mutation($w: ID!, $id: ID!, $s: LeadStatus!) { updateLeadStatus(workspaceId: $w, id: $id, status: $s) { status } }`,
        { w, id, s: status },
        { token: owner.token },
      );
      if (moved.errors) throw new Error(JSON.stringify(moved.errors));
    }
  });
  afterAll(async () => api.close());

  it("contactTimeline lists everything across the contact's leads and conversations, newest first, and nothing of another contact", async () => {
    const r = await api.gql<{ contactTimeline: Entry[] }>(TIMELINE, { w: ws.id, c: contact }, { token: owner.token });
    expect(r.errors).toBeUndefined();
    const entries = r.data!.contactTimeline;
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
    expect(campaign).toMatchObject({
      campaignId: ids.campaign,
      messageId: ids.campaignMessage,
      conversationId: ids.campaignConv,
      summary: "Campaign “Spring open day” sent",
    });
    expect(call).toMatchObject({ callId: ids.call, summary: "Call ended (customer-ended-call)" });
    expect(out).toMatchObject({ messageId: ids.out, conversationId: ids.conv, summary: "Yes it is. Want to visit?" });
    expect(inbound).toMatchObject({ messageId: ids.in, summary: "Hi, is the flat still free?" });
    expect(entries.some((e) => e.summary.includes("Bob") || e.summary.includes("LOST"))).toBe(false);
  });

  it("reads the contact and its timeline in one pipeline: settings, the contact, the timeline, no BEGIN", async () => {
    const first = await api.gql(TIMELINE, { w: ws.id, c: contact }, { token: owner.token }); // the principal into the cache
    const r = await api.gql(TIMELINE, { w: ws.id, c: contact }, { token: owner.token });
    expect(r.errors).toBeUndefined();
    expect(r.data, "the same answer, from the cached principal").toEqual(first.data);
    // The settings (verifying the cached principal), the contact, its timeline: one round trip.
    expect(await statements.of(r), "statements the request ran").toBe(readOf(2));
  });

  it("is bounded: first takes the newest; out of range is BAD_USER_INPUT", async () => {
    const r = await api.gql<{ contactTimeline: Entry[] }>(
      TIMELINE,
      { w: ws.id, c: contact, f: 2 },
      { token: owner.token },
    );
    expect(r.data!.contactTimeline.map((e) => e.kind)).toEqual(["STATUS_CHANGE", "BOOKING"]);
    const one = await api.gql<{ contactTimeline: Entry[] }>(
      TIMELINE,
      { w: ws.id, c: contact, f: 1 },
      { token: owner.token },
    );
    expect(one.data!.contactTimeline.map((e) => e.kind)).toEqual(["STATUS_CHANGE"]);
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, c: contact, f: 101 }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, c: contact, f: 0 }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("shows message text only to those who may read conversations", async () => {
    const r = await api.gql<{ contactTimeline: Entry[] }>(TIMELINE, { w: ws.id, c: contact }, { token: reader.token });
    expect(r.errors).toBeUndefined();
    expect(r.data!.contactTimeline.map((e) => e.kind)).toEqual([
      "STATUS_CHANGE",
      "BOOKING",
      "CAMPAIGN_SEND",
      "CALL",
      "MESSAGE_OUT",
      "MESSAGE_IN",
    ]);
    const summaries = r.data!.contactTimeline.map((e) => e.summary);
    expect(summaries).toContain("Message received");
    expect(summaries).toContain("Message delivered");
    expect(summaries.join(" ")).not.toContain("flat");
    expect(summaries).toContain("Campaign message sent");
  });

  it("leaves out the leads' bookings and status changes for a reader of contacts who may not read leads", async () => {
    const r = await api.gql<{ contactTimeline: Entry[] }>(
      TIMELINE,
      { w: ws.id, c: contact },
      { token: contactOnly.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.contactTimeline.map((e) => e.kind)).toEqual(["CAMPAIGN_SEND", "CALL", "MESSAGE_OUT", "MESSAGE_IN"]);
    expect(codeOf(await api.gql(TIMELINE, { w: ws.id, c: contact }, { token: leadOnly.token }))).toBe("FORBIDDEN");
  });

  it("contact answers the contact's fields to a reader of contacts, FORBIDDEN to others", async () => {
    const r = await api.gql<{ contact: Record<string, unknown> }>(
      CONTACT,
      { w: ws.id, id: contact },
      { token: contactOnly.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.contact).toMatchObject({
      id: contact,
      name: "Ana",
      email: "ana@example.com",
      phone: "+34600000001",
      tags: ["vip"],
      optedOutAt: null,
    });
    expect(typeof r.data!.contact.optInAt).toBe("string");
    expect(codeOf(await api.gql(CONTACT, { w: ws.id, id: contact }, { token: leadOnly.token }))).toBe("FORBIDDEN");
  });

  it("contactLeads lists the contact's leads newest first; their contact only to a reader of contacts", async () => {
    const r = await api.gql<{
      contactLeads: { id: string; name: string; status: string; contact: { id: string } | null }[];
    }>(LEADS, { w: ws.id, c: contact }, { token: owner.token });
    expect(r.errors).toBeUndefined();
    expect(r.data!.contactLeads).toEqual([
      { id: ids.lead2, name: "Ana again", status: "NEW", contact: { id: contact } },
      { id: ids.lead1, name: "Ana", status: "QUALIFIED", contact: { id: contact } },
    ]);
    const first = await api.gql<{ contactLeads: { id: string }[] }>(
      LEADS,
      { w: ws.id, c: contact, f: 1 },
      { token: owner.token },
    );
    expect(first.data!.contactLeads.map((l) => l.id)).toEqual([ids.lead2]);
    const blind = await api.gql<{ contactLeads: { contact: unknown }[] }>(
      LEADS,
      { w: ws.id, c: contact },
      { token: leadOnly.token },
    );
    expect(blind.data!.contactLeads.map((l) => l.contact)).toEqual([null, null]);
    expect(codeOf(await api.gql(LEADS, { w: ws.id, c: contact }, { token: contactOnly.token }))).toBe("FORBIDDEN");
  });

  it("another workspace's contact, an unknown id or a malformed id is NOT_FOUND; a NUL is BAD_USER_INPUT", async () => {
    const theirs = await createWorkspace(api, stranger, "Elsewhere");
    for (const [query, arg] of [
      [TIMELINE, "c"],
      [CONTACT, "id"],
      [LEADS, "c"],
    ] as const) {
      expect(codeOf(await api.gql(query, { w: theirs.id, [arg]: contact }, { token: stranger.token }))).toBe(
        "NOT_FOUND",
      );
      expect(codeOf(await api.gql(query, { w: ws.id, [arg]: contact }, { token: stranger.token }))).toBe("NOT_FOUND");
      expect(codeOf(await api.gql(query, { w: ws.id, [arg]: crypto.randomUUID() }, { token: owner.token }))).toBe(
        "NOT_FOUND",
      );
      expect(codeOf(await api.gql(query, { w: ws.id, [arg]: "not-a-uuid" }, { token: owner.token }))).toBe("NOT_FOUND");
      expect(codeOf(await api.gql(query, { w: ws.id, [arg]: "a\u0000b" }, { token: owner.token }))).toBe(
        "BAD_USER_INPUT",
      );
    }
  });
});
