// The fakes themselves: they must speak each provider's protocol faithfully, or the API tests
// that use them prove nothing.
import http from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { FakeVapi, startFakes, type Fakes } from "./index.ts";

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => {
  await fakes.close();
});

/** A one-shot receiver for callbacks. */
async function receiver(): Promise<{
  url: string;
  got: Promise<{ url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): void;
}> {
  let resolve!: (v: { url: string; headers: http.IncomingHttpHeaders; body: string }) => void;
  const got = new Promise<{ url: string; headers: http.IncomingHttpHeaders; body: string }>((r) => (resolve = r));
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.end("<Response/>");
      resolve({ url: req.url ?? "", headers: req.headers, body });
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { url, got, close: () => srv.close() };
}

describe("Twilio fake", () => {
  it("accepts a message from the official SDK pointed at it, and signs its status callbacks like Twilio", async () => {
    fakes.twilio.addAccount("AC123", "tok-123");
    const rx = await receiver();
    const client = twilio("AC123", "tok-123", { autoRetry: false });
    client.api.baseUrl = fakes.env.TWILIO_API_BASE_URL;
    fakes.twilio.statusSequence = ["sent"];
    fakes.twilio.noteInbound("+15550001111", "+15550002222"); // the contact wrote: free text may go
    const cb = `${rx.url}/status?m=1`;
    const msg = await client.messages.create({
      to: "whatsapp:+15550001111",
      from: "whatsapp:+15550002222",
      body: "hello",
      statusCallback: cb,
    });
    expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(msg.status).toBe("queued");
    const { headers, body } = await rx.got;
    const params = Object.fromEntries(new URLSearchParams(body));
    expect(params.MessageStatus).toBe("sent");
    expect(twilio.validateRequest("tok-123", String(headers["x-twilio-signature"]), cb, params)).toBe(true);
    expect(twilio.validateRequest("other-token", String(headers["x-twilio-signature"]), cb, params)).toBe(false);
    rx.close();
  });

  it("enforces WhatsApp's 24-hour window as Twilio does: free text to a number that never wrote fails with 63016; a template (ContentSid) goes", async () => {
    fakes.twilio.addAccount("AC124", "tok-124");
    const client = twilio("AC124", "tok-124", { autoRetry: false });
    client.api.baseUrl = fakes.env.TWILIO_API_BASE_URL;
    const rx = await receiver();
    const free = await client.messages.create({
      to: "whatsapp:+15550003333",
      from: "whatsapp:+15550002222",
      body: "hello",
      statusCallback: `${rx.url}/s`,
    });
    expect(free.status).toBe("queued"); // accepted, then failed
    const params = Object.fromEntries(new URLSearchParams((await rx.got).body));
    expect(params).toMatchObject({ MessageStatus: "failed", ErrorCode: "63016" });
    rx.close();
    const sid = `HX${"a".repeat(32)}`;
    fakes.twilio.addContent(sid, "Hi {{1}}, welcome to {{2}}.");
    const t = await client.messages.create({
      to: "whatsapp:+15550003333",
      from: "whatsapp:+15550002222",
      contentSid: sid,
      contentVariables: JSON.stringify({ 1: "Jane", 2: "Acme" }),
    });
    expect(fakes.twilio.messages.find((m) => m.sid === t.sid)).toMatchObject({
      body: "Hi Jane, welcome to Acme.",
      contentSid: sid,
      errorCode: null,
    });
    await expect(
      client.messages.create({
        to: "whatsapp:+15550003333",
        from: "whatsapp:+15550002222",
        contentSid: `HX${"b".repeat(32)}`,
      }),
    ).rejects.toMatchObject({ status: 400, code: 21655 });
    await expect(
      client.messages.create({
        to: "whatsapp:+15550003333",
        from: "whatsapp:+15550002222",
        contentSid: sid,
        contentVariables: "[1]",
      }),
    ).rejects.toMatchObject({ status: 400, code: 21656 });
    fakes.twilio.contents.clear();
  });

  it("refuses wrong credentials with Twilio's 20003 and fails on demand with a 500", async () => {
    const client = twilio("AC123", "wrong", { autoRetry: false });
    client.api.baseUrl = fakes.env.TWILIO_API_BASE_URL;
    await expect(
      client.messages.create({ to: "whatsapp:+15550001111", from: "whatsapp:+15550002222", body: "x" }),
    ).rejects.toMatchObject({ status: 401, code: 20003 });
    fakes.twilio.failNext(1);
    const ok = twilio("AC123", "tok-123", { autoRetry: false });
    ok.api.baseUrl = fakes.env.TWILIO_API_BASE_URL;
    await expect(
      ok.messages.create({ to: "whatsapp:+15550001111", from: "whatsapp:+15550002222", body: "x" }),
    ).rejects.toMatchObject({ status: 500 });
  });

  it("sends an inbound message whose signature validates with the twilio package", async () => {
    const rx = await receiver();
    const r = await fakes.twilio.sendInbound({
      webhookUrl: `${rx.url}/webhooks/twilio/ws`,
      authToken: "tok-123",
      accountSid: "AC123",
      from: "+15550001111",
      to: "+15550002222",
      body: "Hi there",
    });
    expect(r.status).toBe(200);
    const { headers, body } = await rx.got;
    const params = Object.fromEntries(new URLSearchParams(body));
    expect(params).toMatchObject({ From: "whatsapp:+15550001111", Body: "Hi there", MessageSid: r.messageSid });
    expect(
      twilio.validateRequest("tok-123", String(headers["x-twilio-signature"]), `${rx.url}/webhooks/twilio/ws`, params),
    ).toBe(true);
    rx.close();
  });
});

