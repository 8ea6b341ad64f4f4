// Per-route deadlines (issue 16): a handler that cannot finish — here a real one, blocked on a
// table lock another session holds — does not hold the request: at the deadline the client gets
// a typed, retryable 503 (SERVICE_UNAVAILABLE, reason DEADLINE_EXCEEDED, Retry-After) on GraphQL
// and on REST, and the handler's database work is cancelled and rolled back (it does not land
// later, when the lock goes away). Deadline 5 s here (REQUEST_DEADLINE_MS, 15 s by default).
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, startTestApi, type TestApi } from "../../test/harness.ts";

const DEADLINE_MS = 5_000;

describe("per-route deadlines", () => {
  let api: TestApi;
  let ws: { id: string; slug: string };
  let secret: string;
  beforeAll(async () => {
    api = await startTestApi({
      requestDeadlineMs: DEADLINE_MS,
      rateLimits: { formPerIpPerMinute: 100_000, formPerWorkspacePerMinute: 100_000 },
    });
    const owner = await api.user("Deadline Owner");
    ws = await createWorkspace(api, owner, "Deadline Co");
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`,
      { w: ws.id, i: { name: "deadline", scopes: ["lead.manage"] } },
      { token: owner.token },
    );
    secret = key.data!.createApiKey.secret;
  });
  afterAll(async () => api.close());

  const leadsNamed = async (name: string) =>
    Number(
      (
        await ownerSql<{ n: string }>(
          api,
          `SELECT count(*)::text AS n FROM leads WHERE workspace_id = $1 AND name = $2`,
          [ws.id, name],
        )
      )[0]!.n,
    );
  const submitLead = async (name: string) => {
    const began = Date.now();
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({
        query: `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
        variables: { i: { name, email: "slow@example.test" } },
      }),
      signal: AbortSignal.timeout(20_000),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions: Record<string, unknown> }[];
      },
      ms: Date.now() - began,
    };
  };
  const submitForm = async (name: string) => {
    const began = Date.now();
    const res = await fetch(`${api.url}/forms/${ws.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, email: "form@example.test" }),
      signal: AbortSignal.timeout(20_000),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: (await res.json()) as Record<string, unknown>,
      ms: Date.now() - began,
    };
  };

  it("answers a handler stuck past its deadline with a retryable 503, and its write never lands", async () => {
    const locker = new pg.Client({ connectionString: api.testDb.ownerUrl });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE");
      const [gql, form] = await Promise.all([submitLead("Stuck Lead"), submitForm("Stuck Form")]);

      expect(gql.status, JSON.stringify(gql.body)).toBe(503);
      expect(gql.retryAfter).toBe("2");
      expect(gql.body.errors?.[0]?.extensions).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        reason: "DEADLINE_EXCEEDED",
        retryAfterSeconds: 2,
      });
      expect(gql.body.errors?.[0]?.message).toBe(
        "The request took too long and was stopped. Try again in a few seconds.",
      );
      expect(form.status, JSON.stringify(form.body)).toBe(503);
      expect(form.retryAfter).toBe("2");
      expect(form.body).toMatchObject({
        error: "SERVICE_UNAVAILABLE",
        reason: "DEADLINE_EXCEEDED",
        retryAfterSeconds: 2,
      });
      for (const r of [gql, form]) {
        expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
        expect(r.ms, "answered at the deadline, not when the lock went away").toBeLessThan(DEADLINE_MS + 3_000);
      }
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    // The lock is gone: had the stuck transactions still been waiting, their inserts would commit
    // now. They were cancelled at the deadline (statement_timeout) and rolled back.
    await sleep(1_000);
    expect(await leadsNamed("Stuck Lead")).toBe(0);
    expect(await leadsNamed("Stuck Form")).toBe(0);
    const stillWaiting = await ownerSql<{ n: string }>(
      api,
      `SELECT count(*)::text AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
    );
    expect(stillWaiting[0]!.n).toBe("0");

    // Nothing stays stuck: the same requests work at once.
    const again = await submitLead("Stuck Lead");
    expect(again.status).toBe(200);
    expect(again.body.errors).toBeUndefined();
    expect((await submitForm("Stuck Form")).status).toBe(201);
    expect(await leadsNamed("Stuck Lead")).toBe(1);
    expect(await leadsNamed("Stuck Form")).toBe(1);
  });
});
