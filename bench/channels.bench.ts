// Channels (issue 12, "Measured"), one process, one embedded Postgres, the provider fakes:
//   (A) inbound webhook → stored and agent reply enqueued: req/s and p99 at 32 connections.
//       Every request is a new lead's first message (new MessageSid, new number: a contact, a
//       conversation, a message and a pg-boss job each), signed by the twilio package. Workers
//       are not running, so this is the webhook path alone; afterwards the rows and jobs are
//       counted against the 200 answers.
//   (B) end to end, inbound → the agent's reply at the fake Twilio (fake OpenAI answering at
//       once): p50/p99 over N messages, one at a time and 8 at a time. This covers the webhook,
//       the agent-reply job, the OpenAI call, the send job and Twilio's Messages request.
//
//   pnpm bench:channels                     # 3 s warm-up + 10 s load; 200 end-to-end messages
//   BENCH_SECONDS=5 BENCH_E2E_MESSAGES=100 pnpm bench:channels
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";
import { startFakes } from "@atrium/fakes";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import {
  drain,
  freePort,
  ignoreShutdown,
  intEnv,
  listeningUrl,
  machineInfo,
  must,
  pct,
  post,
  round1,
  verifiedUser,
} from "./lib.ts";
import type { LoadResult } from "./load.worker.ts";
import type { TwilioLoadJob } from "./twilio-load.worker.ts";

const SECONDS = intEnv("BENCH_SECONDS", 10);
const WARMUP_SECONDS = intEnv("BENCH_WARMUP_SECONDS", 3);
const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 32);
const POOL_SIZE = intEnv("BENCH_POOL_SIZE", 10);
const E2E = intEnv("BENCH_E2E_MESSAGES", 200);

