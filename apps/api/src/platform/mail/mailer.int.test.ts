import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { startFakeSmtp, type ReceivedMail } from "../../test/fake-smtp.ts";
import {
  createWorkspace,
  mailbox,
  ownerSql,
  revealedAudit,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe("mail over SMTP_URL, through the send-mail job", () => {
  // flaky@ is refused once (451, try again later), busy@ always for now (451), bounce@ for good (550).
  let flakyRefusals = 0;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  let api: TestApi;
  const to = (m: ReceivedMail) => m.to.join(",");
  beforeAll(async () => {
    smtp = await startFakeSmtp({
      refuse: (m) => {
        if (to(m).includes("bounce@")) return "550 5.1.1 no such mailbox";
        if (to(m).includes("busy@")) return "451 4.3.2 system not accepting messages";
        if (to(m).includes("flaky@") && flakyRefusals++ === 0) return "451 4.3.0 try again later";
        return null;
      },
    });
    api = await startTestApi({ smtpUrl: smtp.url, sendRetry: { limit: 2, delaySeconds: 1 } });
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });

  it("sends the verification mail through SMTP once the sign-up committed, and the dev mailbox is off", async () => {
    const r = await api.gql(SIGN_UP, { i: { email: "smtp@example.com", password: "long enough password", name: "S" } });
    expect(r.errors).toBeUndefined();
    const mail = await until("the verification mail", () => smtp.mails.find((m) => to(m) === "<smtp@example.com>"));
    expect(mail.data).toMatch(/Subject: Verify your e-mail address/);
    expect(mail.data).toMatch(/verify-email\?token=/);
    // The job's id is the Message-ID: a retried send is recognisable as the same mail.
    expect(mail.data).toMatch(/Message-ID: <[0-9a-f-]{36}@atrium\.mail>/i);
    expect(smtp.mails.filter((m) => to(m) === "<smtp@example.com>")).toHaveLength(1);
    expect((await fetch(`${api.url}/dev/mailbox?to=smtp@example.com`)).status).toBe(404);
  });

  it("retries a send refused for now (451), and delivers it once", async () => {
    await api.gql(SIGN_UP, { i: { email: "flaky@example.com", password: "long enough password", name: "F" } });
    const mail = await until("the retried mail", () => smtp.mails.find((m) => to(m) === "<flaky@example.com>"));
    expect(mail.data).toMatch(/verify-email\?token=/);
    expect(smtp.refused.filter((m) => to(m) === "<flaky@example.com>")).toHaveLength(1);
    await sleep(1500); // a second delivery would have come by now
    expect(smtp.mails.filter((m) => to(m) === "<flaky@example.com>")).toHaveLength(1);
  });

  it("a mail still refused after its last retry is recorded as failed", async () => {
    await api.gql(SIGN_UP, { i: { email: "busy@example.com", password: "long enough password", name: "B" } });
    const failed = await until(
      "the failure record",
      async () =>
        (
          await ownerSql<{ data: { kind: string; error: string } }>(
            api,
            `SELECT data FROM platform_audit_events WHERE action = 'mail.failed' AND data->>'kind' = 'email-verification'`,
          )
        )[0],
    );
    expect(failed.data.error).toContain("451");
    expect(smtp.refused.filter((m) => to(m) === "<busy@example.com>")).toHaveLength(3); // the first attempt and two retries
    expect(smtp.mails.filter((m) => to(m) === "<busy@example.com>")).toHaveLength(0);
  });

  it("a mail refused for good (550) is not retried, and is recorded: in the platform audit, and in the workspace's log for an invitation", async () => {
    await api.gql(SIGN_UP, { i: { email: "owner@example.com", password: "long enough password", name: "Owner" } });
    const [row] = await ownerSql<{ id: string }>(
      api,
      `UPDATE users SET email_verified_at = now() WHERE email = 'owner@example.com' RETURNING id`,
    );
    const signIn = await api.gql<{ signIn: { accessToken: string } }>(
      `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email: "owner@example.com", password: "long enough password" } },
    );
    const owner = {
      id: row!.id,
      email: "owner@example.com",
      password: "",
      token: signIn.data!.signIn.accessToken,
      refreshToken: "",
    } satisfies TestUser;
    const ws = await createWorkspace(api, owner, "Bounce Co");
    const inv = await api.gql<{ inviteMember: { id: string } }>(
      `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`,
      { w: ws.id, i: { email: "bounce@example.com", preset: "viewer" } },
      { token: owner.token },
    );
    expect(inv.errors).toBeUndefined();

    // 550 is final: one attempt, not retried, and the failure is on record.
    const failed = await until(
      "the failure record",
      async () =>
        (
          await ownerSql<{ workspace_id: string; data: { kind: string; toDomain: string; error: string } }>(
            api,
            `SELECT workspace_id, data FROM platform_audit_events WHERE action = 'mail.failed' AND data->>'kind' = 'invitation'`,
          )
        )[0],
    );
    await sleep(2500); // a retry (1 s, then 2 s) would have come by now
    expect(smtp.refused.filter((m) => to(m) === "<bounce@example.com>")).toHaveLength(1);
    expect(failed).toMatchObject({
      workspace_id: ws.id,
      data: { kind: "invitation", toDomain: "example.com", error: expect.stringContaining("550") },
    });
    const logged = await revealedAudit(
      api,
      ws.id,
      await ownerSql<{ target_type: string; target_id: string; data: { to: string } }>(
        api,
        `SELECT target_type, target_id, data FROM audit_events WHERE workspace_id = $1 AND action = 'mail.failed'`,
        [ws.id],
      ),
    );
    expect(logged).toEqual([
      {
        target_type: "Invitation",
        target_id: inv.data!.inviteMember.id,
        data: expect.objectContaining({ to: "bounce@example.com", kind: "invitation" }),
      },
    ]);
  });
});

describe("the mail outbox (dev mailbox)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  const jobsTo = async () =>
    (await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'send-mail'`))[0]!.n;

  it("queues the mail in the caller's transaction: rolled back, nothing is queued or sent; committed, it is sent", async () => {
    const before = await jobsTo();
    const mail = (to: string) => ({ to, subject: "Outbox", text: "hello" });
    await expect(
      api.db.system.$transaction(async (tx) => {
        await api.services.mail.queue(tx, mail("rolled-back@example.com"), { kind: "sign-up-attempt" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await jobsTo()).toBe(before);
    await api.db.system.$transaction((tx) =>
      api.services.mail.queue(tx, mail("committed@example.com"), { kind: "sign-up-attempt" }),
    );
    api.services.mail.notify();
    expect(await jobsTo()).toBe(before + 1);
    expect((await mailbox(api.url, "committed@example.com"))[0]).toMatchObject({ subject: "Outbox", text: "hello" });
    expect(await (await fetch(`${api.url}/dev/mailbox?to=rolled-back@example.com`)).json()).toEqual([]);
  });

  it("seals the job's payload: neither the link nor the address can be read in pgboss.job", async () => {
    await api.gql(SIGN_UP, { i: { email: "sealed@example.com", password: "long enough password", name: "Sealed" } });
    const [received] = await mailbox(api.url, "sealed@example.com");
    const token = /token=([A-Za-z0-9_.-]+)/.exec(received!.text)![1]!;
    const jobs = await ownerSql<{ data: string }>(
      api,
      `SELECT data::text AS data FROM pgboss.job WHERE name = 'send-mail'`,
    );
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.some((j) => j.data.includes(token) || j.data.includes("sealed@example.com"))).toBe(false);
    expect(jobs.every((j) => /"sealed":\s*"ey/.test(j.data))).toBe(true);
  });

  it("one job, one mail: the job id is the mail's id, so a send repeated after a lost acknowledgement is kept once", async () => {
    const id = crypto.randomUUID();
    const mail = { id, to: "once@example.com", subject: "Once", text: "only once" };
    await api.services.mailer.send(mail);
    await api.services.mailer.send(mail);
    expect(await (await fetch(`${api.url}/dev/mailbox?to=once@example.com`)).json()).toHaveLength(1);
  });
});
