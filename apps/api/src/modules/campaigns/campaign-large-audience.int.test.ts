// Issue 52: a large audience is not written inside the request that runs the campaign. runCampaign
// answers with the first batch added (addingRecipients, audienceSize); the dispatcher job adds the
// rest in batches (CAMPAIGN_AUDIENCE_BATCH_SIZE), each with its cursor in one transaction. Here a
// batch fails mid-way (a real error inside the database: a trigger raises on one contact's row,
// once), the job is retried by pg-boss, and the audience ends up added exactly once: every tagged
// contact one recipient row, nothing missing, nothing twice; a contact tagged after the campaign
// started is not in it.
import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { CREATE } from "../../test/campaigns.ts";
import { createWorkspace, eventually, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import { configure, newKey, startApiWithFakes, twilioCard } from "../../test/providers.ts";

const N = 5_000;
const BATCH = 500;
const RUN = `mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { id status total recipientsAdded audienceSize addingRecipients } }`;
const PROGRESS = `query($w: ID!, $id: ID!) { campaign(workspaceId: $w, id: $id) { status total recipientsAdded audienceSize addingRecipients } }`;
type Progress = {
  status: string;
  total: number;
  recipientsAdded: number;
  audienceSize: number | null;
  addingRecipients: boolean;
};

describe("a campaign's large audience, added by its job in batches", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string; slug: string };

  beforeAll(async () => {
    // Claims at 2 recipients a second: the audience is added while the campaign sends behind it.
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      campaigns: { ratePerSecond: 2, batchSize: 2, audienceBatchSize: BATCH },
    }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Large Audience Dental", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: twilioCard() });
    // The dispatcher only (no send workers: the messages it queues stay queued).
    await api.services.jobs.start();
    await api.services.campaigns.startWorkers();
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  /** A trigger `name` that runs `body` (PL/pgSQL) inside the audience batch that adds `contactId`'s recipient row. */
  async function onRecipientInsert(name: string, contactId: string, body: string): Promise<void> {
    await ownerSql(
      api,
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN ${body} RETURN NEW; END $$`,
    );
    await ownerSql(
      api,
      `CREATE TRIGGER ${name} BEFORE INSERT ON campaign_recipients FOR EACH ROW WHEN (NEW.contact_id = '${contactId}'::uuid) EXECUTE FUNCTION ${name}()`,
    );
  }

  it("runCampaign answers with the first batch; the job adds the rest once each, through a failed batch and its retry", async () => {
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, phone, tags, last_inbound_at) SELECT $1, 'Bulk ' || g, '+1777' || lpad(g::text, 7, '0'), '{bulk}', now() FROM generate_series(1, $2::int) g`,
      [ws.id, N],
    );
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, phone, tags) SELECT $1, 'Other ' || g, '+1778' || lpad(g::text, 7, '0'), '{other}' FROM generate_series(1, 20) g`,
      [ws.id],
    );
    const ids = (
      await ownerSql<{ id: string }>(
        api,
        `SELECT id::text FROM contacts WHERE workspace_id = $1 AND 'bulk' = ANY(tags) ORDER BY id`,
        [ws.id],
      )
    ).map((r) => r.id);
    expect(ids).toHaveLength(N);
    // The fault: the batch that reaches the contact half-way fails once, inside its transaction.
    const faulty = ids[N / 2]!;
    await ownerSql(api, `CREATE SEQUENCE test_audience_fault`);
    await onRecipientInsert(
      "test_audience_fault",
      faulty,
      `IF nextval('test_audience_fault') = 1 THEN RAISE EXCEPTION 'injected fault in the audience batch'; END IF;`,
    );

    const created = await api.gql<{ createCampaign: { id: string } }>(
      CREATE,
      { w: ws.id, i: { name: "Everyone", message: "Hello {{firstName}}", contactIds: [], tag: "bulk" } },
      { token: owner.token },
    );
    const id = created.data!.createCampaign.id;
    const run = await api.gql<{ runCampaign: Progress }>(RUN, { w: ws.id, id }, { token: owner.token });
    // The answer: running, the first batch added, the rest to come.
    expect(run.data?.runCampaign, JSON.stringify(run.errors)).toMatchObject({
      status: "RUNNING",
      audienceSize: N,
      addingRecipients: true,
    });
    expect(run.data!.runCampaign.recipientsAdded).toBe(run.data!.runCampaign.total);
    expect(run.data!.runCampaign.total).toBeLessThanOrEqual(BATCH);
    // A contact tagged after the campaign started is not in its audience.
    const [late] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO contacts (workspace_id, name, phone, tags, last_inbound_at) VALUES ($1, 'Late', '+17790000001', '{bulk}', now()) RETURNING id::text`,
      [ws.id],
    );

    // Progress, as the web app would poll it, until every recipient is added.
    const seen: number[] = [];
    const done = await eventually(
      async () => {
        const p = (await api.gql<{ campaign: Progress }>(PROGRESS, { w: ws.id, id }, { token: owner.token })).data
          ?.campaign;
        if (p) seen.push(p.recipientsAdded);
        return p && !p.addingRecipients && p;
      },
      180_000,
      "every recipient added",
    );
    expect(done).toMatchObject({
      status: "RUNNING",
      total: N,
      recipientsAdded: N,
      audienceSize: N,
      addingRecipients: false,
    });
    // Seen in between (the failed batch's retry waits seconds): progress, never going back.
    expect(seen.some((n) => n > BATCH && n < N)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);

    // The fault fired (once), and the job that met it was retried by pg-boss.
    expect(
      (await ownerSql<{ v: string }>(api, `SELECT last_value::text AS v FROM test_audience_fault`))[0]!.v,
    ).not.toBe("1");
    const retried = await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'campaign-dispatch' AND retry_count > 0`,
    );
    expect(retried[0]!.n).toBeGreaterThan(0);
    // Exactly once: one row per tagged contact, each of them, and nobody else.
    const rows = await ownerSql<{ contact_id: string }>(
      api,
      `SELECT contact_id::text FROM campaign_recipients WHERE workspace_id = $1 AND campaign_id = $2 ORDER BY contact_id`,
      [ws.id, id],
    );
    expect(rows.map((r) => r.contact_id)).toEqual(ids);
    expect(rows.map((r) => r.contact_id)).not.toContain(late!.id);

    // Stop the sends behind it: cancelled, nothing pending is claimed any more.
    const cancel = await api.gql<{ cancelCampaign: { status: string } }>(
      `mutation($w: ID!, $id: ID!) { cancelCampaign(workspaceId: $w, id: $id) { status } }`,
      { w: ws.id, id },
      { token: owner.token },
    );
    expect(cancel.data?.cancelCampaign.status).toBe("CANCELLED");
  }, 240_000);

  it("a cancel during an audience batch does not wait for it, and the batch is rolled back: nothing left pending", async () => {
    const other = await createWorkspace(api, owner, "Cancelled Audience Dental", "WHATSAPP");
    await configure(api, fakes, owner, other.id, { twilio: twilioCard() });
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, phone, tags, last_inbound_at) SELECT $1, 'Many ' || g, '+1787' || lpad(g::text, 7, '0'), '{many}', now() FROM generate_series(1, 1500) g`,
      [other.id],
    );
    // The dispatcher's second batch (contacts 501–1,000 by id) sleeps on one of its rows.
    const [slow] = await ownerSql<{ id: string }>(
      api,
      `SELECT id::text FROM contacts WHERE workspace_id = $1 ORDER BY id OFFSET 700 LIMIT 1`,
      [other.id],
    );
    await onRecipientInsert("test_audience_slow", slow!.id, "PERFORM pg_sleep(4);");
    const created = await api.gql<{ createCampaign: { id: string } }>(
      CREATE,
      { w: other.id, i: { name: "Many", message: "Hello {{firstName}}", contactIds: [], tag: "many" } },
      { token: owner.token },
    );
    const id = created.data!.createCampaign.id;
    await api.gql(RUN, { w: other.id, id }, { token: owner.token });
    const sleeping = () =>
      ownerSql<{ n: number }>(
        api,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%campaign_recipients%'`,
      ).then((r) => r[0]!.n);
    await eventually(async () => (await sleeping()) > 0 || null, 30_000, "the audience batch in flight");

    // The batch holds no lock on the campaign row: the cancel answers while it still sleeps.
    const cancel = await api.gql<{ cancelCampaign: { status: string } }>(
      `mutation($w: ID!, $id: ID!) { cancelCampaign(workspaceId: $w, id: $id) { status } }`,
      { w: other.id, id },
      { token: owner.token },
    );
    expect(cancel.data?.cancelCampaign.status, JSON.stringify(cancel.errors)).toBe("CANCELLED");
    expect(await sleeping()).toBe(1);
    const atCancel = await ownerSql<{ status: string; n: number }>(
      api,
      `SELECT status::text, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY 1`,
      [id],
    );

    // The batch ends, sees the campaign cancelled, and keeps nothing; the dispatcher stops adding.
    await eventually(async () => (await sleeping()) === 0 || null, 30_000, "the batch's end");
    await eventually(
      async () =>
        (
          await ownerSql<{ n: number }>(
            api,
            `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'campaign-dispatch' AND data->>'workspaceId' = $1 AND state IN ('created', 'active', 'retry')`,
            [other.id],
          )
        )[0]!.n === 0 || null,
      30_000,
      "the dispatcher done",
    );
    const after = await ownerSql<{ status: string; n: number }>(
      api,
      `SELECT status::text, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY 1`,
      [id],
    );
    expect(after).toEqual(atCancel);
    expect(after.find((r) => r.status === "PENDING")).toBeUndefined();
    const [campaign] = await ownerSql<{ status: string; added: boolean }>(
      api,
      `SELECT status::text, audience_added_at IS NOT NULL AS added FROM campaigns WHERE id = $1`,
      [id],
    );
    expect(campaign).toEqual({ status: "CANCELLED", added: false });
  }, 120_000);

  it("cancelling a large audience answers at once: the pending rest counts as cancelled and is cancelled in batches by the job", async () => {
    const big = await createWorkspace(api, owner, "Big Cancel Dental", "WHATSAPP");
    await configure(api, fakes, owner, big.id, { twilio: twilioCard() });
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, phone, tags, last_inbound_at) SELECT $1, 'Big ' || g, '+1797' || lpad(g::text, 7, '0'), '{big}', now() FROM generate_series(1, 2000) g`,
      [big.id],
    );
    const created = await api.gql<{ createCampaign: { id: string } }>(
      CREATE,
      { w: big.id, i: { name: "Big", message: "Hello {{firstName}}", contactIds: [], tag: "big" } },
      { token: owner.token },
    );
    const id = created.data!.createCampaign.id;
    await api.gql(RUN, { w: big.id, id }, { token: owner.token });
    await eventually(
      async () =>
        (await api.gql<{ campaign: Progress }>(PROGRESS, { w: big.id, id }, { token: owner.token })).data?.campaign
          .addingRecipients === false || null,
      60_000,
      "the audience added",
    );
    // Every statement that cancels recipients takes a second more: the job's batches cannot all
    // be done between the cancel's answer and the look right after it.
    await ownerSql(
      api,
      `CREATE FUNCTION test_slow_cancel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$`,
    );
    await ownerSql(
      api,
      `CREATE TRIGGER test_slow_cancel BEFORE UPDATE ON campaign_recipients FOR EACH STATEMENT EXECUTE FUNCTION test_slow_cancel()`,
    );
    try {
      const cancel = await api.gql<{
        cancelCampaign: {
          status: string;
          total: number;
          queued: number;
          sent: number;
          cancelled: number;
          suppressed: number;
        };
      }>(
        `mutation($w: ID!, $id: ID!) { cancelCampaign(workspaceId: $w, id: $id) { status total queued sent cancelled suppressed } }`,
        { w: big.id, id },
        { token: owner.token },
      );
      const answer = cancel.data?.cancelCampaign;
      expect(answer, JSON.stringify(cancel.errors)).toMatchObject({ status: "CANCELLED", total: 2000, queued: 0 });
      // Nothing is left to send, in the answer already: what was not sent counts as cancelled.
      expect(answer!.cancelled + answer!.sent + answer!.suppressed).toBe(2000);
      const pendingNow = await ownerSql<{ n: number }>(
        api,
        `SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND status = 'PENDING'`,
        [id],
      );
      // One batch (500) was cancelled by the request; the rest waits for the job.
      expect(pendingNow[0]!.n).toBeGreaterThan(0);
      await eventually(
        async () =>
          (
            await ownerSql<{ n: number }>(
              api,
              `SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND status = 'PENDING'`,
              [id],
            )
          )[0]!.n === 0 || null,
        60_000,
        "every pending recipient cancelled by the job",
      );
    } finally {
      await ownerSql(api, `DROP TRIGGER test_slow_cancel ON campaign_recipients`);
    }
    const rows = await ownerSql<{ status: string; reason: string | null; n: number }>(
      api,
      `SELECT status::text, skip_reason AS reason, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND message_id IS NULL GROUP BY 1, 2`,
      [id],
    );
    expect(rows.map((r) => r.status)).toEqual(["CANCELLED"]);
    expect(rows[0]!.reason).toBeTruthy();
    const after = await api.gql<{ campaign: { cancelled: number; queued: number } }>(
      `query($w: ID!, $id: ID!) { campaign(workspaceId: $w, id: $id) { cancelled queued } }`,
      { w: big.id, id },
      { token: owner.token },
    );
    expect(after.data?.campaign.queued).toBe(0);
  }, 120_000);
});
