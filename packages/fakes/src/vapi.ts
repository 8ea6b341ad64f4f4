// Vapi (voice): `POST /call` to start an outbound call, `GET /assistant/:id` (used to test
// credentials), and the server messages Vapi POSTs to an assistant's server URL with the
// `x-vapi-secret` header: tool calls (both documented shapes), status updates, live transcript
// lines and the end-of-call report.
//
// Live Call Control (issue 47): a created call answers with `monitor: {listenUrl, controlUrl}`;
// `POST <controlUrl>` takes `{type: "add-message", message: {role, content}, triggerResponseEnabled?}`,
// `{type: "transfer", destination: {type: "number", number}}`, `{type: "say", content}`,
// `{type: "end-call"}` and `{type: "control", control: "mute-assistant" | ...}`, as Vapi
// documents them, unauthenticated (the URL is the secret). Each accepted one is recorded on the
// call (`controlMessages`); a call that ended answers 400; a malformed one answers 400.
//
// Playing a call (`pnpm fakes call`, issue 56): `POST /_fake/call` sends the server messages of a
// short call to the product's Vapi webhook, with the x-vapi-secret, as Vapi would — status updates,
// the opening line and the caller's answer as transcript lines, `update_lead` and `list_slots`
// tool calls (and `book_consultation` at the first free start when an e-mail is given), then the
// end-of-call report. By default it plays the last call the product placed: its number, its call id,
// and the server URL and secret the product sent in assistantOverrides.server.
import { randomUUID } from "node:crypto";

import { bearer, FakeServer, json, type FakeAnswer, type RecordedRequest } from "./fake-server.ts";

export interface FakeVapiCall {
  id: string;
  assistantId: string;
  phoneNumberId: string;
  customer: { number: string; name?: string };
  assistantOverrides: unknown;
  createdAt: Date;
  /** Live Call Control messages accepted for this call, in order. */
  controlMessages: Record<string, unknown>[];
  /** Set by `end-call` (or by a test): control requests are then refused. */
  ended: boolean;
}

export interface ToolCallSpec {
  name: string;
  arguments: Record<string, unknown>;
  id?: string;
}

export class FakeVapi extends FakeServer {
  protected readonly name = "Vapi";
  /** Accepted API keys. Empty: any key is accepted (hand-run mode). */
  readonly apiKeys = new Set<string>();
  readonly calls: FakeVapiCall[] = [];
  /** Issue 50: the ids deleted through DELETE /call/{id} (each removed from `calls`). */
  readonly deletedCalls: string[] = [];

  protected errorBody(status: number): unknown {
    return {
      statusCode: status,
      message: status >= 500 ? "Internal server error" : `HTTP ${status}`,
      error: status >= 500 ? "Internal Server Error" : "Error",
    };
  }

  /** The control URL of a call (what `monitor.controlUrl` says). */
  controlUrlOf(callId: string): string {
    return `${this.baseUrl}/calls/${callId}/control`;
  }

  private control(req: RecordedRequest, callId: string): FakeAnswer {
    const call = this.calls.find((c) => c.id === callId);
    if (!call || req.method !== "POST")
      return json(404, { statusCode: 404, message: "Call not found", error: "Not Found" });
    if (call.ended) return json(400, { statusCode: 400, message: "Call has ended", error: "Bad Request" });
    const b = (req.json ?? {}) as Record<string, unknown>;
    const message = b.message as { role?: unknown; content?: unknown } | undefined;
    const destination = b.destination as { type?: unknown; number?: unknown } | undefined;
    const valid =
      (b.type === "add-message" &&
        !!message &&
        ["system", "user", "assistant"].includes(String(message.role)) &&
        typeof message.content === "string" &&
        message.content !== "") ||
      (b.type === "transfer" &&
        destination?.type === "number" &&
        typeof destination.number === "string" &&
        /^\+[1-9]\d{6,14}$/.test(destination.number)) ||
      (b.type === "say" && typeof b.content === "string") ||
      b.type === "end-call" ||
      (b.type === "control" && typeof b.control === "string");
    if (!valid) return json(400, { statusCode: 400, message: ["invalid control message"], error: "Bad Request" });
    call.controlMessages.push(b);
    if (b.type === "end-call") call.ended = true;
    return json(200, { success: true });
  }

