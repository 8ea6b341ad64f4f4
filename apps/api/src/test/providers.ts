// Test helpers for provider work: the API pointed at the local fakes, cards saved through the
// real GraphQL API, and a full-text dump of every table (to prove no secret is stored in clear).
import { randomBytes } from "node:crypto";
import pg from "pg";

import { startFakes, type Fakes } from "@atrium/fakes";

import { kidOf, type AppConfig } from "../env.ts";
import { startTestApi, type TestApi, type TestConfigOverrides, type TestUser } from "./harness.ts";

export { eventually } from "./harness.ts";

export const SET_INTEGRATION = `mutation($w: ID!, $i: IntegrationInput!) { setIntegration(workspaceId: $w, input: $i) { provider configured fields { name value secret } updatedAt } }`;

export function newKey(): AppConfig["integrationKeys"][number] {
  const key = new Uint8Array(randomBytes(32));
  return { kid: kidOf(key), key };
}

export const twilioCard = () => ({
  accountSid: `AC${randomBytes(16).toString("hex")}`,
  authToken: `tw_${randomBytes(16).toString("hex")}`,
  whatsappFrom: "+15550009999",
});
export const openaiCard = () => ({ apiKey: `sk-${randomBytes(20).toString("hex")}`, model: "gpt-4o-mini" });
export const vapiCard = () => ({
  apiKey: `vapi_${randomBytes(16).toString("hex")}`,
  assistantId: "asst_fake",
  phoneNumberId: "pn_fake",
  serverSecret: `vs_${randomBytes(16).toString("hex")}`,
});
export const calcomCard = () => ({ apiKey: `cal_${randomBytes(16).toString("hex")}`, eventTypeId: 42 });

/** The API with its provider base URLs on freshly started fakes. */
export async function startApiWithFakes(overrides: TestConfigOverrides = {}): Promise<{ api: TestApi; fakes: Fakes }> {
  const fakes = await startFakes();
  const api = await startTestApi({
    providers: {
      twilioApiBaseUrl: fakes.env.TWILIO_API_BASE_URL,
      vapiApiBaseUrl: fakes.env.VAPI_API_BASE_URL,
      calcomApiBaseUrl: fakes.env.CALCOM_API_BASE_URL,
      openaiBaseUrl: fakes.env.OPENAI_BASE_URL,
      timeoutMs: 2_000,
    },
    ...overrides,
  });
  // Links we give providers (status callbacks, webhook URLs) must reach this server.
  (api.config as { publicUrl: string }).publicUrl = api.url;
  return { api, fakes };
}

/** Each workspace's Twilio sender and fake (issue 56: seeded contacts "wrote" to it, opening WhatsApp's window). */
export const twilioSenders = new Map<string, { fakes: Fakes; from: string }>();

/** Saves a card through the API and registers its credentials with the matching fake. */
export async function configure(
  api: TestApi,
  fakes: Fakes,
  user: TestUser,
  workspaceId: string,
  card: {
    twilio?: ReturnType<typeof twilioCard>;
    openai?: ReturnType<typeof openaiCard>;
    vapi?: ReturnType<typeof vapiCard>;
    calcom?: ReturnType<typeof calcomCard>;
  },
): Promise<void> {
  for (const [key, value] of Object.entries(card)) {
    const r = await api.gql(SET_INTEGRATION, { w: workspaceId, i: { [key]: value } }, { token: user.token });
    if (r.errors) throw new Error(`setIntegration ${key} failed: ${JSON.stringify(r.errors)}`);
  }
  if (card.twilio) {
    fakes.twilio.addAccount(card.twilio.accountSid, card.twilio.authToken);
    twilioSenders.set(workspaceId, { fakes, from: card.twilio.whatsappFrom });
  }
  if (card.openai) fakes.openai.apiKeys.add(card.openai.apiKey);
  if (card.vapi) fakes.vapi.apiKeys.add(card.vapi.apiKey);
  if (card.calcom) fakes.calcom.apiKeys.add(card.calcom.apiKey);
}

/** Every row of every table in every non-system schema, as text (what a pg_dump would contain). */
export async function dumpAllTables(ownerUrl: string): Promise<string> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const tables = (
      await c.query<{ s: string; t: string }>(`SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`)
    ).rows;
    const out: string[] = [];
    for (const { s, t } of tables) {
      const rows = await c.query<{ r: string }>(
        `SELECT x::text AS r FROM ${c.escapeIdentifier(s)}.${c.escapeIdentifier(t)} x`,
      );
      out.push(`-- ${s}.${t}`, ...rows.rows.map((r) => r.r));
    }
    return out.join("\n");
  } finally {
    await c.end();
  }
}

/** Starts this API's job workers (sends, calls, agent replies), as `pnpm start` does. */
export async function startWorkers(api: TestApi): Promise<void> {
  await api.services.jobs.start();
  await api.services.messaging.startWorkers();
  await api.services.webhooks.startWorkers();
}

export const PERSONA = `mutation($w: ID!) { updateAgentPersona(workspaceId: $w, input: { agentName: "Ava", agentRole: "patient coordinator", tone: "FRIENDLY", qualificationQuestions: ["Is this for a check-up or a treatment?", "Which days suit you?"] }) { id } }`;

/** Submits the public form (JSON) and returns the lead id. */
export async function submitForm(
  api: TestApi,
  slug: string,
  lead: { name: string; phone?: string; email?: string; message?: string },
): Promise<string> {
  const res = await fetch(`${api.url}/forms/${slug}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(lead),
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id) throw new Error(`form failed: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

let contentSeq = 0;
/**
 * Issue 56: an approved WhatsApp template used for the agent's opening message (a new lead has not
 * written yet, so WhatsApp's window is closed and free text would fail), registered with the fake
 * Twilio too so the message it records reads as the template renders. Variables: {{1}} the lead's
 * first name, {{2}} the business.
 */
export async function openingTemplate(
  api: TestApi,
  fakes: Fakes,
  user: TestUser,
  workspaceId: string,
  body = "Hi {{1}}, thanks for contacting {{2}}! How can we help?",
): Promise<{ id: string; contentSid: string }> {
  const contentSid = `HX${(Date.now() * 1000 + contentSeq++).toString(16).padStart(32, "0")}`;
  const variables = [...new Set([...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1]))].map((n) =>
    n === "1" ? "firstName" : "business",
  );
  const r = await api.gql<{ createMessageTemplate: { id: string } }>(
    `mutation($w: ID!, $i: MessageTemplateInput!) { createMessageTemplate(workspaceId: $w, input: $i) { id } }`,
    { w: workspaceId, i: { name: `Opening ${contentSeq}`, contentSid, body, variables, useForOpening: true } },
    { token: user.token },
  );
  if (!r.data) throw new Error(`createMessageTemplate failed: ${JSON.stringify(r.errors)}`);
  fakes.twilio.addContent(contentSid, body);
  return { id: r.data.createMessageTemplate.id, contentSid };
}
