import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { startFakeSmtp, type ReceivedMail } from "../../test/fake-smtp.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";

describe("mail over SMTP_URL", () => {
  let smtp: { url: string; mails: ReceivedMail[]; close(): Promise<void> };
  let api: TestApi;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    api = await startTestApi({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });

  it("sends the verification mail through SMTP, and the dev mailbox is off", async () => {
    const r = await api.gql(`mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, { i: { email: "smtp@example.com", password: "long enough password", name: "S" } });
    expect(r.errors).toBeUndefined();
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(["<smtp@example.com>"]);
    expect(smtp.mails[0]!.data).toMatch(/Subject: Verify your e-mail address/);
    expect(smtp.mails[0]!.data).toMatch(/verify-email\?token=/);
    expect((await fetch(`${api.url}/dev/mailbox?to=smtp@example.com`)).status).toBe(404);
  });
});
