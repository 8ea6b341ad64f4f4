// Audit streaming (issue 50) end to end: the real pg-boss pump, a real local receiver, the batches'
// signatures checked by the independent `standardwebhooks` package.
import { Webhook } from "standardwebhooks";

import { FakeWebhookReceiver } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { recordWorkspaceAudit } from "../../platform/audit/audit.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  eventually,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { liveClient, record, subscribed } from "../../test/live-client.ts";
import { newKey } from "../../test/providers.ts";
import { streamRetryDelayMs } from "./audit-stream.service.ts";

const SET = `mutation($w: ID!, $i: SetAuditStreamInput!) { setAuditStream(workspaceId: $w, input: $i) { secret stream { id url enabled state } } }`;
const STATUS = `query($w: ID!) { auditStream(workspaceId: $w) { id url enabled state lastDeliveredEventId lastDeliveredEventAt lastDeliveredAt deliveredEvents pendingEvents lagSeconds lastError lastResponseStatus consecutiveFailures nextAttemptAt } }`;
const ROTATE = `mutation($w: ID!) { rotateAuditStreamSecret(workspaceId: $w) { secret stream { id } } }`;
const REMOVE = `mutation($w: ID!) { removeAuditStream(workspaceId: $w) }`;

interface Status {
  id: string;
  url: string;
  enabled: boolean;
  state: string;
  lastDeliveredEventId: string | null;
  deliveredEvents: number;
  pendingEvents: number;
  lagSeconds: number;
  lastError: string | null;
  lastResponseStatus: number | null;
  consecutiveFailures: number;
  nextAttemptAt: string | null;
}
interface Line {
  id: string;
  workspaceId: string;
  action: string;
  createdAt: string;
  data: { n?: number };
}

