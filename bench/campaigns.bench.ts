// Campaign throughput to the fake Twilio (issue 13, "Measured"), rate limit off: one process,
// one embedded Postgres, the workers of `pnpm start` (dispatcher + send jobs). A campaign to
// BENCH_CONTACTS contacts (default 2,000) runs from runCampaign to COMPLETED; we report the
// dispatch rate (recipients claimed: message + send job written per recipient) and the
// end-to-end rate (messages accepted by the fake Twilio and written back SENT), for two send
// concurrencies side by side in the same run, and check one message per contact.
//
//   pnpm bench:campaigns
//   BENCH_CONTACTS=500 pnpm bench:campaigns
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";
import { startFakes } from "@atrium/fakes";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import { freePort, intEnv, listeningUrl, machineInfo, must, post, round1, verifiedUser } from "./lib.ts";

const CONTACTS = intEnv("BENCH_CONTACTS", 2_000);
const CONCURRENCIES = [4, 16];

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
  });
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  owner.on("error", () => undefined);
  const fakes = await startFakes();
  fakes.twilio.statusSequence = []; // the send itself, no status callbacks
  const lines: string[] = [];
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    for (const concurrency of CONCURRENCIES) {
      const config = loadConfig(
        {
          NODE_ENV: "test",
          PORT: "0",
          HOST: "127.0.0.1",
          CAMPAIGN_RATE_PER_SECOND: "0",
          CAMPAIGN_BATCH_SIZE: "50",
          ...fakes.env,
        },
        { logLevel: "silent" },
      );
      const db = createDb({ appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url, poolSize: 10 });
      const services = createServices(config, db);
      await services.mail.startWorkers(); // sign-up's verification mail
      const app = await buildServer(config, services);
      await app.listen({ port: 0, host: "127.0.0.1" });
      const api = listeningUrl(app.server);
      config.publicUrl = api;
      try {
        const { token } = await verifiedUser(api);
        const ws = (
          await must<{ createWorkspace: { id: string } }>(
            "createWorkspace",
            post(
              api,
              `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
              { i: { name: `Bench Campaigns ${concurrency}`, channel: "WHATSAPP" } },
              token,
            ),
          )
        ).createWorkspace.id;
        const twilio = {
          accountSid: `AC${randomBytes(16).toString("hex")}`,
          authToken: randomBytes(16).toString("hex"),
          whatsappFrom: "+15550009999",
        };
        await must(
          "setIntegration",
          post(
            api,
            `mutation($w: ID!, $i: IntegrationInput!) { setIntegration(workspaceId: $w, input: $i) { provider } }`,
            { w: ws, i: { twilio } },
            token,
          ),
        );
        fakes.twilio.addAccount(twilio.accountSid, twilio.authToken);
        const prefix = 2000 + concurrency;
        await owner.query(
          `INSERT INTO contacts (workspace_id, name, phone) SELECT $1, 'Contact ' || g, '+1' || ($2::bigint * 1000000 + g)::text FROM generate_series(1, $3) g`,
          [ws, prefix, CONTACTS],
        );
        const ids = (
          await owner.query<{ id: string }>(`SELECT id FROM contacts WHERE workspace_id = $1`, [ws])
        ).rows.map((r) => r.id);
        // Issue 56: contacts who never wrote are reached on WhatsApp through an approved template.
        const contentSid = `HX${randomBytes(16).toString("hex")}`;
        fakes.twilio.addContent(contentSid, "Hi {{1}}, a bench message.");
        const template = (
          await must<{ createMessageTemplate: { id: string } }>(
            "createMessageTemplate",
            post(
              api,
              `mutation($w: ID!, $i: MessageTemplateInput!) { createMessageTemplate(workspaceId: $w, input: $i) { id } }`,
              { w: ws, i: { name: "Bench", contentSid, body: "Hi {{1}}, a bench message.", variables: ["firstName"] } },
              token,
            ),
          )
        ).createMessageTemplate;
        const c = (
          await must<{ createCampaign: { id: string } }>(
            "createCampaign",
            post(
              api,
              `mutation($w: ID!, $i: CreateCampaignInput!) { createCampaign(workspaceId: $w, input: $i) { id } }`,
              {
                w: ws,
                i: {
                  name: "Bench",
                  message: "Hi {{firstName}}, a bench message.",
                  contactIds: ids,
                  templateId: template.id,
                },
              },
              token,
            ),
          )
        ).createCampaign;
        await services.jobs.start();
        await services.messaging.startWorkers({ concurrency });
        await services.campaigns.startWorkers();
        const before = fakes.twilio.messages.length;
        const t0 = performance.now();
        await must(
          "runCampaign",
          post(
            api,
            `mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { status } }`,
            { w: ws, id: c.id },
            token,
          ),
        );
        let claimedAt = 0;
        for (;;) {
          const r = (
            await owner.query<{ pending: number; status: string }>(
              `SELECT (SELECT count(*)::int FROM campaign_recipients WHERE campaign_id = $1 AND status = 'PENDING') AS pending, (SELECT status::text FROM campaigns WHERE id = $1) AS status`,
              [c.id],
            )
          ).rows[0]!;
          if (r.pending === 0 && claimedAt === 0) claimedAt = performance.now();
          if (r.status === "COMPLETED") break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const doneAt = performance.now();
        const sent = fakes.twilio.messages.length - before;
        const perPhone = (
          await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts WHERE workspace_id = $1`, [ws])
        ).rows[0]!.n;
        const distinct = new Set(fakes.twilio.messages.slice(before).map((m) => m.to)).size;
        lines.push(
          `  send concurrency ${String(concurrency).padStart(2)}: dispatch ${round1(CONTACTS / ((claimedAt - t0) / 1000))} recipients/s (all claimed after ${round1((claimedAt - t0) / 1000)} s); ` +
            `end to end ${round1(sent / ((doneAt - t0) / 1000))} messages/s (${sent} at the fake Twilio to ${distinct} distinct numbers of ${perPhone} contacts, COMPLETED after ${round1((doneAt - t0) / 1000)} s)`,
        );
      } finally {
        await app.close();
        await services.jobs.stop();
        await db.disconnect();
      }
    }
    const info = await machineInfo(owner);
    console.log(
      `\nCampaigns bench — ${new Date().toISOString()} — ${info.cpus}× ${info.cpuModel}, ${info.memGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, load avg ${os.loadavg().map(round1).join(" ")}`,
    );
    console.log(
      `campaign to ${CONTACTS.toLocaleString("en")} contacts, rate limit off, batch 50, fake Twilio answering at once:`,
    );
    for (const line of lines) console.log(line);
  } finally {
    await fakes.close();
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
