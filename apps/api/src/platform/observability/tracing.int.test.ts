// Traces end to end (decision 0035): a real OTLP/HTTP receiver (node:http, the exporter's JSON
// POST /v1/traces) and the API exporting to it, one submitLead through to the queued opening
// message sent by its job at the fake Twilio; and, with OTEL_EXPORTER_OTLP_ENDPOINT unset, no
// provider, no span and nothing exported.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, type TestApi, type TestUser } from "../../test/harness.ts";
import {
  configure,
  eventually,
  newKey,
  openingTemplate,
  startApiWithFakes,
  startWorkers,
  twilioCard,
} from "../../test/providers.ts";
import { TRACING_OFF } from "./tracing.ts";

/** An attribute as OTLP's JSON encoding carries it. */
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/** OTLP's SpanKind numbers. */
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

/** A real OTLP/HTTP receiver: every export request, and the spans of the JSON ones to /v1/traces. */
async function startReceiver() {
  const exports: OtlpExport[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests++;
      if (
        req.method !== "POST" ||
        req.url !== "/v1/traces" ||
        !String(req.headers["content-type"]).startsWith("application/json")
      ) {
        res.writeHead(415).end();
        return;
      }
      exports.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    exports,
    spans: (): OtlpSpan[] =>
      exports
        .flatMap((e) => e.resourceSpans ?? [])
        .flatMap((r) => r.scopeSpans ?? [])
        .flatMap((s) => s.spans ?? []),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string): string | number | boolean | undefined => {
  const v = span.attributes?.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue;
};

const CREATE_KEY = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`;
const SUBMIT = `mutation SubmitTracedLead($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`;

let phoneSeq = 0;
const newPhone = () => `+1555${String(Date.now() % 1_000_000).padStart(6, "0")}${phoneSeq++ % 10}`;

/** A WhatsApp workspace with Twilio (fake), an opening template, the workers, and an API key that may submit leads. */
async function whatsappWorkspace(api: TestApi, fakes: Fakes, owner: TestUser) {
  const ws = await createWorkspace(api, owner, `Trace Dental ${randomBytes(2).toString("hex")}`, "WHATSAPP");
  const twilio = twilioCard();
  await configure(api, fakes, owner, ws.id, { twilio });
  await openingTemplate(api, fakes, owner, ws.id);
  await startWorkers(api);
  const key = await api.gql<{ createApiKey: { secret: string } }>(
    CREATE_KEY,
    { w: ws.id, i: { name: "traced", scopes: ["lead.manage", "lead.read"] } },
    { token: owner.token },
  );
  if (!key.data) throw new Error(`createApiKey failed: ${JSON.stringify(key.errors)}`);
  return { ws, twilio, secret: key.data.createApiKey.secret };
}

/** Submits a lead with a phone by API key; resolves once its opening message reached the fake Twilio. */
async function submitAndAwaitOpening(
  api: TestApi,
  fakes: Fakes,
  secret: string,
  lead: { name: string; email: string; phone: string },
) {
  const r = await api.gql<{ submitLead: { id: string } }>(SUBMIT, { i: { ...lead, message: null } }, { token: secret });
  expect(r.errors).toBeUndefined();
  await eventually(
    () => fakes.twilio.messages.some((m) => m.to === `whatsapp:${lead.phone}`),
    15_000,
    "the opening message at the fake Twilio",
  );
  return r.data!.submitLead.id;
}

describe("tracing off (OTEL_EXPORTER_OTLP_ENDPOINT unset)", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let api: TestApi;
  let fakes: Fakes;

  beforeAll(async () => {
    receiver = await startReceiver();
    ({ api, fakes } = await startApiWithFakes({ integrationKeys: [newKey()] }));
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
    await receiver?.close();
  });

  it("registers no provider, makes no span and exports nothing, through a queued send", async () => {
    expect(api.config.tracing.endpoint).toBeUndefined();
    expect(api.services.tracing).toBe(TRACING_OFF);
    const owner = await api.user("Otto Off");
    const { secret } = await whatsappWorkspace(api, fakes, owner);
    await submitAndAwaitOpening(api, fakes, secret, {
      name: "Nora None",
      email: `nora-${randomBytes(3).toString("hex")}@example.com`,
      phone: newPhone(),
    });
    // No tracer provider behind the API's global proxy: a span asked of it records nothing.
    expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(false);
    await api.services.tracing.flush();
    // Longer than any export delay a provider could have used.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.requests()).toBe(0);
  });
});

describe("tracing on: one request's trace through a queued send", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let api: TestApi;
  let fakes: Fakes;

  beforeAll(async () => {
    receiver = await startReceiver();
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      tracing: { endpoint: receiver.url, samplerRatio: 1, serviceName: "atrium-trace-test" },
    }));
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
    await receiver?.close();
  });

  it("the HTTP, GraphQL, statement and send-job spans share one trace; the job's parents lead to the request; no personal data in any span", async () => {
    expect(api.services.tracing.enabled).toBe(true);
    const owner = await api.user("Tracy Tracer");
    const { ws, twilio, secret } = await whatsappWorkspace(api, fakes, owner);
    const lead = {
      name: "Grace Hopperton",
      email: `grace-${randomBytes(4).toString("hex")}@example.com`,
      phone: newPhone(),
    };
    await submitAndAwaitOpening(api, fakes, secret, lead);

    // The operation's span names the trace; the send job's span ends just after the send.
    const inTrace = await eventually(
      async () => {
        await api.services.tracing.flush();
        const spans = receiver.spans();
        const op = spans.find((s) => s.name === "mutation SubmitTracedLead");
        const all = op ? spans.filter((s) => s.traceId === op.traceId) : [];
        return all.some((s) => s.name === "process send-whatsapp-message") && all;
      },
      15_000,
      "the send job's span in the request's trace",
    );
    const byId = new Map(inTrace.map((s) => [s.spanId, s]));

    // The request: its root, a server span named by the route template.
    const request = inTrace.find((s) => s.kind === SERVER)!;
    expect(request.name).toBe("POST /graphql");
    expect(request.parentSpanId || undefined).toBeUndefined();
    expect(attr(request, "http.request.method")).toBe("POST");
    expect(attr(request, "http.route")).toBe("/graphql");
    expect(attr(request, "http.response.status_code")).toBe(200);

    // The operation: a child of the request, with its type, name, workspace and principal kind.
    const op = inTrace.find((s) => s.name === "mutation SubmitTracedLead")!;
    expect(op.parentSpanId).toBe(request.spanId);
    expect(attr(op, "graphql.operation.type")).toBe("mutation");
    expect(attr(op, "graphql.operation.name")).toBe("SubmitTracedLead");
    expect(attr(op, "atrium.workspace.id")).toBe(ws.id);
    expect(attr(op, "atrium.principal.kind")).toBe("apiKey");

    // The statements: client spans named by their family (verb and table), never by their text.
    const statements = inTrace.filter((s) => s.kind === CLIENT);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.name).toMatch(/^(pipeline|[A-Z]+( [a-z_][a-z0-9_]*)?)$/);
      expect(attr(s, "db.system.name")).toBe("postgresql");
      expect(attr(s, "db.query.summary")).toBe(s.name);
      expect(s.attributes?.some((a) => a.key === "db.query.text")).toBe(false);
    }
    const names = new Set(statements.map((s) => s.name));
    expect(
      [...names].some((n) => /^INSERT (leads|contacts)$/.test(n)),
      [...names].join(", "),
    ).toBe(true);
    // The request's statements hang under its operation.
    expect(statements.some((s) => s.parentSpanId === op.spanId)).toBe(true);

    // The send job: a consumer span whose parent chain leads to the request that queued it.
    const job = inTrace.find((s) => s.name === "process send-whatsapp-message")!;
    expect(job.kind).toBe(CONSUMER);
    expect(attr(job, "messaging.destination.name")).toBe("send-whatsapp-message");
    expect(attr(job, "atrium.workspace.id")).toBe(ws.id);
    const chain: string[] = [];
    for (let s: OtlpSpan | undefined = job; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined)
      chain.push(s.spanId);
    expect(chain.at(-1)).toBe(request.spanId);
    expect(chain).toContain(op.spanId);
    // The job's own statements are its children.
    expect(statements.some((s) => s.parentSpanId === job.spanId)).toBe(true);

    // Nothing personal or secret in any exported span or resource, of this trace or any other.
    const exported = JSON.stringify(receiver.exports);
    for (const secretOrPersonal of [
      lead.phone,
      lead.phone.slice(1),
      lead.email,
      lead.name,
      "Grace",
      secret,
      twilio.authToken,
      owner.email,
      owner.token,
    ]) {
      expect(exported.includes(secretOrPersonal), `"${secretOrPersonal}" in an exported span`).toBe(false);
    }
  });

  it("suspended (the bench's same-instance comparison), a request makes no span; resumed, it does again", async () => {
    const owner = await api.user("Sam Suspended");
    const ME = "query SuspendProbe { me { id } }";
    const opSpans = async () => {
      await api.services.tracing.flush();
      return receiver.spans().filter((s) => s.name === "query SuspendProbe").length;
    };
    const before = await opSpans();
    api.services.tracing.suspend(true);
    try {
      expect((await api.gql(ME, {}, { token: owner.token })).errors).toBeUndefined();
      expect(await opSpans()).toBe(before);
    } finally {
      api.services.tracing.suspend(false);
    }
    expect((await api.gql(ME, {}, { token: owner.token })).errors).toBeUndefined();
    expect(await eventually(async () => (await opSpans()) === before + 1, 10_000, "the resumed request's span")).toBe(
      true,
    );
  });
});
