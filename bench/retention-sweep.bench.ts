// Issue 5 "Measured": sweep 1,000,000 old messages across 100 workspaces. Prints the sweep's
// wall time and rows/s, and the p99 of a concurrent authenticated `leads(first: 50)` query
// during the sweep vs without it (same process, same database, measured one after the other).
//
//   pnpm bench:retention                                  # defaults below
//   BENCH_MESSAGES=200000 BENCH_WORKSPACES=20 pnpm bench:retention
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";

import { loadConfig } from "../apps/api/src/env.ts";
import { runRetentionSweep } from "../apps/api/src/modules/retention/retention-sweep.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import {
  badCount,
  drain,
  freePort,
  intEnv,
  listeningUrl,
  machineInfo,
  must,
  post,
  round1,
  runLoad,
  verifiedUser,
} from "./lib.ts";

const MESSAGES = intEnv("BENCH_MESSAGES", 1_000_000);
const WORKSPACES = intEnv("BENCH_WORKSPACES", 100);
const SECONDS = intEnv("BENCH_SECONDS", 10);
const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 8);
const BATCH = intEnv("BENCH_BATCH", 1000);
const LEADS_QUERY = `query($w: ID!) { leads(workspaceId: $w, first: 50) { totalCount edges { node { id name email createdAt contact { id email } } } } }`;

const dir = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-sweep-"));
const server = await startEmbeddedPostgres({
  dataDir: path.join(dir, "data"),
  port: await freePort(),
  database: "bench",
  durable: false,
});
const owner = new pg.Pool({ connectionString: server.url, max: 4 });
// Stopping the server terminates idle pooled connections (57P01); that is the expected end.
owner.on("error", (err: Error & { code?: string }) => {
  if (err.code !== "57P01") throw err;
});
try {
  await migrate(server.url);
  await setAppRolePassword(server.url, "bench");
  const config = loadConfig({ NODE_ENV: "test", PORT: "0" }, { logLevel: "silent", jobsEnabled: false });
  const db = createDb({ appUrl: appUrlFrom(server.url, "bench"), ownerUrl: server.url, poolSize: 10 });
  const services = createServices(config, db);
  await services.mail.startWorkers(); // sign-up's verification mail
  const app = await buildServer(config, services);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const api = listeningUrl(app.server);

  // One user owning every workspace; retention 30 days everywhere.
  const { token } = await verifiedUser(api);
  const ids: string[] = [];
  for (let i = 0; i < WORKSPACES; i++) {
    const r = await must<{ createWorkspace: { id: string } }>(
      "createWorkspace",
      post(
        api,
        `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
        { i: { name: `Sweep ${i}`, channel: "WHATSAPP" } },
        token,
      ),
    );
    ids.push(r.createWorkspace.id);
  }
  await owner.query(`UPDATE workspaces SET retention_days = 30`);
  const perWs = Math.ceil(MESSAGES / WORKSPACES);
  const seedStart = Date.now();
  for (const ws of ids) {
    // Old transcripts: 10 conversations per workspace, 60 days old, messages spread over them.
    await owner.query(
      `WITH c AS (INSERT INTO contacts (workspace_id, name) VALUES ($1, 'Bench') RETURNING id),
            conv AS (INSERT INTO conversations (workspace_id, contact_id, created_at)
                     SELECT $1, c.id, now() - interval '60 days' FROM c, generate_series(1, 10) RETURNING id)
       INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at)
       SELECT $1, (SELECT id FROM conv ORDER BY id OFFSET (g % 10) LIMIT 1), 'INBOUND', 'CONTACT', 'old message ' || g, 'RECEIVED', now() - interval '60 days'
       FROM generate_series(1, $2::int) g`,
      [ws, perWs],
    );
  }
  // Young leads in the workspace the concurrent query reads (never touched by the sweep).
  const target = ids[0]!;
  await owner.query(
    `WITH c AS (INSERT INTO contacts (workspace_id, name, email) SELECT $1, 'Lead ' || g, 'lead' || g || '@example.com' FROM generate_series(1, 200) g RETURNING id, name, email)
     INSERT INTO leads (workspace_id, contact_id, name, email, source) SELECT $1, id, name, email, 'FORM' FROM c`,
    [target],
  );
  await owner.query("ANALYZE");
  const seeded = Number((await owner.query<{ n: string }>("SELECT count(*) AS n FROM messages")).rows[0]!.n);
  console.log(
    `seeded ${seeded} old messages in ${WORKSPACES} workspaces (${round1((Date.now() - seedStart) / 1000)} s)`,
  );

  const body = JSON.stringify({ query: LEADS_QUERY, variables: { w: target } });
  const check = await must<{ leads: { totalCount: number } }>("leads", post(api, LEADS_QUERY, { w: target }, token));
  if (check.leads.totalCount !== 200) throw new Error(`expected 200 leads, got ${check.leads.totalCount}`);
  const job = {
    url: `${api}/graphql`,
    body,
    token,
    connections: CONNECTIONS,
    seconds: SECONDS,
    expect: '"totalCount":200',
  };

  await runLoad({ ...job, seconds: 2 }); // warm-up
  const idle = await runLoad(job);

  // The same load, started together with the sweep.
  const sweepStart = Date.now();
  const [during, sweep] = await Promise.all([
    runLoad(job),
    runRetentionSweep({ db, retention: services.retention }, { batchSize: BATCH }),
  ]);
  const sweepMs = Date.now() - sweepStart;
  const remaining = Number((await owner.query<{ n: string }>("SELECT count(*) AS n FROM messages")).rows[0]!.n);
  if (remaining !== 0 || sweep.totals.messages !== seeded)
    throw new Error(`sweep left ${remaining} messages, counted ${sweep.totals.messages} of ${seeded}`);
  // Share of the measured load window during which the sweep was running.
  const overlap = Math.min(1, sweep.ms / (SECONDS * 1000));

  const info = await machineInfo(owner);
  console.log(`machine: ${info.cpus} x ${info.cpuModel}, node ${info.node}, postgres ${info.postgres}`);
  console.log(
    `sweep: ${sweep.totals.messages} messages + ${sweep.totals.conversations} conversations in ${round1(sweep.ms / 1000)} s (${Math.round(sweep.totals.messages / (sweep.ms / 1000))} messages/s), batch ${BATCH}`,
  );
  console.log(`leads(first: 50) at ${CONNECTIONS} connections, ${SECONDS} s each:`);
  console.log(`  without sweep: ${round1(idle.reqPerSec)} req/s, p99 ${idle.p99} ms, bad ${badCount(idle)}`);
  console.log(
    `  during sweep:  ${round1(during.reqPerSec)} req/s, p99 ${during.p99} ms, bad ${badCount(during)} (the sweep ran during ${Math.round(overlap * 100)}% of this window)`,
  );
  console.log(`  p99 ratio during/without: ${round1(during.p99 / Math.max(1, idle.p99))}`);
  console.log(
    JSON.stringify({
      bench: "retention-sweep",
      messages: seeded,
      workspaces: WORKSPACES,
      batch: BATCH,
      sweepMs: sweep.ms,
      wallMs: sweepMs,
      messagesPerSec: Math.round(sweep.totals.messages / (sweep.ms / 1000)),
      idle: { rps: idle.reqPerSec, p99: idle.p99 },
      during: { rps: during.reqPerSec, p99: during.p99 },
      machine: info,
    }),
  );
  if (badCount(idle) + badCount(during) > 0) process.exitCode = 1;

  await drain(owner);
  await app.close();
  await services.jobs.stop();
  await db.disconnect();
} finally {
  await owner.end();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