  protected route(req: RecordedRequest): FakeAnswer | Promise<FakeAnswer> {
    if (req.method === "POST" && req.path === "/_fake/call") return this.playControl(req);
    const control = /^\/calls\/([^/]+)\/control$/.exec(req.path);
    if (control) return this.control(req, control[1]!);
    const key = bearer(req.headers);
    if (!key || (this.apiKeys.size > 0 && !this.apiKeys.has(key))) {
      return json(401, {
        statusCode: 401,
        message: "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.",
        error: "Unauthorized",
      });
    }
    const assistant = /^\/assistant\/([^/]+)$/.exec(req.path);
    if (assistant && req.method === "GET")
      return json(200, { id: assistant[1], name: "Fake assistant", createdAt: new Date().toISOString() });
    if (req.path === "/call" && req.method === "GET") {
      // List calls as Vapi does (newest first), filtered by createdAtGt / phoneNumberId, `limit`.
      const after = req.query.get("createdAtGt");
      const since = after ? new Date(after) : null;
      const phoneNumberId = req.query.get("phoneNumberId");
      const limit = Math.min(1000, Number(req.query.get("limit") ?? "100") || 100);
      const rows = this.calls
        .filter((c) => (!since || c.createdAt > since) && (!phoneNumberId || c.phoneNumberId === phoneNumberId))
        .slice()
        .reverse()
        .slice(0, limit);
      return json(
        200,
        rows.map((c) => ({
          id: c.id,
          orgId: "org_fake",
          type: "outboundPhoneCall",
          status: "queued",
          assistantId: c.assistantId,
          phoneNumberId: c.phoneNumberId,
          customer: c.customer,
          createdAt: c.createdAt.toISOString(),
        })),
      );
    }
    const callPath = /^\/call\/([^/]+)$/.exec(req.path);
    if (callPath && req.method === "DELETE") {
      const i = this.calls.findIndex((c) => c.id === callPath[1]);
      if (i < 0) return json(404, { statusCode: 404, message: "Couldn't Find Call", error: "Not Found" });
      const [call] = this.calls.splice(i, 1);
      this.deletedCalls.push(call!.id);
      return json(200, {
        id: call!.id,
        orgId: "org_fake",
        type: "outboundPhoneCall",
        status: "ended",
        createdAt: call!.createdAt.toISOString(),
      });
    }
    if (req.path !== "/call" || req.method !== "POST")
      return json(404, { statusCode: 404, message: `Cannot ${req.method} ${req.path}`, error: "Not Found" });
    const b = (req.json ?? {}) as {
      assistantId?: unknown;
      phoneNumberId?: unknown;
      customer?: { number?: unknown; name?: unknown };
      assistantOverrides?: unknown;
    };
    const problems: string[] = [];
    if (typeof b.assistantId !== "string" || !b.assistantId) problems.push("assistantId must be a string");
    if (typeof b.phoneNumberId !== "string" || !b.phoneNumberId) problems.push("phoneNumberId must be a string");
    if (typeof b.customer?.number !== "string" || !/^\+[1-9]\d{6,14}$/.test(b.customer.number))
      problems.push("customer.number must be a valid phone number in the E.164 format");
    if (problems.length) return json(400, { statusCode: 400, message: problems, error: "Bad Request" });
    const call: FakeVapiCall = {
      id: randomUUID(),
      assistantId: b.assistantId as string,
      phoneNumberId: b.phoneNumberId as string,
      customer: {
        number: b.customer!.number as string,
        ...(typeof b.customer!.name === "string" ? { name: b.customer!.name } : {}),
      },
      assistantOverrides: b.assistantOverrides ?? null,
      createdAt: new Date(),
      controlMessages: [],
      ended: false,
    };
    this.calls.push(call);
    return json(201, {
      id: call.id,
      orgId: "org_fake",
      type: "outboundPhoneCall",
      status: "queued",
      assistantId: call.assistantId,
      phoneNumberId: call.phoneNumberId,
      customer: call.customer,
      createdAt: call.createdAt.toISOString(),
      monitor: {
        listenUrl: `${this.baseUrl.replace(/^http/, "ws")}/calls/${call.id}/listen`,
        controlUrl: this.controlUrlOf(call.id),
      },
    });
  }

