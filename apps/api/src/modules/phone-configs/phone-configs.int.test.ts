// R6 in the channel loop: a workspace's default phone number replaces the integration card's
// single field — the Twilio WhatsApp sender, the Vapi phoneNumberId. And the message / booking
// webhook events of the same loop (A5) reach a subscribed endpoint.
import { Webhook } from "standardwebhooks";

import { FakeWebhookReceiver, type Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  codeOf,
  createWorkspace,
  ownerSql,
  raceOnLock,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import {
  configure,
  eventually,
  newKey,
  openaiCard,
  openingTemplate,
  startApiWithFakes,
  startWorkers,
  submitForm,
  twilioCard,
  vapiCard,
} from "../../test/providers.ts";

const CREATE_PC = `mutation($w: ID!, $i: PhoneConfigInput!) { createPhoneConfig(workspaceId: $w, input: $i) { id } }`;

describe("phone numbers in the channel loop", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let receiver: FakeWebhookReceiver;

  beforeAll(async () => {
    receiver = new FakeWebhookReceiver();
    await receiver.start();
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 1, delaySeconds: 1 },
    }));
    owner = await api.user("Owner");
    await startWorkers(api);
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
    await receiver?.close();
  });

  it("WhatsApp: the card's sender until a default Twilio number exists, then that number; message.sent and message.received are delivered", async () => {
    const ws = await createWorkspace(api, owner, "Sender Co", "WHATSAPP");
    const tw = twilioCard();
    await configure(api, fakes, owner, ws.id, { twilio: tw, openai: openaiCard() });
    await openingTemplate(api, fakes, owner, ws.id); // a new lead's opening goes as a template (issue 56)
    const hook = await api.gql<{ createWebhookEndpoint: { secret: string } }>(
      `mutation($w: ID!, $u: String!) { createWebhookEndpoint(workspaceId: $w, input: { url: $u, events: ["message.sent", "message.received"] }) { secret } }`,
      { w: ws.id, u: `${receiver.baseUrl}/wa` },
      { token: owner.token },
    );
    const secret = hook.data!.createWebhookEndpoint.secret;

    await submitForm(api, ws.slug, { name: "Before", phone: "+15553330001" });
    const first = await eventually(
      () => fakes.twilio.messages.find((m) => m.to === "whatsapp:+15553330001"),
      10_000,
      "first send",
    );
    expect(first.from).toBe(`whatsapp:${tw.whatsappFrom}`);

    // A non-default number changes nothing; the default one becomes the sender.
    await api.gql(
      CREATE_PC,
      { w: ws.id, i: { number: "+15553339998", provider: "TWILIO", label: "Spare" } },
      { token: owner.token },
    );
    await api.gql(
      CREATE_PC,
      { w: ws.id, i: { number: "+15553339999", provider: "TWILIO", label: "Sales line", isDefault: true } },
      { token: owner.token },
    );
    await submitForm(api, ws.slug, { name: "After", phone: "+15553330002" });
    const second = await eventually(
      () => fakes.twilio.messages.find((m) => m.to === "whatsapp:+15553330002"),
      10_000,
      "second send",
    );
    expect(second.from).toBe("whatsapp:+15553339999");

    const sent = await eventually(
      () =>
        receiver.deliveries().filter((d) => d.path === "/wa" && (d.json as { type: string }).type === "message.sent")
          .length >= 2 && receiver.deliveries(),
      10_000,
      "message.sent events",
    );
    const verified = sent
      .filter((d) => d.path === "/wa")
      .map(
        (d) =>
          new Webhook(secret).verify(d.body, {
            "webhook-id": d.id,
            "webhook-timestamp": d.timestamp,
            "webhook-signature": d.signature,
          }) as { type: string; data: { to: string; providerMessageId: string; direction: string } },
      );
    expect(
      verified
        .filter((p) => p.type === "message.sent")
        .map((p) => p.data.to)
        .sort(),
    ).toEqual(["+15553330001", "+15553330002"]);
    expect(verified.find((p) => p.data.to === "+15553330002")!.data).toMatchObject({
      direction: "OUTBOUND",
      providerMessageId: second.sid,
    });

    const r = await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: "+15553330002",
      to: "+15553339999",
      body: "Hello there",
    });
    expect(r.status).toBe(200);
    const received = await eventually(
      () =>
        receiver.deliveries().find((d) => d.path === "/wa" && (d.json as { type: string }).type === "message.received"),
      10_000,
      "message.received",
    );
    expect((received.json as { data: unknown }).data).toMatchObject({
      direction: "INBOUND",
      body: "Hello there",
      from: "+15553330002",
      providerMessageId: r.messageSid,
    });
  });

  it("Voice: the default Vapi number's phoneNumberId places the call instead of the card's", async () => {
    const ws = await createWorkspace(api, owner, "Caller Co", "VOICE");
    const va = vapiCard();
    await configure(api, fakes, owner, ws.id, { vapi: va });
    await api.gql(
      CREATE_PC,
      {
        w: ws.id,
        i: {
          number: "+15554440000",
          provider: "VAPI",
          label: "Front desk",
          providerRef: "pn_front_desk",
          isDefault: true,
        },
      },
      { token: owner.token },
    );
    await submitForm(api, ws.slug, { name: "Called", phone: "+15554440001" });
    const call = await eventually(
      () => fakes.vapi.calls.find((c) => c.customer.number === "+15554440001"),
      10_000,
      "the call",
    );
    expect(call.phoneNumberId).toBe("pn_front_desk");
    expect(va.phoneNumberId).not.toBe("pn_front_desk");
  });

  describe("the 100-number cap under parallel creates: the losers get the cap's CONFLICT, never a 500, and no more than 100 are stored", () => {
    const seed = (workspaceId: string, n: number) =>
      ownerSql(
        api,
        `INSERT INTO phone_configs (workspace_id, number, provider, label) SELECT $1, '+1555777' || lpad(g::text, 4, '0'), 'TWILIO', 'Seed' FROM generate_series(1, $2::int) g`,
        [workspaceId, n],
      );
    const stored = async (workspaceId: string) =>
      Number(
        (
          await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM phone_configs WHERE workspace_id = $1`, [
            workspaceId,
          ])
        )[0]!.n,
      );
    const createN = (workspaceId: string, n: number, prefix: string) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          api.gql(
            CREATE_PC,
            {
              w: workspaceId,
              i: { number: `${prefix}${String(i).padStart(4, "0")}`, provider: "TWILIO", label: `Race ${i}` },
            },
            { token: owner.token },
          ),
        ),
      );
    const expectCap = (results: GqlResult[], ok: number) => {
      for (const r of results) {
        expect(r.status, JSON.stringify(r.errors)).toBeLessThan(500);
        if (r.errors) {
          expect(codeOf(r), JSON.stringify(r.errors)).toBe("CONFLICT");
          expect(r.errors[0]!.message).toMatch(/at most 100 numbers/);
        }
      }
      expect(results.filter((r) => !r.errors)).toHaveLength(ok);
    };

    it("90 stored + 20 at once → 100", async () => {
      const ws = await createWorkspace(api, owner, "Numbers Burst Co");
      await seed(ws.id, 90);
      expectCap(await createN(ws.id, 20, "+1555888"), 10);
      expect(await stored(ws.id)).toBe(100);
    });

    it("98 stored + 5 that all counted before any committed (workspace row held) → 100", async () => {
      const ws = await createWorkspace(api, owner, "Numbers Race Co");
      await seed(ws.id, 98);
      // The owner holds the workspace row: each create blocks after its count, at its insert's
      // foreign-key check, so without a lock around count + insert all five would pass.
      const results = await raceOnLock(api, `SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE`, [ws.id], 5, () =>
        createN(ws.id, 5, "+1555999"),
      );
      expectCap(results, 2);
      expect(await stored(ws.id)).toBe(100);
    });
  });
});
