// Analytics at 1M messages (issue 13, "Measured"): one workspace with BENCH_MESSAGES messages
// (default 1,000,000) spread over the last 365 days, 50,000 leads, 5,000 calls and bookings, and
// a second workspace (BENCH_NOISE_MESSAGES, default 250,000) as noise. The `analytics` query (GraphQL over HTTP, a
// member's token) over 30 and 365 days: median and p95 of BENCH_RUNS runs each, side by side in
// the same run: the rollup of closed days warm (the usual read); the rollup emptied before each
// run (a first read: closed days counted from the (workspace_id, created_at, direction) index
// and stored); and the same first read without that index.
//
//   pnpm bench:analytics
//   BENCH_MESSAGES=200000 BENCH_RUNS=10 pnpm bench:analytics
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import { freePort, intEnv, listeningUrl, machineInfo, median, must, post, round1, verifiedUser } from "./lib.ts";

const MESSAGES = intEnv("BENCH_MESSAGES", 1_000_000);
/** The other workspace's messages (noise sharing the table and its indexes). */
const NOISE = intEnv("BENCH_NOISE_MESSAGES", 250_000);
const RUNS = intEnv("BENCH_RUNS", 20);
const QUERY = `query($w: ID!, $f: String!, $t: String!) { analytics(workspaceId: $w, from: $f, to: $t) { day leads messagesIn messagesOut calls bookings conversion } }`;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;