  private async playControl(req: RecordedRequest): Promise<FakeAnswer> {
    const b = (req.json ?? {}) as Record<string, string | undefined>;
    const last = this.calls.at(-1);
    const server = (last?.assistantOverrides as { server?: { url?: unknown; secret?: unknown } } | null)?.server;
    const webhookUrl = b.webhookUrl ?? (typeof server?.url === "string" ? server.url : undefined);
    const secret = b.secret ?? (typeof server?.secret === "string" ? server.secret : undefined);
    const number = b.number ?? last?.customer.number;
    if (!webhookUrl || !secret || !number) {
      return json(400, {
        error:
          "Send {webhookUrl, secret, number}; or let the product place a call first (POST /call) and its server URL, secret and number are used.",
      });
    }
    const firstMessage = (last?.assistantOverrides as { firstMessage?: unknown } | null)?.firstMessage;
    const steps = await this.playCall({
      webhookUrl,
      secret,
      number,
      callId: b.callId ?? (b.number ? undefined : last?.id),
      firstMessage: typeof firstMessage === "string" ? firstMessage : undefined,
      email: b.email,
    });
    return json(200, { webhookUrl, number, steps });
  }

  /**
   * Plays a short call against a Vapi webhook (see the header): returns each server message's
   * type, the webhook's HTTP status and its answer.
   */
  async playCall(opts: {
    webhookUrl: string;
    secret: string;
    number: string;
    callId?: string;
    firstMessage?: string;
    email?: string;
  }): Promise<{ type: string; status: number; body: unknown }[]> {
    const callId = opts.callId ?? randomUUID();
    const steps: { type: string; status: number; body: unknown }[] = [];
    const post = async (message: Record<string, unknown>) => {
      const r = await this.sendServerMessage(opts.webhookUrl, opts.secret, message);
      steps.push({ type: String(message.type), status: r.status, body: r.body });
      return r;
    };
    const opening = opts.firstMessage ?? "Hello! Thanks for getting in touch.";
    const answer = "Hi! I'd like a check-up, please.";
    await post(statusUpdateMessage(opts.number, "ringing", { callId }));
    await post(statusUpdateMessage(opts.number, "in-progress", { callId }));
    await post(transcriptMessage(opts.number, "assistant", opening, { callId }));
    await post(transcriptMessage(opts.number, "user", answer, { callId }));
    await post(
      toolCallsMessage(
        opts.number,
        [
          {
            name: "update_lead",
            arguments: { answers: [{ question: "What is the visit for?", answer: "A check-up" }] },
          },
        ],
        { callId },
      ),
    );
    const slots = await post(toolCallsMessage(opts.number, [{ name: "list_slots", arguments: {} }], { callId }));
    const turns: { role: "bot" | "user"; message: string }[] = [
      { role: "bot", message: opening },
      { role: "user", message: answer },
    ];
    const free = (slots.body as { results?: { result?: unknown }[] } | null)?.results?.[0]?.result;
    const first = Array.isArray(free) && typeof free[0] === "string" ? free[0] : null;
    if (first && opts.email) {
      await post(
        toolCallsMessage(opts.number, [{ name: "book_consultation", arguments: { start: first, email: opts.email } }], {
          callId,
        }),
      );
      turns.push({ role: "bot", message: `You're booked for ${first}.` });
    } else
      turns.push({
        role: "bot",
        message: first
          ? `The first free time is ${first}. A teammate will confirm.`
          : "A teammate will call you back with a time.",
      });
    await post(statusUpdateMessage(opts.number, "ended", { callId }));
    await post(endOfCallReport(opts.number, { callId, turns }));
    return steps;
  }

