// Outbound webhooks (A5) end to end: a real local receiver, the real pg-boss worker, signatures
// checked by the independent `standardwebhooks` package.
import { Webhook } from "standardwebhooks";

import { FakeWebhookReceiver } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { rotateCredentials, secretsOnOlderKeys } from "../../credentials-rotation.ts";
import { loadConfig } from "../../env.ts";
import { SecretBox } from "../../platform/crypto/secret-box.ts";
import { JobQueue, QUEUES, webhookExpireSeconds } from "../../platform/jobs/job-queue.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  raceOnLock,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { eventually, newKey, startWorkers, submitForm } from "../../test/providers.ts";
import { postWebhook } from "./sender.ts";
import { isForbiddenAddress } from "./ssrf.ts";
import { LAST_ATTEMPT_AFTER_SECONDS, MAX_ATTEMPTS, nextAttemptAt, webhookSecretBinding } from "./webhooks.service.ts";

const CREATE = `mutation($w: ID!, $i: CreateWebhookEndpointInput!) { createWebhookEndpoint(workspaceId: $w, input: $i) { endpoint { id url events enabled } secret } }`;
const UPDATE = `mutation($w: ID!, $id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(workspaceId: $w, id: $id, input: $i) { id enabled disabledReason consecutiveFailures } }`;
const DELIVERIES = `query($w: ID!, $e: ID!) { webhookDeliveries(workspaceId: $w, endpointId: $e, first: 50) { totalCount edges { node { id eventId eventType status attempts responseStatus lastError log { attempt manual responseStatus latencyMs requestBody requestHeaders error } } } } }`;
const ENDPOINTS = `query($w: ID!) { webhookEndpoints(workspaceId: $w) { id enabled disabledReason consecutiveFailures previousSecretExpiresAt } }`;

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  log: {
    attempt: number;
    manual: boolean;
    responseStatus: number | null;
    latencyMs: number;
    requestBody: string;
    requestHeaders: string;
    error: string | null;
  }[];
}

/** `ok` of `results` succeeded; every other one is the cap's CONFLICT, none a 500. */
function expectCapOutcome(results: GqlResult[], ok: number, message: RegExp): void {
  for (const r of results) {
    expect(r.status, JSON.stringify(r.errors)).toBeLessThan(500);
    if (r.errors) {
      expect(codeOf(r), JSON.stringify(r.errors)).toBe("CONFLICT");
      expect(r.errors[0]!.message).toMatch(message);
    }
  }
  expect(results.filter((r) => !r.errors)).toHaveLength(ok);
}

