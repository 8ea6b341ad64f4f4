// Issue 50: an erasure survives a crash. The job runs in a worker process that is killed with
// SIGKILL while it pushes deletions to Twilio (the fake answers slowly, so deletions are in
// flight); the erasure then resumes at its recorded step and finishes exactly once: every Twilio
// message deleted once, one completion, nothing of the person left.
import type { ChildProcess } from "node:child_process";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import { configure, eventually, newKey, startApiWithFakes, twilioCard } from "../../test/providers.ts";
import { killChild, startWorkerChild } from "../../test/worker-child.ts";

const MESSAGES = 12;

describe("erasure across a killed worker", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string };
  const key = newKey();
  const tw = twilioCard();
  const children: ChildProcess[] = [];

  const startWorker = () => startWorkerChild({ api, fakes, key, children, env: { JOBS_SUPERVISE_SECONDS: "1" } });
  const kill = killChild;

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({ integrationKeys: [key] }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Crash Privacy", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: tw });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill(c);
    await api?.close();
    await fakes?.close();
  }, 120_000);

  it("SIGKILL mid-erasure, then resumed: each provider deletion once, one completion, nothing left", async () => {
    const email = "kill.me@example.test";
    const phone = "+15550107777";
    const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[]) =>
      (await ownerSql<T>(api, sql, params))[0]!;
    const contact = (
      await one<{ id: string }>(
        `INSERT INTO contacts (workspace_id, name, email, phone) VALUES ($1, 'Kill Me', $2, $3) RETURNING id`,
        [ws.id, email, phone],
      )
    ).id;
    const conv = (
      await one<{ id: string }>(`INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`, [
        ws.id,
        contact,
      ])
    ).id;
    const sids: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const sid = `SM${String(i).padStart(32, "0")}`;
      sids.push(sid);
      fakes.twilio.messages.push({
        sid,
        accountSid: tw.accountSid,
        to: `whatsapp:${phone}`,
        from: `whatsapp:${tw.whatsappFrom}`,
        body: `m${i}`,
        statusCallback: null,
        createdAt: new Date(),
        contentSid: null,
        contentVariables: null,
        errorCode: null,
      });
      await ownerSql(
        api,
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, provider_message_id) VALUES ($1, $2, 'OUTBOUND', 'AGENT', $3, 'SENT', $4)`,
        [ws.id, conv, `m${i} for ${email}`, sid],
      );
    }

    fakes.twilio.latencyMs = 250;
    const worker = await startWorker();
    const r = await api.gql<{ createDataSubjectRequest: { id: string } }>(
      `mutation($w: ID!, $i: DataSubjectRequestInput!) { createDataSubjectRequest(workspaceId: $w, input: $i) { id } }`,
      { w: ws.id, i: { kind: "ERASE", email, phone } },
      { token: owner.token },
    );
    expect(r.errors).toBeUndefined();
    const id = r.data!.createDataSubjectRequest.id;
    await eventually(() => fakes.twilio.deletedMessages.length >= 3, 30_000, "three Twilio deletions");
    await kill(worker);
    const mid = await one<{ status: string; step: number }>(
      `SELECT status, step FROM data_subject_requests WHERE id = $1`,
      [id],
    );
    expect(mid).toEqual({ status: "RUNNING", step: 1 });
    expect(fakes.twilio.deletedMessages.length).toBeLessThan(MESSAGES);

    // The restart: the request resumes where it stopped (the job's retry does the same).
    fakes.twilio.latencyMs = 0;
    await api.services.privacy.run(ws.id, id);
    await api.services.privacy.run(ws.id, id);
    expect([...fakes.twilio.deletedMessages].sort()).toEqual(sids);
    expect(
      await one(`SELECT status, subject_email, subject_phone FROM data_subject_requests WHERE id = $1`, [id]),
    ).toEqual({ status: "COMPLETED", subject_email: null, subject_phone: null });
    expect(
      await ownerSql(api, `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'privacy.erase.completed'`, [
        ws.id,
      ]),
    ).toHaveLength(1);
    expect(await ownerSql(api, `SELECT 1 FROM messages WHERE workspace_id = $1`, [ws.id])).toHaveLength(0);
    expect(await ownerSql(api, `SELECT 1 FROM contacts WHERE workspace_id = $1`, [ws.id])).toHaveLength(0);
  }, 90_000);
});
