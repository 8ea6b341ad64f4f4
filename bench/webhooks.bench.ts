// Outbound webhooks (issue 13, "Measured"): one process, one embedded Postgres, a local receiver
// (the FakeWebhookReceiver of @atrium/fakes, answering 204 at once), one endpoint.
//   (A) burst: N events emitted as fast as 8 concurrent transactions can (each = event row,
//       delivery row, pg-boss job, all in the emitting transaction), delivered by the pg-boss
//       worker: deliveries/s from the first emit to the last arrival.
//   (B) steady: R events/s for S seconds: the delay from the emit (the event's timestamp) to the
//       arrival at the receiver, p50 / p99 / max. This is what a subscriber sees.
// Every delivery is checked: signed (webhook-signature present), one arrival per event.
//
//   pnpm bench:webhooks                    # N=500, R=20/s for 10 s, both variants
//   BENCH_WEBHOOK_EVENTS=500 BENCH_WEBHOOK_RATE=50 BENCH_SECONDS=10 pnpm bench:webhooks
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";
import { FakeWebhookReceiver } from "@atrium/fakes";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import {
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

const EVENTS = intEnv("BENCH_WEBHOOK_EVENTS", 500);
const RATE = intEnv("BENCH_WEBHOOK_RATE", 20);
const SECONDS = intEnv("BENCH_SECONDS", 10);
/** Side by side: one job per fetch (8 pollers) against the shipped setting (2 pollers × 16 per fetch). */
const VARIANTS = [
  { label: "8 workers × batch 1", workers: 8, batchSize: 1 },
  { label: "2 workers × batch 8 (default)", workers: 2, batchSize: 8 },
];

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
  });
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  ignoreShutdown(owner, "owner pool");
  const receiver = new FakeWebhookReceiver();
  await receiver.start();
  let close = async () => {};
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1" }, { logLevel: "silent" });
    const db = createDb({ appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url, poolSize: 10 });
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
    const { createWorkspace } = await must<{ createWorkspace: { id: string } }>(
      "createWorkspace",
      post(
        api,
        `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
        { i: { name: "Bench Webhooks", channel: "WHATSAPP" } },
        token,
      ),
    );
    const ws = createWorkspace.id;
    await must(
      "createWebhookEndpoint",
      post(
        api,
        `mutation($w: ID!, $u: String!) { createWebhookEndpoint(workspaceId: $w, input: { url: $u, events: ["lead.created"] }) { secret } }`,
        { w: ws, u: `${receiver.baseUrl}/bench` },
        token,
      ),
    );
    // The API's own services only set things up; each variant gets a fresh service graph (its
    // own pg-boss instance) on the same database, one after the other.
    const results: string[] = [];
    let failed = false;
    let seq = 0;
    for (const variant of VARIANTS) {
      const s = createServices(config, db);
      await s.jobs.start();
      await s.webhooks.startWorkers({ workers: variant.workers, batchSize: variant.batchSize });
      // An emit that fails (pool timeout on an overloaded machine) is counted, not delivered.
      let emitErrors = 0;
      const emitOne = () =>
        db
          .tenant({ workspaceId: ws }, (tx) =>
            s.webhooks.emit(tx, ws, "lead.created", {
              id: `bench-${seq++}`,
              name: "Bench Lead",
              email: "bench@example.test",
            }),
          )
          .catch(() => {
            emitErrors++;
          });
      const arrivals = () => receiver.deliveries().length;
      const waitFor = async (n: number, timeoutMs: number) => {
        const end = Date.now() + timeoutMs;
        while (arrivals() < n) {
          if (Date.now() > end) throw new Error(`only ${arrivals()} of ${n} deliveries arrived`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      receiver.clear();
      for (let i = 0; i < 50; i++) await emitOne(); // warm-up
      await waitFor(50, 60_000);
      receiver.clear();

      // (A) burst.
      const t0 = performance.now();
      let left = EVENTS;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (left-- > 0) await emitOne();
        }),
      );
      const emitted = performance.now() - t0;
      await waitFor(EVENTS - emitErrors, 600_000);
      const burstMs = performance.now() - t0;
      const burst = receiver.deliveries();
      const burstIds = new Set(burst.map((d) => d.id));
      const unsigned = burst.filter((d) => !d.signature.startsWith("v1,")).length;
      const burstErrors = emitErrors;
      emitErrors = 0;
      receiver.clear();

      // (B) steady rate.
      const total = RATE * SECONDS;
      const start = performance.now();
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        void emitOne();
      }
      await new Promise((r) => setTimeout(r, 200));
      await waitFor(total - emitErrors, 300_000);
      const steady = receiver.deliveries();
      const delays = steady.map(
        (d) => d.at.getTime() - new Date((d.json as { timestamp: string }).timestamp).getTime(),
      );
      await s.jobs.stop();
      results.push(
        `[${variant.label}] (A) burst of ${EVENTS} events: emitted in ${round1(emitted)} ms (${round1((EVENTS / emitted) * 1000)} events/s); all delivered after ${round1(burstMs)} ms → ${round1((EVENTS / burstMs) * 1000)} deliveries/s; ${burst.length} arrivals, ${burstIds.size} distinct webhook-ids, ${unsigned} unsigned, ${burstErrors} failed emits`,
        `[${variant.label}] (B) steady ${RATE} events/s for ${SECONDS} s (${total} events): emit → arrival delay p50 ${pct(delays, 50)} ms, p99 ${pct(delays, 99)} ms, max ${Math.max(...delays)} ms; ${emitErrors} failed emits`,
      );
      if (
        burst.length !== EVENTS - burstErrors ||
        burstIds.size !== burst.length ||
        unsigned > 0 ||
        steady.length !== total - emitErrors
      )
        failed = true;
    }

    const info = await machineInfo(owner);
    console.log(
      `\nWebhooks bench — ${new Date().toISOString()} — ${info.cpus}× ${info.cpuModel}, ${info.memGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, load avg ${os.loadavg().map(round1).join(" ")}`,
    );
    for (const line of results) console.log(line);
    if (failed) {
      console.error("MISMATCH: duplicates, losses or unsigned deliveries");
      process.exitCode = 1;
    }
  } finally {
    await close();
    await receiver.close();
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
