// Issue 45 (3): Twilio's signatures are checked by Twilio's own library, through the real routes.
// Twilio signs the URL it was configured with; that URL may carry the scheme's default port
// (`https://host:443/…`, `http://host:80/…`) or not, whatever PUBLIC_URL says, and a status
// callback carries a query string. Every such form signed by the official `twilio` package is
// accepted; a tampered body, a wrong token, another workspace's token or another host is refused
// with 403 and stores nothing. The server listens on 127.0.0.1:<port>; PUBLIC_URL (what the route
// verifies against) is set to the public forms below, as behind a TLS-terminating proxy.
import { randomBytes, randomUUID } from "node:crypto";
import twilio from "twilio";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import { configure, newKey, openingTemplate, startApiWithFakes, submitForm, twilioCard } from "../../test/providers.ts";

let phoneSeq = 0;
const phone = () => `+1556${String(Date.now() % 1_000_000).padStart(6, "0")}${phoneSeq++ % 10}`;

/** PUBLIC_URL → the URL forms Twilio may sign for it (with and without the default port). */
const FORMS: [publicUrl: string, signedBase: string[]][] = [
  ["https://atrium.example.test", ["https://atrium.example.test", "https://atrium.example.test:443"]],
  ["https://atrium.example.test:443", ["https://atrium.example.test", "https://atrium.example.test:443"]],
  ["http://atrium.example.test", ["http://atrium.example.test", "http://atrium.example.test:80"]],
  ["http://atrium.example.test:80", ["http://atrium.example.test", "http://atrium.example.test:80"]],
];

