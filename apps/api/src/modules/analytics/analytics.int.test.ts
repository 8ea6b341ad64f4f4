// Analytics on a small hand-made dataset: counts per UTC day (rows at 23:59:59.999 and 00:00 fall
// on their own days), every day of the range present (zeros included), another workspace's rows
// never counted, conversion = that day's leads now BOOKED / that day's leads; bad ranges refused.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { parseDay } from "./analytics.service.ts";

const Q = `query($w: ID!, $f: String!, $t: String!) { analytics(workspaceId: $w, from: $f, to: $t) { day leads messagesIn messagesOut calls bookings bookedLeads conversion } }`;

describe("analytics", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let other: { id: string };

  async function seed(
    workspaceId: string,
    rows: { lead?: [string, string]; msg?: [string, "INBOUND" | "OUTBOUND"]; call?: string; booking?: string }[],
  ) {
    const [contact] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'Seed') RETURNING id`,
      [workspaceId],
    );
    const [conv] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
      [workspaceId, contact!.id],
    );
    for (const r of rows) {
      if (r.lead)
        await ownerSql(
          api,
          `INSERT INTO leads (workspace_id, contact_id, name, source, status, created_at) VALUES ($1, $2, 'L', 'FORM', $3, $4)`,
          [workspaceId, contact!.id, r.lead[1], r.lead[0]],
        );
      if (r.msg)
        await ownerSql(
          api,
          `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, $3, $4, 'x', $5, $6)`,
          [
            workspaceId,
            conv!.id,
            r.msg[1],
            r.msg[1] === "INBOUND" ? "CONTACT" : "AGENT",
            r.msg[1] === "INBOUND" ? "RECEIVED" : "SENT",
            r.msg[0],
          ],
        );
      if (r.call)
        await ownerSql(
          api,
          `INSERT INTO calls (workspace_id, contact_id, status, created_at) VALUES ($1, $2, 'ENDED', $3)`,
          [workspaceId, contact!.id, r.call],
        );
      if (r.booking)
        await ownerSql(
          api,
          `INSERT INTO bookings (workspace_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email, created_at) VALUES ($1, gen_random_uuid()::text, now(), now(), 'ACCEPTED', 'A', 'a@x.test', $2)`,
          [workspaceId, r.booking],
        );
    }
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Stats Dental");
    other = await createWorkspace(api, owner, "Other Stats");
    await seed(ws.id, [
      { lead: ["2026-03-01T00:00:00.000Z", "NEW"] },
      { lead: ["2026-03-01T12:00:00.000Z", "BOOKED"] },
      { lead: ["2026-03-01T23:59:59.999Z", "BOOKED"] },
      { lead: ["2026-03-03T08:00:00.000Z", "LOST"] },
      { lead: ["2026-02-28T23:59:59.999Z", "BOOKED"] }, // before the range
      { msg: ["2026-03-01T09:00:00.000Z", "INBOUND"] },
      { msg: ["2026-03-01T09:01:00.000Z", "OUTBOUND"] },
      { msg: ["2026-03-01T09:02:00.000Z", "OUTBOUND"] },
      { msg: ["2026-03-02T00:00:00.000Z", "INBOUND"] },
      { msg: ["2026-03-04T00:00:00.000Z", "OUTBOUND"] }, // after the range
      { call: "2026-03-02T15:00:00.000Z" },
      { booking: "2026-03-01T13:00:00.000Z" },
      { booking: "2026-03-03T23:59:59.999Z" },
    ]);
    await seed(other.id, [
      { lead: ["2026-03-01T10:00:00.000Z", "BOOKED"] },
      { msg: ["2026-03-01T10:00:00.000Z", "INBOUND"] },
      { call: "2026-03-01T10:00:00.000Z" },
      { booking: "2026-03-01T10:00:00.000Z" },
    ]);
  });
  afterAll(async () => api.close());

  it("counts per UTC day over the range, zeros included, never another workspace's rows", async () => {
    const r = await api.gql<{ analytics: unknown[] }>(
      Q,
      { w: ws.id, f: "2026-03-01", t: "2026-03-03" },
      { token: owner.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.analytics).toEqual([
      {
        day: "2026-03-01",
        leads: 3,
        messagesIn: 1,
        messagesOut: 2,
        calls: 0,
        bookings: 1,
        bookedLeads: 2,
        conversion: 2 / 3,
      },
      {
        day: "2026-03-02",
        leads: 0,
        messagesIn: 1,
        messagesOut: 0,
        calls: 1,
        bookings: 0,
        bookedLeads: 0,
        conversion: 0,
      },
      {
        day: "2026-03-03",
        leads: 1,
        messagesIn: 0,
        messagesOut: 0,
        calls: 0,
        bookings: 1,
        bookedLeads: 0,
        conversion: 0,
      },
    ]);
  });

  it("closed days are stored in the rollup on first read and read from it after; today is counted live", async () => {
    const other = await createWorkspace(api, owner, "Rollup Stats");
    await seed(other.id, [
      { msg: ["2026-04-10T10:00:00.000Z", "INBOUND"] },
      { msg: ["2026-04-10T11:00:00.000Z", "OUTBOUND"] },
      { msg: [new Date().toISOString(), "OUTBOUND"] },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const first = await api.gql<{ analytics: { day: string; messagesIn: number; messagesOut: number }[] }>(
      Q,
      { w: other.id, f: "2026-04-09", t: "2026-04-11" },
      { token: owner.token },
    );
    expect(first.data!.analytics.map((d) => [d.day, d.messagesIn, d.messagesOut])).toEqual([
      ["2026-04-09", 0, 0],
      ["2026-04-10", 1, 1],
      ["2026-04-11", 0, 0],
    ]);
    const stored = await ownerSql<{ day: string; messages_in: number; messages_out: number }>(
      api,
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, messages_in, messages_out FROM analytics_daily_messages WHERE workspace_id = $1 ORDER BY day`,
      [other.id],
    );
    expect(stored).toEqual([
      { day: "2026-04-09", messages_in: 0, messages_out: 0 },
      { day: "2026-04-10", messages_in: 1, messages_out: 1 },
      { day: "2026-04-11", messages_in: 0, messages_out: 0 },
    ]);
    // The second read takes the stored rows: a row changed behind its back shows (proof it is read).
    await ownerSql(
      api,
      `UPDATE analytics_daily_messages SET messages_in = 7 WHERE workspace_id = $1 AND day = '2026-04-10'`,
      [other.id],
    );
    const second = await api.gql<{ analytics: { day: string; messagesIn: number }[] }>(
      Q,
      { w: other.id, f: "2026-04-10", t: "2026-04-10" },
      { token: owner.token },
    );
    expect(second.data!.analytics[0]!.messagesIn).toBe(7);
    // Today is never stored: a message sent now shows at once.
    const live = async () =>
      (
        await api.gql<{ analytics: { messagesOut: number }[] }>(
          Q,
          { w: other.id, f: today, t: today },
          { token: owner.token },
        )
      ).data!.analytics[0]!.messagesOut;
    expect(await live()).toBe(1);
    await seed(other.id, [{ msg: [new Date().toISOString(), "OUTBOUND"] }]);
    expect(await live()).toBe(2);
    expect(
      await ownerSql(api, `SELECT 1 FROM analytics_daily_messages WHERE workspace_id = $1 AND day = $2::date`, [
        other.id,
        today,
      ]),
    ).toEqual([]);
  });

  it("leads come from a rollup of closed days, kept right as statuses change, leads are deleted or written with a past day; today is counted live", async () => {
    const w = await createWorkspace(api, owner, "Lead Rollup");
    await seed(w.id, [
      { lead: ["2026-05-10T10:00:00.000Z", "NEW"] },
      { lead: ["2026-05-10T11:00:00.000Z", "BOOKED"] },
      { lead: ["2026-05-11T09:00:00.000Z", "NEW"] },
      { lead: [new Date().toISOString(), "NEW"] },
    ]);
    const read = async (f: string, t: string) =>
      (
        await api.gql<{ analytics: { day: string; leads: number; bookedLeads: number }[] }>(
          Q,
          { w: w.id, f, t },
          { token: owner.token },
        )
      ).data!.analytics.map((d) => [d.day, d.leads, d.bookedLeads]);
    /** The live count the rollup must equal (what every read counted before it). */
    const live = async () =>
      (
        await ownerSql<{ day: string; n: number; b: number }>(
          api,
          `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n, count(*) FILTER (WHERE status = 'BOOKED')::int AS b FROM leads WHERE workspace_id = $1 AND created_at < '2026-05-12' GROUP BY 1 ORDER BY 1`,
          [w.id],
        )
      ).map((r) => [r.day, r.n, r.b]);
    const stored = async () =>
      (
        await ownerSql<{ day: string; leads: number; booked: number }>(
          api,
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, leads, booked FROM analytics_daily_leads WHERE workspace_id = $1 AND (leads > 0 OR booked > 0) ORDER BY day`,
          [w.id],
        )
      ).map((r) => [r.day, r.leads, r.booked]);
    expect(await read("2026-05-10", "2026-05-11")).toEqual([
      ["2026-05-10", 2, 1],
      ["2026-05-11", 1, 0],
    ]);
    expect(await stored()).toEqual([
      ["2026-05-10", 2, 1],
      ["2026-05-11", 1, 0],
    ]);
    // A stored day is read from the rollup: a row changed behind its back shows (proof it is read).
    await ownerSql(api, `UPDATE analytics_daily_leads SET leads = 9 WHERE workspace_id = $1 AND day = '2026-05-11'`, [
      w.id,
    ]);
    expect((await read("2026-05-11", "2026-05-11"))[0]).toEqual(["2026-05-11", 9, 0]);
    await ownerSql(api, `UPDATE analytics_daily_leads SET leads = 1 WHERE workspace_id = $1 AND day = '2026-05-11'`, [
      w.id,
    ]);
    // A lead of a stored day becomes BOOKED; another stops being BOOKED; one is deleted; one is written with a past day.
    await ownerSql(
      api,
      `UPDATE leads SET status = 'BOOKED' WHERE workspace_id = $1 AND created_at = '2026-05-11T09:00:00.000Z'`,
      [w.id],
    );
    await ownerSql(
      api,
      `UPDATE leads SET status = 'LOST' WHERE workspace_id = $1 AND created_at = '2026-05-10T11:00:00.000Z'`,
      [w.id],
    );
    await ownerSql(
      api,
      `UPDATE leads SET status = 'QUALIFIED' WHERE workspace_id = $1 AND created_at = '2026-05-10T10:00:00.000Z'`,
      [w.id],
    );
    await seed(w.id, [{ lead: ["2026-05-11T20:00:00.000Z", "BOOKED"] }]);
    expect(await read("2026-05-10", "2026-05-11")).toEqual([
      ["2026-05-10", 2, 0],
      ["2026-05-11", 2, 2],
    ]);
    await ownerSql(
      api,
      `DELETE FROM leads WHERE workspace_id = $1 AND created_at >= '2026-05-10' AND created_at < '2026-05-11T10:00:00.000Z'`,
      [w.id],
    );
    expect(await read("2026-05-10", "2026-05-11")).toEqual([
      ["2026-05-10", 0, 0],
      ["2026-05-11", 1, 1],
    ]);
    expect(await stored()).toEqual(await live());
    // Today is never stored, and a lead written now shows at once.
    const today = new Date().toISOString().slice(0, 10);
    expect((await read(today, today))[0]).toEqual([today, 1, 0]);
    await seed(w.id, [{ lead: [new Date().toISOString(), "BOOKED"] }]);
    expect((await read(today, today))[0]).toEqual([today, 2, 1]);
    expect(
      await ownerSql(api, `SELECT 1 FROM analytics_daily_leads WHERE workspace_id = $1 AND day = $2::date`, [
        w.id,
        today,
      ]),
    ).toEqual([]);
  });

  it("a one-day range and a range across a month end", async () => {
    const one = await api.gql<{ analytics: { day: string; leads: number }[] }>(
      Q,
      { w: ws.id, f: "2026-02-28", t: "2026-02-28" },
      { token: owner.token },
    );
    expect(one.data!.analytics).toEqual([
      expect.objectContaining({ day: "2026-02-28", leads: 1, bookedLeads: 1, conversion: 1 }),
    ]);
    const span = await api.gql<{ analytics: { day: string }[] }>(
      Q,
      { w: ws.id, f: "2026-02-27", t: "2026-03-02" },
      { token: owner.token },
    );
    expect(span.data!.analytics.map((d) => d.day)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("refuses malformed days, impossible dates, reversed and over-long ranges with BAD_USER_INPUT", async () => {
    for (const [f, t] of [
      ["2026-3-01", "2026-03-02"],
      ["2026-02-30", "2026-03-02"],
      ["2026-03-02", "2026-03-01"],
      ["2025-01-01", "2026-03-01"],
      ["", "2026-03-01"],
    ]) {
      expect(codeOf(await api.gql(Q, { w: ws.id, f, t }, { token: owner.token })), `${f}..${t}`).toBe("BAD_USER_INPUT");
    }
    expect(parseDay("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseDay("2026-02-29")).toBeNull();
  });
});