function runTwilioLoad(job: TwilioLoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const tsxApi = JSON.stringify(import.meta.resolve("tsx/esm/api"));
    const entry = JSON.stringify(new URL("./twilio-load.worker.ts", import.meta.url).href);
    const worker = new Worker(`import(${tsxApi}).then((tsx) => { tsx.register(); return import(${entry}); });`, {
      eval: true,
      workerData: job,
    });
    let result: LoadResult | undefined;
    worker.once("message", (m: LoadResult) => (result = m));
    worker.once("error", reject);
    worker.once("exit", (code) =>
      result ? resolve(result) : reject(new Error(`load worker exited with ${code} and no result`)),
    );
  });
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
  });
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  ignoreShutdown(owner, "owner pool");
  const fakes = await startFakes();
  let close = async () => {};
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", ...fakes.env }, { logLevel: "silent" });
    const db = createDb({ appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url, poolSize: POOL_SIZE });
    const services = createServices(config, db);
    await services.mail.startWorkers(); // sign-up's verification mail
    const app = await buildServer(config, services);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const api = listeningUrl(app.server);
    config.publicUrl = api; // status callbacks and signatures use the address we really listen on
    close = async () => {
      await app.close();
      await services.jobs.stop();
      await db.disconnect();
    };

    const { token } = await verifiedUser(api);
    const { createWorkspace } = await must<{ createWorkspace: { id: string } }>(
      "createWorkspace",
      post(
        api,
        `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
        { i: { name: "Bench Channels", channel: "WHATSAPP" } },
        token,
      ),
    );
    const ws = createWorkspace.id;
    const twilio = {
      accountSid: `AC${randomBytes(16).toString("hex")}`,
      authToken: randomBytes(16).toString("hex"),
      whatsappFrom: "+15550009999",
    };
    const openai = { apiKey: `sk-${randomBytes(16).toString("hex")}`, model: "gpt-4o-mini" };
    for (const input of [{ twilio }, { openai }])
      await must(
        "setIntegration",
        post(
          api,
          `mutation($w: ID!, $i: IntegrationInput!) { setIntegration(workspaceId: $w, input: $i) { provider } }`,
          { w: ws, i: input },
          token,
        ),
      );
    fakes.twilio.addAccount(twilio.accountSid, twilio.authToken);
    fakes.openai.apiKeys.add(openai.apiKey);
    fakes.twilio.statusSequence = []; // only the send itself is measured
    await services.jobs.start();

    // (A) the webhook alone.
    const hookPath = `/webhooks/twilio/${ws}`;
    const job = (firstNumber: number, seconds: number): TwilioLoadJob => ({
      url: api,
      path: hookPath,
      signedUrl: `${api}${hookPath}`,
      authToken: twilio.authToken,
      accountSid: twilio.accountSid,
      to: `whatsapp:${twilio.whatsappFrom}`,
      connections: CONNECTIONS,
      seconds,
      firstNumber,
    });
    await runTwilioLoad(job(2_000_000_000, WARMUP_SECONDS));
    await drain(owner);
    const before = (
      await owner.query<{ m: number; j: number }>(
        `SELECT (SELECT count(*)::int FROM messages WHERE direction = 'INBOUND') AS m, (SELECT count(*)::int FROM pgboss.job WHERE name = 'agent-reply') AS j`,
      )
    ).rows[0]!;
    const a = await runTwilioLoad(job(3_000_000_000, SECONDS));
    await drain(owner);
    const after = (
      await owner.query<{ m: number; j: number }>(
        `SELECT (SELECT count(*)::int FROM messages WHERE direction = 'INBOUND') AS m, (SELECT count(*)::int FROM pgboss.job WHERE name = 'agent-reply') AS j`,
      )
    ).rows[0]!;
    const ok = a.requests - a.non2xx - a.socketErrors - a.timeouts;
    const stored = after.m - before.m;
    const enqueued = after.j - before.j;

    // (B) end to end: the jobs that (A) left are cancelled first, then workers start.
    await owner.query(`DELETE FROM pgboss.job WHERE name IN ('agent-reply', 'send-whatsapp-message')`);
    await services.messaging.startWorkers();
    const waiting = new Map<string, () => void>();
    const push = fakes.twilio.messages.push.bind(fakes.twilio.messages);
    fakes.twilio.messages.push = (...items) => {
      for (const m of items) waiting.get(m.to)?.();
      return push(...items);
    };
    let n = 0;
    const one = async (): Promise<number> => {
      const phone = `+1${4_000_000_000 + n++}`;
      const replied = new Promise<void>((resolve) => waiting.set(`whatsapp:${phone}`, resolve));
      const t0 = performance.now();
      const r = await fakes.twilio.sendInbound({
        webhookUrl: `${api}${hookPath}`,
        authToken: twilio.authToken,
        accountSid: twilio.accountSid,
        from: phone,
        to: twilio.whatsappFrom,
        body: "Hi, is this the clinic?",
      });
      if (r.status !== 200) throw new Error(`inbound answered ${r.status}`);
      await replied;
      return performance.now() - t0;
    };
    for (let i = 0; i < 10; i++) await one(); // warm-up
    const serial: number[] = [];
    for (let i = 0; i < E2E; i++) serial.push(await one());
    const parallel: number[] = [];
    let left = E2E;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (left-- > 0) parallel.push(await one());
      }),
    );

    const info = await machineInfo(owner);
    console.log(
      `\nChannels bench — ${new Date().toISOString()} — ${info.cpus}× ${info.cpuModel}, ${info.memGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, load avg ${os.loadavg().map(round1).join(" ")}`,
    );
    console.log(`(A) inbound webhook → stored + agent reply enqueued, ${CONNECTIONS} connections, ${SECONDS} s:`);
    console.log(
      `    ${round1(a.reqPerSec)} req/s, p50 ${a.p50} ms, p99 ${a.p99} ms; ${a.requests} requests, ${a.non2xx} non-2xx, ${a.socketErrors} socket errors, ${a.timeouts} timeouts, ${a.wrongBody} wrong bodies`,
    );
    // autocannon stops counting at the deadline; up to one request per connection is still in
    // flight then and completes on the server afterwards.
    console.log(
      `    check: ${ok} answered 200 (+ up to ${CONNECTIONS} in flight at the deadline) → ${stored} inbound messages stored, ${enqueued} agent-reply jobs enqueued`,
    );
    console.log(
      `(B) end to end, inbound → agent reply at the fake Twilio (fake OpenAI answers at once), ${E2E} messages each:`,
    );
    console.log(`    one at a time: p50 ${round1(pct(serial, 50))} ms, p99 ${round1(pct(serial, 99))} ms`);
    console.log(`    8 at a time:   p50 ${round1(pct(parallel, 50))} ms, p99 ${round1(pct(parallel, 99))} ms`);
    if (stored !== enqueued || stored < ok || stored > ok + CONNECTIONS) {
      console.error("MISMATCH between answers, rows and jobs");
      process.exitCode = 1;
    }
  } finally {
    await close();
    await fakes.close();
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