  /** POSTs a server message to `url` as Vapi does; returns the status and parsed answer. */
  async sendServerMessage(
    url: string,
    secret: string | null,
    message: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret !== null ? { "x-vapi-secret": secret } : {}) },
      body: JSON.stringify({ message: { timestamp: Date.now(), ...message } }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  }
}

const callOf = (customerNumber: string, callId?: string) => ({
  id: callId ?? randomUUID(),
  type: "outboundPhoneCall",
  customer: { number: customerNumber },
});

/**
 * A `tool-calls` server message. `shape: "nested"` is `{id, type: "function", function: {name,
 * arguments}}`; `"flat"` is `{id, name, arguments}`; `stringArgs` sends arguments as a JSON string.
 */
export function toolCallsMessage(
  customerNumber: string,
  calls: ToolCallSpec[],
  opts: { shape?: "nested" | "flat"; stringArgs?: boolean; callId?: string } = {},
) {
  const list = calls.map((c) => {
    const id = c.id ?? `call_${randomUUID().slice(0, 8)}`;
    const args = opts.stringArgs ? JSON.stringify(c.arguments) : c.arguments;
    return opts.shape === "flat"
      ? { id, name: c.name, arguments: args }
      : { id, type: "function", function: { name: c.name, arguments: args } };
  });
  return { type: "tool-calls", call: callOf(customerNumber, opts.callId), toolCallList: list, toolCalls: list };
}

/** An `end-of-call-report` server message with its artifact (transcript, messages, recording). */
export function endOfCallReport(
  customerNumber: string,
  opts: {
    callId?: string;
    turns: { role: "bot" | "assistant" | "user"; message: string }[];
    recordingUrl?: string;
    endedReason?: string;
  },
) {
  const start = Date.now() - opts.turns.length * 5_000;
  const messages = opts.turns.map((t, i) => ({
    role: t.role,
    message: t.message,
    time: start + i * 5_000,
    secondsFromStart: i * 5,
  }));
  const transcript = opts.turns.map((t) => `${t.role === "user" ? "User" : "AI"}: ${t.message}`).join("\n");
  return {
    type: "end-of-call-report",
    call: callOf(customerNumber, opts.callId),
    endedReason: opts.endedReason ?? "customer-ended-call",
    artifact: { transcript, messages, recordingUrl: opts.recordingUrl ?? "https://recordings.example.test/fake.wav" },
  };
}

/** A `status-update` server message (ringing, in-progress, forwarding, ended), with the call's monitor URLs when given. */
export function statusUpdateMessage(
  customerNumber: string,
  status: string,
  opts: { callId: string; controlUrl?: string },
) {
  return {
    type: "status-update",
    status,
    call: {
      ...callOf(customerNumber, opts.callId),
      ...(opts.controlUrl ? { monitor: { controlUrl: opts.controlUrl } } : {}),
    },
  };
}

/** A live `transcript` server message: one line said by the caller (`user`) or the assistant. */
export function transcriptMessage(
  customerNumber: string,
  role: "user" | "assistant",
  transcript: string,
  opts: { callId: string; transcriptType?: "partial" | "final"; controlUrl?: string },
) {
  return {
    type: "transcript",
    role,
    transcriptType: opts.transcriptType ?? "final",
    transcript,
    call: {
      ...callOf(customerNumber, opts.callId),
      ...(opts.controlUrl ? { monitor: { controlUrl: opts.controlUrl } } : {}),
    },
  };
}
