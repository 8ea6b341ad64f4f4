// The WhatsApp loop against the provider fakes, through real HTTP end to end: a new lead gets
// the opening message at the fake Twilio; the lead's signed inbound message is stored once and
// answered by the agent (an OpenAI completion built from the persona) through Twilio; status
// callbacks move delivery status; the kill switch, takeover, missing cards, provider failures
// and foreign signatures are all refused or recorded as they should be.
import { randomBytes } from "node:crypto";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import {
  configure,
  eventually,
  newKey,
  openaiCard,
  openingTemplate,
  PERSONA,
  startApiWithFakes,
  startWorkers,
  submitForm,
  twilioCard,
} from "../../test/providers.ts";

const MESSAGES = `query($w: ID!, $c: ID!) { messages(workspaceId: $w, conversationId: $c) { edges { node { id direction sender body status errorCode errorMessage } } } }`;
type Msg = {
  id: string;
  direction: string;
  sender: string;
  body: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
};

let phoneSeq = 0;
const phone = () => `+1555${String(Date.now() % 1_000_000).padStart(6, "0")}${phoneSeq++ % 10}`;

describe("the WhatsApp loop against the fakes", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const tw = twilioCard();
  const oa = openaiCard();
  const webhook = () => `${api.url}/webhooks/twilio/${ws.id}`;

  const conversationOf = async (workspaceId: string, phoneNumber: string) =>
    (
      await ownerSql<{ id: string }>(
        api,
        `SELECT cv.id FROM conversations cv JOIN contacts c ON c.workspace_id = cv.workspace_id AND c.id = cv.contact_id WHERE cv.workspace_id = $1 AND c.phone = $2`,
        [workspaceId, phoneNumber],
      )
    )[0]?.id;
  const transcript = async (workspaceId: string, conv: string): Promise<Msg[]> =>
    (
      await api.gql<{ messages: { edges: { node: Msg }[] } }>(
        MESSAGES,
        { w: workspaceId, c: conv },
        { token: owner.token },
      )
    ).data!.messages.edges.map((e) => e.node);
  const sentTo = (p: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${p}`);
  const inbound = (p: string, body: string, extra: Partial<Parameters<Fakes["twilio"]["sendInbound"]>[0]> = {}) =>
    fakes.twilio.sendInbound({
      webhookUrl: webhook(),
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: p,
      to: tw.whatsappFrom,
      body,
      ...extra,
    });

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 2, delaySeconds: 1 },
    }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Loop Dental", "WHATSAPP");
    await api.gql(PERSONA, { w: ws.id }, { token: owner.token });
    await configure(api, fakes, owner, ws.id, { twilio: tw, openai: oa });
    // Issue 56: a new lead has not written yet, so WhatsApp needs an approved template to open.
    await openingTemplate(api, fakes, owner, ws.id);
    await startWorkers(api);
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("a new lead with a phone gets the opening message at the fake Twilio, then SENT and DELIVERED", async () => {
    const p = phone();
    await submitForm(api, ws.slug, { name: "Jane Doe", phone: p });
    const [sent] = await eventually(() => sentTo(p).length > 0 && sentTo(p), 10_000, "the opening message");
    expect(sent!.body).toBe("Hi Jane, thanks for contacting Loop Dental! How can we help?");
    expect(sent!.contentVariables).toEqual({ "1": "Jane", "2": "Loop Dental" });
    expect(sent!.from).toBe(`whatsapp:${tw.whatsappFrom}`);
    expect(sent!.accountSid).toBe(tw.accountSid);
    expect(sent!.statusCallback).toMatch(new RegExp(`^${api.url}/webhooks/twilio/${ws.id}/status\\?message=`));
    const conv = (await conversationOf(ws.id, p))!;
    const [msg] = await eventually(
      async () => {
        const t = await transcript(ws.id, conv);
        return t[0]?.status === "DELIVERED" && t;
      },
      10_000,
      "DELIVERED",
    );
    expect(msg).toMatchObject({ direction: "OUTBOUND", sender: "AGENT", status: "DELIVERED", errorCode: null });
    const row = await ownerSql<{ provider_message_id: string; attempts: number }>(
      api,
      `SELECT provider_message_id, attempts FROM messages WHERE id = $1`,
      [msg!.id],
    );
    expect(row[0]).toEqual({ provider_message_id: sent!.sid, attempts: 1 });
  });

  it("an inbound message is stored and answered: the OpenAI request carries the persona, the reply goes out through Twilio", async () => {
    const p = phone();
    await submitForm(api, ws.slug, { name: "Omar Lee", phone: p });
    await eventually(() => sentTo(p).length === 1, 10_000, "opening");
    const before = fakes.openai.completions().length;
    fakes.openai.reply = (messages) => `Got it: ${messages.at(-1)!.content}. Which days suit you?`;
    const r = await inbound(p, "A check-up, please", { profileName: "Omar" });
    expect(r.status).toBe(200);
    expect(r.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const replies = await eventually(() => sentTo(p).length === 2 && sentTo(p), 10_000, "the agent's reply");
    expect(replies[1]!.body).toBe("Got it: A check-up, please. Which days suit you?");
    const req = fakes.openai.completions().slice(before);
    expect(req).toHaveLength(1);
    expect(req[0]!.model).toBe("gpt-4o-mini");
    const [system, ...rest] = req[0]!.messages;
    expect(system!.role).toBe("system");
    expect(system!.content).toContain("You are Ava, patient coordinator at Loop Dental");
    expect(system!.content).toContain("Tone: friendly.");
    expect(system!.content).toContain("1. Is this for a check-up or a treatment?\n2. Which days suit you?");
    expect(rest.map((m) => [m.role, m.content])).toEqual([
      ["assistant", "Hi Omar, thanks for contacting Loop Dental! How can we help?"],
      ["user", "A check-up, please"],
    ]);
    const auth = fakes.openai.received("POST", "/v1/chat/completions").at(-1)!.headers.authorization;
    expect(auth).toBe(`Bearer ${oa.apiKey}`);
    const conv = (await conversationOf(ws.id, p))!;
    const t = await eventually(
      async () => {
        const x = await transcript(ws.id, conv);
        return x.length === 3 && x[2]!.status !== "QUEUED" && x;
      },
      10_000,
      "reply sent",
    );
    expect(t.map((m) => [m.direction, m.sender, m.status])).toEqual([
      ["OUTBOUND", "AGENT", expect.stringMatching(/SENT|DELIVERED/)],
      ["INBOUND", "CONTACT", "RECEIVED"],
      ["OUTBOUND", "AGENT", expect.stringMatching(/SENT|DELIVERED/)],
    ]);
  });

  it("a message from an unknown number creates its contact and conversation; a repeated MessageSid stores nothing new", async () => {
    const p = phone();
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const before = fakes.openai.completions().length;
    expect((await inbound(p, "Hello?", { messageSid: sid, profileName: "New Person" })).status).toBe(200);
    expect((await inbound(p, "Hello?", { messageSid: sid, profileName: "New Person" })).status).toBe(200);
    await eventually(() => sentTo(p).length === 1, 10_000, "one reply");
    const rows = await ownerSql<{ n: string }>(
      api,
      `SELECT count(*) AS n FROM messages WHERE workspace_id = $1 AND provider_message_id = $2`,
      [ws.id, sid],
    );
    expect(rows[0]!.n).toBe("1");
    const contact = await ownerSql<{ name: string }>(
      api,
      `SELECT name FROM contacts WHERE workspace_id = $1 AND phone = $2`,
      [ws.id, p],
    );
    expect(contact).toEqual([{ name: "New Person" }]);
    await new Promise((r) => setTimeout(r, 500));
    expect(fakes.openai.completions().length - before).toBe(1);
    expect(sentTo(p)).toHaveLength(1);
  });

  it("signatures: tampered body, wrong token, another workspace's URL or no signature → 403 and no row", async () => {
    const other = await createWorkspace(api, owner, "Loop Other", "WHATSAPP");
    const otherTw = twilioCard();
    await configure(api, fakes, owner, other.id, { twilio: otherTw });
    const p = phone();
    const count = async () =>
      Number(
        (await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM messages WHERE direction = 'INBOUND'`))[0]!.n,
      );
    const start = await count();
    const params = {
      MessageSid: `SM${randomBytes(16).toString("hex")}`,
      From: `whatsapp:${p}`,
      To: `whatsapp:${tw.whatsappFrom}`,
      Body: "hi",
    };
    const { twilioSignature } = await import("@atrium/fakes");
    const post = (url: string, body: Record<string, string>, signature?: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(signature ? { "x-twilio-signature": signature } : {}),
        },
        body: new URLSearchParams(body).toString(),
      });
    const good = twilioSignature(tw.authToken, webhook(), params);
    expect((await post(webhook(), { ...params, Body: "hi, changed" }, good)).status).toBe(403); // tampered body
    expect((await post(webhook(), params, twilioSignature("not-the-token", webhook(), params))).status).toBe(403); // wrong token
    expect((await post(`${api.url}/webhooks/twilio/${other.id}`, params, good)).status).toBe(403); // A's signature on B's URL
    expect((await post(webhook(), params, twilioSignature(otherTw.authToken, webhook(), params))).status).toBe(403); // B's token on A's URL
    expect((await post(webhook(), params)).status).toBe(403); // missing
    expect((await post(`${api.url}/webhooks/twilio/not-a-uuid`, params, good)).status).toBe(403);
    const json = await fetch(webhook(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-twilio-signature": good },
      body: JSON.stringify(params),
    });
    expect(json.status).toBe(403);
    expect(await count()).toBe(start);
    expect((await post(webhook(), params, good)).status).toBe(200); // control: the same request, signed, is accepted
    expect(await count()).toBe(start + 1);
  });

  it("status callbacks: a signed 'failed' with Twilio's error code marks the message FAILED; an unsigned one changes nothing", async () => {
    const p = phone();
    fakes.twilio.statusSequence = [];
    await submitForm(api, ws.slug, { name: "Status Test", phone: p });
    const [m] = await eventually(() => sentTo(p).length > 0 && sentTo(p), 10_000, "sent");
    const conv = (await conversationOf(ws.id, p))!;
    await eventually(async () => (await transcript(ws.id, conv))[0]?.status === "SENT", 10_000, "SENT");
    const cb = m!.statusCallback!;
    const forged = await fetch(cb, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "bad" },
      body: new URLSearchParams({ MessageSid: m!.sid, MessageStatus: "read" }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(await fakes.twilio.sendStatus(m!.sid, "failed", "63016")).toBe(204);
    const [after] = await transcript(ws.id, conv);
    expect(after).toMatchObject({
      status: "FAILED",
      errorCode: "63016",
      errorMessage:
        "Twilio reported the message failed (error 63016): WhatsApp allows free text only within 24 hours of the contact's last message; send an approved template instead.",
    });
    expect(await fakes.twilio.sendStatus(m!.sid, "delivered")).toBe(204); // a late 'delivered' does not revive it
    expect((await transcript(ws.id, conv))[0]!.status).toBe("FAILED");
    fakes.twilio.statusSequence = ["sent", "delivered"];
  });

  it("provider 500s are retried with backoff and the message is sent once; past the retry limit it is FAILED with Twilio's error", async () => {
    const p1 = phone();
    fakes.twilio.failNext(1);
    await submitForm(api, ws.slug, { name: "Retry Once", phone: p1 });
    await eventually(() => sentTo(p1).length === 1, 15_000, "sent after a retry");
    const conv1 = (await conversationOf(ws.id, p1))!;
    const ok = await eventually(
      async () => {
        const rows = await ownerSql<{ status: string; attempts: number; error_message: string | null }>(
          api,
          `SELECT status, attempts, error_message FROM messages WHERE conversation_id = $1`,
          [conv1],
        );
        return rows[0] && rows[0].status !== "QUEUED" && rows[0];
      },
      10_000,
      "sent",
    );
    expect(ok.attempts).toBe(2);
    expect(ok.error_message).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(p1)).toHaveLength(1); // never twice

    const p2 = phone();
    const posts = () =>
      fakes.twilio
        .received("POST", `/2010-04-01/Accounts/${tw.accountSid}/Messages.json`)
        .filter((r) => r.form?.To === `whatsapp:${p2}`);
    fakes.twilio.failNext(3);
    await submitForm(api, ws.slug, { name: "Always Down", phone: p2 });
    const conv2 = await eventually(() => conversationOf(ws.id, p2), 5_000, "conversation");
    const [failed] = await eventually(
      async () => {
        const t = await transcript(ws.id, conv2);
        return t[0]?.status === "FAILED" && t;
      },
      20_000,
      "FAILED",
    );
    expect(failed).toMatchObject({
      status: "FAILED",
      errorCode: "20500",
      errorMessage: "Twilio answered HTTP 500, error 20500: Internal Server Error",
    });
    expect(posts()).toHaveLength(3); // the first attempt and two retries
    expect(sentTo(p2)).toHaveLength(0);
  });

  it("a final provider error (Twilio 21211) fails at once with the provider's code, without retrying", async () => {
    const p = phone();
    fakes.twilio.rejectTo.set(p, { code: 21211, message: `Invalid 'To' Phone Number: whatsapp:${p}`, status: 400 });
    await submitForm(api, ws.slug, { name: "Bad Number", phone: p });
    const conv = await eventually(() => conversationOf(ws.id, p), 5_000, "conversation");
    const [m] = await eventually(
      async () => {
        const t = await transcript(ws.id, conv);
        return t[0]?.status === "FAILED" && t;
      },
      10_000,
      "FAILED",
    );
    expect(m).toMatchObject({
      errorCode: "21211",
      errorMessage: `Twilio answered HTTP 400, error 21211: Invalid 'To' Phone Number: whatsapp:${p}`,
    });
    const attempts = await ownerSql<{ attempts: number }>(api, `SELECT attempts FROM messages WHERE id = $1`, [m!.id]);
    expect(attempts[0]!.attempts).toBe(1);
  });

  it("a timeout is retried like a 500", async () => {
    const p = phone();
    fakes.twilio.failNext(1, { kind: "timeout" });
    await submitForm(api, ws.slug, { name: "Slow Twilio", phone: p });
    await eventually(() => sentTo(p).length === 1, 20_000, "sent after a timeout");
    const conv = (await conversationOf(ws.id, p))!;
    const rows = await eventually(
      async () => {
        const r = await ownerSql<{ status: string; attempts: number }>(
          api,
          `SELECT status, attempts FROM messages WHERE conversation_id = $1`,
          [conv],
        );
        return r[0]?.status !== "QUEUED" && r;
      },
      10_000,
      "settled",
    );
    expect(rows[0]!.attempts).toBe(2);
  });

  it("an attempt whose answer was lost is found at Twilio by the retry and adopted, never sent twice", async () => {
    const p = phone();
    // No status callback will tell us it was accepted: the retry itself must ask Twilio.
    fakes.twilio.statusSequence = [];
    fakes.twilio.failNext(1, { kind: "lost-answer" });
    try {
      await submitForm(api, ws.slug, { name: "Lost Answer", phone: p });
      await eventually(() => sentTo(p).length === 1, 10_000, "accepted by Twilio (answer lost)");
      const conv = await eventually(() => conversationOf(ws.id, p), 5_000, "conversation");
      const rows = await eventually(
        async () => {
          const r = await ownerSql<{ status: string; attempts: number; provider_message_id: string | null }>(
            api,
            `SELECT status, attempts, provider_message_id FROM messages WHERE conversation_id = $1`,
            [conv],
          );
          return r[0]?.status !== "QUEUED" && r;
        },
        20_000,
        "settled",
      );
      expect(rows[0]).toMatchObject({ status: "SENT", attempts: 2, provider_message_id: sentTo(p)[0]!.sid });
      expect(
        fakes.twilio.received("GET", /\/Messages\.json$/).length,
        "the retry listed Twilio's messages",
      ).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(sentTo(p), "exactly one message reached Twilio").toHaveLength(1);
    } finally {
      fakes.twilio.statusSequence = ["sent", "delivered"];
    }
  });

  it("a status callback that arrives before the send's own record emits message.sent once", async () => {
    // Twilio takes the message but holds its answer; its 'delivered' callback comes first (as
    // when the send's answer is slow or its record waits for the database). The event must still
    // go out, once: whichever moves the message out of QUEUED emits it.
    const p = phone();
    await api.gql(
      `mutation($w: ID!, $i: CreateWebhookEndpointInput!) { createWebhookEndpoint(workspaceId: $w, input: $i) { endpoint { id } } }`,
      { w: ws.id, i: { url: `${api.url}/hooks-nowhere`, events: ["message.sent"] } },
      { token: owner.token },
    );
    fakes.twilio.statusSequence = [];
    let answer!: () => void;
    fakes.twilio.failNext(1, { kind: "held", until: new Promise<void>((resolve) => (answer = resolve)) });
    try {
      await submitForm(api, ws.slug, { name: "Early Callback", phone: p });
      const [m] = await eventually(() => sentTo(p).length > 0 && sentTo(p), 10_000, "accepted by Twilio (answer held)");
      expect(await fakes.twilio.sendStatus(m!.sid, "delivered")).toBe(204);
      const conv = (await conversationOf(ws.id, p))!;
      expect((await transcript(ws.id, conv))[0]!.status).toBe("DELIVERED");
      answer();
      const events = async () =>
        (
          await ownerSql<{ n: string }>(
            api,
            `SELECT count(*)::text AS n FROM webhook_events WHERE workspace_id = $1 AND type = 'message.sent' AND payload->'data'->>'providerMessageId' = $2`,
            [ws.id, m!.sid],
          )
        )[0]!.n;
      await eventually(
        async () =>
          (
            await ownerSql<{ n: string }>(
              api,
              `SELECT count(*)::text AS n FROM pgboss.job j JOIN messages m ON m.id::text = j.data->>'messageId' WHERE m.conversation_id = $1 AND j.state = 'completed'`,
              [conv],
            )
          )[0]!.n === "1",
        10_000,
        "the send job to finish",
      );
      expect(await events(), "message.sent emitted once, by the callback").toBe("1");
      expect((await transcript(ws.id, conv))[0]!.status, "the late answer does not move it back").toBe("DELIVERED");
    } finally {
      fakes.twilio.statusSequence = ["sent", "delivered"];
      await ownerSql(api, `DELETE FROM webhook_endpoints WHERE workspace_id = $1`, [ws.id]);
    }
  });

  it("under human takeover the agent stays silent; a manual reply goes out through Twilio", async () => {
    const p = phone();
    await inbound(p, "first");
    await eventually(() => sentTo(p).length === 1, 10_000, "agent reply");
    const conv = (await conversationOf(ws.id, p))!;
    await api.gql(
      `mutation($w: ID!, $c: ID!) { setHumanTakeover(workspaceId: $w, conversationId: $c, enabled: true) { id } }`,
      { w: ws.id, c: conv },
      { token: owner.token },
    );
    const before = fakes.openai.completions().length;
    await inbound(p, "second, while a human has it");
    await new Promise((r) => setTimeout(r, 800));
    expect(fakes.openai.completions().length).toBe(before);
    expect(sentTo(p)).toHaveLength(1);
    const reply = await api.gql<{ sendManualReply: { status: string } }>(
      `mutation($w: ID!, $c: ID!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: "Hi, Sam here" }) { status } }`,
      { w: ws.id, c: conv },
      { token: owner.token },
    );
    expect(reply.data!.sendManualReply.status).toBe("QUEUED");
    const sent = await eventually(() => sentTo(p).length === 2 && sentTo(p), 10_000, "manual reply sent");
    expect(sent[1]!.body).toBe("Hi, Sam here");
  });

  it("without an OpenAI card there is no automatic reply (the conversation waits for a human)", async () => {
    const quiet = await createWorkspace(api, owner, "Loop Quiet", "WHATSAPP");
    const qtw = twilioCard();
    await configure(api, fakes, owner, quiet.id, { twilio: qtw });
    const p = phone();
    const before = fakes.openai.completions().length;
    const r = await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${quiet.id}`,
      authToken: qtw.authToken,
      accountSid: qtw.accountSid,
      from: p,
      to: qtw.whatsappFrom,
      body: "anyone?",
    });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 800));
    const rows = await ownerSql<{ direction: string }>(api, `SELECT direction FROM messages WHERE workspace_id = $1`, [
      quiet.id,
    ]);
    expect(rows).toEqual([{ direction: "INBOUND" }]);
    expect(fakes.openai.completions().length).toBe(before);
  });

  it("each workspace sends with its own credentials: B's lead never goes out on A's account", async () => {
    const b = await createWorkspace(api, owner, "Loop B", "WHATSAPP");
    const btw = twilioCard();
    await configure(api, fakes, owner, b.id, { twilio: btw });
    await openingTemplate(api, fakes, owner, b.id);
    const p = phone();
    await submitForm(api, b.slug, { name: "Bea", phone: p });
    const [m] = await eventually(() => sentTo(p).length === 1 && sentTo(p), 10_000, "B's opening");
    expect(m!.accountSid).toBe(btw.accountSid);
    const req = fakes.twilio
      .received("POST", `/2010-04-01/Accounts/${btw.accountSid}/Messages.json`)
      .find((r) => r.form?.To === `whatsapp:${p}`)!;
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from(`${btw.accountSid}:${btw.authToken}`).toString("base64")}`,
    );
    expect(
      fakes.twilio
        .received("POST", `/2010-04-01/Accounts/${tw.accountSid}/Messages.json`)
        .some((r) => r.form?.To === `whatsapp:${p}`),
    ).toBe(false);
  });

  it("paused: leads still arrive, nothing reaches any provider, and every would-be send is stored SUPPRESSED", async () => {
    const PAUSE = `mutation($w: ID!, $p: Boolean!) { setAgentPaused(workspaceId: $w, paused: $p) { agentPaused } }`;
    expect((await api.gql(PAUSE, { w: ws.id, p: true }, { token: owner.token })).data).toEqual({
      setAgentPaused: { agentPaused: true },
    });
    fakes.clearAll();
    const p = phone();
    await submitForm(api, ws.slug, { name: "Paused Lead", phone: p });
    expect((await inbound(p, "are you there?")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fakes.twilio.received("POST", "/2010-04-01")).toEqual([]);
    expect(fakes.openai.requests).toEqual([]);
    const conv = (await conversationOf(ws.id, p))!;
    const t = await transcript(ws.id, conv);
    expect(t.map((m) => [m.direction, m.sender, m.status])).toEqual([
      ["OUTBOUND", "AGENT", "SUPPRESSED"],
      ["INBOUND", "CONTACT", "RECEIVED"],
      ["OUTBOUND", "AGENT", "SUPPRESSED"],
    ]);
    expect(t[0]!.errorMessage).toBe("Not sent: the agent is paused.");
    const lead = await ownerSql(api, `SELECT 1 FROM leads WHERE workspace_id = $1 AND phone = $2`, [ws.id, p]);
    expect(lead).toHaveLength(1);
    await api.gql(PAUSE, { w: ws.id, p: false }, { token: owner.token });
  });

  it("other workspaces' members cannot read the transcript: NOT_FOUND", async () => {
    const stranger = await api.user("Stranger");
    const conv = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM conversations WHERE workspace_id = $1 LIMIT 1`, [ws.id])
    )[0]!.id;
    expect(codeOf(await api.gql(MESSAGES, { w: ws.id, c: conv }, { token: stranger.token }))).toBe("NOT_FOUND");
  });
});

describe("the kill switch is checked when the job runs", () => {
  it("a message queued before the pause is SUPPRESSED by its job, and Twilio never sees it", async () => {
    const { api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 1, delaySeconds: 1 },
    });
    try {
      const owner = await api.user();
      const ws = await createWorkspace(api, owner, "Late Pause", "WHATSAPP");
      await configure(api, fakes, owner, ws.id, { twilio: twilioCard(), openai: openaiCard() });
      await openingTemplate(api, fakes, owner, ws.id);
      await submitForm(api, ws.slug, { name: "Queued Lead", phone: "+15550101010" }); // workers not started yet: QUEUED
      const queued = await ownerSql<{ status: string }>(api, `SELECT status FROM messages WHERE workspace_id = $1`, [
        ws.id,
      ]);
      expect(queued).toEqual([{ status: "QUEUED" }]);
      await api.gql(
        `mutation($w: ID!) { setAgentPaused(workspaceId: $w, paused: true) { id } }`,
        { w: ws.id },
        { token: owner.token },
      );
      await startWorkers(api);
      await eventually(
        async () =>
          (await ownerSql<{ status: string }>(api, `SELECT status FROM messages WHERE workspace_id = $1`, [ws.id]))[0]
            ?.status === "SUPPRESSED",
        10_000,
        "SUPPRESSED",
      );
      expect(fakes.twilio.received("POST", "/2010-04-01")).toEqual([]);
    } finally {
      await api.close();
      await fakes.close();
    }
  });
});
