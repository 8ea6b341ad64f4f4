// The inbox at scale (issue 47, decision 0032): one workspace with BENCH_CONVERSATIONS
// conversations (default 20,000; a contact each) and BENCH_MESSAGES messages (default 500,000)
// spread over them, a second workspace of the same size as noise. The `inbox` query (GraphQL
// over HTTP, a member's token, first: 25): median and p95 of BENCH_RUNS runs each, side by side
// in one run: the default list; "mine"; "needs review"; a search on message text (a rare word, in
// 20 messages) and on a contact's name and phone; and the same text search with the trigram
// indexes dropped (what a sequential scan costs). Prints the search's plan (EXPLAIN ANALYZE).
//
//   pnpm bench:inbox
//   BENCH_MESSAGES=100000 BENCH_RUNS=10 pnpm bench:inbox
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

const CONVERSATIONS = intEnv("BENCH_CONVERSATIONS", 20_000);
const MESSAGES = intEnv("BENCH_MESSAGES", 500_000);
const RUNS = intEnv("BENCH_RUNS", 20);
const INBOX = `query($w: ID!, $f: ConversationFilter) { inbox(workspaceId: $w, first: 25, filter: $f) { totalCount edges { node { id mode unreadCount openReviewCount assignee { id } lastMessage { body } contact { name } } } } }`;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;

async function seed(owner: pg.Pool, workspaceId: string, membershipId: string): Promise<void> {
  await owner.query(
    `INSERT INTO contacts (workspace_id, name, phone) SELECT $1::uuid, 'Contact ' || g, '+1' || (4000000000 + g)::text FROM generate_series(1, $2) g`,
    [workspaceId, CONVERSATIONS],
  );
  await owner.query(
    `INSERT INTO conversations (workspace_id, contact_id, last_activity_at, human_takeover, assignee_membership_id)
     SELECT workspace_id, id, now() - (row_number() OVER () * interval '37 seconds'), random() < 0.2, CASE WHEN random() < 0.1 THEN $2::uuid END FROM contacts WHERE workspace_id = $1`,
    [workspaceId, membershipId],
  );
  const words = [
    "appointment",
    "price",
    "tomorrow",
    "insurance",
    "cleaning",
    "whitening",
    "cancel",
    "reschedule",
    "thanks",
    "hello",
  ];
  const chunk = 100_000;
  for (let done = 0; done < MESSAGES; done += chunk) {
    const n = Math.min(chunk, MESSAGES - done);
    await owner.query(
      `WITH convs AS (SELECT id, row_number() OVER () AS rn FROM conversations WHERE workspace_id = $1::uuid)
       INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at)
       SELECT $1::uuid, c.id, CASE WHEN g % 2 = 0 THEN 'INBOUND'::message_direction ELSE 'OUTBOUND'::message_direction END,
              CASE WHEN g % 2 = 0 THEN 'CONTACT'::message_sender ELSE 'AGENT'::message_sender END,
              'Message ' || g || ' about the ' || ($3::text[])[1 + g % 10] || ' and the ' || ($3::text[])[1 + (g / 10) % 10],
              CASE WHEN g % 2 = 0 THEN 'RECEIVED'::message_status ELSE 'SENT'::message_status END, now() - (g * interval '3 seconds')
         FROM generate_series($2 + 1, $2 + $4) g JOIN convs c ON c.rn = 1 + (g % $5)`,
      [workspaceId, done, words, n, CONVERSATIONS],
    );
  }
  // A rare word, in 20 messages; review items on 2 % of conversations.
  await owner.query(
    `UPDATE messages SET body = body || ' zanzibarian' WHERE workspace_id = $1 AND id IN (SELECT id FROM messages WHERE workspace_id = $1 ORDER BY random() LIMIT 20)`,
    [workspaceId],
  );
  await owner.query(
    `INSERT INTO review_items (workspace_id, reason, conversation_id, summary) SELECT workspace_id, 'SAFETY_FLAG', id, 'flag' FROM conversations WHERE workspace_id = $1 AND random() < 0.02`,
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
    await services.mail.startWorkers();
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
    const measured = await ws("Bench Inbox");
    const noise = await ws("Bench Inbox Noise");
    const member = async (w: string) =>
      (await owner.query<{ id: string }>(`SELECT id FROM memberships WHERE workspace_id = $1`, [w])).rows[0]!.id;
    const t0 = performance.now();
    await seed(owner, measured, await member(measured));
    await seed(owner, noise, await member(noise));
    await owner.query("VACUUM ANALYZE");
    console.log(
      `seeded 2 × ${CONVERSATIONS.toLocaleString("en")} conversations and ${MESSAGES.toLocaleString("en")} messages in ${round1((performance.now() - t0) / 1000)} s`,
    );

    const run = async (filter: Record<string, unknown> | null) => {
      const started = performance.now();
      const r = await must<{ inbox: { totalCount: number } }>(
        "inbox",
        post(api, INBOX, { w: measured, f: filter }, token),
      );
      return { ms: performance.now() - started, total: r.inbox.totalCount };
    };
    const cases: { label: string; filter: Record<string, unknown> | null }[] = [
      { label: "all, latest activity first", filter: null },
      { label: "mine", filter: { assignee: "ME" } },
      { label: "needs review", filter: { needsReview: true } },
      { label: "search: message text (rare word)", filter: { search: "zanzibarian" } },
      { label: "search: contact name", filter: { search: "Contact 12345" } },
      { label: "search: phone digits", filter: { search: "4000012345" } },
    ];
    const rows: string[] = [];
    const measure = async (label: string, filter: Record<string, unknown> | null) => {
      await run(filter);
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const x = await run(filter);
        times.push(x.ms);
        total = x.total;
      }
      rows.push(`| ${label} | ${total.toLocaleString("en")} | ${round1(median(times))} | ${round1(p95(times))} |`);
    };
    for (const c of cases) await measure(c.label, c.filter);
    const plan = await owner.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT DISTINCT conversation_id AS id FROM messages WHERE workspace_id = $1 AND body ILIKE '%zanzibarian%'
        UNION SELECT c.id FROM conversations c JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
         WHERE c.workspace_id = $1 AND ct.workspace_id = $1 AND (ct.name ILIKE '%zanzibarian%' OR ct.phone ILIKE '%zanzibarian%') LIMIT 500`,
      [measured],
    );
    await owner.query(
      `DROP INDEX messages_body_trgm_idx; DROP INDEX contacts_name_trgm_idx; DROP INDEX contacts_phone_trgm_idx`,
    );
    await owner.query("ANALYZE messages; ANALYZE contacts");
    await measure("search: message text, without the trigram indexes", { search: "zanzibarian" });

    const info = await machineInfo(owner);
    console.log(
      `\nInbox bench — ${new Date().toISOString()} — ${info.cpus}× ${info.cpuModel}, ${info.memGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, load avg ${os.loadavg().map(round1).join(" ")}`,
    );
    console.log(`\ninbox(first: 25), ${RUNS} runs each (ms):\n`);
    console.log(`| case | totalCount | median | p95 |\n| --- | ---: | ---: | ---: |`);
    for (const r of rows) console.log(r);
    console.log(`\nthe search's plan (trigram indexes present):\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
  } finally {
    await close();
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
