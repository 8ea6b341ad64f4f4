// Mail through the job queue (decision 0021): one process, one embedded Postgres, the dev mailbox.
// N sign-ups one after another; for each, the time from the signUp answer to its verification
// mail in the dev mailbox (the send-mail job: queued in the sign-up's transaction, the worker woken
// after the commit, the mail opened and written). Prints p50 / p99 / max and the sign-up answer's
// own p50, then one JSON line.
//
//   pnpm bench:mail                  # N=100
//   BENCH_MAILS=300 pnpm bench:mail
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import { freePort, intEnv, listeningUrl, must, pct, post, round1 } from "./lib.ts";

const MAILS = intEnv("BENCH_MAILS", 100);

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
  });
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const env = { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1" };
    const config = loadConfig(env, {
      logLevel: "silent",
      rateLimits: { ...loadConfig(env).rateLimits, signUpPerIp: 100_000 },
    });
    const db = createDb({ appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url, poolSize: 10 });
    const services = createServices(config, db);
    await services.mail.startWorkers();
    const app = await buildServer(config, services);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const api = listeningUrl(app.server);
    const answer: number[] = [];
    const delivery: number[] = [];
    try {
      for (let i = 0; i < MAILS + 10; i++) {
        const email = `mail-bench-${i}-${randomBytes(3).toString("hex")}@example.com`;
        const t0 = performance.now();
        await must(
          "signUp",
          post(api, `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
            i: { email, password: "correct horse battery staple", name: "Bench" },
          }),
        );
        const t1 = performance.now();
        for (;;) {
          const mails = (await (await fetch(`${api}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as unknown[];
          if (mails.length > 0) break;
          if (performance.now() - t1 > 15_000) throw new Error(`no mail to ${email} within 15 s`);
          await new Promise((r) => setTimeout(r, 2));
        }
        if (i >= 10) {
          // the first 10 warm up
          answer.push(t1 - t0);
          delivery.push(performance.now() - t1);
        }
      }
    } finally {
      await app.close();
      await services.jobs.stop();
      await db.disconnect();
    }
    const figures = {
      mails: MAILS,
      signUpAnswerP50Ms: round1(pct(answer, 50)),
      deliveryP50Ms: round1(pct(delivery, 50)),
      deliveryP99Ms: round1(pct(delivery, 99)),
      deliveryMaxMs: round1(Math.max(...delivery)),
    };
    console.error(
      `sign-up answer p50 ${figures.signUpAnswerP50Ms} ms; answer → mail in the dev mailbox p50 ${figures.deliveryP50Ms} ms, p99 ${figures.deliveryP99Ms} ms, max ${figures.deliveryMaxMs} ms (${MAILS} mails, polled every 2 ms)`,
    );
    console.log(JSON.stringify({ bench: "mail", ...figures }));
  } finally {
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