describe("outbound webhooks", () => {
  let api: TestApi;
  let receiver: FakeWebhookReceiver;
  let owner: TestUser;
  let ws: { id: string; slug: string };

  const create = async (events: string[], path = "/hooks") => {
    const r = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string; enabled: boolean }; secret: string } }>(
      CREATE,
      { w: ws.id, i: { url: `${receiver.baseUrl}${path}`, events } },
      { token: owner.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createWebhookEndpoint;
  };
  const deliveries = async (endpointId: string): Promise<Delivery[]> => {
    const r = await api.gql<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
      DELIVERIES,
      { w: ws.id, e: endpointId },
      { token: owner.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.webhookDeliveries.edges.map((e) => e.node);
  };
  const onPath = (path: string) => receiver.deliveries().filter((d) => d.path === path);

  beforeAll(async () => {
    receiver = new FakeWebhookReceiver();
    await receiver.start();
    api = await startTestApi({
      integrationKeys: [newKey()],
      // The whole schedule shrunk 50×: first retry after ~0.1 s, second ~0.6 s.
      webhooks: {
        timeoutMs: 2_000,
        retryScale: 0.02,
        disableAfterFailures: 3,
        disableAfterSeconds: 0,
        allowPrivateTargets: true,
        secretOverlapSeconds: 3600,
      },
    });
    await startWorkers(api);
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Hooks Co");
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it("creates an endpoint with a whsec_ secret; unknown events, bad URLs and empty lists are BAD_USER_INPUT", async () => {
    const { endpoint, secret } = await create(["lead.created"], "/create-check");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(endpoint.enabled).toBe(true);
    for (const i of [
      { url: `${receiver.baseUrl}/x`, events: ["lead.deleted"] },
      { url: "ftp://example.com/x", events: ["lead.created"] },
      { url: "not a url", events: ["lead.created"] },
      { url: "https://user:pw@example.com/x", events: ["lead.created"] },
      { url: `${receiver.baseUrl}/x`, events: [] },
    ]) {
      expect(codeOf(await api.gql(CREATE, { w: ws.id, i }, { token: owner.token })), JSON.stringify(i)).toBe(
        "BAD_USER_INPUT",
      );
    }
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
          { w: ws.id, id: endpoint.id },
          { token: owner.token },
        ),
      ),
    ).toBeUndefined();
  });

  it("a new lead is delivered as lead.created, signed per Standard Webhooks (verified by the standardwebhooks package)", async () => {
    const { endpoint, secret } = await create(["lead.created"], "/signed");
    const leadId = await submitForm(api, ws.slug, { name: "Ada Lovelace", email: "ada@example.com" });
    const got = await eventually(() => onPath("/signed").find((d) => d.status === 204));
    const payload = new Webhook(secret).verify(got.body, {
      "webhook-id": got.id,
      "webhook-timestamp": got.timestamp,
      "webhook-signature": got.signature,
    }) as { type: string; timestamp: string; data: { id: string; name: string; email: string } };
    expect(payload.type).toBe("lead.created");
    expect(payload.data).toMatchObject({ id: leadId, name: "Ada Lovelace", email: "ada@example.com" });
    expect(new Date(payload.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // A different secret does not verify it.
    expect(() =>
      new Webhook("whsec_" + Buffer.alloc(24, 7).toString("base64")).verify(got.body, {
        "webhook-id": got.id,
        "webhook-timestamp": got.timestamp,
        "webhook-signature": got.signature,
      }),
    ).toThrow();
    const [d] = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === "SUCCEEDED" ? list : null;
    });
    expect(d).toMatchObject({
      eventType: "lead.created",
      status: "SUCCEEDED",
      attempts: 1,
      responseStatus: 204,
      eventId: got.id,
    });
    expect(d!.log).toHaveLength(1);
    expect(d!.log[0]!.requestBody).toBe(got.body);
    // The log does not keep the signature itself.
    expect((JSON.parse(d!.log[0]!.requestHeaders) as Record<string, string>)["webhook-signature"]).toBe("v1,…");
    await api.gql(
      `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
      { w: ws.id, id: endpoint.id },
      { token: owner.token },
    );
  });

  it("a receiver failing twice then succeeding gets the event three times with the same webhook-id", async () => {
    const { endpoint, secret } = await create(["lead.created"], "/flaky");
    receiver.failNext(2, { kind: "status", status: 503 });
    await submitForm(api, ws.slug, { name: "Grace Hopper", email: "grace@example.com" });
    await eventually(
      () => onPath("/flaky").length >= 3 && onPath("/flaky")[2]!.status === 204,
      20_000,
      "three attempts",
    );
    const got = onPath("/flaky");
    expect(got).toHaveLength(3);
    expect(got.map((g) => g.status)).toEqual([503, 503, 204]);
    expect(new Set(got.map((g) => g.id)).size).toBe(1);
    expect(got.map((g) => g.body)).toEqual([got[0]!.body, got[0]!.body, got[0]!.body]);
    // Every attempt is signed afresh (its own timestamp) and verifies.
    for (const g of got)
      new Webhook(secret).verify(g.body, {
        "webhook-id": g.id,
        "webhook-timestamp": g.timestamp,
        "webhook-signature": g.signature,
      });
    const [d] = await eventually(async () =>
      (await deliveries(endpoint.id))[0]?.status === "SUCCEEDED" ? deliveries(endpoint.id) : null,
    );
    expect(d).toMatchObject({ status: "SUCCEEDED", attempts: 3, responseStatus: 204 });
    expect(d!.log.map((l) => [l.attempt, l.responseStatus, l.manual])).toEqual([
      [1, 503, false],
      [2, 503, false],
      [3, 204, false],
    ]);
    const eps = (
      await api.gql<{ webhookEndpoints: { id: string; consecutiveFailures: number }[] }>(
        ENDPOINTS,
        { w: ws.id },
        { token: owner.token },
      )
    ).data!.webhookEndpoints;
    expect(eps.find((e) => e.id === endpoint.id)!.consecutiveFailures).toBe(0);
    await api.gql(
      `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
      { w: ws.id, id: endpoint.id },
      { token: owner.token },
    );
  });

  it("after a secret rotation both signatures are sent; each secret verifies", async () => {
    const { endpoint, secret: oldSecret } = await create(["lead.created"], "/rotated");
    const r = await api.gql<{ rotateWebhookSecret: { secret: string } }>(
      `mutation($w: ID!, $id: ID!) { rotateWebhookSecret(workspaceId: $w, id: $id) { secret } }`,
      { w: ws.id, id: endpoint.id },
      { token: owner.token },
    );
    const newSecret = r.data!.rotateWebhookSecret.secret;
    expect(newSecret).not.toBe(oldSecret);
    await submitForm(api, ws.slug, { name: "Rotated", email: "rot@example.com" });
    const got = await eventually(() => onPath("/rotated")[0]);
    expect(got.signature.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": got.id, "webhook-timestamp": got.timestamp, "webhook-signature": got.signature };
    expect(new Webhook(newSecret).verify(got.body, headers)).toMatchObject({ type: "lead.created" });
    expect(new Webhook(oldSecret).verify(got.body, headers)).toMatchObject({ type: "lead.created" });
    const eps = (
      await api.gql<{ webhookEndpoints: { id: string; previousSecretExpiresAt: string | null }[] }>(
        ENDPOINTS,
        { w: ws.id },
        { token: owner.token },
      )
    ).data!.webhookEndpoints;
    expect(new Date(eps.find((e) => e.id === endpoint.id)!.previousSecretExpiresAt!).getTime()).toBeGreaterThan(
      Date.now() + 3000_000,
    );
    // After the overlap window only the new secret signs.
    await ownerSql(
      api,
      `UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [endpoint.id],
    );
    await submitForm(api, ws.slug, { name: "Rotated 2", email: "rot2@example.com" });
    const second = await eventually(() => onPath("/rotated")[1]);
    expect(second.signature.split(" ")).toHaveLength(1);
    expect(() =>
      new Webhook(oldSecret).verify(second.body, {
        "webhook-id": second.id,
        "webhook-timestamp": second.timestamp,
        "webhook-signature": second.signature,
      }),
    ).toThrow();
    await api.gql(
      `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
      { w: ws.id, id: endpoint.id },
      { token: owner.token },
    );
  });

  it("a long run of failures disables the endpoint with a visible reason and an audit event; redelivery after re-enabling sends the same webhook-id", async () => {
    const { endpoint } = await create(["member.removed"], "/down");
    receiver.failNext(1000, { kind: "status", status: 500 });
    const member = await api.user("Leaving");
    await addMember(api, ws.id, member, "AGENT", []);
    const removed = await api.gql(
      `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`,
      { w: ws.id, u: member.id },
      { token: owner.token },
    );
    expect(removed.errors).toBeUndefined();
    const eps = await eventually(
      async () => {
        const list = (
          await api.gql<{ webhookEndpoints: { id: string; enabled: boolean; disabledReason: string | null }[] }>(
            ENDPOINTS,
            { w: ws.id },
            { token: owner.token },
          )
        ).data!.webhookEndpoints;
        const e = list.find((x) => x.id === endpoint.id);
        return e && !e.enabled ? e : null;
      },
      20_000,
      "endpoint disabled",
    );
    expect(eps.disabledReason).toMatch(/Disabled automatically after 3 failed attempts in a row/);
    const [d] = await eventually(async () =>
      (await deliveries(endpoint.id))[0]?.status === "FAILED" ? deliveries(endpoint.id) : null,
    );
    expect(d).toMatchObject({ eventType: "member.removed", status: "FAILED", attempts: 3, responseStatus: 500 });
    const audit = await ownerSql<{ action: string; data: { reason: string } }>(
      api,
      `SELECT action, data FROM audit_events WHERE workspace_id = $1 AND target_id = $2 AND action = 'webhook.endpoint_disabled'`,
      [ws.id, endpoint.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data.reason).toBe(eps.disabledReason);
    const payload = JSON.parse(d!.log[0]!.requestBody) as { type: string; data: { userId: string; reason: string } };
    expect(payload).toMatchObject({ type: "member.removed", data: { userId: member.id, reason: "removed" } });

    const REDELIVER = `mutation($w: ID!, $d: ID!) { redeliverWebhook(workspaceId: $w, deliveryId: $d) { id } }`;
    expect(codeOf(await api.gql(REDELIVER, { w: ws.id, d: d!.id }, { token: owner.token }))).toBe("CONFLICT");
    receiver.clear();
    const enabled = await api.gql<{
      updateWebhookEndpoint: { enabled: boolean; disabledReason: string | null; consecutiveFailures: number };
    }>(UPDATE, { w: ws.id, id: endpoint.id, i: { enabled: true } }, { token: owner.token });
    expect(enabled.data?.updateWebhookEndpoint).toMatchObject({
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    expect((await api.gql(REDELIVER, { w: ws.id, d: d!.id }, { token: owner.token })).errors).toBeUndefined();
    const again = await eventually(() => onPath("/down")[0]);
    expect(again.id).toBe(d!.eventId);
    const after = await eventually(async () =>
      (await deliveries(endpoint.id))[0]?.status === "SUCCEEDED" ? deliveries(endpoint.id) : null,
    );
    expect(after[0]!.log.map((l) => [l.attempt, l.manual, l.responseStatus])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, false, 500],
      [4, true, 204],
    ]);
  });

  it("a delivery job whose worker was cut off is retried after the send expiry, not pg-boss's 15 minutes, and never while an attempt may still wait", async () => {
    // The resilience suite caught it: deliveries fetched just before a kill -9 of the database
    // stayed active, unattempted, past its 90 s window (the queue had no expiry of its own).
    const boss = await api.services.jobs.start();
    const expected = webhookExpireSeconds(api.config.jobTiming, { webhookTimeoutMs: api.config.webhooks.timeoutMs });
    expect((await boss.getQueue(QUEUES.webhookDeliver))?.expireInSeconds).toBe(expected);
    expect(expected).toBeLessThan(900);
    expect(webhookExpireSeconds({ sendExpireSeconds: 60 }, { webhookTimeoutMs: 10_000 })).toBe(60);
    expect(
      webhookExpireSeconds({ sendExpireSeconds: 5 }, { webhookTimeoutMs: 10_000 }),
      "an attempt's 10 s wait plus a margin",
    ).toBe(15);
    expect(webhookExpireSeconds({ sendExpireSeconds: 5 }, { webhookTimeoutMs: 60_000 })).toBe(65);
  });

  it("an install whose queues hold an older policy gets the current one when an instance starts", async () => {
    // Policies are written at creation, so without the update an upgraded install keeps its old ones.
    const boss = await api.services.jobs.start();
    await boss.updateQueue(QUEUES.webhookDeliver, { expireInSeconds: 900, retryLimit: 7 });
    await boss.updateQueue(QUEUES.campaignDispatch, { expireInSeconds: 900 });
    await boss.updateQueue(QUEUES.sendMessage, { expireInSeconds: 900 });
    // Created with its policy but never updated before ensureQueue: an upgrade left it as it was.
    await boss.updateQueue(QUEUES.releaseHeld, { retryLimit: 0, retryDelay: 1 });
    const next = new JobQueue({
      ownerUrl: api.testDb.ownerUrl,
      supervise: false,
      retry: api.config.sendRetry,
      timing: api.config.jobTiming,
      webhookTimeoutMs: api.config.webhooks.timeoutMs,
      log: () => undefined,
    });
    try {
      await next.start();
      const webhook = await boss.getQueue(QUEUES.webhookDeliver);
      expect([webhook?.expireInSeconds, webhook?.retryLimit]).toEqual([
        webhookExpireSeconds(api.config.jobTiming, { webhookTimeoutMs: api.config.webhooks.timeoutMs }),
        2,
      ]);
      const dispatch = await boss.getQueue(QUEUES.campaignDispatch);
      expect([dispatch?.expireInSeconds, dispatch?.policy]).toEqual([
        Math.min(api.config.jobTiming.sendExpireSeconds, 120),
        "singleton",
      ]);
      expect((await boss.getQueue(QUEUES.sendMessage))?.expireInSeconds).toBe(api.config.jobTiming.sendExpireSeconds);
      const held = await boss.getQueue(QUEUES.releaseHeld);
      expect([held?.retryLimit, held?.retryDelay]).toEqual([3, 30]);
    } finally {
      await next.stop();
    }
  });

  it("an endpoint only receives the events it subscribed to", async () => {
    const { endpoint } = await create(["booking.created"], "/bookings-only");
    await submitForm(api, ws.slug, { name: "Not a booking", email: "nb@example.com" });
    // The lead.created event went to no endpoint of this workspace (the others were deleted).
    await new Promise((r) => setTimeout(r, 300));
    expect(onPath("/bookings-only")).toEqual([]);
    expect(await deliveries(endpoint.id)).toEqual([]);
  });

  it("the workspace row keeps the subscribed event types through every endpoint change, so an event nobody subscribes to writes nothing", async () => {
    const w2 = await createWorkspace(api, owner, "Types Co");
    const types = async () =>
      (
        await ownerSql<{ t: string[] }>(api, `SELECT webhook_event_types AS t FROM workspaces WHERE id = $1`, [w2.id])
      )[0]!.t;
    const events = async () =>
      Number(
        (
          await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM webhook_events WHERE workspace_id = $1`, [
            w2.id,
          ])
        )[0]!.n,
      );
    const mk = async (evts: string[], path: string) => {
      const r = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        CREATE,
        { w: w2.id, i: { url: `${receiver.baseUrl}${path}`, events: evts } },
        { token: owner.token },
      );
      return r.data!.createWebhookEndpoint.endpoint.id;
    };
    expect(await types()).toEqual([]);
    await submitForm(api, w2.slug, { name: "Nobody listens", email: "nobody@example.com" });
    expect(await events()).toBe(0);

    // Two endpoints created at the same moment: neither subscription is lost.
    const [a, b] = await Promise.all([
      mk(["lead.created"], "/types-a"),
      mk(["member.added", "booking.created"], "/types-b"),
    ]);
    expect(await types()).toEqual(["booking.created", "lead.created", "member.added"]);
    // The very next lead is delivered.
    await submitForm(api, w2.slug, { name: "Someone listens", email: "someone@example.com" });
    await eventually(() => onPath("/types-a").length === 1, 10_000, "the lead.created delivery");

    await api.gql(UPDATE, { w: w2.id, id: a, i: { enabled: false } }, { token: owner.token });
    expect(await types()).toEqual(["booking.created", "member.added"]);
    await submitForm(api, w2.slug, { name: "Disabled", email: "disabled@example.com" });
    expect(await events()).toBe(1);
    await api.gql(
      UPDATE,
      { w: w2.id, id: a, i: { enabled: true, events: ["lead.created", "message.sent"] } },
      { token: owner.token },
    );
    expect(await types()).toEqual(["booking.created", "lead.created", "member.added", "message.sent"]);
    await api.gql(
      `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
      { w: w2.id, id: b },
      { token: owner.token },
    );
    await api.gql(
      `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
      { w: w2.id, id: a },
      { token: owner.token },
    );
    expect(await types()).toEqual([]);
  });

  it("the 20-endpoint cap holds under parallel creates: 30 at once store exactly 20, the others get the cap's CONFLICT (never a 500)", async () => {
    const w = await createWorkspace(api, owner, "Cap Co");
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.gql(
          CREATE,
          { w: w.id, i: { url: `${receiver.baseUrl}/cap-${i}`, events: ["lead.created"] } },
          { token: owner.token },
        ),
      ),
    );
    expectCapOutcome(results, 20, /at most 20 webhook endpoints/);
    expect(await ownerSql(api, `SELECT id FROM webhook_endpoints WHERE workspace_id = $1`, [w.id])).toHaveLength(20);
  });

  it("the endpoint cap holds when every racer has counted before any commits (workspace row held): 18 + 5 parallel → 20", async () => {
    const w = await createWorkspace(api, owner, "Cap Race Co");
    for (let i = 0; i < 18; i++)
      expect(
        codeOf(
          await api.gql(
            CREATE,
            { w: w.id, i: { url: `${receiver.baseUrl}/seed-${i}`, events: ["lead.created"] } },
            { token: owner.token },
          ),
        ),
      ).toBeUndefined();
    // The owner holds the workspace row: each create blocks after its count, at its insert (the
    // foreign key / event-types trigger), so without a lock around count + insert all five pass.
    const results = await raceOnLock(api, `SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE`, [w.id], 5, () =>
      Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          api.gql(
            CREATE,
            { w: w.id, i: { url: `${receiver.baseUrl}/race-${i}`, events: ["lead.created"] } },
            { token: owner.token },
          ),
        ),
      ),
    );
    expectCapOutcome(results, 2, /at most 20 webhook endpoints/);
    expect(await ownerSql(api, `SELECT id FROM webhook_endpoints WHERE workspace_id = $1`, [w.id])).toHaveLength(20);
  });

  it("the retry schedule: first retry within 10 s, the last one a day after the first attempt, nine attempts", () => {
    const first = new Date("2026-01-01T00:00:00Z");
    const at1 = nextAttemptAt(1, first, first, 1, () => 1)!;
    expect(at1.getTime() - first.getTime()).toBeLessThanOrEqual(10_000);
    expect(nextAttemptAt(1, first, first, 1, () => 0)!.getTime() - first.getTime()).toBeGreaterThanOrEqual(4_000);
    let now = first;
    const gaps: number[] = [];
    for (let a = 1; a < MAX_ATTEMPTS; a++) {
      const next = nextAttemptAt(a, first, now, 1, () => 0.5)!;
      gaps.push(next.getTime() - now.getTime());
      now = next;
    }
    // Each gap grows (exponential) until the cap; the last attempt lands a day after the first.
    for (let i = 1; i < 5; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(now.getTime() - first.getTime()).toBe(LAST_ATTEMPT_AFTER_SECONDS * 1000);
    expect(MAX_ATTEMPTS).toBe(9);
    expect(nextAttemptAt(MAX_ATTEMPTS, first, now, 1)).toBeNull();
  });
});

describe("SSRF protection", () => {
  let receiver: FakeWebhookReceiver;
  beforeAll(async () => {
    receiver = new FakeWebhookReceiver();
    await receiver.start();
  });
  afterAll(async () => receiver.close());

  it("NODE_ENV=production refuses private targets; elsewhere loopback is allowed", () => {
    expect(loadConfig({ NODE_ENV: "production", AUTH_SECRET: "p".repeat(40) }).webhooks.allowPrivateTargets).toBe(
      false,
    );
    expect(loadConfig({ NODE_ENV: "development" }).webhooks.allowPrivateTargets).toBe(true);
  });

  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["fe80::1", true],
    ["fd00::1", true],
    ["::ffff:127.0.0.1", true],
    ["8.8.8.8", false],
    ["2606:4700:4700::1111", false],
    ["93.184.216.34", false],
    // IPv6 forms that embed an IPv4 address, in the textual forms the URL parser produces.
    ["::7f00:1", true],
    ["::127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["0:0:0:0:0:ffff:7f00:1", true],
    ["::ffff:0:7f00:1", true],
    ["2002:7f00:1::", true],
    ["2002:5db8:d822::1", true],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", true],
    ["64:ff9b::7f00:1", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["64:ff9b:1::a00:1", true],
    ["::a9fe:a9fe", true],
    ["::ffff:5db8:d822", true],
    // Other special-purpose ranges (IANA registries), and IPv6 outside global unicast 2000::/3.
    ["fec0::1", true],
    ["2001:db8::1", true],
    ["100::1", true],
    ["5f00::1", true],
    ["3fff::1", true],
    ["2001:2::1", true],
    ["4000::1", true],
    ["ff02::1", true],
    ["::", true],
    ["255.255.255.255", true],
    ["198.18.0.1", true],
    ["192.0.0.8", true],
    ["192.175.48.1", true],
    ["not an ip", true],
    ["127.1", true],
    ["2001:4860:4860::8888", false],
    ["1.1.1.1", false],
  ])("%s forbidden: %s", (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });

  it("with NODE_ENV=production, URLs naming a special-purpose address in any form are refused when created and when updated; public ones are accepted", async () => {
    const prod = loadConfig({ NODE_ENV: "production", AUTH_SECRET: "p".repeat(40) });
    const api = await startTestApi({ integrationKeys: [newKey()], webhooks: prod.webhooks });
    try {
      const owner = await api.user("SSRF Owner");
      const ws = await createWorkspace(api, owner, "SSRF Hooks");
      const refused = [
        "https://[::127.0.0.1]/h", // IPv4-compatible ::/96 (parsed to [::7f00:1])
        "https://[::ffff:127.0.0.1]/h",
        "https://[::ffff:7f00:1]/h",
        "https://[0:0:0:0:0:ffff:7f00:1]/h",
        "https://[::ffff:a9fe:a9fe]/h", // IPv4-mapped
        "https://[::ffff:0:7f00:1]/h", // IPv4-translated (RFC 6145)
        "https://[2002:7f00:1::]/h",
        "https://[2002:a9fe:a9fe::1]/h", // 6to4 of loopback / metadata
        "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/h", // Teredo, client 127.0.0.1
        "https://[64:ff9b::127.0.0.1]/h",
        "https://[64:ff9b::a9fe:a9fe]/h",
        "https://[64:ff9b:1::a00:1]/h", // NAT64
        "https://[fec0::1]/h",
        "https://[2001:db8::1]/h",
        "https://[100::1]/h",
        "https://[5f00::1]/h",
        "https://[4000::1]/h",
        "https://[ff02::1]/h",
        "https://[::]/h",
        "https://255.255.255.255/h",
        "https://198.18.0.1/h",
        "https://0x7f.1/h",
        "https://2130706433/h",
        "https://0177.0.0.1/h",
        "https://169.254.169.254/h",
      ];
      for (const url of refused) {
        const r = await api.gql(CREATE, { w: ws.id, i: { url, events: ["lead.created"] } }, { token: owner.token });
        expect(codeOf(r), url).toBe("BAD_USER_INPUT");
        expect(r.errors?.[0]?.message, url).toMatch(/private, loopback or link-local/);
      }
      expect(await ownerSql(api, `SELECT id FROM webhook_endpoints WHERE workspace_id = $1`, [ws.id])).toEqual([]);

      const ids: string[] = [];
      for (const url of [
        "https://[2606:4700::1111]/h",
        "https://93.184.216.34/h",
        "https://[2001:4860:4860::8888]/h",
      ]) {
        const r = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string; url: string } } }>(
          CREATE,
          { w: ws.id, i: { url, events: ["lead.created"] } },
          { token: owner.token },
        );
        expect(r.errors, url).toBeUndefined();
        ids.push(r.data!.createWebhookEndpoint.endpoint.id);
      }
      for (const url of refused) {
        const r = await api.gql(UPDATE, { w: ws.id, id: ids[0], i: { url } }, { token: owner.token });
        expect(codeOf(r), url).toBe("BAD_USER_INPUT");
      }
      expect(
        (await ownerSql<{ url: string }>(api, `SELECT url FROM webhook_endpoints WHERE id = $1`, [ids[0]]))[0]!.url,
      ).toBe("https://[2606:4700::1111]/h");
    } finally {
      await api.close();
    }
    // Connect time: the same check refuses these literals before any socket is opened.
    for (const url of [
      "http://[::127.0.0.1]:9/x",
      "http://[::ffff:7f00:1]:9/x",
      "http://[2002:7f00:1::]:9/x",
      "http://[64:ff9b::7f00:1]:9/x",
    ]) {
      const r = await postWebhook(url, { "content-type": "application/json" }, "{}", {
        timeoutMs: 2000,
        allowPrivate: false,
      });
      expect(r.forbidden, url).toBe(true);
    }
  });

  it("with NODE_ENV=production a loopback target is refused when saved (BAD_USER_INPUT) and at send time, by IP and by a name resolving to loopback", async () => {
    const prod = loadConfig({ NODE_ENV: "production", AUTH_SECRET: "p".repeat(40) });
    const api = await startTestApi({ integrationKeys: [newKey()], webhooks: prod.webhooks });
    try {
      const owner = await api.user("Prod Owner");
      const ws = await createWorkspace(api, owner, "Prod Hooks");
      for (const url of [
        `${receiver.baseUrl}/x`,
        `http://localhost:${new URL(receiver.baseUrl).port}/x`,
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
      ]) {
        const r = await api.gql(CREATE, { w: ws.id, i: { url, events: ["lead.created"] } }, { token: owner.token });
        expect(codeOf(r), url).toBe("BAD_USER_INPUT");
        expect(r.errors?.[0]?.message).toMatch(/private, loopback or link-local/);
      }
      expect(await ownerSql(api, `SELECT id FROM webhook_endpoints WHERE workspace_id = $1`, [ws.id])).toEqual([]);
    } finally {
      await api.close();
    }
    // Send time: the DNS answer is checked by the socket's own lookup (a name that now resolves
    // to loopback is refused), and IP literals before connecting. Nothing reaches the receiver.
    const port = new URL(receiver.baseUrl).port;
    for (const url of [`http://localhost:${port}/x`, `http://127.0.0.1:${port}/x`]) {
      const r = await postWebhook(url, { "content-type": "application/json" }, "{}", {
        timeoutMs: 2000,
        allowPrivate: false,
      });
      expect(r.forbidden, url).toBe(true);
      expect(r.status).toBeNull();
    }
    expect(receiver.requests).toEqual([]);
    // Outside production the same target is reached.
    const ok = await postWebhook(`http://localhost:${port}/x`, { "content-type": "application/json" }, "{}", {
      timeoutMs: 2000,
      allowPrivate: true,
    });
    expect(ok.status).toBe(204);
  });
});

