// The redaction check's scanner (log-scan.ts) on sample logs: `pnpm --filter @atrium/e2e test`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { describeFindings, scanLog } from "./log-scan.ts";

const clean = [
  `{"level":30,"time":1795783680495,"pid":31030,"hostname":"vm","reqId":"0b5c…","method":"POST","route":"/graphql","statusCode":200,"durationMs":4.2,"operation":"SignIn","operationType":"mutation","workspaceId":null,"principal":"anonymous","statements":3,"msg":"request completed"}`,
  `{"level":30,"time":1795783680495,"pid":31030,"hostname":"vm","req":{"headers":{"authorization":"[Redacted]"}},"msg":"x"}`,
  "[db] embedded PostgreSQL running, data in /tmp/atrium-e2e-pg-C13rYM, port 13136",
  "[mail] sent from no-reply@atrium.local",
  "DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/atrium",
].join("\n");

const kindsIn = (text: string, known: readonly string[] = []) => scanLog(text, known).map((f) => f.kind);

void describe("the server log's redaction check", () => {
  void it("passes a log of request lines with no personal data", () => {
    assert.deepEqual(
      scanLog(clean, ["correct-horse-battery-staple", "Cora Channels", "e2e-twilio-auth-token-9f3a"]),
      [],
    );
  });

  void it("fails a log with a value the suite used: a password, a name, a provider token", () => {
    for (const secret of ["correct-horse-battery-staple", "Cora Channels", "e2e-twilio-auth-token-9f3a"]) {
      const log = `${clean}\n{"level":50,"msg":"provider refused","detail":"${secret}"}`;
      const findings = scanLog(log, ["correct-horse-battery-staple", "Cora Channels", "e2e-twilio-auth-token-9f3a"]);
      assert.equal(findings.length, 1, secret);
      assert.equal(findings[0]!.line, 6);
      assert.equal(findings[0]!.kind, "a value the suite used");
      // The report masks what it found.
      assert.ok(!describeFindings("server.log", findings).join("").includes(secret));
    }
  });

  void it("finds a known phone number written without its spaces", () => {
    assert.deepEqual(kindsIn(`"to":"442079460958"`, ["+44 20 7946 0958"]), ["a value the suite used"]);
  });

  void it("fails a log with anything shaped like a secret or personal data, whoever's it is", () => {
    assert.deepEqual(kindsIn(`{"msg":"signed in someone@example.org"}`), ["e-mail address"]);
    assert.deepEqual(kindsIn(`{"msg":"call to +15550001111 failed"}`), ["phone number"]);
    assert.deepEqual(kindsIn(`{"key":"atr_dev_0123456789_abcdefghijklmnopqrstuvwxyz0123"}`), ["API key"]);
    assert.deepEqual(kindsIn(`{"s":"whsec_c2VjcmV0LXNpZ25pbmcta2V5"}`), ["webhook secret"]);
    assert.deepEqual(kindsIn(`{"h":"Bearer abcdefgh12345678"}`), ["Bearer credential"]);
    assert.deepEqual(kindsIn(`{"t":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"}`), ["JWT"]);
    assert.deepEqual(kindsIn(`{"url":"/verify-email?token=0123456789abcdef"}`), ["credential in a query string"]);
    assert.deepEqual(kindsIn(`{"password":"hunter2"}`), ["credential field"]);
  });
});
