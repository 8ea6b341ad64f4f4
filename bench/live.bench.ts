// Live updates (issue 46, decision 0031): 1,000 subscribers over two API processes, one embedded
// Postgres; a change committed → the subscriber's `next` message. Printed figures, never a test.
//   (A) idle: the API processes' resident memory and heap per open connection (each with one
//       subscription), after a full GC, and their CPU over 10 s with every connection idle;
//   (B) the request path with those connections open: a key read (`leads(first: 20)`) against one
//       API process, without and with the 1,000 connections, rounds alternating (the connections
//       opened and closed between them; ratio of medians);
//   (C) events: R changes/s for S seconds (a message inserted, autocommit, in a random workspace of
//       W; each workspace has N/W subscribers, half on each process): latency from before the
//       INSERT was sent to the `next` at the client, p50 / p99 / max, and every event checked to
//       reach every subscriber of its workspace and no other.
//
//   pnpm bench:live                                  # N=1000, W=100, R=50/s for 60 s
//   BENCH_LIVE_SUBSCRIBERS=200 BENCH_LIVE_RATE=20 BENCH_SECONDS=10 pnpm bench:live
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import {
  badCount,
  freePort,
  ignoreShutdown,
  intEnv,
  listeningUrl,
  machineInfo,
  median,
  must,
  pct,
  post,
  round1,
  runLoad,
  verifiedUser,
} from "./lib.ts";

const SUBSCRIBERS = intEnv("BENCH_LIVE_SUBSCRIBERS", 1000);
const WORKSPACES = intEnv("BENCH_LIVE_WORKSPACES", 100);
const RATE = intEnv("BENCH_LIVE_RATE", 50);
const SECONDS = intEnv("BENCH_SECONDS", 60);
const LOAD_SECONDS = intEnv("BENCH_LOAD_SECONDS", 8);
const LOAD_ROUNDS = intEnv("BENCH_ROUNDS", 3);
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../apps/api");
const SUB = `subscription($w: ID!) { conversationEvents(workspaceId: $w) { type conversationId message { id body status } } }`;

interface Instance {
  url: string;
  child: ChildProcess;
  mem(): Promise<{ rss: number; heapUsed: number; subscribers: number }>;
  cpuSeconds(): number;
}

async function startInstance(appUrl: string, ownerUrl: string): Promise<Instance> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", "src/test/api-process.ts", appUrl, ownerUrl],
    {
      cwd: apiDir,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: path.join(apiDir, "tsconfig.json"),
        NODE_ENV: "production",
        AUTH_SECRET: "bench-live-secret-bench-live-secret-0123",
        LOG_LEVEL: "error",
        PORT: "0",
        JOBS_ENABLED: "false",
        RATE_LIMIT_API_KEY_PER_MINUTE: "1000000",
        LIVE_CONNECTIONS_PER_IP: "100000",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : waiters.push(resolve)));
  const ready = await nextLine();
  const m = /api ready (\d+)/.exec(ready);
  if (!m) throw new Error(`the API process said: ${ready}`);
  return {
    url: `http://127.0.0.1:${m[1]}`,
    child,
    async mem() {
      child.kill("SIGUSR2");
      let line = await nextLine();
      while (!line.startsWith("mem ")) line = await nextLine();
      return JSON.parse(line.slice(4)) as { rss: number; heapUsed: number; subscribers: number };
    },
    cpuSeconds() {
      const f = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      // utime + stime, in clock ticks (100 per second on Linux).
      return (Number(f[11]) + Number(f[12])) / 100;
    },
  };
}