describe("Cal.com fake", () => {
  it("requires the cal-api-version of each endpoint and books a free slot once", async () => {
    const base = fakes.env.CALCOM_API_BASE_URL;
    const h = { authorization: "Bearer cal_key", "content-type": "application/json" };
    const noVersion = await fetch(
      `${base}/v2/slots?eventTypeId=1&start=2030-01-01T00:00:00Z&end=2030-01-01T23:59:59Z`,
      { headers: h },
    );
    expect(noVersion.status).toBe(400);
    const slots = (await (
      await fetch(`${base}/v2/slots?eventTypeId=1&start=2030-01-01T00:00:00Z&end=2030-01-01T23:59:59Z`, {
        headers: { ...h, "cal-api-version": "2024-09-04" },
      })
    ).json()) as { data: Record<string, { start: string }[]> };
    const first = slots.data["2030-01-01"]![0]!.start;
    const book = (body: object) =>
      fetch(`${base}/v2/bookings`, {
        method: "POST",
        headers: { ...h, "cal-api-version": "2024-08-13" },
        body: JSON.stringify(body),
      });
    const attendee = { name: "Ann", email: "ann@example.test", timeZone: "UTC" };
    const r1 = await book({ start: first, eventTypeId: 1, attendee });
    expect(r1.status).toBe(201);
    expect(((await r1.json()) as { data: { status: string } }).data.status).toBe("accepted");
    expect((await book({ start: first, eventTypeId: 1, attendee })).status).toBe(400);
  });
});

describe("every fake", () => {
  it("can hold a request without answering (a timeout) and records it", async () => {
    fakes.openai.failNext(1, { kind: "timeout" });
    const ctrl = new AbortController();
    const t = setTimeout(() => ctrl.abort(), 200);
    await expect(
      fetch(`${fakes.env.OPENAI_BASE_URL}/models`, { headers: { authorization: "Bearer k" }, signal: ctrl.signal }),
    ).rejects.toThrow();
    clearTimeout(t);
    expect(fakes.openai.received("GET", "/v1/models").length).toBeGreaterThan(0);
    const after = await fetch(`${fakes.env.OPENAI_BASE_URL}/models`, { headers: { authorization: "Bearer k" } });
    expect(after.status).toBe(200);
  });
});

