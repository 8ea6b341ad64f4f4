// Integration cards (I1, I2, S6) against a real database and the provider fakes: masked reads,
// channel rules, who may read and change them, sealed storage (no secret anywhere in clear),
// test connection in plain words, and key rotation under concurrent reads.
import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { rotateCredentials } from "../../credentials-rotation.ts";
import { loadConfig } from "../../env.ts";
import { buildServer } from "../../server.ts";
import { createServices } from "../../services.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import {
  calcomCard,
  configure,
  dumpAllTables,
  newKey,
  openaiCard,
  SET_INTEGRATION,
  startApiWithFakes,
  twilioCard,
  vapiCard,
} from "../../test/providers.ts";

const INTEGRATIONS = `query($w: ID!) { integrations(workspaceId: $w) { provider configured fields { name value secret } updatedAt } }`;
const REMOVE = `mutation($w: ID!, $p: IntegrationProvider!) { removeIntegration(workspaceId: $w, provider: $p) }`;
const TEST = `mutation($w: ID!, $p: IntegrationProvider!) { testIntegration(workspaceId: $w, provider: $p) { provider ok message } }`;

const k1 = newKey();

describe("integration cards", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let agent: TestUser;
  let stranger: TestUser;
  let wa: { id: string; slug: string };
  let voice: { id: string; slug: string };
  const tw = twilioCard();
  const oa = openaiCard();
  const va = vapiCard();
  const cal = calcomCard();

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({ integrationKeys: [k1] }));
    owner = await api.user("Owner");
    agent = await api.user("Agent");
    stranger = await api.user("Stranger");
    wa = await createWorkspace(api, owner, "Cards WA", "WHATSAPP");
    voice = await createWorkspace(api, owner, "Cards Voice", "VOICE");
    // An agent holding every policy stored (integration.manage is stripped from agents).
    await addMember(api, wa.id, agent, "AGENT", [
      "integration.manage",
      "lead.read",
      "conversation.read",
      "message.send",
      "workspace.settings",
    ]);
    await configure(api, fakes, owner, wa.id, { twilio: tw, openai: oa, calcom: cal });
    await configure(api, fakes, owner, voice.id, { vapi: va });
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("lists one card per provider the channel can use, secrets masked and never the value", async () => {
    const r = await api.gql<{
      integrations: {
        provider: string;
        configured: boolean;
        fields: { name: string; value: string; secret: boolean }[];
      }[];
    }>(INTEGRATIONS, { w: wa.id }, { token: owner.token });
    expect(r.data!.integrations.map((c) => [c.provider, c.configured])).toEqual([
      ["TWILIO", true],
      ["CALCOM", true],
      ["OPENAI", true],
    ]);
    const twilio = r.data!.integrations[0]!;
    expect(twilio.fields).toEqual([
      { name: "accountSid", value: tw.accountSid, secret: false },
      { name: "whatsappFrom", value: "+15550009999", secret: false },
      { name: "authToken", value: `••••••••${tw.authToken.slice(-4)}`, secret: true },
    ]);
    const text = JSON.stringify(r);
    for (const secret of [tw.authToken, oa.apiKey, cal.apiKey]) expect(text).not.toContain(secret);
    const v = await api.gql<{ integrations: { provider: string }[] }>(
      INTEGRATIONS,
      { w: voice.id },
      { token: owner.token },
    );
    expect(v.data!.integrations.map((c) => c.provider)).toEqual(["VAPI", "CALCOM", "OPENAI"]);
  });

  it("refuses a card for the wrong channel with BAD_USER_INPUT and stores nothing", async () => {
    const vOnWa = await api.gql(SET_INTEGRATION, { w: wa.id, i: { vapi: vapiCard() } }, { token: owner.token });
    expect(codeOf(vOnWa)).toBe("BAD_USER_INPUT");
    expect(vOnWa.errors![0]!.extensions!.reason).toBe("WRONG_CHANNEL");
    const tOnVoice = await api.gql(
      SET_INTEGRATION,
      { w: voice.id, i: { twilio: twilioCard() } },
      { token: owner.token },
    );
    expect(codeOf(tOnVoice)).toBe("BAD_USER_INPUT");
    const rows = await ownerSql(
      api,
      `SELECT provider FROM integrations WHERE (workspace_id = $1 AND provider = 'VAPI') OR (workspace_id = $2 AND provider = 'TWILIO')`,
      [wa.id, voice.id],
    );
    expect(rows).toEqual([]);
  });

  it("takes exactly one provider, validates fields, and requires secrets on first save", async () => {
    expect(codeOf(await api.gql(SET_INTEGRATION, { w: wa.id, i: {} }, { token: owner.token }))).toBe("BAD_USER_INPUT");
    expect(
      codeOf(await api.gql(SET_INTEGRATION, { w: wa.id, i: { openai: oa, calcom: cal } }, { token: owner.token })),
    ).toBe("BAD_USER_INPUT");
    const badSid = await api.gql(
      SET_INTEGRATION,
      { w: wa.id, i: { twilio: { ...tw, accountSid: "nope" } } },
      { token: owner.token },
    );
    expect(codeOf(badSid)).toBe("BAD_USER_INPUT");
    const other = await createWorkspace(api, owner, "Cards Fresh", "WHATSAPP");
    const noToken = await api.gql(
      SET_INTEGRATION,
      { w: other.id, i: { twilio: { accountSid: tw.accountSid, whatsappFrom: tw.whatsappFrom } } },
      { token: owner.token },
    );
    expect(codeOf(noToken)).toBe("BAD_USER_INPUT");
    expect(noToken.errors![0]!.extensions!.fields).toEqual({
      "twilio.authToken": "Required when the card is first saved.",
    });
    expect(await ownerSql(api, `SELECT 1 FROM integrations WHERE workspace_id = $1`, [other.id])).toEqual([]);
  });

  it("keeps a stored secret when an update leaves it out (test connection still authenticates)", async () => {
    const r = await api.gql(
      SET_INTEGRATION,
      { w: wa.id, i: { twilio: { accountSid: tw.accountSid, whatsappFrom: "whatsapp:+15550008888" } } },
      { token: owner.token },
    );
    expect(r.errors).toBeUndefined();
    const t = await api.gql<{ testIntegration: { ok: boolean; message: string } }>(
      TEST,
      { w: wa.id, p: "TWILIO" },
      { token: owner.token },
    );
    expect(t.data!.testIntegration).toEqual({
      provider: "TWILIO",
      ok: true,
      message: 'Twilio accepted these credentials: account "Fake Twilio account" is active.',
    });
    const auth = fakes.twilio.received("GET", `/2010-04-01/Accounts/${tw.accountSid}.json`).at(-1)!;
    expect(auth.headers.authorization).toBe(
      `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString("base64")}`,
    );
  });

  it("test connection reports each provider's answer in plain words, including a refusal", async () => {
    const ok = await api.gql<{ testIntegration: { ok: boolean; message: string } }>(
      TEST,
      { w: wa.id, p: "OPENAI" },
      { token: owner.token },
    );
    expect(ok.data!.testIntegration).toMatchObject({
      ok: true,
      message: "OpenAI accepted this API key; model gpt-4o-mini is available.",
    });
    expect(
      (await api.gql<{ testIntegration: { ok: boolean } }>(TEST, { w: wa.id, p: "CALCOM" }, { token: owner.token }))
        .data!.testIntegration.ok,
    ).toBe(true);
    expect(
      (await api.gql<{ testIntegration: { ok: boolean } }>(TEST, { w: voice.id, p: "VAPI" }, { token: owner.token }))
        .data!.testIntegration.ok,
    ).toBe(true);
    fakes.openai.apiKeys.delete(oa.apiKey);
    fakes.openai.apiKeys.add("sk-someone-else");
    const refused = await api.gql<{ testIntegration: { ok: boolean; message: string } }>(
      TEST,
      { w: wa.id, p: "OPENAI" },
      { token: owner.token },
    );
    expect(refused.data!.testIntegration).toEqual({
      provider: "OPENAI",
      ok: false,
      message: "OpenAI refused these credentials (HTTP 401, error invalid_api_key: Incorrect API key provided.).",
    });
    fakes.openai.apiKeys.add(oa.apiKey);
    fakes.twilio.failNext(1);
    const down = await api.gql<{ testIntegration: { ok: boolean; message: string } }>(
      TEST,
      { w: wa.id, p: "TWILIO" },
      { token: owner.token },
    );
    expect(down.data!.testIntegration).toMatchObject({
      ok: false,
      message: "Twilio answered HTTP 500, error 20500: Internal Server Error",
    });
    expect(codeOf(await api.gql(TEST, { w: voice.id, p: "OPENAI" }, { token: owner.token }))).toBe("NOT_FOUND");
  });

  it("agents cannot read or set cards, even with integration.manage stored on their membership", async () => {
    expect(codeOf(await api.gql(INTEGRATIONS, { w: wa.id }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(
      codeOf(await api.gql(SET_INTEGRATION, { w: wa.id, i: { openai: openaiCard() } }, { token: agent.token })),
    ).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(REMOVE, { w: wa.id, p: "OPENAI" }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(TEST, { w: wa.id, p: "OPENAI" }, { token: agent.token }))).toBe("FORBIDDEN");
    const rows = await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM integrations WHERE workspace_id = $1`, [
      wa.id,
    ]);
    expect(rows[0]!.n).toBe("3");
  });

  it("every integration operation with another workspace's id answers NOT_FOUND and changes nothing", async () => {
    await createWorkspace(api, stranger, "Stranger Cards", "WHATSAPP");
    const before = await ownerSql(
      api,
      `SELECT provider, secret_jwe FROM integrations WHERE workspace_id = $1 ORDER BY provider`,
      [wa.id],
    );
    const ops: [string, Record<string, unknown>][] = [
      [INTEGRATIONS, { w: wa.id }],
      [SET_INTEGRATION, { w: wa.id, i: { openai: openaiCard() } }],
      [REMOVE, { w: wa.id, p: "OPENAI" }],
      [TEST, { w: wa.id, p: "TWILIO" }],
      [`query($w: String!) { workspace(slug: $w) { twilioWebhookUrl } }`, { w: wa.slug }],
    ];
    for (const [q, v] of ops) expect(codeOf(await api.gql(q, v, { token: stranger.token })), q).toBe("NOT_FOUND");
    expect(
      await ownerSql(api, `SELECT provider, secret_jwe FROM integrations WHERE workspace_id = $1 ORDER BY provider`, [
        wa.id,
      ]),
    ).toEqual(before);
  });

  it("a sealed secret copied into another workspace's row does not open there", async () => {
    const other = await createWorkspace(api, owner, "Cards Copy", "WHATSAPP");
    await ownerSql(
      api,
      `INSERT INTO integrations (workspace_id, provider, settings, secret_jwe, key_id)
      SELECT $2, provider, settings, secret_jwe, key_id FROM integrations WHERE workspace_id = $1 AND provider = 'TWILIO'`,
      [wa.id, other.id],
    );
    const r = await api.gql(TEST, { w: other.id, p: "TWILIO" }, { token: owner.token });
    expect(codeOf(r)).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(r)).not.toContain(tw.authToken);
  });

  it("no stored secret appears in clear anywhere in the database (a text dump of every table)", async () => {
    const dump = await dumpAllTables(api.testDb.ownerUrl);
    expect(dump).toContain(tw.accountSid); // control: the dump does contain the cards
    for (const secret of [tw.authToken, oa.apiKey, cal.apiKey, va.apiKey, va.serverSecret])
      expect(dump).not.toContain(secret);
    const jwe = await ownerSql<{ secret_jwe: string; key_id: string }>(
      api,
      `SELECT secret_jwe, key_id FROM integrations WHERE workspace_id = $1 AND provider = 'TWILIO'`,
      [wa.id],
    );
    const header = JSON.parse(Buffer.from(jwe[0]!.secret_jwe.split(".")[0]!, "base64url").toString()) as Record<
      string,
      string
    >;
    expect(header).toEqual({ alg: "dir", enc: "A256GCM", kid: k1.kid, wid: wa.id, prv: "TWILIO" });
    expect(jwe[0]!.key_id).toBe(k1.kid);
  });

  it("records changes in the audit log by field name, never by value", async () => {
    const events = await ownerSql<{ action: string; data: unknown }>(
      api,
      `SELECT action, data FROM audit_events WHERE workspace_id = $1 AND action LIKE 'integration.%' ORDER BY created_at`,
      [wa.id],
    );
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["integration.created", "integration.updated", "integration.tested"]),
    );
    expect(events.find((e) => e.action === "integration.created")!.data).toMatchObject({
      provider: "TWILIO",
      changedFields: ["accountSid", "whatsappFrom", "authToken"],
    });
    const text = JSON.stringify(events);
    for (const secret of [tw.authToken, oa.apiKey, cal.apiKey]) expect(text).not.toContain(secret);
  });

  it("shows the Twilio webhook URL on WhatsApp workspaces only", async () => {
    const Q = `query($s: String!) { workspace(slug: $s) { id twilioWebhookUrl } }`;
    const w = await api.gql<{ workspace: { id: string; twilioWebhookUrl: string | null } }>(
      Q,
      { s: wa.slug },
      { token: owner.token },
    );
    expect(w.data!.workspace.twilioWebhookUrl).toBe(`${api.config.publicUrl}/webhooks/twilio/${wa.id}`);
    const v = await api.gql<{ workspace: { twilioWebhookUrl: string | null } }>(
      Q,
      { s: voice.slug },
      { token: owner.token },
    );
    expect(v.data!.workspace.twilioWebhookUrl).toBeNull();
  });

  it("removes a card (audited); removing it again is NOT_FOUND", async () => {
    expect((await api.gql(REMOVE, { w: wa.id, p: "CALCOM" }, { token: owner.token })).data).toEqual({
      removeIntegration: true,
    });
    expect(codeOf(await api.gql(REMOVE, { w: wa.id, p: "CALCOM" }, { token: owner.token }))).toBe("NOT_FOUND");
    const r = await api.gql<{ integrations: { provider: string; configured: boolean }[] }>(
      INTEGRATIONS,
      { w: wa.id },
      { token: owner.token },
    );
    expect(r.data!.integrations.find((c) => c.provider === "CALCOM")!.configured).toBe(false);
  });
});

describe("platform key configuration", () => {
  it("parses several keys newest first, refuses malformed ones, and has none in production without the variable", () => {
    const a = Buffer.alloc(32, 1).toString("base64");
    const b = Buffer.alloc(32, 2).toString("hex");
    const cfg = loadConfig({ NODE_ENV: "test", INTEGRATIONS_ENCRYPTION_KEY: `${a}, ${b}` });
    expect(cfg.integrationKeys.map((k) => k.key)).toEqual([
      new Uint8Array(Buffer.alloc(32, 1)),
      new Uint8Array(Buffer.alloc(32, 2)),
    ]);
    expect(cfg.integrationKeys[0]!.kid).toMatch(/^k_[0-9a-f]{16}$/);
    expect(() => loadConfig({ NODE_ENV: "test", INTEGRATIONS_ENCRYPTION_KEY: "too-short" })).toThrow(
      /INTEGRATIONS_ENCRYPTION_KEY entry 1 must be 32 random bytes/,
    );
    expect(() => loadConfig({ NODE_ENV: "test", INTEGRATIONS_ENCRYPTION_KEY: `${a},${a}` })).toThrow(/same key twice/);
    expect(loadConfig({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40) }).integrationKeys).toEqual([]);
    expect(loadConfig({ NODE_ENV: "development" }).integrationKeys).toHaveLength(1);
    expect(() => loadConfig({ NODE_ENV: "test", OPENAI_BASE_URL: "ftp://x" })).toThrow(
      /OPENAI_BASE_URL must be an absolute http\(s\) URL/,
    );
  });

  it("without a key (production), credentials cannot be saved and the error says why", async () => {
    const api = await startTestApi({ integrationKeys: [] });
    try {
      const owner = await api.user();
      const ws = await createWorkspace(api, owner, "No Key", "WHATSAPP");
      const r = await api.gql(SET_INTEGRATION, { w: ws.id, i: { openai: openaiCard() } }, { token: owner.token });
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(r.errors![0]!.extensions!.reason).toBe("ENCRYPTION_KEY_MISSING");
      expect(r.errors![0]!.message).toMatch(/INTEGRATIONS_ENCRYPTION_KEY/);
      expect(await ownerSql(api, `SELECT 1 FROM integrations`)).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

describe("key rotation (I2)", () => {
  it("re-encrypts every secret with the newest key while concurrent reads keep working; diagnostics count per key", async () => {
    const { api, fakes } = await startApiWithFakes({ integrationKeys: [k1] });
    const k2 = newKey();
    let second: Awaited<ReturnType<typeof buildServer>> | null = null;
    try {
      const owner = await api.user();
      const workspaces: string[] = [];
      for (let i = 0; i < 12; i++) {
        const ws = await createWorkspace(api, owner, `Rotate ${i}`, "WHATSAPP");
        workspaces.push(ws.id);
        await configure(api, fakes, owner, ws.id, { twilio: twilioCard(), openai: openaiCard() });
      }
      // The new deployment: k2 first, k1 still listed. A second instance on the same database.
      const config2 = { ...api.config, integrationKeys: [k2, k1] };
      const services2 = createServices(config2, api.db);
      second = await buildServer(config2, services2);
      await second.listen({ port: 0, host: "127.0.0.1" });
      const url2 = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
      const read = async (w: string) => {
        const res = await fetch(`${url2}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
          body: JSON.stringify({ query: INTEGRATIONS, variables: { w } }),
        });
        const body = (await res.json()) as { errors?: unknown; data?: { integrations: { configured: boolean }[] } };
        if (body.errors || body.data?.integrations.filter((c) => c.configured).length !== 2)
          throw new Error(`read failed: ${JSON.stringify(body)}`);
      };
      let reads = 0;
      let stop = false;
      const readers = Array.from({ length: 4 }, async (_, i) => {
        while (!stop) {
          await read(workspaces[(reads + i) % workspaces.length]!);
          reads++;
        }
      });
      const progress: number[] = [];
      const result = await rotateCredentials(
        { db: api.db, box: services2.secretBox },
        { batchSize: 5, onProgress: (p) => progress.push(p.rotated) },
      );
      stop = true;
      await Promise.all(readers); // any failed read rejects here
      expect(result).toEqual({ rotated: 24, total: 24, failed: 0 });
      expect(progress).toEqual([0, 5, 10, 15, 20, 24]);
      expect(reads).toBeGreaterThan(0);
      const keys = await ownerSql<{ key_id: string; n: string }>(
        api,
        `SELECT key_id, count(*) AS n FROM integrations GROUP BY key_id`,
      );
      expect(keys).toEqual([{ key_id: k2.kid, n: "24" }]);
      const diag = await fetch(`${url2}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({
          query: `query($w: ID!) { authDiagnostics(workspaceId: $w) { integrationKeys { kid newest configured secrets } } }`,
          variables: { w: workspaces[0] },
        }),
      });
      expect(((await diag.json()) as { data: unknown }).data).toEqual({
        authDiagnostics: {
          integrationKeys: [
            { kid: k2.kid, newest: true, configured: true, secrets: 24 },
            { kid: k1.kid, newest: false, configured: true, secrets: 0 },
          ],
        },
      });
      // Rows on the new key still open: a read through the second instance, then rotating again is a no-op.
      await read(workspaces[0]!);
      expect(await rotateCredentials({ db: api.db, box: services2.secretBox })).toEqual({
        rotated: 0,
        total: 0,
        failed: 0,
      });
    } finally {
      await second?.close();
      await api.close();
      await fakes.close();
    }
  });
});
