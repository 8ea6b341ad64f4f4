// Exactly once per contact across process deaths and two instances: two worker processes share
// a campaign; each is killed with SIGKILL mid-campaign (the fake Twilio answers slowly, so sends
// are in flight), a fresh one takes over, and the fake Twilio must have received exactly one
// message per contact. What is at stake: a recipient claimed by a dead process (its transaction
// rolled back, so it is claimed again) and a send job whose process died after Twilio accepted
// the message but before its id was written back (the retry adopts Twilio's message).
import type { ChildProcess } from "node:child_process";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { CREATE, GET, RUN, seedContacts, type Progress } from "../../test/campaigns.ts";
import { createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import { configure, eventually, newKey, startApiWithFakes, twilioCard } from "../../test/providers.ts";
import { killChild, startWorkerChild } from "../../test/worker-child.ts";

const CONTACTS = 40;

describe("campaign exactly-once across killed workers and two instances", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const key = newKey();
  const tw = twilioCard();
  const children: ChildProcess[] = [];

  const startWorker = () =>
    startWorkerChild({
      api,
      fakes,
      key,
      children,
      env: {
        SEND_RETRY_LIMIT: "5",
        SEND_RETRY_DELAY_SECONDS: "1",
        SEND_EXPIRE_SECONDS: "10",
        JOBS_SUPERVISE_SECONDS: "1",
        CAMPAIGN_RATE_PER_SECOND: "0",
        CAMPAIGN_BATCH_SIZE: "4",
      },
    });
  const kill = killChild;

  beforeAll(async () => {
    // This process only serves GraphQL and enqueues; the workers are the child processes.
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [key],
      jobTiming: { sendExpireSeconds: 10, superviseSeconds: 1, cronCheckSeconds: 30 },
    }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Exactly Once Dental", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: tw });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill(c);
    await api?.close();
    await fakes?.close();
  }, 120_000);

  it("SIGKILL of each worker mid-campaign, a fresh one after: every contact gets exactly one message", async () => {
    const contacts = await seedContacts(api, ws.id, CONTACTS);
    const c = (
      await api.gql<{ createCampaign: { id: string } }>(
        CREATE,
        { w: ws.id, i: { name: "Survivor", message: "Hello {{name}}", contactIds: contacts.map((x) => x.id) } },
        { token: owner.token },
      )
    ).data!.createCampaign;
    // Twilio accepts each message, then answers 300 ms later: a kill lands between the two.
    fakes.twilio.latencyMs = 300;
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token });
    await eventually(() => fakes.twilio.messages.length >= 8, 60_000, "8 messages");
    await kill(a);
    await eventually(() => fakes.twilio.messages.length >= 20, 60_000, "20 messages");
    await kill(b);
    const killedAt = fakes.twilio.messages.length;
    expect(killedAt).toBeLessThan(CONTACTS); // both died mid-campaign
    fakes.twilio.latencyMs = 0;
    await startWorker();
    const done = await eventually(
      async () => {
        // A poll answered with an error (a 503 while the machine is overloaded) is polled again.
        const p = (await api.gql<{ campaign: Progress }>(GET, { w: ws.id, id: c.id }, { token: owner.token })).data
          ?.campaign;
        return p?.status === "COMPLETED" && p;
      },
      120_000,
      "COMPLETED after the restart",
    ).catch(async (err: unknown) => {
      // What was left, for the failure message.
      const state = await ownerSql(
        api,
        `SELECT r.status::text AS recipient, m.status::text AS message, count(*)::int AS n FROM campaign_recipients r LEFT JOIN messages m ON m.workspace_id = r.workspace_id AND m.id = r.message_id WHERE r.campaign_id = $1 GROUP BY 1, 2`,
        [c.id],
      );
      const jobs = await ownerSql(
        api,
        `SELECT name, state::text, count(*)::int AS n FROM pgboss.job GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      throw new Error(`${String(err)}\nrecipients: ${JSON.stringify(state)}\njobs: ${JSON.stringify(jobs)}`);
    });
    expect(done).toMatchObject({ total: CONTACTS, sent: CONTACTS, failed: 0, suppressed: 0 });
    const perContact = contacts.map((x) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${x.phone}`).length);
    expect(perContact).toEqual(contacts.map(() => 1));
    expect(fakes.twilio.messages).toHaveLength(CONTACTS);
    // Each recipient row points at one message, and each message carries Twilio's id.
    const rows = await ownerSql<{ n: number; sids: number }>(
      api,
      `SELECT count(DISTINCT r.message_id)::int AS n, count(DISTINCT m.provider_message_id)::int AS sids FROM campaign_recipients r JOIN messages m ON m.workspace_id = r.workspace_id AND m.id = r.message_id WHERE r.campaign_id = $1`,
      [c.id],
    );
    expect(rows[0]).toEqual({ n: CONTACTS, sids: CONTACTS });
  }, 240_000);
});