async function seed(owner: pg.Pool, workspaceId: string, messages: number): Promise<void> {
  const contacts = 10_000;
  await owner.query(
    `INSERT INTO contacts (workspace_id, name, phone) SELECT $1::uuid, 'C' || g, '+1' || (3000000000 + g)::text FROM generate_series(1, $2) g`,
    [workspaceId, contacts],
  );
  await owner.query(
    `INSERT INTO conversations (workspace_id, contact_id) SELECT workspace_id, id FROM contacts WHERE workspace_id = $1`,
    [workspaceId],
  );
  // Messages spread evenly over the last 365 days, alternating direction, in chunks.
  const chunk = 200_000;
  for (let done = 0; done < messages; done += chunk) {
    const n = Math.min(chunk, messages - done);
    await owner.query(
      `WITH convs AS (SELECT id, row_number() OVER () AS rn FROM conversations WHERE workspace_id = $1::uuid)
       INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at)
       SELECT $1::uuid, c.id, CASE WHEN g % 2 = 0 THEN 'INBOUND'::message_direction ELSE 'OUTBOUND'::message_direction END,
              CASE WHEN g % 2 = 0 THEN 'CONTACT'::message_sender ELSE 'AGENT'::message_sender END, 'bench message', CASE WHEN g % 2 = 0 THEN 'RECEIVED'::message_status ELSE 'SENT'::message_status END,
              now() - ((g * 31536.0 / $3) * interval '1000 seconds')
         FROM generate_series($2 + 1, $2 + $4) g JOIN convs c ON c.rn = 1 + (g % ${contacts})`,
      [workspaceId, done, messages, n],
    );
  }
  await owner.query(
    `INSERT INTO leads (workspace_id, contact_id, name, source, status, created_at)
     SELECT $1::uuid, c.id, 'L', 'FORM', CASE WHEN g % 5 = 0 THEN 'BOOKED'::lead_status ELSE 'NEW'::lead_status END, now() - (g * interval '630 seconds')
       FROM generate_series(1, 50000) g JOIN (SELECT id, row_number() OVER () AS rn FROM contacts WHERE workspace_id = $1::uuid) c ON c.rn = 1 + (g % ${contacts})`,
    [workspaceId],
  );
  await owner.query(
    `INSERT INTO calls (workspace_id, contact_id, status, created_at) SELECT $1::uuid, (SELECT id FROM contacts WHERE workspace_id = $1::uuid LIMIT 1), 'ENDED', now() - (g * interval '6300 seconds') FROM generate_series(1, 5000) g`,
    [workspaceId],
  );
  await owner.query(
    `INSERT INTO bookings (workspace_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email, created_at) SELECT $1::uuid, 'b' || g || $1::text, now(), now(), 'ACCEPTED', 'A', 'a@x.test', now() - (g * interval '6300 seconds') FROM generate_series(1, 5000) g`,
    [workspaceId],
  );
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
  });
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  owner.on("error", () => undefined);
  let close = async () => {};
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const config = loadConfig(
      { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", JOBS_ENABLED: "false" },
      { logLevel: "silent" },
    );
    const db = createDb({ appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url, poolSize: 4 });
    const services = createServices(config, db);
    await services.mail.startWorkers(); // sign-up's verification mail
    const app = await buildServer(config, services);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const api = listeningUrl(app.server);
    close = async () => {
      await app.close();
      await services.jobs.stop();
      await db.disconnect();
    };
    const { token } = await verifiedUser(api);
    const ws = async (name: string) =>
      (
        await must<{ createWorkspace: { id: string } }>(
          "createWorkspace",
          post(
            api,
            `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
            { i: { name, channel: "WHATSAPP" } },
            token,
          ),
        )
      ).createWorkspace.id;
    const measured = await ws("Bench Analytics");
    const noise = await ws("Bench Noise");
    const t0 = performance.now();
    await seed(owner, measured, MESSAGES);
    await seed(owner, noise, NOISE);
    await owner.query("VACUUM ANALYZE");
    console.log(
      `seeded ${MESSAGES.toLocaleString("en")} + ${NOISE.toLocaleString("en")} messages in ${round1((performance.now() - t0) / 1000)} s`,
    );

    const today = new Date().toISOString().slice(0, 10);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const ranges = [
      { label: "30 days", from: daysAgo(29), to: today },
      { label: "365 days", from: daysAgo(364), to: today },
    ];
    const run = async (from: string, to: string) => {
      const started = performance.now();
      const r = await must<{ analytics: { messagesOut: number; messagesIn: number }[] }>(
        "analytics",
        post(api, QUERY, { w: measured, f: from, t: to }, token),
      );
      const ms = performance.now() - started;
      return { ms, total: r.analytics.reduce((n, d) => n + d.messagesIn + d.messagesOut, 0) };
    };
    const results: string[] = [];
    const variants = [
      { label: "rollup warm", empty: false, dropIndex: false },
      { label: "first read (index)", empty: true, dropIndex: false },
      { label: "first read, no index", empty: true, dropIndex: true },
    ];
    for (const variant of variants) {
      if (variant.dropIndex) {
        await owner.query(`DROP INDEX messages_workspace_id_created_at_direction_idx`);
        await owner.query("ANALYZE messages");
      }
      for (const r of ranges) {
        await run(r.from, r.to); // warm-up (and, for the warm variant, fills the rollup)
        const times: number[] = [];
        let total = 0;
        for (let i = 0; i < RUNS; i++) {
          if (variant.empty) await owner.query(`DELETE FROM analytics_daily_messages`);
          const x = await run(r.from, r.to);
          times.push(x.ms);
          total = x.total;
        }
        results.push(
          `  ${variant.label.padEnd(21)} ${r.label.padEnd(9)} median ${round1(median(times))} ms, p95 ${round1(p95(times))} ms (${total.toLocaleString("en")} messages counted)`,
        );
      }
    }
    const plan = await owner.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT count(*) FROM messages WHERE workspace_id = $1 AND created_at >= now() - interval '30 days'`,
      [measured],
    );
    const info = await machineInfo(owner);
    console.log(
      `\nAnalytics bench — ${new Date().toISOString()} — ${info.cpus}× ${info.cpuModel}, ${info.memGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, load avg ${os.loadavg().map(round1).join(" ")}`,
    );
    console.log(
      `analytics(workspaceId, from, to) over HTTP, ${MESSAGES.toLocaleString("en")} messages in the workspace (+ ${NOISE.toLocaleString("en")} in another), ${RUNS} runs each:`,
    );
    for (const line of results) console.log(line);
    console.log(
      `  (plan without the index for a 30-day count: ${plan.rows
        .map((r) => r["QUERY PLAN"].trim())
        .join(" / ")
        .slice(0, 160)})`,
    );
  } finally {
    await close();
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