describe("Vapi fake: Live Call Control", () => {
  it("answers POST /call with monitor.controlUrl, accepts add-message and transfer there, and refuses malformed or late ones", async () => {
    const res = await fetch(`${fakes.vapi.baseUrl}/call`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ assistantId: "a", phoneNumberId: "p", customer: { number: "+14155550100" } }),
    });
    expect(res.status).toBe(201);
    const call = (await res.json()) as { id: string; monitor: { controlUrl: string; listenUrl: string } };
    expect(call.monitor.controlUrl).toBe(`${fakes.vapi.baseUrl}/calls/${call.id}/control`);
    expect(call.monitor.listenUrl).toMatch(/^ws:\/\//);
    const post = (body: unknown) =>
      fetch(call.monitor.controlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect(
      (await post({ type: "add-message", message: { role: "system", content: "Offer Tuesday first" } })).status,
    ).toBe(200);
    expect((await post({ type: "transfer", destination: { type: "number", number: "+14155550199" } })).status).toBe(
      200,
    );
    expect((await post({ type: "transfer", destination: { type: "number", number: "555" } })).status).toBe(400);
    expect((await post({ type: "add-message", message: { role: "system" } })).status).toBe(400);
    const recorded = fakes.vapi.calls.find((c) => c.id === call.id)!;
    expect(recorded.controlMessages).toEqual([
      { type: "add-message", message: { role: "system", content: "Offer Tuesday first" } },
      { type: "transfer", destination: { type: "number", number: "+14155550199" } },
    ]);
    expect((await post({ type: "end-call" })).status).toBe(200);
    expect((await post({ type: "say", content: "hello?" })).status).toBe(400);
    expect((await fetch(`${fakes.vapi.baseUrl}/calls/nope/control`, { method: "POST", body: "{}" })).status).toBe(404);
  });
});

describe("Vapi fake: playing a call (pnpm fakes call)", () => {
  it("plays the last placed call against its server URL with its secret: status, transcript, tool calls, end-of-call report", async () => {
    const got: { headers: http.IncomingHttpHeaders; message: Record<string, unknown> }[] = [];
    const srv = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const message = (JSON.parse(body) as { message: Record<string, unknown> }).message;
        got.push({ headers: req.headers, message });
        const list = (message.toolCallList ?? []) as { id: string; function: { name: string } }[];
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify(
            message.type === "tool-calls"
              ? {
                  results: list.map((t) => ({
                    toolCallId: t.id,
                    result: t.function.name === "list_slots" ? ["2030-03-04T09:00:00.000Z"] : "ok",
                  })),
                }
              : {},
          ),
        );
      });
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const hook = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/webhooks/vapi/ws1`;
    try {
      const placed = await fetch(`${fakes.vapi.baseUrl}/call`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({
          assistantId: "a",
          phoneNumberId: "p",
          customer: { number: "+14155550123" },
          assistantOverrides: { firstMessage: "Hi Jane, this is Ava.", server: { url: hook, secret: "s3cret" } },
        }),
      });
      const call = (await placed.json()) as { id: string };
      const res = await fetch(`${fakes.vapi.baseUrl}/_fake/call`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "jane@example.test" }),
      });
      expect(res.status).toBe(200);
      const played = (await res.json()) as { steps: { type: string; status: number }[] };
      expect(played.steps.map((s) => `${s.type} ${s.status}`)).toEqual([
        "status-update 200",
        "status-update 200",
        "transcript 200",
        "transcript 200",
        "tool-calls 200",
        "tool-calls 200",
        "tool-calls 200",
        "status-update 200",
        "end-of-call-report 200",
      ]);
      expect(got.every((g) => g.headers["x-vapi-secret"] === "s3cret")).toBe(true);
      expect(got.every((g) => (g.message.call as { id: string; customer: { number: string } }).id === call.id)).toBe(
        true,
      );
      expect(
        got.every((g) => (g.message.call as { customer: { number: string } }).customer.number === "+14155550123"),
      ).toBe(true);
      expect(got[2]!.message).toMatchObject({
        type: "transcript",
        role: "assistant",
        transcript: "Hi Jane, this is Ava.",
      });
      const tools = got
        .filter((g) => g.message.type === "tool-calls")
        .map((g) => (g.message.toolCallList as { function: { name: string; arguments: unknown } }[])[0]!.function);
      expect(tools.map((t) => t.name)).toEqual(["update_lead", "list_slots", "book_consultation"]);
      expect(tools[2]!.arguments).toEqual({ start: "2030-03-04T09:00:00.000Z", email: "jane@example.test" });
      const report = got.at(-1)!.message as { artifact: { messages: { role: string; message: string }[] } };
      expect(report.artifact.messages.map((m) => m.role)).toEqual(["bot", "user", "bot"]);
      // Nothing to play before a call was placed, unless told where and with which secret.
      const fresh = new FakeVapi();
      const base = await fresh.start(0, "127.0.0.1");
      try {
        expect(
          (
            await fetch(`${base}/_fake/call`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: "{}",
            })
          ).status,
        ).toBe(400);
      } finally {
        await fresh.close();
      }
    } finally {
      srv.close();
    }
  });
});