function connect(url: string, key: string, onClose: (code: number) => void): Client {
  return createClient({
    url: `${url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    // As the web app does: a connection refused while the server is busy (1013) is tried again.
    retryAttempts: 20,
    connectionParams: { authorization: `Bearer ${key}` },
    on: { closed: (e) => onClose((e as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-live-"));
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
  });
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 4 });
  ignoreShutdown(owner, "owner pool");
  const instances: Instance[] = [];
  const clients: Client[] = [];
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const appUrl = appUrlFrom(pgServer.url, appPassword);

    // Set-up through the product's own API (sign-up, workspaces, keys), then closed.
    const config = loadConfig(
      { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", AUTH_SECRET: "bench-live-secret-bench-live-secret-0123" },
      { logLevel: "silent" },
    );
    const db = createDb({ appUrl, ownerUrl: pgServer.url, poolSize: 4 });
    const services = createServices(config, db);
    await services.mail.startWorkers();
    const setup = await buildServer(config, services);
    await setup.listen({ port: 0, host: "127.0.0.1" });
    const api = listeningUrl(setup.server);
    const log = (m: string) => console.error(`[bench:live] ${m}`);
    log("set-up: a user, workspaces and keys");
    const { token } = await verifiedUser(api);
    const workspaces: { id: string; key: string; conversation: string }[] = [];
    for (let i = 0; i < WORKSPACES; i++) {
      const { createWorkspace } = await must<{ createWorkspace: { id: string } }>(
        "createWorkspace",
        post(
          api,
          `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
          { i: { name: `Live ${i}`, channel: "WHATSAPP" } },
          token,
        ),
      );
      const { createApiKey } = await must<{ createApiKey: { secret: string } }>(
        "createApiKey",
        post(
          api,
          `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "live", scopes: ["conversation.read", "lead.read"] }) { secret } }`,
          { w: createWorkspace.id },
          token,
        ),
      );
      const contact = (
        await owner.query<{ id: string }>(
          `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'Lead') RETURNING id`,
          [createWorkspace.id],
        )
      ).rows[0]!.id;
      const conv = (
        await owner.query<{ id: string }>(
          `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
          [createWorkspace.id, contact],
        )
      ).rows[0]!.id;
      workspaces.push({ id: createWorkspace.id, key: createApiKey.secret, conversation: conv });
    }
    await setup.close();
    await services.jobs.stop();
    await db.disconnect();

    log("starting two API processes");
    instances.push(await startInstance(appUrl, pgServer.url), await startInstance(appUrl, pgServer.url));
    log("opening connections");

    // The request path's key read, with no live connection yet.
    const loadJob = {
      url: instances[0]!.url,
      body: JSON.stringify({
        query: `query($w: ID!) { leads(workspaceId: $w, first: 20) { totalCount edges { node { id } } } }`,
        variables: { w: workspaces[0]!.id },
      }),
      token: workspaces[0]!.key,
      connections: 32,
      seconds: LOAD_SECONDS,
      expect: `"leads"`,
      engine: "lean" as const,
    };
    const without: number[] = [];
    const withConns: number[] = [];
    const load = async () => {
      const r = await runLoad(loadJob);
      if (badCount(r) > 0) throw new Error(`the key read answered ${badCount(r)} bad responses`);
      return r.reqPerSec;
    };
    const probe = await post<{ leads: unknown }>(
      loadJob.url,
      `query($w: ID!) { leads(workspaceId: $w, first: 20) { totalCount edges { node { id } } } }`,
      { w: workspaces[0]!.id },
      workspaces[0]!.key,
    );
    if (!probe.data?.leads) throw new Error(`the key read failed: ${JSON.stringify(probe)}`);
    await runLoad({ ...loadJob, seconds: 5 }); // warm-up
    without.push(await load());
    // Memory after the load above (code compiled, caches warm), before any connection.
    const base = await Promise.all(instances.map((i) => i.mem()));

    // Open the connections: N/W per workspace, alternating between the processes.
    const received = new Map<number, { at: number; workspace: number }[]>();
    const closes: number[] = [];
    const perWorkspace = Math.max(1, Math.round(SUBSCRIBERS / WORKSPACES));
    const subsOf: number[] = workspaces.map(() => 0);
    let errors = 0;
    /** Opens subscribers j in [from, to) of every workspace and waits until all registered so far are. */
    const connectRange = async (from: number, to: number) => {
      for (let w = 0; w < workspaces.length; w++) {
        for (let j = from; j < to; j++) {
          const inst = instances[(w * perWorkspace + j) % 2]!;
          const c = connect(inst.url, workspaces[w]!.key, (code) => closes.push(code));
          clients.push(c);
          subsOf[w]!++;
          c.subscribe<{ conversationEvents: { message: { body: string } | null } }>(
            { query: SUB, variables: { w: workspaces[w]!.id } },
            {
              next: (r) => {
                const body = r.data?.conversationEvents.message?.body;
                if (!body?.startsWith("seq:")) return;
                const seq = Number(body.slice(4));
                let list = received.get(seq);
                if (!list) received.set(seq, (list = []));
                list.push({ at: performance.now(), workspace: w });
              },
              error: (e) => {
                errors++;
                if (errors <= 3) console.error("[bench:live] subscription error", JSON.stringify(e));
              },
              complete: () => undefined,
            },
          );
        }
      }
      const want = workspaces.length * to;
      const t0 = Date.now();
      for (;;) {
        const mems = await Promise.all(instances.map((i) => i.mem()));
        const n = mems.reduce((a, m) => a + m.subscribers, 0);
        if (n >= want) return mems;
        if (Date.now() - t0 > 60_000)
          throw new Error(
            `only ${n} of ${want} subscribers registered; closes: ${JSON.stringify(closes.reduce<Record<number, number>>((a, c) => ({ ...a, [c]: (a[c] ?? 0) + 1 }), {}))}, errors ${errors}`,
          );
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    // Memory per connection as the slope between half and all of them open (one-time costs —
    // code compiled for the WebSocket path, module state — fall out of the difference).
    const half = Math.floor(perWorkspace / 2);
    await connectRange(0, half);
    await new Promise((r) => setTimeout(r, 2_000));
    const halfMem = await Promise.all(instances.map((i) => i.mem()));
    const halfCount = clients.length;
    await connectRange(half, perWorkspace);
    const total = clients.length;
    await new Promise((r) => setTimeout(r, 2_000));
    const idle = await Promise.all(instances.map((i) => i.mem()));
    const cpu0 = instances.map((i) => i.cpuSeconds());
    await new Promise((r) => setTimeout(r, 10_000));
    const cpuIdle = instances.map((i, k) => i.cpuSeconds() - cpu0[k]!);

    // (B) interleaved: with the connections open, then (after they are closed at the end) without.
    // (B) rounds alternate: with the connections open, then closed, then open again (the first
    // "without" ran before they were opened), so the machine's drift falls on both alike.
    const closeAll = async () => {
      for (const c of clients) await c.dispose();
      clients.length = 0;
      subsOf.fill(0);
      for (;;) {
        const mems = await Promise.all(instances.map((i) => i.mem()));
        if (mems.every((m) => m.subscribers === 0)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    for (let r = 0; r < LOAD_ROUNDS; r++) {
      if (r > 0) {
        await closeAll();
        without.push(await load());
        await connectRange(0, perWorkspace);
      }
      withConns.push(await load());
    }

    log("events");
    // (C) events.
    const sentAt = new Map<number, { at: number; workspace: number }>();
    let seq = 0;
    const interval = 1000 / RATE;
    const start = performance.now();
    const pending: Promise<unknown>[] = [];
    while (performance.now() - start < SECONDS * 1000) {
      const n = seq++;
      const w = Math.floor(Math.random() * workspaces.length);
      sentAt.set(n, { at: performance.now(), workspace: w });
      pending.push(
        owner.query(
          `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', $3, 'RECEIVED')`,
          [workspaces[w]!.id, workspaces[w]!.conversation, `seq:${n}`],
        ),
      );
      const next = start + seq * interval;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, 2_000));

    const latencies: number[] = [];
    let missing = 0;
    let wrong = 0;
    for (const [n, sent] of sentAt) {
      const got = received.get(n) ?? [];
      missing += Math.max(0, subsOf[sent.workspace]! - got.length);
      for (const g of got) {
        if (g.workspace !== sent.workspace) wrong++;
        else latencies.push(g.at - sent.at);
      }
    }

    for (const c of clients) await c.dispose();
    clients.length = 0;

    const host = await machineInfo(owner);
    const perConn = (k: "rss" | "heapUsed") =>
      round1(idle.reduce((a, m, i) => a + (m[k] - halfMem[i]![k]), 0) / (total - halfCount) / 1024);
    const perConnAll = (k: "rss" | "heapUsed") =>
      round1(idle.reduce((a, m, i) => a + (m[k] - base[i]![k]), 0) / total / 1024);
    console.log(`host: ${JSON.stringify(host)}`);
    console.log(
      `subscribers: ${total} over 2 API processes (${idle.map((m) => m.subscribers).join(" + ")}), ${workspaces.length} workspaces × ${perWorkspace}; closes seen: ${closes.length}; subscription errors: ${errors}`,
    );
    // Resident size moves by whole pages the heap already reserved: the heap after a full GC is the figure; RSS is shown as seen.
    console.log(
      `(A) idle: per connection (slope from ${halfCount} to ${total} open) ${perConn("heapUsed")} KB heap after a full GC (from none open: ${perConnAll("heapUsed")} KB; resident size ${perConnAll("rss")} KB per connection from none open, ${perConn("rss")} KB as a slope); CPU over 10 s idle: ${cpuIdle.map((s) => `${round1((s / 10) * 100)} %`).join(" + ")} of one core`,
    );
    console.log(
      `(B) key read on process 1: ${round1(median(without))} req/s without connections, ${round1(median(withConns))} req/s with ${total} open: ratio ${(median(withConns) / median(without)).toFixed(2)}x (rounds in order: ${without.map((w, i) => `without ${round1(w)}, with ${round1(withConns[i] ?? NaN)}`).join("; ")})`,
    );
    console.log(
      `(C) ${sentAt.size} events at ${RATE}/s for ${SECONDS} s, ${latencies.length} deliveries: commit-to-client p50 ${round1(pct(latencies, 50))} ms, p99 ${round1(pct(latencies, 99))} ms, max ${round1(Math.max(...latencies))} ms; missing ${missing}, to a wrong workspace ${wrong}`,
    );
    console.log(
      JSON.stringify({
        bench: "live",
        subscribers: total,
        heapKbPerConnection: perConn("heapUsed"),
        rssSlopeKbPerConnection: perConn("rss"),
        idleCpuPercent: cpuIdle.map((s) => round1((s / 10) * 100)),
        keyReadWithout: round1(median(without)),
        keyReadWith: round1(median(withConns)),
        keyReadRatio: Number((median(withConns) / median(without)).toFixed(2)),
        events: sentAt.size,
        deliveries: latencies.length,
        p50Ms: round1(pct(latencies, 50)),
        p99Ms: round1(pct(latencies, 99)),
        maxMs: round1(Math.max(...latencies)),
        missing,
        wrong,
      }),
    );
  } finally {
    for (const c of clients) await c.dispose();
    for (const i of instances) i.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await owner.end().catch(() => undefined);
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