describe("webhook signing secrets and the encryption key rotation", () => {
  it("`credentials rotate` re-seals the current and the previous secret with the newest key; the old key can then go", async () => {
    const k1 = newKey();
    const k2 = newKey();
    const api = await startTestApi({ integrationKeys: [k1] });
    try {
      const owner = await api.user("Rotating Owner");
      const ws = await createWorkspace(api, owner, "Rotating Hooks");
      const created = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(
        CREATE,
        { w: ws.id, i: { url: "https://hooks.example.com/in", events: ["lead.created"] } },
        { token: owner.token },
      );
      const { endpoint, secret: first } = created.data!.createWebhookEndpoint;
      // A secret rotation by the user: the previous secret stays (sealed) for the overlap window.
      const rotated = await api.gql<{ rotateWebhookSecret: { secret: string } }>(
        `mutation($w: ID!, $id: ID!) { rotateWebhookSecret(workspaceId: $w, id: $id) { secret } }`,
        { w: ws.id, id: endpoint.id },
        { token: owner.token },
      );
      const second = rotated.data!.rotateWebhookSecret.secret;
      const row = async () =>
        (
          await ownerSql<{ secret_jwe: string; previous_secret_jwe: string }>(
            api,
            `SELECT secret_jwe, previous_secret_jwe FROM webhook_endpoints WHERE id = $1`,
            [endpoint.id],
          )
        )[0]!;
      const before = await row();
      expect([SecretBox.kidOf(before.secret_jwe), SecretBox.kidOf(before.previous_secret_jwe)]).toEqual([
        k1.kid,
        k1.kid,
      ]);

      const rotating = new SecretBox([k2, k1]);
      const stale = await secretsOnOlderKeys({ db: api.db, box: rotating });
      expect(stale).toBeGreaterThanOrEqual(1);
      expect(await rotateCredentials({ db: api.db, box: rotating })).toEqual({
        rotated: stale,
        total: stale,
        failed: 0,
      });
      const after = await row();
      expect([SecretBox.kidOf(after.secret_jwe), SecretBox.kidOf(after.previous_secret_jwe)]).toEqual([k2.kid, k2.kid]);
      expect(await secretsOnOlderKeys({ db: api.db, box: rotating })).toBe(0);

      // A box that knows only k2 opens both, and they are the secrets the user was given.
      const onlyNew = new SecretBox([k2]);
      const bound = webhookSecretBinding(ws.id, endpoint.id);
      expect((await onlyNew.open(after.secret_jwe, bound)).secret).toBe(second);
      expect((await onlyNew.open(after.previous_secret_jwe, bound)).secret).toBe(first);
    } finally {
      await api.close();
    }
  });
});