describe("Twilio signatures are Twilio's own (twilio.validateRequest) on the real routes", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let other: { id: string; slug: string };
  const tw = twilioCard();
  const otherTw = twilioCard();

  const post = (path: string, params: Record<string, string>, signature?: string) =>
    fetch(`${api.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature ? { "x-twilio-signature": signature } : {}),
      },
      body: new URLSearchParams(params).toString(),
    });
  const inboundParams = (p: string, body = "hi"): Record<string, string> => ({
    MessageSid: `SM${randomBytes(16).toString("hex")}`,
    AccountSid: tw.accountSid,
    From: `whatsapp:${p}`,
    To: `whatsapp:${tw.whatsappFrom}`,
    Body: body,
    NumMedia: "0",
  });
  const storedBySid = async (sid: string) =>
    Number(
      (
        await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM messages WHERE provider_message_id = $1`, [sid])
      )[0]!.n,
    );
  const inboundCount = async () =>
    Number(
      (await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM messages WHERE direction = 'INBOUND'`))[0]!.n,
    );
  /** A new lead's opening message: OUTBOUND and QUEUED (no workers run here), so a status callback can move it. */
  const queuedOutbound = async (): Promise<string> => {
    const p = phone();
    await submitForm(api, ws.slug, { name: "Sig Test", phone: p });
    const rows = await ownerSql<{ id: string; status: string }>(
      api,
      `SELECT m.id, m.status FROM messages m JOIN conversations cv ON cv.id = m.conversation_id JOIN contacts c ON c.id = cv.contact_id WHERE m.workspace_id = $1 AND c.phone = $2 AND m.direction = 'OUTBOUND'`,
      [ws.id, p],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("QUEUED");
    return rows[0]!.id;
  };
  const statusOf = async (id: string) =>
    (
      await ownerSql<{ status: string; provider_message_id: string | null }>(
        api,
        `SELECT status, provider_message_id FROM messages WHERE id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({ integrationKeys: [newKey()] }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Sig Dental", "WHATSAPP");
    other = await createWorkspace(api, owner, "Sig Other", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: tw });
    await configure(api, fakes, owner, other.id, { twilio: otherTw });
    // The opening message goes as an approved template (WhatsApp's window is closed for a new lead).
    await openingTemplate(api, fakes, owner, ws.id);
    await openingTemplate(api, fakes, owner, other.id);
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  for (const [publicUrl, signedBases] of FORMS) {
    for (const signedBase of signedBases) {
      it(`PUBLIC_URL ${publicUrl}: an inbound message and a status callback (query string) signed for ${signedBase} are accepted`, async () => {
        (api.config as { publicUrl: string }).publicUrl = publicUrl;
        const path = `/webhooks/twilio/${ws.id}`;
        const params = inboundParams(phone());
        const signature = twilio.getExpectedTwilioSignature(tw.authToken, `${signedBase}${path}`, params);
        const res = await post(path, params, signature);
        expect(res.status).toBe(200);
        expect(await storedBySid(params.MessageSid!)).toBe(1);

        const messageId = await queuedOutbound();
        const statusPath = `/webhooks/twilio/${ws.id}/status?message=${messageId}`;
        const sid = `SM${randomBytes(16).toString("hex")}`;
        const status = { MessageSid: sid, MessageStatus: "delivered", AccountSid: tw.accountSid };
        expect(
          (
            await post(
              statusPath,
              status,
              twilio.getExpectedTwilioSignature(tw.authToken, `${signedBase}${statusPath}`, status),
            )
          ).status,
        ).toBe(204);
        expect(await statusOf(messageId)).toEqual({ status: "DELIVERED", provider_message_id: sid });
      });
    }
  }

  it("the fake Twilio's inbound (signed by the twilio package for the port-qualified URL) is accepted", async () => {
    (api.config as { publicUrl: string }).publicUrl = "https://atrium.example.test";
    const r = await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      signedUrl: `https://atrium.example.test:443/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: phone(),
      to: tw.whatsappFrom,
      body: "hello",
    });
    expect(r.status).toBe(200);
    expect(await storedBySid(r.messageSid)).toBe(1);
  });

  it("a tampered body, a wrong token, another workspace's token, another host or scheme → 403 and nothing stored", async () => {
    (api.config as { publicUrl: string }).publicUrl = "https://atrium.example.test";
    const path = `/webhooks/twilio/${ws.id}`;
    const start = await inboundCount();
    for (const signedBase of ["https://atrium.example.test", "https://atrium.example.test:443"]) {
      const url = `${signedBase}${path}`;
      const params = inboundParams(phone());
      const good = twilio.getExpectedTwilioSignature(tw.authToken, url, params);
      expect((await post(path, { ...params, Body: "hi, changed" }, good)).status).toBe(403); // tampered body
      expect((await post(path, { ...params, Extra: "1" }, good)).status).toBe(403); // an added field
      expect(
        (
          await post(
            path,
            params,
            twilio.getExpectedTwilioSignature(`tw_${randomBytes(16).toString("hex")}`, url, params),
          )
        ).status,
      ).toBe(403); // wrong token
      expect((await post(path, params, twilio.getExpectedTwilioSignature(otherTw.authToken, url, params))).status).toBe(
        403,
      ); // B's token on A's URL
      expect((await post(`/webhooks/twilio/${other.id}`, params, good)).status).toBe(403); // A's signature on B's URL
      expect(
        (
          await post(
            path,
            params,
            twilio.getExpectedTwilioSignature(tw.authToken, `https://evil.example.test${path}`, params),
          )
        ).status,
      ).toBe(403); // another host
      expect(
        (
          await post(
            path,
            params,
            twilio.getExpectedTwilioSignature(tw.authToken, `http://atrium.example.test${path}`, params),
          )
        ).status,
      ).toBe(403); // another scheme
      expect(
        (
          await post(
            path,
            params,
            twilio.getExpectedTwilioSignature(tw.authToken, `https://atrium.example.test:8443${path}`, params),
          )
        ).status,
      ).toBe(403); // another port
      expect((await post(path, params)).status).toBe(403); // missing
      expect(await storedBySid(params.MessageSid!)).toBe(0);
    }
    expect(await inboundCount()).toBe(start);

    const messageId = await queuedOutbound();
    const statusPath = `/webhooks/twilio/${ws.id}/status?message=${messageId}`;
    const status = { MessageSid: `SM${randomBytes(16).toString("hex")}`, MessageStatus: "delivered" };
    const url = `https://atrium.example.test:443${statusPath}`;
    const good = twilio.getExpectedTwilioSignature(tw.authToken, url, status);
    expect((await post(statusPath, { ...status, MessageStatus: "read" }, good)).status).toBe(403); // tampered body
    expect((await post(statusPath.replace(messageId, randomUUID()), status, good)).status).toBe(403); // tampered query
    expect(
      (await post(statusPath, status, twilio.getExpectedTwilioSignature("not-the-token", url, status))).status,
    ).toBe(403); // wrong token
    expect(
      (await post(statusPath, status, twilio.getExpectedTwilioSignature(otherTw.authToken, url, status))).status,
    ).toBe(403); // another workspace's token
    expect(await statusOf(messageId)).toEqual({ status: "QUEUED", provider_message_id: null });
  });
});
