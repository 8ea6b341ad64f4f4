// Campaigns against the fake Twilio through the real outbound pipeline: templates rendered per
// contact, one message per contact, opt-out (STOP) skipped, the kill switch suppressing, pause /
// resume / cancel, audiences by tag, and the state machine refusing what it should.
import { randomUUID } from "node:crypto";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { CREATE, GET, RUN, seedContacts, type Progress } from "../../test/campaigns.ts";
import { codeOf, createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import { configure, eventually, newKey, startApiWithFakes, startWorkers, twilioCard } from "../../test/providers.ts";

describe("campaigns through the outbound pipeline", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const tw = twilioCard();
  const sentTo = (p: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${p}`);
  const progress = async (id: string) =>
    (await api.gql<{ campaign: Progress }>(GET, { w: ws.id, id }, { token: owner.token })).data!.campaign;
  const create = async (input: Record<string, unknown>) => {
    const r = await api.gql<{ createCampaign: { id: string; status: string } }>(
      CREATE,
      { w: ws.id, i: input },
      { token: owner.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createCampaign;
  };
  const op = (name: string, id: string) =>
    api.gql<Record<string, Progress>>(
      `mutation($w: ID!, $id: ID!) { ${name}(workspaceId: $w, id: $id) { id status sent queued cancelled } }`,
      { w: ws.id, id },
      { token: owner.token },
    );

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 2, delaySeconds: 1 },
      campaigns: { ratePerSecond: 0, batchSize: 20 },
    }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Campaign Dental", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: tw });
    await startWorkers(api);
    await api.services.campaigns.startWorkers();
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("a draft is DRAFT; unknown variables, stray braces, unknown or foreign contacts and an empty audience are refused at save time", async () => {
    const [c] = await seedContacts(api, ws.id, 1);
    const draft = await create({ name: "Spring", message: "Hi {{firstName}}", contactIds: [c!.id] });
    expect(draft.status).toBe("DRAFT");
    const bad = async (input: Record<string, unknown>) => {
      const r = await api.gql(CREATE, { w: ws.id, i: input }, { token: owner.token });
      expect(codeOf(r), JSON.stringify(input)).toBe("BAD_USER_INPUT");
      return r.errors![0]!.message;
    };
    expect(await bad({ name: "x", message: "Hi {{frist}}", contactIds: [c!.id] })).toMatch(
      /Unknown variable \{\{frist\}\}/,
    );
    expect(await bad({ name: "x", message: "Hi {{name", contactIds: [c!.id] })).toMatch(/not closed/);
    expect(await bad({ name: "x", message: "Hi", contactIds: [randomUUID()] })).toMatch(/do not exist/);
    expect(await bad({ name: "x", message: "Hi", contactIds: ["not-a-uuid"] })).toMatch(/do not exist/);
    expect(await bad({ name: "x", message: "Hi", contactIds: [] })).toMatch(/contacts or a tag/);
    const other = await createWorkspace(api, owner, "Other Practice", "WHATSAPP");
    const [foreign] = await seedContacts(api, other.id, 1);
    expect(await bad({ name: "x", message: "Hi", contactIds: [foreign!.id] })).toMatch(/do not exist/);
    // A tag nobody has (a typo) is refused at save time, naming the tags in use (issue 56).
    await seedContacts(api, ws.id, 1, { tags: ["spring-offer"] });
    expect(await bad({ name: "x", message: "Hi", contactIds: [], tag: "sprnig-offer" })).toMatch(
      /No contact has the tag "sprnig-offer". Tags in use include: .*spring-offer/,
    );
    // A tag whose contacts are gone by the time it runs: refused when it would start with nobody to send to.
    const empty = await create({ name: "Nobody", message: "Hi", contactIds: [], tag: "spring-offer" });
    await ownerSql(api, `UPDATE contacts SET tags = '{}' WHERE workspace_id = $1 AND 'spring-offer' = ANY(tags)`, [
      ws.id,
    ]);
    expect(codeOf(await api.gql(RUN, { w: ws.id, id: empty.id }, { token: owner.token }))).toBe("BAD_USER_INPUT");
    expect((await progress(empty.id)).status).toBe("DRAFT");
  }, 180_000);

  it("runs DRAFT → RUNNING → COMPLETED: one rendered message per contact at the fake Twilio; a contact who replied STOP is skipped", async () => {
    const contacts = await seedContacts(api, ws.id, 8);
    // The first contact opts out by replying STOP (a signed inbound webhook, recorded on the contact).
    const stop = await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: contacts[0]!.phone,
      to: tw.whatsappFrom,
      body: "STOP",
    });
    expect(stop.status).toBe(200);
    expect(
      (
        await ownerSql<{ opted: boolean }>(
          api,
          `SELECT opted_out_at IS NOT NULL AS opted FROM contacts WHERE id = $1`,
          [contacts[0]!.id],
        )
      )[0]!.opted,
    ).toBe(true);
    const c = await create({
      name: "Recall",
      message: "Hi {{firstName}}, time for your check-up!",
      contactIds: contacts.map((x) => x.id),
    });
    const started = await api.gql<{ runCampaign: { status: string; total: number } }>(
      RUN,
      { w: ws.id, id: c.id },
      { token: owner.token },
    );
    expect(started.data!.runCampaign).toMatchObject({ status: "RUNNING", total: 8 });
    const done = await eventually(
      async () => {
        const p = await progress(c.id);
        return p.status === "COMPLETED" && p;
      },
      60_000,
      "COMPLETED",
    );
    expect(done).toMatchObject({ total: 8, sent: 7, failed: 0, suppressed: 1, queued: 0, held: 0 });
    expect(sentTo(contacts[0]!.phone)).toHaveLength(0);
    for (const x of contacts.slice(1)) {
      const got = sentTo(x.phone);
      expect(got).toHaveLength(1);
      expect(got[0]!.body).toBe(`Hi ${x.name.split(" ")[0]}, time for your check-up!`);
    }
    // Running it again is a conflict, not a second round of messages.
    expect(codeOf(await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token }))).toBe("CONFLICT");
    // START opts the contact back in.
    await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: contacts[0]!.phone,
      to: tw.whatsappFrom,
      body: " start ",
    });
    expect(
      (
        await ownerSql<{ opted: boolean }>(
          api,
          `SELECT opted_out_at IS NOT NULL AS opted FROM contacts WHERE id = $1`,
          [contacts[0]!.id],
        )
      )[0]!.opted,
    ).toBe(false);
  }, 180_000);

  it("a tag audience reaches every tagged contact (and a chosen contact also tagged only once)", async () => {
    const tagged = await seedContacts(api, ws.id, 3, { tags: ["vip", "spring"] });
    await seedContacts(api, ws.id, 2, { tags: ["other"] });
    const c = await create({ name: "VIP", message: "Hello {{name}}", contactIds: [tagged[0]!.id], tag: "vip" });
    await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token });
    const done = await eventually(
      async () => {
        const p = await progress(c.id);
        return p.status === "COMPLETED" && p;
      },
      60_000,
      "COMPLETED",
    );
    expect(done).toMatchObject({ total: 3, sent: 3 });
    for (const x of tagged) expect(sentTo(x.phone)).toHaveLength(1);
  }, 180_000);

  it("the kill switch suppresses campaign sends: nothing reaches Twilio, every message is SUPPRESSED", async () => {
    const contacts = await seedContacts(api, ws.id, 4);
    await api.gql(
      `mutation($w: ID!) { setAgentPaused(workspaceId: $w, paused: true) { id } }`,
      { w: ws.id },
      { token: owner.token },
    );
    try {
      const c = await create({ name: "Paused", message: "Hi", contactIds: contacts.map((x) => x.id) });
      await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token });
      const done = await eventually(
        async () => {
          const p = await progress(c.id);
          return p.status === "COMPLETED" && p;
        },
        60_000,
        "COMPLETED",
      );
      expect(done).toMatchObject({ total: 4, sent: 0, suppressed: 4 });
      for (const x of contacts) expect(sentTo(x.phone)).toHaveLength(0);
      const statuses = await ownerSql<{ status: string }>(
        api,
        `SELECT m.status::text FROM campaign_recipients r JOIN messages m ON m.workspace_id = r.workspace_id AND m.id = r.message_id WHERE r.campaign_id = $1`,
        [c.id],
      );
      expect(statuses.map((s) => s.status)).toEqual(["SUPPRESSED", "SUPPRESSED", "SUPPRESSED", "SUPPRESSED"]);
    } finally {
      await api.gql(
        `mutation($w: ID!) { setAgentPaused(workspaceId: $w, paused: false) { id } }`,
        { w: ws.id },
        { token: owner.token },
      );
    }
  }, 180_000);

  it("pause stops claiming, resume finishes the rest, cancel leaves the unclaimed unsent; wrong transitions are conflicts", async () => {
    const contacts = await seedContacts(api, ws.id, 30);
    const c = await create({ name: "Slow", message: "Hi", contactIds: contacts.map((x) => x.id) });
    expect(codeOf(await op("pauseCampaign", c.id))).toBe("CONFLICT"); // a draft cannot be paused
    expect(codeOf(await op("resumeCampaign", c.id))).toBe("CONFLICT");
    // A slow per-workspace rate, so the campaign is still running when we pause it.
    api.config.campaigns.ratePerSecond = 4;
    try {
      await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token });
      await eventually(() => contacts.some((x) => sentTo(x.phone).length > 0), 10_000, "the first sends");
      const paused = await op("pauseCampaign", c.id);
      expect(paused.data!.pauseCampaign!.status).toBe("PAUSED");
      // The pause waited for the batch in flight (FOR SHARE on the campaign); after it, no claim.
      const claimed = async () =>
        (
          await ownerSql<{ n: number }>(
            api,
            `SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND status <> 'PENDING'`,
            [c.id],
          )
        )[0]!.n;
      const atPause = await claimed();
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await claimed()).toBe(atPause);
      expect(atPause).toBeLessThan(30);
      expect((await progress(c.id)).status).toBe("PAUSED");
    } finally {
      api.config.campaigns.ratePerSecond = 0;
    }
    const resumed = await op("resumeCampaign", c.id);
    expect(resumed.data!.resumeCampaign!.status).toBe("RUNNING");
    const done = await eventually(
      async () => {
        const p = await progress(c.id);
        return p.status === "COMPLETED" && p;
      },
      60_000,
      "COMPLETED",
    );
    expect(done.sent).toBe(30);
    for (const x of contacts) expect(sentTo(x.phone)).toHaveLength(1);
    expect(codeOf(await op("cancelCampaign", c.id))).toBe("CONFLICT"); // completed: nothing to cancel

    // Cancel while running slowly: the recipients not yet claimed are never sent.
    const more = await seedContacts(api, ws.id, 12);
    const d = await create({ name: "Cancelled", message: "Hi", contactIds: more.map((x) => x.id) });
    api.config.campaigns.ratePerSecond = 2;
    try {
      await api.gql(RUN, { w: ws.id, id: d.id }, { token: owner.token });
      await eventually(() => more.some((x) => sentTo(x.phone).length > 0), 10_000, "the first sends");
      const cancelled = await op("cancelCampaign", d.id);
      expect(cancelled.data!.cancelCampaign!.status).toBe("CANCELLED");
      const n = cancelled.data!.cancelCampaign!.cancelled;
      expect(n).toBeGreaterThan(0);
      // What was handed to Twilio before the cancel goes out; nothing else does (recipients not
      // claimed and messages queued but never attempted are cancelled, issue 56).
      await eventually(
        () => more.filter((x) => sentTo(x.phone).length > 0).length === 12 - n,
        20_000,
        "the claimed messages",
      );
      await new Promise((r) => setTimeout(r, 1_500));
      expect(more.filter((x) => sentTo(x.phone).length > 0).length).toBe(12 - n);
      for (const x of more) expect(sentTo(x.phone).length).toBeLessThanOrEqual(1);
    } finally {
      api.config.campaigns.ratePerSecond = 0;
    }
    expect(codeOf(await op("resumeCampaign", d.id))).toBe("CONFLICT");
    // Deleting: a cancelled campaign goes (its messages stay in the conversations).
    expect(
      (
        await api.gql<{ deleteCampaign: boolean }>(
          `mutation($w: ID!, $id: ID!) { deleteCampaign(workspaceId: $w, id: $id) }`,
          { w: ws.id, id: d.id },
          { token: owner.token },
        )
      ).data!.deleteCampaign,
    ).toBe(true);
    expect(codeOf(await api.gql(GET, { w: ws.id, id: d.id }, { token: owner.token }))).toBe("NOT_FOUND");
  }, 180_000);

  it("schedules a campaign: SCHEDULED, then it starts by itself at its time; a time in the past is refused", async () => {
    const contacts = await seedContacts(api, ws.id, 2);
    const c = await create({ name: "Later", message: "Hi", contactIds: contacts.map((x) => x.id) });
    const SCHEDULE = `mutation($w: ID!, $id: ID!, $at: DateTimeISO!) { scheduleCampaign(workspaceId: $w, id: $id, at: $at) { status } }`;
    expect(
      codeOf(
        await api.gql(
          SCHEDULE,
          { w: ws.id, id: c.id, at: new Date(Date.now() - 60_000).toISOString() },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    const r = await api.gql<{ scheduleCampaign: { status: string } }>(
      SCHEDULE,
      { w: ws.id, id: c.id, at: new Date(Date.now() + 2_000).toISOString() },
      { token: owner.token },
    );
    expect(r.data!.scheduleCampaign.status).toBe("SCHEDULED");
    expect(sentTo(contacts[0]!.phone)).toHaveLength(0);
    const done = await eventually(
      async () => {
        const p = await progress(c.id);
        return p.status === "COMPLETED" && p;
      },
      60_000,
      "the scheduled campaign to complete",
    );
    expect(done.sent).toBe(2);
  }, 180_000);
});