describe("audit streaming", () => {
  let api: TestApi;
  let receiver: FakeWebhookReceiver;
  let owner: TestUser;
  let ws: { id: string; slug: string };

  const setStream = async (w: string, url: string, token: string, enabled = true) => {
    const r = await api.gql<{ setAuditStream: { secret: string | null; stream: { id: string; state: string } } }>(
      SET,
      { w, i: { url, enabled } },
      { token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.setAuditStream;
  };
  const status = async (w: string, token: string): Promise<Status | null> => {
    const r = await api.gql<{ auditStream: Status | null }>(STATUS, { w }, { token });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.auditStream;
  };
  /** `n` audit events `test.<tag>` in order, 1 ms apart (one statement). */
  const audit = (w: string, tag: string, n: number) =>
    ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, data, created_at) SELECT $1, $2, jsonb_build_object('n', i), clock_timestamp() + i * interval '1 millisecond' FROM generate_series(1, $3::int) i`,
      [w, `test.${tag}`, n],
    );
  const batchesOn = (path: string) => receiver.received("POST", path);
  const linesOf = (body: string): Line[] =>
    body
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    receiver = new FakeWebhookReceiver();
    await receiver.start();
    api = await startTestApi({
      integrationKeys: [newKey()],
      // The webhooks' retry schedule shrunk 50× (first retry after ~0.1 s); small batches.
      webhooks: {
        timeoutMs: 2_000,
        retryScale: 0.02,
        disableAfterFailures: 3,
        disableAfterSeconds: 0,
        allowPrivateTargets: true,
        secretOverlapSeconds: 3600,
      },
      auditStream: { batchSize: 3, pollSeconds: 1, settleMs: 0, maxRetrySeconds: 3600 },
    });
    await api.services.jobs.start();
    await api.services.auditStream.startWorkers();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Stream Co");
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it("streams new events in order as JSON lines, in batches of at most batchSize, signed per Standard Webhooks", async () => {
    expect(await status(ws.id, owner.token)).toBeNull();
    const { secret, stream } = await setStream(ws.id, `${receiver.baseUrl}/siem`, owner.token);
    expect(secret).toMatch(/^whsec_/);
    expect(stream.state).toMatch(/UP_TO_DATE|DELIVERING/);
    await audit(ws.id, "ordered", 7);
    // The stream's own creation event, then the seven.
    const lines = await eventually(() => {
      const all = batchesOn("/siem").flatMap((r) => linesOf(r.rawBody));
      return all.filter((l) => l.action === "test.ordered").length === 7 && all;
    });
    expect(lines.map((l) => l.action)).toEqual(["audit_stream.created", ...Array<string>(7).fill("test.ordered")]);
    expect(lines.filter((l) => l.action === "test.ordered").map((l) => l.data.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    for (const l of lines) expect(l.workspaceId).toBe(ws.id);
    for (const req of batchesOn("/siem")) {
      expect(req.headers["content-type"]).toBe("application/x-ndjson");
      expect(req.rawBody.endsWith("\n")).toBe(true);
      expect(linesOf(req.rawBody).length).toBeLessThanOrEqual(3);
      const headers = {
        "webhook-id": String(req.headers["webhook-id"]),
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      };
      expect(() => new Webhook(secret!).verify(req.rawBody, headers, { jsonParse: false })).not.toThrow();
      expect(() =>
        new Webhook("whsec_" + Buffer.alloc(24, 7).toString("base64")).verify(req.rawBody, headers, {
          jsonParse: false,
        }),
      ).toThrow();
    }
    const s = await eventually(async () => {
      const st = await status(ws.id, owner.token);
      return st?.state === "UP_TO_DATE" && st;
    });
    // The log names the stream by its URL.
    const log = await api.gql<{ auditEvents: { edges: { node: { action: string; targetLabel: string | null } }[] } }>(
      `query($w: ID!) { auditEvents(workspaceId: $w, first: 5, action: "audit_stream.") { edges { node { action targetLabel } } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(log.data!.auditEvents.edges[0]!.node).toEqual({
      action: "audit_stream.created",
      targetLabel: `${receiver.baseUrl}/siem`,
    });
    expect(s).toMatchObject({
      deliveredEvents: 8,
      pendingEvents: 0,
      lagSeconds: 0,
      consecutiveFailures: 0,
      lastError: null,
      lastResponseStatus: 204,
      lastDeliveredEventId: lines.at(-1)!.id,
    });
  });

  it("a failing receiver: the same batch (same webhook-id, same body) is retried with backoff, the status shows the error, and recovery resumes from the cursor", async () => {
    const before = batchesOn("/siem").length;
    receiver.failNext(3, { kind: "status", status: 503 });
    await audit(ws.id, "flaky", 2);
    const failing = await eventually(async () => {
      const st = await status(ws.id, owner.token);
      return st && st.consecutiveFailures >= 2 && st;
    });
    expect(failing.state).toBe("FAILING");
    expect(failing.lastError).toMatch(/503/);
    expect(failing.lastResponseStatus).toBe(503);
    expect(failing.pendingEvents).toBeGreaterThanOrEqual(2);
    await eventually(async () => (await status(ws.id, owner.token))?.state === "UP_TO_DATE");
    const attempts = batchesOn("/siem").slice(before);
    // Three refused attempts and the delivered one: the same batch each time.
    expect(attempts.length).toBe(4);
    expect(new Set(attempts.map((a) => a.headers["webhook-id"])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.rawBody)).size).toBe(1);
    expect(attempts.slice(0, 3).map((a) => a.status)).toEqual([503, 503, 503]);
    // Backoff: 5, 30, 180 s × 0.02 ± 20 % (0.1, 0.6, 3.6 s), plus the workers' polling (0.5 s).
    const gaps = attempts.slice(1).map((a, i) => a.at.getTime() - attempts[i]!.at.getTime());
    expect(gaps[0]!).toBeLessThan(1500);
    expect(gaps[2]!).toBeGreaterThan(2800);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(linesOf(attempts[3]!.rawBody).map((l) => l.data.n)).toEqual([1, 2]);
    // Nothing lost, nothing delivered twice beyond the retried batch: each event once among the 2xx answers.
    const delivered = batchesOn("/siem")
      .filter((r) => r.status === 204)
      .flatMap((r) => linesOf(r.rawBody));
    expect(new Set(delivered.map((l) => l.id)).size).toBe(delivered.length);
    const [{ n }] = (await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND created_at >= (SELECT min(created_at) FROM audit_events WHERE workspace_id = $1 AND action = 'audit_stream.created')`,
      [ws.id],
    )) as [{ n: number }];
    const st = await status(ws.id, owner.token);
    // Every event since the stream was created was delivered, except those newer than the last delivery (none yet, or the status reads them as pending).
    expect(delivered.length + st!.pendingEvents).toBe(n);
  });

  it("an event of a transaction still open is not skipped: later writers wait for it (the chain serialises them), then it is sent first", async () => {
    const before = batchesOn("/siem").length;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const written = new Promise<void>((r) => (inserted = r));
    // A tenant transaction (the app's role, as every request's) writes an event and stays open.
    const open = api.db.tenant({ workspaceId: ws.id }, async (tx) => {
      await recordWorkspaceAudit(
        tx,
        ws.id,
        { userId: null, ip: null, userAgent: null, requestId: "slow" },
        { action: "test.slow" },
      );
      inserted();
      await held;
    });
    await written;
    // A later writer of the same workspace waits for the chain's head (decision 0053) ...
    let fastDone = false;
    const fast = audit(ws.id, "fast", 2).then(() => (fastDone = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(fastDone).toBe(false);
    expect(
      batchesOn("/siem")
        .slice(before)
        .some((x) => x.rawBody.includes("test.fast")),
    ).toBe(false);
    release();
    await open;
    await fast;
    // ... so nothing committed later can overtake it: the stream sends it first.
    const lines = await eventually(() => {
      const all = batchesOn("/siem")
        .slice(before)
        .filter((x) => x.status === 204)
        .flatMap((x) => linesOf(x.rawBody));
      return all.filter((l) => l.action === "test.fast").length === 2 && all;
    });
    expect(lines.map((l) => l.action)).toEqual(["test.slow", "test.fast", "test.fast"]);
  });

  it("a stream whose queued run was lost starts again from its cursor at the next sweep", async () => {
    const before = batchesOn("/siem").length;
    // Lose the chain: no queued run is left for this workspace (as after a job's retries ran out).
    await eventually(async () => {
      await ownerSql(
        api,
        `DELETE FROM pgboss.job WHERE name = 'audit-stream' AND singleton_key = $1 AND state < 'active'`,
        [ws.id],
      );
      const left = await ownerSql(
        api,
        `SELECT 1 FROM pgboss.job WHERE name = 'audit-stream' AND singleton_key = $1 AND state <= 'active'`,
        [ws.id],
      );
      return left.length === 0;
    });
    await audit(ws.id, "lost", 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      batchesOn("/siem")
        .slice(before)
        .some((x) => x.rawBody.includes("test.lost")),
    ).toBe(false);
    expect(await api.services.auditStream.sweep()).toBeGreaterThanOrEqual(1);
    const lines = await eventually(() => {
      const all = batchesOn("/siem")
        .slice(before)
        .filter((x) => x.status === 204)
        .flatMap((x) => linesOf(x.rawBody));
      return all.filter((l) => l.action === "test.lost").length === 2 && all;
    });
    expect(lines.filter((l) => l.action === "test.lost").map((l) => l.data.n)).toEqual([1, 2]);
  });

  it("testAuditStream sends one signed test line and reports the answer, without moving the cursor", async () => {
    const TEST = `mutation($w: ID!) { testAuditStream(workspaceId: $w) { ok status error webhookId } }`;
    // The earlier tests' events delivered first: a batch in flight would take the failure planned below.
    const before = await eventually(async () => {
      const s = await status(ws.id, owner.token);
      return s !== null && s.pendingEvents === 0 && s.consecutiveFailures === 0 && s;
    });
    await new Promise((r) => setTimeout(r, 300));
    const r = await api.gql<{
      testAuditStream: { ok: boolean; status: number | null; error: string | null; webhookId: string };
    }>(TEST, { w: ws.id }, { token: owner.token });
    expect(r.data!.testAuditStream).toMatchObject({ ok: true, status: 204, error: null });
    const req = batchesOn("/siem").find((x) => x.headers["webhook-id"] === r.data!.testAuditStream.webhookId)!;
    expect(linesOf(req.rawBody)).toEqual([expect.objectContaining({ type: "audit_stream.test", workspaceId: ws.id })]);
    receiver.failNext(1, { kind: "status", status: 500 });
    const failed = await api.gql<{ testAuditStream: { ok: boolean; status: number | null; error: string | null } }>(
      TEST,
      { w: ws.id },
      { token: owner.token },
    );
    expect(failed.data!.testAuditStream).toMatchObject({
      ok: false,
      status: 500,
      error: "The endpoint answered HTTP 500.",
    });
    expect((await status(ws.id, owner.token))!.lastDeliveredEventId).toBe(before.lastDeliveredEventId);
  });

  it("the backoff grows and is capped: 5 s, 30 s, 3 min … at most maxRetrySeconds, ±20 %", () => {
    const mid = () => 0.5;
    expect(streamRetryDelayMs(1, 1, 3600, mid)).toBe(5000);
    expect(streamRetryDelayMs(2, 1, 3600, mid)).toBe(30_000);
    expect(streamRetryDelayMs(3, 1, 3600, mid)).toBe(180_000);
    expect(streamRetryDelayMs(50, 1, 3600, mid)).toBe(3_600_000);
    expect(streamRetryDelayMs(1, 1, 3600, () => 0)).toBe(4000);
  });

  it("rotation signs with both secrets during the overlap; disabled streams send nothing; removal stops it", async () => {
    const r = await api.gql<{ rotateAuditStreamSecret: { secret: string } }>(
      ROTATE,
      { w: ws.id },
      { token: owner.token },
    );
    const fresh = r.data!.rotateAuditStreamSecret.secret;
    expect(fresh).toMatch(/^whsec_/);
    const before = batchesOn("/siem").length;
    await audit(ws.id, "rotated", 1);
    const req = await eventually(() =>
      batchesOn("/siem")
        .slice(before)
        .find((x) => x.rawBody.includes("test.rotated")),
    );
    expect(String(req.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    const headers = {
      "webhook-id": String(req.headers["webhook-id"]),
      "webhook-timestamp": String(req.headers["webhook-timestamp"]),
      "webhook-signature": String(req.headers["webhook-signature"]),
    };
    expect(() => new Webhook(fresh).verify(req.rawBody, headers, { jsonParse: false })).not.toThrow();

    // Off: events wait behind the cursor; on again: they are sent.
    await setStream(ws.id, `${receiver.baseUrl}/siem`, owner.token, false);
    const offAt = batchesOn("/siem").length;
    await audit(ws.id, "while-off", 2);
    await new Promise((res) => setTimeout(res, 1500));
    expect(
      batchesOn("/siem")
        .slice(offAt)
        .some((x) => x.rawBody.includes("test.while-off")),
    ).toBe(false);
    expect((await status(ws.id, owner.token))!.state).toBe("DISABLED");
    await setStream(ws.id, `${receiver.baseUrl}/siem`, owner.token, true);
    await eventually(() =>
      batchesOn("/siem")
        .slice(offAt)
        .some((x) => x.rawBody.includes("test.while-off")),
    );

    expect(codeOf(await api.gql(REMOVE, { w: ws.id }, { token: owner.token }))).toBeUndefined();
    expect(await status(ws.id, owner.token)).toBeNull();
    const goneAt = batchesOn("/siem").length;
    await audit(ws.id, "after-removal", 1);
    await new Promise((res) => setTimeout(res, 1500));
    expect(batchesOn("/siem").length).toBe(goneAt);
    expect(codeOf(await api.gql(REMOVE, { w: ws.id }, { token: owner.token }))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(ROTATE, { w: ws.id }, { token: owner.token }))).toBe("NOT_FOUND");
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!) { testAuditStream(workspaceId: $w) { ok } }`,
          { w: ws.id },
          { token: owner.token },
        ),
      ),
    ).toBe("NOT_FOUND");
  });

  it("isolates workspaces: each stream carries only its own workspace's events; another workspace's stream is NOT_FOUND", async () => {
    const other = await api.user("Other owner");
    const wsB = await createWorkspace(api, other, "Other Co");
    const a = await setStream(ws.id, `${receiver.baseUrl}/a`, owner.token);
    const b = await setStream(wsB.id, `${receiver.baseUrl}/b`, other.token);
    expect(a.secret).not.toBe(b.secret);
    await audit(ws.id, "iso-a", 2);
    await audit(wsB.id, "iso-b", 2);
    await eventually(
      () =>
        batchesOn("/a").some((x) => x.rawBody.includes("test.iso-a")) &&
        batchesOn("/b").some((x) => x.rawBody.includes("test.iso-b")),
    );
    for (const x of batchesOn("/a")) for (const l of linesOf(x.rawBody)) expect(l.workspaceId).toBe(ws.id);
    for (const x of batchesOn("/b")) for (const l of linesOf(x.rawBody)) expect(l.workspaceId).toBe(wsB.id);
    expect(codeOf(await api.gql(STATUS, { w: ws.id }, { token: other.token }))).toBe("NOT_FOUND");
    expect(
      codeOf(await api.gql(SET, { w: ws.id, i: { url: `${receiver.baseUrl}/steal` } }, { token: other.token })),
    ).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(REMOVE, { w: ws.id }, { token: other.token }))).toBe("NOT_FOUND");
    // A row of B's is invisible from A's tenant transaction (RLS), whatever the query says.
    const rows = await api.db.tenant({ workspaceId: ws.id }, (tx) =>
      tx.auditStream.findMany({ where: { workspaceId: wsB.id } }),
    );
    expect(rows).toHaveLength(0);
  });

  it("refuses bad input with typed errors, private targets where they are not allowed, and members without the permission", async () => {
    for (const url of ["not a url", "ftp://example.com/x", "https://user:pw@example.com/x", "x".repeat(2001)]) {
      expect(codeOf(await api.gql(SET, { w: ws.id, i: { url } }, { token: owner.token })), url.slice(0, 40)).toBe(
        "BAD_USER_INPUT",
      );
    }
    const config = api.config as { webhooks: { allowPrivateTargets: boolean } };
    config.webhooks.allowPrivateTargets = false;
    try {
      for (const url of [
        "https://127.0.0.1/x",
        "https://10.0.0.1/x",
        "https://169.254.169.254/latest",
        "https://[::ffff:127.0.0.1]/x",
        "https://localhost/x",
      ]) {
        const r = await api.gql(SET, { w: ws.id, i: { url } }, { token: owner.token });
        expect(codeOf(r), url).toBe("BAD_USER_INPUT");
      }
    } finally {
      config.webhooks.allowPrivateTargets = true;
    }
    const agent = await api.user("Agent");
    await addMember(api, ws.id, agent, "AGENT", []);
    expect(codeOf(await api.gql(STATUS, { w: ws.id }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(SET, { w: ws.id, i: { url: `${receiver.baseUrl}/x` } }, { token: agent.token }))).toBe(
      "FORBIDDEN",
    );
    const reader = await api.user("Auditor");
    await addMember(api, ws.id, reader, "AGENT", ["audit.read"]);
    expect(codeOf(await api.gql(STATUS, { w: ws.id }, { token: reader.token }))).toBeUndefined();
    expect(codeOf(await api.gql(SET, { w: ws.id, i: { url: `${receiver.baseUrl}/x` } }, { token: reader.token }))).toBe(
      "FORBIDDEN",
    );
  });

  it("auditStreamEvents: set-up, each delivered batch, turning off and removal reach the workspace's audit readers over WebSocket; others get nothing or are refused", async () => {
    const EVENTS = `subscription($w: ID!) { auditStreamEvents(workspaceId: $w) { type streamId stream { id state enabled deliveredEvents lastResponseStatus } } }`;
    type Evt = {
      auditStreamEvents: {
        type: string;
        streamId: string;
        stream: {
          id: string;
          state: string;
          enabled: boolean;
          deliveredEvents: number;
          lastResponseStatus: number | null;
        } | null;
      };
    };
    const wsL = await createWorkspace(api, owner, "Live Stream Co");
    const agent = await api.user("Live agent");
    await addMember(api, wsL.id, agent, "AGENT", ["lead.read"]);
    const stranger = await api.user("Live stranger");
    const theirWs = await createWorkspace(api, stranger, "Stranger Stream Co");
    const clients = [
      liveClient(api.url, { token: owner.token }),
      liveClient(api.url, { token: agent.token }),
      liveClient(api.url, { token: stranger.token }),
    ];
    try {
      const before = api.services.live.subscriberCount;
      const mine = record<Evt>(clients[0]!, EVENTS, { w: wsL.id });
      const theirs = record<Evt>(clients[2]!, EVENTS, { w: theirWs.id });
      await subscribed(api.services.live, before + 2);
      // Without audit.read: FORBIDDEN; not a member: NOT_FOUND (as the auditStream query answers).
      expect(await record(clients[1]!, EVENTS, { w: wsL.id }).waitForEnd()).toMatchObject({ code: "FORBIDDEN" });
      expect(await record(clients[2]!, EVENTS, { w: wsL.id }).waitForEnd()).toMatchObject({ code: "NOT_FOUND" });

      const { stream } = await setStream(wsL.id, `${receiver.baseUrl}/live`, owner.token);
      expect((await mine.waitFor(1))[0]!.data!.auditStreamEvents).toMatchObject({
        type: "UPDATED",
        streamId: stream.id,
        stream: { id: stream.id, enabled: true },
      });
      // The stream's creation event is delivered: a batch moved, and the subscriber sees it.
      const delivered = await eventually(
        () => mine.results.find((x) => (x.data?.auditStreamEvents.stream?.deliveredEvents ?? 0) >= 1),
        10_000,
        "a delivered batch's event",
      );
      expect(delivered.data!.auditStreamEvents.stream).toMatchObject({ lastResponseStatus: 204 });
      await setStream(wsL.id, `${receiver.baseUrl}/live`, owner.token, false);
      await eventually(
        () => mine.results.some((x) => x.data?.auditStreamEvents.stream?.state === "DISABLED"),
        5_000,
        "the DISABLED event",
      );
      expect((await api.gql(REMOVE, { w: wsL.id }, { token: owner.token })).errors).toBeUndefined();
      const removed = await eventually(
        () => mine.results.find((x) => x.data?.auditStreamEvents.type === "REMOVED"),
        5_000,
        "the REMOVED event",
      );
      expect(removed.data!.auditStreamEvents).toEqual({ type: "REMOVED", streamId: stream.id, stream: null });
      expect(mine.results.every((x) => !x.errors)).toBe(true);
      expect(theirs.results).toEqual([]);
      expect(theirs.error).toBeNull();
    } finally {
      for (const c of clients) await c.dispose();
    }
  });
});
