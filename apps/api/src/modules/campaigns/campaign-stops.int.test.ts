// Issue 56: a send that a decision stopped never outlives it. A cancelled campaign sends nothing
// more — its held messages are not released by a plan change or a new month, and a send job
// already enqueued finds its message cancelled; a paused campaign's held and queued messages wait
// for its resume; an agent reply queued, retried or held before a person takes the conversation
// over never goes out; a contact who opts out (or is erased) with a held message gets nothing when
// the quota is released. What reaches Twilio is read from the fake's recorded messages.
import { readFileSync } from "node:fs";
import path from "node:path";

import { repoRoot } from "@atrium/db";
import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { CREATE, GET, RUN, seedContacts, type Progress } from "../../test/campaigns.ts";
import { codeOf, createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import {
  configure,
  eventually,
  newKey,
  openaiCard,
  PERSONA,
  startApiWithFakes,
  startWorkers,
  twilioCard,
} from "../../test/providers.ts";

const CREATE_PLAN = `mutation($i: PlanInput!) { createPlan(input: $i) { id } }`;
const ASSIGN = `mutation($s: String!, $p: ID) { assignPlan(slug: $s, planId: $p) { id } }`;
const SWITCH = `mutation($w: ID!, $p: ID!) { switchPlan(workspaceId: $w, planId: $p) { plan { name } } }`;
const TAKEOVER = `mutation($w: ID!, $c: ID!, $on: Boolean!) { setHumanTakeover(workspaceId: $w, conversationId: $c, enabled: $on) { id } }`;
const CANCELLED = "Not sent: the campaign was cancelled.";

describe("a stopped send never outlives the decision that stopped it", () => {
  let api: TestApi;
  let fakes: Fakes;
  let admin: TestUser;
  let owner: TestUser;
  let planSeq = 0;
  let workersStarted = false;
  const sentTo = (p: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${p}`);
  const progress = async (w: string, id: string) =>
    (await api.gql<{ campaign: Progress }>(GET, { w, id }, { token: owner.token })).data!.campaign;
  const op = async (name: string, w: string, id: string) => {
    const r = await api.gql<Record<string, Progress>>(
      `mutation($w: ID!, $id: ID!) { ${name}(workspaceId: $w, id: $id) { id status sent queued held cancelled suppressed } }`,
      { w, id },
      { token: owner.token },
    );
    if (!r.data?.[name]) throw new Error(`${name}: ${JSON.stringify(r.errors)}`);
    return r.data[name];
  };
  const plan = async (monthlyMessages: number | null) => {
    const r = await api.gql<{ createPlan: { id: string } }>(
      CREATE_PLAN,
      {
        i: {
          name: `Plan ${++planSeq} (${monthlyMessages})`,
          monthlyMessages,
          monthlyCalls: null,
          monthlyLeads: null,
          offered: true,
        },
      },
      { token: admin.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createPlan.id;
  };
  const assign = async (slug: string, planId: string | null) =>
    expect((await api.gql(ASSIGN, { s: slug, p: planId }, { token: admin.token })).errors).toBeUndefined();
  const workspace = async (name: string, extra: { openai?: ReturnType<typeof openaiCard> } = {}) => {
    const ws = await createWorkspace(api, owner, name, "WHATSAPP");
    const card = { twilio: twilioCard(), ...extra };
    await configure(api, fakes, owner, ws.id, card);
    return { ...ws, card };
  };
  const inbound = (ws: { id: string; card: { twilio: ReturnType<typeof twilioCard> } }, from: string, body: string) =>
    fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: ws.card.twilio.authToken,
      accountSid: ws.card.twilio.accountSid,
      from,
      to: ws.card.twilio.whatsappFrom,
      body,
    });
  const runCampaign = async (w: string, contacts: { id: string }[], name = "Spring") => {
    const r = await api.gql<{ createCampaign: { id: string } }>(
      CREATE,
      { w, i: { name, message: "Hi {{firstName}}", contactIds: contacts.map((x) => x.id) } },
      { token: owner.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    expect((await api.gql(RUN, { w, id: r.data.createCampaign.id }, { token: owner.token })).errors).toBeUndefined();
    return r.data.createCampaign.id;
  };
  /** Every send job of the workspace has run (none waiting, retrying or running). */
  const sendJobsSettled = (w: string) =>
    eventually(
      async () =>
        (
          await ownerSql<{ n: number }>(
            api,
            `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'send-whatsapp-message' AND data->>'workspaceId' = $1 AND state IN ('created', 'retry', 'active')`,
            [w],
          )
        )[0]!.n === 0,
      20_000,
      "the send jobs to finish",
    );
  const campaignMessages = (campaignId: string) =>
    ownerSql<{ recipient: string; status: string; error_message: string | null }>(
      api,
      `SELECT r.status::text AS recipient, m.status::text AS status, m.error_message FROM campaign_recipients r LEFT JOIN messages m ON m.workspace_id = r.workspace_id AND m.id = r.message_id WHERE r.campaign_id = $1`,
      [campaignId],
    );
  const workers = async () => {
    if (workersStarted) return;
    workersStarted = true;
    await startWorkers(api);
  };
  /** A campaign to `count` new contacts on a plan of `quota` messages, once `quota` are sent and the rest held. */
  const heldCampaign = async (name: string, quota: number, count: number) => {
    await workers();
    const ws = await workspace(name);
    await assign(ws.slug, await plan(quota));
    const contacts = await seedContacts(api, ws.id, count);
    const c = await runCampaign(ws.id, contacts);
    const held = await eventually(
      async () => {
        const x = await progress(ws.id, c);
        return x.sent === quota && x.held === count - quota && x;
      },
      30_000,
      `${quota} sent, ${count - quota} held`,
    );
    return { ws, contacts, c, held };
  };

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 2, delaySeconds: 4 },
      campaigns: { ratePerSecond: 0, batchSize: 20 },
    }));
    admin = await api.user("Admin");
    await api.services.platformAdmin.grantAdmin(admin.email);
    owner = await api.user("Owner");
    // The dispatcher only: the first test queues messages whose send jobs run later.
    await api.services.jobs.start();
    await api.services.campaigns.startWorkers();
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("messages queued but not yet sent: a cancelled campaign's jobs send nothing; a paused campaign's wait for its resume, then go out once", async () => {
    const ws = await workspace("Queued Dental");
    const toCancel = await seedContacts(api, ws.id, 4);
    const toPause = await seedContacts(api, ws.id, 3);
    const c = await runCampaign(ws.id, toCancel, "Cancelled");
    const p = await runCampaign(ws.id, toPause, "Paused");
    // Every recipient claimed: its message QUEUED and its send job enqueued (no send worker yet).
    await eventually(
      async () => (await campaignMessages(c)).concat(await campaignMessages(p)).every((r) => r.status === "QUEUED"),
      20_000,
      "all messages queued",
    );

    const cancelled = await op("cancelCampaign", ws.id, c);
    expect(cancelled).toMatchObject({ status: "CANCELLED", cancelled: 4, queued: 0, sent: 0 });
    expect((await op("pauseCampaign", ws.id, p)).status).toBe("PAUSED");

    await workers();
    await sendJobsSettled(ws.id);
    await new Promise((r) => setTimeout(r, 1_000));
    for (const x of [...toCancel, ...toPause]) expect(sentTo(x.phone), "nothing reaches Twilio").toHaveLength(0);
    expect(await campaignMessages(c)).toEqual(
      Array(4).fill({ recipient: "CANCELLED", status: "SUPPRESSED", error_message: CANCELLED }),
    );
    expect(await progress(ws.id, c)).toMatchObject({
      status: "CANCELLED",
      cancelled: 4,
      suppressed: 0,
      queued: 0,
      sent: 0,
      held: 0,
    });
    // The paused campaign's messages were handed back to it by their jobs: still unsent, waiting.
    const waiting = await campaignMessages(p);
    expect(waiting.map((r) => [r.recipient, r.status])).toEqual(Array(3).fill(["PENDING", "QUEUED"]));
    expect(waiting[0]!.error_message).toMatch(/campaign is paused/);
    expect(await progress(ws.id, p)).toMatchObject({ status: "PAUSED", queued: 3, sent: 0 });

    await op("resumeCampaign", ws.id, p);
    const done = await eventually(
      async () => {
        const x = await progress(ws.id, p);
        return x.status === "COMPLETED" && x;
      },
      40_000,
      "the resumed campaign to complete",
    );
    expect(done).toMatchObject({ sent: 3, queued: 0, cancelled: 0 });
    await sendJobsSettled(ws.id);
    for (const x of toPause) expect(sentTo(x.phone), "once each after the resume").toHaveLength(1);
    for (const x of toCancel) expect(sentTo(x.phone)).toHaveLength(0);
  }, 180_000);

  it("over the quota, then cancelled: a plan change releases none of its held messages; they end cancelled", async () => {
    const { ws, contacts, c, held } = await heldCampaign("Cancel Dental", 2, 6);
    expect(held.status).toBe("RUNNING");

    const cancelled = await op("cancelCampaign", ws.id, c);
    expect(cancelled).toMatchObject({ status: "CANCELLED", sent: 2, held: 0, cancelled: 4 });
    // The plan changes (a larger offered plan): nothing of the cancelled campaign is released.
    expect((await api.gql(SWITCH, { w: ws.id, p: await plan(1000) }, { token: owner.token })).errors).toBeUndefined();
    await sendJobsSettled(ws.id);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(contacts.filter((x) => sentTo(x.phone).length > 0)).toHaveLength(2);
    for (const x of contacts) expect(sentTo(x.phone).length).toBeLessThanOrEqual(1);
    const rows = await campaignMessages(c);
    expect(rows.filter((r) => r.status === "SUPPRESSED")).toEqual(
      Array(4).fill({ recipient: "CANCELLED", status: "SUPPRESSED", error_message: CANCELLED }),
    );
    expect(await progress(ws.id, c)).toMatchObject({
      status: "CANCELLED",
      total: 6,
      sent: 2,
      held: 0,
      queued: 0,
      cancelled: 4,
      suppressed: 0,
    });
    const usage = (
      await api.gql<{ usage: { heldMessages: number; messages: { used: number } } }>(
        `query($w: ID!) { usage(workspaceId: $w) { heldMessages messages { used } } }`,
        { w: ws.id },
        { token: owner.token },
      )
    ).data!.usage;
    expect(usage).toEqual({ heldMessages: 0, messages: { used: 2 } });
  }, 180_000);

  it("over the quota, then cancelled: the month-start release sends none of its held messages", async () => {
    const { ws, contacts, c } = await heldCampaign("Month Dental", 1, 3);
    expect(await op("cancelCampaign", ws.id, c)).toMatchObject({ status: "CANCELLED", held: 0, cancelled: 2 });
    // The month turns: this month's counter becomes last month's, and the cron releases.
    await ownerSql(
      api,
      `UPDATE usage_counters SET month = (month - interval '1 month')::date WHERE workspace_id = $1`,
      [ws.id],
    );
    await api.services.usage.releaseAllHeld();
    await sendJobsSettled(ws.id);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(contacts.filter((x) => sentTo(x.phone).length > 0)).toHaveLength(1);
    expect(await progress(ws.id, c)).toMatchObject({ status: "CANCELLED", sent: 1, held: 0, cancelled: 2 });
  }, 180_000);

  it("held messages an earlier cancel left behind are stopped by the migration, and no release sends them", async () => {
    const { ws, contacts, c } = await heldCampaign("Legacy Dental", 1, 3);
    // What a cancel did before issue 56: the status only, the held messages left held.
    await ownerSql(api, `UPDATE campaigns SET status = 'CANCELLED', completed_at = now() WHERE id = $1`, [c]);
    expect(await progress(ws.id, c)).toMatchObject({ status: "CANCELLED", held: 2, cancelled: 0 });
    await ownerSql(
      api,
      readFileSync(
        path.join(repoRoot, "prisma/migrations/20261125090000_cancelled_campaigns_held_messages/migration.sql"),
        "utf8",
      ),
    );
    expect(await progress(ws.id, c)).toMatchObject({ status: "CANCELLED", sent: 1, held: 0, cancelled: 2 });
    await api.services.usage.releaseAllHeld();
    expect((await api.gql(SWITCH, { w: ws.id, p: await plan(1000) }, { token: owner.token })).errors).toBeUndefined();
    await sendJobsSettled(ws.id);
    expect(contacts.filter((x) => sentTo(x.phone).length > 0)).toHaveLength(1);
  }, 180_000);

  it("a paused campaign's held messages are not released (plan change, new month) until it is resumed", async () => {
    const { ws, contacts, c } = await heldCampaign("Pause Dental", 2, 5);
    expect((await op("pauseCampaign", ws.id, c)).status).toBe("PAUSED");

    expect((await api.gql(SWITCH, { w: ws.id, p: await plan(1000) }, { token: owner.token })).errors).toBeUndefined();
    await api.services.usage.releaseAllHeld();
    await sendJobsSettled(ws.id);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(
      contacts.filter((x) => sentTo(x.phone).length > 0),
      "nothing more while paused",
    ).toHaveLength(2);
    expect(await progress(ws.id, c)).toMatchObject({ status: "PAUSED", sent: 2, held: 3 });

    // Resumed: the held messages go out now (the quota allows them), each once.
    await op("resumeCampaign", ws.id, c);
    const done = await eventually(
      async () => {
        const x = await progress(ws.id, c);
        return x.status === "COMPLETED" && x;
      },
      40_000,
      "COMPLETED after the resume",
    );
    expect(done).toMatchObject({ sent: 5, held: 0 });
    for (const x of contacts) expect(sentTo(x.phone)).toHaveLength(1);
  }, 180_000);

  it("a contact who opts out (STOP) or is erased while a campaign message is held gets nothing when the quota is released", async () => {
    const { ws, contacts, c } = await heldCampaign("Stop Dental", 1, 4);
    const [stopper, erased, kept] = contacts.filter((x) => sentTo(x.phone).length === 0);
    expect((await inbound(ws, stopper!.phone, "STOP")).status).toBe(200);
    // A contact with a conversation is not deleted through the API; erased with it (as the
    // retention sweep removes them), its held message goes too.
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!, $id: ID!) { deleteContact(workspaceId: $w, id: $id) }`,
          { w: ws.id, id: erased!.id },
          { token: owner.token },
        ),
      ),
    ).toBe("CONFLICT");
    await ownerSql(api, `DELETE FROM conversations WHERE workspace_id = $1 AND contact_id = $2`, [ws.id, erased!.id]);
    await ownerSql(api, `DELETE FROM contacts WHERE workspace_id = $1 AND id = $2`, [ws.id, erased!.id]);

    expect((await api.gql(SWITCH, { w: ws.id, p: await plan(1000) }, { token: owner.token })).errors).toBeUndefined();
    const done = await eventually(
      async () => {
        const x = await progress(ws.id, c);
        return x.status === "COMPLETED" && x;
      },
      40_000,
      "COMPLETED after the release",
    );
    await sendJobsSettled(ws.id);
    expect(sentTo(kept!.phone)).toHaveLength(1);
    expect(sentTo(stopper!.phone), "the opted-out contact").toHaveLength(0);
    expect(sentTo(erased!.phone), "the erased contact").toHaveLength(0);
    expect(done).toMatchObject({ total: 3, sent: 2, suppressed: 1, held: 0 });
    const stopped = await ownerSql<{ status: string; error_message: string }>(
      api,
      `SELECT m.status::text, m.error_message FROM messages m JOIN conversations cv ON cv.workspace_id = m.workspace_id AND cv.id = m.conversation_id WHERE cv.contact_id = $1 AND m.direction = 'OUTBOUND'`,
      [stopper!.id],
    );
    expect(stopped).toEqual([
      { status: "SUPPRESSED", error_message: "Not sent: the contact opted out (replied STOP)." },
    ]);
  }, 180_000);

  it("the kill switch stops held sends too: once it is lifted, a plan change sends none of them", async () => {
    const { ws, contacts, c } = await heldCampaign("Switch Dental", 1, 3);
    const PAUSE = `mutation($w: ID!, $p: Boolean!) { setAgentPaused(workspaceId: $w, paused: $p) { id } }`;
    expect((await api.gql(PAUSE, { w: ws.id, p: true }, { token: owner.token })).errors).toBeUndefined();
    expect((await api.gql(PAUSE, { w: ws.id, p: false }, { token: owner.token })).errors).toBeUndefined();
    expect((await api.gql(SWITCH, { w: ws.id, p: await plan(1000) }, { token: owner.token })).errors).toBeUndefined();
    const done = await eventually(
      async () => {
        const x = await progress(ws.id, c);
        return x.status === "COMPLETED" && x;
      },
      40_000,
      "COMPLETED",
    );
    await sendJobsSettled(ws.id);
    expect(contacts.filter((x) => sentTo(x.phone).length > 0)).toHaveLength(1);
    expect(done).toMatchObject({ sent: 1, suppressed: 2, held: 0, cancelled: 0 });
    const rows = await campaignMessages(c);
    expect(rows.filter((r) => r.status === "SUPPRESSED").map((r) => r.error_message)).toEqual([
      "Not sent: the agent is paused.",
      "Not sent: the agent is paused.",
    ]);
  }, 180_000);

  const agentWorkspace = async (name: string) => {
    const ws = await workspace(name, { openai: openaiCard() });
    await api.gql(PERSONA, { w: ws.id }, { token: owner.token });
    return ws;
  };
  const agentReplies = (w: string, from: string) =>
    ownerSql<{
      conversation_id: string;
      status: string;
      attempts: number;
      error_code: string | null;
      error_message: string | null;
    }>(
      api,
      `SELECT m.conversation_id, m.status::text, m.attempts, m.error_code, m.error_message FROM messages m JOIN conversations cv ON cv.workspace_id = m.workspace_id AND cv.id = m.conversation_id
        JOIN contacts ct ON ct.workspace_id = cv.workspace_id AND ct.id = cv.contact_id WHERE m.workspace_id = $1 AND ct.phone = $2 AND m.sender = 'AGENT'`,
      [w, from],
    );

  it("an agent reply waiting for its retry never goes out once a person takes the conversation over", async () => {
    await workers();
    const ws = await agentWorkspace("Takeover Dental");
    // Twilio answers 500: the reply waits for its retry (QUEUED, attempted once). A person takes
    // over meanwhile: the retry finds the takeover and sends nothing.
    const a = "+15557770001";
    fakes.twilio.failNext(1, { kind: "status", status: 500 });
    await inbound(ws, a, "Hello, can I book?");
    const [retrying] = await eventually(
      async () => {
        const r = await agentReplies(ws.id, a);
        return r[0]?.attempts === 1 && r[0].error_code === "20500" && r;
      },
      20_000,
      "the agent reply waiting for its retry",
    );
    expect(retrying!.status).toBe("QUEUED");
    expect(
      (await api.gql(TAKEOVER, { w: ws.id, c: retrying!.conversation_id, on: true }, { token: owner.token })).errors,
    ).toBeUndefined();
    await sendJobsSettled(ws.id);
    expect(sentTo(a), "the agent's reply after the takeover").toHaveLength(0);
    expect(await agentReplies(ws.id, a)).toMatchObject([
      { status: "SUPPRESSED", attempts: 1, error_message: "Not sent: a person took the conversation over." },
    ]);
  }, 180_000);

  it("an agent reply held by the quota never goes out after a takeover, even once the conversation is handed back and the quota released", async () => {
    await workers();
    const ws = await agentWorkspace("Held Reply Dental");
    await assign(ws.slug, await plan(0));
    const b = "+15557770002";
    await inbound(ws, b, "Hi there");
    const [held] = await eventually(
      async () => {
        const r = await agentReplies(ws.id, b);
        return r[0]?.status === "HELD_QUOTA" && r;
      },
      20_000,
      "the agent reply held by the quota",
    );
    await api.gql(TAKEOVER, { w: ws.id, c: held!.conversation_id, on: true }, { token: owner.token });
    await api.gql(TAKEOVER, { w: ws.id, c: held!.conversation_id, on: false }, { token: owner.token });
    await assign(ws.slug, null);
    await sendJobsSettled(ws.id);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sentTo(b)).toHaveLength(0);
    expect(await agentReplies(ws.id, b)).toMatchObject([
      { status: "SUPPRESSED", error_message: "Not sent: a person took the conversation over." },
    ]);
  }, 180_000);
});
