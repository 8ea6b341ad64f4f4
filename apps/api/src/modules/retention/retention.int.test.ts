import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { RETENTION_CRON, RETENTION_QUEUE, startScheduler } from "../../scheduler.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { runRetentionSweep } from "./retention-sweep.ts";

const NOW = new Date("2026-06-15T03:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describe("retention sweep", () => {
  let api: TestApi;
  let owner: TestUser;

  /** Seeds a workspace: for each age, one lead and one conversation with one message of that age. */
  async function seed(name: string, retentionDays: number | null, ages: number[]) {
    const ws = await createWorkspace(api, owner, name);
    await ownerSql(api, `UPDATE workspaces SET retention_days = $2 WHERE id = $1`, [ws.id, retentionDays]);
    const contact = (
      await ownerSql<{ id: string }>(api, `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'C') RETURNING id`, [
        ws.id,
      ])
    )[0]!.id;
    for (const age of ages) {
      const lead = (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO leads (workspace_id, contact_id, name, source, created_at) VALUES ($1, $2, 'L', 'FORM', $3) RETURNING id`,
          [ws.id, contact, daysAgo(age)],
        )
      )[0]!.id;
      const conv = (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO conversations (workspace_id, contact_id, lead_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
          [ws.id, contact, lead, daysAgo(age)],
        )
      )[0]!.id;
      await ownerSql(
        api,
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'hi', 'RECEIVED', $3)`,
        [ws.id, conv, daysAgo(age)],
      );
    }
    return ws;
  }
  const count = async (table: string, wsId: string) =>
    Number(
      (await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM ${table} WHERE workspace_id = $1`, [wsId]))[0]!.n,
    );
  const sweep = (batchSize = 3) =>
    runRetentionSweep({ db: api.db, retention: api.services.retention }, { now: NOW, batchSize });

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
  });
  afterAll(async () => api.close());

  it("deletes exactly the rows older than the retention, in batches; younger rows, forever-workspaces and re-runs untouched", async () => {
    const a = await seed("Thirty Days", 30, [1, 10, 29, 31, 40, 100, 400]); // 4 older than 30 days
    const forever = await seed("Forever Co", null, [1, 500, 1000]);
    const b = await seed("Ninety Days", 90, [5, 95, 200]); // 2 older
    // An old conversation that is still active keeps its recent message and itself.
    const contact = (await ownerSql<{ id: string }>(api, `SELECT id FROM contacts WHERE workspace_id = $1`, [a.id]))[0]!
      .id;
    const active = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, created_at) VALUES ($1, $2, $3) RETURNING id`,
        [a.id, contact, daysAgo(60)],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'old', 'RECEIVED', $3), ($1, $2, 'INBOUND', 'CONTACT', 'new', 'RECEIVED', $4)`,
      [a.id, active, daysAgo(59), daysAgo(2)],
    );

    const first = await sweep();
    expect(first.totals).toMatchObject({ leads: 6, conversations: 6, messages: 7 });
    expect(await count("leads", a.id)).toBe(3);
    expect(await count("messages", a.id)).toBe(4); // 3 young + the active conversation's recent one
    expect(await ownerSql(api, `SELECT body FROM messages WHERE conversation_id = $1`, [active])).toEqual([
      { body: "new" },
    ]);
    expect(await count("conversations", a.id)).toBe(4);
    expect(await count("leads", b.id)).toBe(1);
    for (const t of ["leads", "conversations", "messages"]) expect(await count(t, forever.id), t).toBe(3);

    const audit = await ownerSql<{ data: { leads: number; messages: number; conversations: number } }>(
      api,
      `SELECT data FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`,
      [a.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ leads: 4, conversations: 4, messages: 5 });
    expect(
      await ownerSql(api, `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`, [
        forever.id,
      ]),
    ).toHaveLength(0);

    const second = await sweep();
    expect(second.totals).toEqual({
      leads: 0,
      conversations: 0,
      messages: 0,
      webhookAttempts: 0,
      webhookDeliveries: 0,
      webhookEvents: 0,
      auditEvents: 0,
      importChunks: 0,
    });
    expect(
      await ownerSql(api, `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`, [a.id]),
    ).toHaveLength(1);
  });

  it("two concurrent sweeps delete each row once and do not double-count", async () => {
    const ages = Array.from({ length: 40 }, (_, i) => 31 + i);
    const w = await seed("Concurrent Co", 30, [...ages, 1, 2]);
    const [x, y] = await Promise.all([sweep(4), sweep(4)]);
    const sum = (k: "leads" | "messages" | "conversations") => x.totals[k] + y.totals[k];
    expect(sum("leads")).toBe(40);
    expect(sum("messages")).toBe(40);
    expect(sum("conversations")).toBe(40);
    expect(await count("leads", w.id)).toBe(2);
    const recorded = await ownerSql<{ data: { leads: number } }>(
      api,
      `SELECT data FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`,
      [w.id],
    );
    expect(recorded.reduce((n, r) => n + r.data.leads, 0)).toBe(40);
  });

  it("ages the webhook delivery log with the workspace's retention: settled deliveries, their attempts, then events without deliveries", async () => {
    const w = await seed("Hooks Thirty", 30, []);
    const forever = await seed("Hooks Forever", null, []);
    const endpoint = async (wsId: string) =>
      (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://hooks.example.test/in', '{lead.created}', 'sealed') RETURNING id`,
          [wsId],
        )
      )[0]!.id;
    /** One event delivered to `endpoints`, created `age` days ago, with `attempts` log rows each. */
    const delivery = async (
      wsId: string,
      endpoints: string[],
      age: number,
      status: "PENDING" | "SUCCEEDED" | "FAILED",
      attempts: number,
      lastAttemptAge = age,
    ) => {
      const event = (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO webhook_events (workspace_id, type, payload, created_at) VALUES ($1, 'lead.created', '{}', $2) RETURNING id`,
          [wsId, daysAgo(age)],
        )
      )[0]!.id;
      const ids: string[] = [];
      for (const e of endpoints) {
        const d = (
          await ownerSql<{ id: string }>(
            api,
            `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, status, attempts, created_at, last_attempt_at) VALUES ($1, $2, $3, 'lead.created', $4, $5, $6, $7) RETURNING id`,
            [wsId, e, event, status, attempts, daysAgo(age), attempts > 0 ? daysAgo(lastAttemptAge) : null],
          )
        )[0]!.id;
        for (let n = 1; n <= attempts; n += 1) {
          await ownerSql(
            api,
            `INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempt, request_url, request_headers, request_body, response_status, latency_ms, created_at) VALUES ($1, $2, $3, 'https://hooks.example.test/in', '{}', '{}', 200, 5, $4)`,
            [wsId, d, n, daysAgo(lastAttemptAge)],
          );
        }
        ids.push(d);
      }
      return { event, ids };
    };
    const [e1, e2] = [await endpoint(w.id), await endpoint(w.id)];
    const oldOk = await delivery(w.id, [e1, e2], 45, "SUCCEEDED", 2); // 2 deliveries, 4 attempts: aged out
    const oldFailed = await delivery(w.id, [e1], 40, "FAILED", 3); // 1 delivery, 3 attempts: aged out
    const oldPending = await delivery(w.id, [e1], 35, "PENDING", 1, 35); // still being retried: kept with its event
    const redelivered = await delivery(w.id, [e1], 50, "SUCCEEDED", 2, 3); // old, but attempted 3 days ago: kept
    const young = await delivery(w.id, [e1], 5, "SUCCEEDED", 1);
    const f = await endpoint(forever.id);
    const foreverOld = await delivery(forever.id, [f], 900, "SUCCEEDED", 1);

    const first = await sweep(2); // batches of 2: 7 attempts take several batches
    expect(first.totals).toMatchObject({ webhookAttempts: 7, webhookDeliveries: 3, webhookEvents: 2 });
    const left = async (table: string, wsId: string) =>
      (await ownerSql<{ id: string }>(api, `SELECT id FROM ${table} WHERE workspace_id = $1 ORDER BY id`, [wsId])).map(
        (r) => r.id,
      );
    expect(new Set(await left("webhook_events", w.id))).toEqual(
      new Set([oldPending.event, redelivered.event, young.event]),
    );
    expect(new Set(await left("webhook_deliveries", w.id))).toEqual(
      new Set([...oldPending.ids, ...redelivered.ids, ...young.ids]),
    );
    expect(await count("webhook_delivery_attempts", w.id)).toBe(1 + 2 + 1);
    expect(await left("webhook_endpoints", w.id)).toHaveLength(2); // endpoints are configuration, not log
    expect(await left("webhook_deliveries", forever.id)).toEqual(foreverOld.ids);
    expect(await count("webhook_delivery_attempts", forever.id)).toBe(1);
    const gone = await ownerSql(api, `SELECT id FROM webhook_deliveries WHERE id = ANY($1::uuid[])`, [
      [...oldOk.ids, ...oldFailed.ids],
    ]);
    expect(gone).toEqual([]);

    const audit = await ownerSql<{ data: Record<string, number> }>(
      api,
      `SELECT data FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`,
      [w.id],
    );
    expect(audit[0]!.data).toMatchObject({ webhookAttempts: 7, webhookDeliveries: 3, webhookEvents: 2 });

    // Once the pending delivery settles, the next sweep takes it and its event.
    await ownerSql(api, `UPDATE webhook_deliveries SET status = 'FAILED' WHERE id = $1`, [oldPending.ids[0]]);
    expect((await sweep()).totals).toMatchObject({ webhookAttempts: 1, webhookDeliveries: 1, webhookEvents: 1 });
    expect((await sweep()).totals).toMatchObject({ webhookAttempts: 0, webhookDeliveries: 0, webhookEvents: 0 });
  });

  it("sweeps audit events past the environment's audit retention (development: 30 days)", async () => {
    const w = await createWorkspace(api, owner, "Audit Aging");
    await ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, created_at) VALUES ($1, 'old.event', $2), ($1, 'older.event', $2)`,
      [w.id, daysAgo(45)],
    );
    // The cut stops at a signed checkpoint (decision 0053): none yet, so nothing goes.
    await sweep();
    expect(
      await ownerSql(
        api,
        `SELECT action FROM audit_events WHERE workspace_id = $1 AND action LIKE '%.event' ORDER BY seq`,
        [w.id],
      ),
    ).toEqual([{ action: "old.event" }, { action: "older.event" }]);
    // A checkpoint at old.event (seq 2, after workspace.created); then a young event and a checkpoint after it.
    await ownerSql(
      api,
      `INSERT INTO audit_checkpoints (workspace_id, seq, hash, key_id, signature) SELECT workspace_id, seq, hash, 'test', '\\x00' FROM audit_events WHERE workspace_id = $1 AND action = 'old.event'`,
      [w.id],
    );
    await ownerSql(api, `INSERT INTO audit_events (workspace_id, action, created_at) VALUES ($1, 'young.event', $2)`, [
      w.id,
      daysAgo(5),
    ]);
    await ownerSql(
      api,
      `INSERT INTO audit_checkpoints (workspace_id, seq, hash, key_id, signature) SELECT workspace_id, seq, hash, 'test', '\\x00' FROM audit_events WHERE workspace_id = $1 AND action = 'young.event'`,
      [w.id],
    );
    await sweep();
    // The chain's prefix through the newest checkpoint older than the cutoff went (rows in chain order); the rest stays.
    const left = await ownerSql<{ action: string; seq: string }>(
      api,
      `SELECT action, seq::text FROM audit_events WHERE workspace_id = $1 ORDER BY seq`,
      [w.id],
    );
    expect(left.slice(0, 2)).toEqual([
      { action: "older.event", seq: "3" },
      { action: "young.event", seq: "4" },
    ]);
    expect(
      await ownerSql(api, `SELECT anchor_seq::int AS a FROM audit_chain_heads WHERE workspace_id = $1`, [w.id]),
    ).toEqual([{ a: 2 }]);
  });

  it("deletes a finished chunked import's records 30 days after its last chunk and an unfinished one's 90 days after, whatever the workspace's retention; younger imports stay", async () => {
    const w = await createWorkspace(api, owner, "Import Records"); // retention: none (forever)
    const chunk = (importId: string, n: number, of: number, age: number) =>
      ownerSql(
        api,
        `INSERT INTO contact_import_chunks (workspace_id, import_id, chunk, chunks, rows, created, updated, skipped, failed, on_conflict, plan_id, digest, created_at) VALUES ($1, $2, $3, $4, 10, 10, 0, 0, 0, 'MERGE', 'p', 'd', $5)`,
        [w.id, importId, n, of, daysAgo(age)],
      );
    const [done, done2, young, unfinished, finishedLately, abandoned, abandonedLately] = Array.from({ length: 7 }, () =>
      crypto.randomUUID(),
    );
    await chunk(done!, 0, 2, 45);
    await chunk(done!, 1, 2, 40);
    await chunk(done2!, 0, 1, 31);
    await chunk(young!, 0, 1, 10); // finished 10 days ago: kept
    await chunk(unfinished!, 0, 3, 60); // 2 of 3 chunks: still resumable, kept
    await chunk(unfinished!, 1, 3, 50);
    await chunk(finishedLately!, 0, 2, 90); // its last chunk 29 days ago: kept
    await chunk(finishedLately!, 1, 2, 29);
    await chunk(abandoned!, 0, 4, 120); // 2 of 4 chunks, the last 91 days ago: abandoned, deleted
    await chunk(abandoned!, 1, 4, 91);
    await chunk(abandonedLately!, 0, 4, 89); // 1 of 4, 89 days ago: still resumable, kept
    const first = await sweep(1); // one import per batch: the batches loop
    expect(first.totals.importChunks).toBe(5);
    const left = await ownerSql<{ import_id: string; n: number }>(
      api,
      `SELECT import_id::text, count(*)::int AS n FROM contact_import_chunks WHERE workspace_id = $1 GROUP BY 1`,
      [w.id],
    );
    expect(Object.fromEntries(left.map((r) => [r.import_id, r.n]))).toEqual({
      [young!]: 1,
      [unfinished!]: 2,
      [finishedLately!]: 2,
      [abandonedLately!]: 1,
    });
    const audit = await ownerSql<{ data: { importChunks: number } }>(
      api,
      `SELECT data FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`,
      [w.id],
    );
    expect(audit.map((a) => a.data.importChunks)).toEqual([5]);
    expect((await sweep(1)).totals.importChunks).toBe(0);
  });

  it("previews what the next sweep would delete", async () => {
    const w = await seed("Preview Co", 30, [1, 45, 60]);
    // The webhook log by the sweep's rule: a settled old delivery goes; a pending one and one
    // redelivered just now stay.
    const ep = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://hooks.example.test/in', '{lead.created}', 'sealed') RETURNING id`,
        [w.id],
      )
    )[0]!.id;
    for (const [status, lastAttempt] of [
      ["SUCCEEDED", daysAgo(40)],
      ["PENDING", daysAgo(40)],
      ["FAILED", new Date().toISOString()],
    ] as const) {
      const ev = (
        await ownerSql<{ id: string }>(
          api,
          `INSERT INTO webhook_events (workspace_id, type, payload, created_at) VALUES ($1, 'lead.created', '{}', $2) RETURNING id`,
          [w.id, daysAgo(40)],
        )
      )[0]!.id;
      await ownerSql(
        api,
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, status, attempts, created_at, last_attempt_at) VALUES ($1, $2, $3, 'lead.created', $4, 1, $5, $6)`,
        [w.id, ep, ev, status, daysAgo(40), lastAttempt],
      );
    }
    const r = await api.gql<{
      retentionPreview: {
        leads: number;
        messages: number;
        conversations: number;
        webhookDeliveries: number;
        cutoff: string;
      };
    }>(
      `query($w: ID!) { retentionPreview(workspaceId: $w) { cutoff leads conversations messages webhookDeliveries } }`,
      { w: w.id },
      { token: owner.token },
    );
    // The preview uses the real clock: rows seeded relative to NOW (in the past) are all old.
    expect(r.data?.retentionPreview).toMatchObject({ leads: 3, conversations: 3, messages: 3, webhookDeliveries: 1 });
    expect(r.data?.retentionPreview.cutoff).not.toBeNull();
    await ownerSql(api, `UPDATE workspaces SET retention_days = NULL WHERE id = $1`, [w.id]);
    const forever = await api.gql<{ retentionPreview: { leads: number; cutoff: string | null } }>(
      `query($w: ID!) { retentionPreview(workspaceId: $w) { cutoff leads } }`,
      { w: w.id },
      { token: owner.token },
    );
    expect(forever.data?.retentionPreview).toEqual({ cutoff: null, leads: 0 });
  });

  it("schedules the sweep with pg-boss at 03:00 UTC", async () => {
    const scheduler = await startScheduler({
      ownerUrl: api.testDb.ownerUrl,
      db: api.db,
      retention: api.services.retention,
      log: () => undefined,
    });
    try {
      const rows = await ownerSql<{ name: string; cron: string; timezone: string }>(
        api,
        `SELECT name, cron, timezone FROM pgboss.schedule`,
      );
      expect(rows).toContainEqual({ name: RETENTION_QUEUE, cron: RETENTION_CRON, timezone: "UTC" });
    } finally {
      await scheduler.stop();
    }
  });
});
