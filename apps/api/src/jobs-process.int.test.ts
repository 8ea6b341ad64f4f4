// JOBS_PROCESS=separate (decision 0055): the product as `npm start` runs it in production forks its
// job workers into a child process at a lower CPU priority. These tests start the built product
// with it and look at the processes themselves (/proc): where the workers run, that a send made
// over there reaches the mailbox and the API's /metrics, that a jobs process that dies is started
// again, and that it never outlives the API.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

import { freePort, freshTestDatabase, type TestDatabase } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { buildApi, productEnv, startProduct, type BuiltApi, type RunningProduct } from "./test/built.ts";

const METRICS_TOKEN = "jobs-process-metrics-token-7c1e";

let built: BuiltApi;
let db: TestDatabase;
let product: RunningProduct | undefined;
let base: string;

/** `/proc/<pid>/stat` (or a thread's, `<pid>/task/<tid>`): its parent, niceness and scheduling policy; null once gone. */
function procStat(pid: number | string): { ppid: number; nice: number; policy: number } | null {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const rest = readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .split(" ");
    if (rest[0] === "Z") return null; // exited, not yet reaped
    return { ppid: Number(rest[1]), nice: Number(rest[16]), policy: Number(rest[38]) };
  } catch {
    return null;
  }
}

/** Linux's scheduling policies as /proc shows them. */
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;
/** This machine has util-linux's chrt (Debian's does): the product can set SCHED_IDLE. */
const hasChrt = process.platform === "linux" && spawnSync("chrt", ["--version"]).status === 0;
const jobsPolicy = hasChrt ? SCHED_IDLE : SCHED_OTHER;

/** The scheduling policy of each thread of a process. */
function threadPolicies(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => procStat(`${pid}/task/${tid}`)?.policy ?? -1);
}

/** The pids of every "jobs process ready" line printed so far, in order. */
const jobsPids = () =>
  [...product!.output().matchAll(/"process":"jobs","pid":(\d+),"msg":"jobs process ready"/g)].map((m) => Number(m[1]));
/** The API process's pid, from fastify's "Server listening" line. */
const apiPid = () => Number(/"pid":(\d+),"hostname":[^}]*"msg":"Server listening/.exec(product!.output())?.[1]);

async function until<T>(what: string, probe: () => T | Promise<T>, limitMs = 20_000): Promise<NonNullable<T>> {
  const began = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - began > limitMs) throw new Error(`not within ${limitMs / 1000} s: ${what}\n${product?.output()}`);
    await sleep(100);
  }
}

async function signUp(email: string): Promise<void> {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`,
      variables: { i: { email, password: "correct horse battery staple", name: "Jobs Process" } },
    }),
  });
  const body = (await res.json()) as { errors?: unknown };
  expect(body.errors).toBeUndefined();
}

/** The database backends serving each application_name, with their niceness and policy. */
async function backends(): Promise<{ app: string; nice: number | undefined; policy: number | undefined }[]> {
  const c = new pg.Client({ connectionString: db.ownerUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number; app: string }>(
      `SELECT pid, application_name AS app FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return rows.map((r) => ({ app: r.app, nice: procStat(r.pid)?.nice, policy: procStat(r.pid)?.policy }));
  } finally {
    await c.end();
  }
}

const mailsTo = async (email: string) =>
  (await (await fetch(`${base}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as { subject: string }[];

const metricsText = async () =>
  (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

/** atrium_sends_total{provider="dev-mailbox",status="sent"} on the API's /metrics (0 when absent). */
async function mailsCounted(): Promise<number> {
  const text = await metricsText();
  const m = /^atrium_sends_total\{provider="dev-mailbox",status="sent"\} (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

let port: number;
const start = () =>
  startProduct(
    built.main,
    productEnv(db, port, {
      JOBS_PROCESS: "separate",
      JOBS_PROCESS_NICE: "7",
      METRICS_TOKEN,
      LOG_LEVEL: "info",
    }),
  );

beforeAll(async () => {
  built = buildApi();
  db = await freshTestDatabase();
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  product = await start();
}, 240_000);

afterAll(async () => {
  await product?.stop();
  await built?.remove();
  await db?.drop();
}, 60_000);

describe("the jobs process (JOBS_PROCESS=separate)", () => {
  it("runs the workers in a child of the API at the niceness asked for and SCHED_IDLE; a mail sent over there is counted on the API's /metrics", async () => {
    // (Its "ready" line comes through its own stdout, which can arrive after the API's.)
    const jobs = await until("the jobs process's ready line", () => jobsPids()[0]);
    expect(jobs).toBeGreaterThan(0);
    expect(procStat(jobs)).toEqual({ ppid: apiPid(), nice: 7, policy: jobsPolicy });
    // Every thread of it (V8's, libuv's), not only the main one.
    const threads = threadPolicies(jobs);
    expect(threads.length).toBeGreaterThan(3);
    expect(new Set(threads)).toEqual(new Set([jobsPolicy]));
    expect(product!.output()).toContain(
      hasChrt ? '"sched":"idle"' : "could not give the jobs process SCHED_IDLE; its niceness alone",
    );
    // The API process itself keeps its priority and policy, in every thread.
    expect(procStat(apiPid())).toMatchObject({ nice: 0, policy: SCHED_OTHER });
    expect(new Set(threadPolicies(apiPid()))).toEqual(new Set([SCHED_OTHER]));

    const email = `jobs-process-${Date.now().toString(36)}@example.com`;
    await signUp(email);
    // The verification mail is sent by the mail job, which only the jobs process works.
    const mails = await until("the verification mail", async () => {
      const m = await mailsTo(email);
      return m.length > 0 ? m : null;
    });
    expect(mails).toHaveLength(1);
    await until("the send counted on /metrics", async () => (await mailsCounted()) === 1);
    // Its memory, CPU and event loop are on the API's /metrics too (reported at ready, then every 10 s).
    const metrics = await metricsText();
    const gauge = (name: string) => Number(new RegExp(`^atrium_jobs_process_${name} (\\S+)$`, "m").exec(metrics)?.[1]);
    const rss = gauge("resident_memory_bytes");
    expect(rss).toBeGreaterThan(20 * 1024 * 1024);
    expect(rss).toBeLessThan(2 * 1024 * 1024 * 1024);
    const heap = gauge("heap_used_bytes");
    expect(heap).toBeGreaterThan(5 * 1024 * 1024);
    expect(heap).toBeLessThan(rss);
    // Loading the bundle and starting the workers took CPU before the first report.
    expect(gauge("cpu_seconds_total")).toBeGreaterThan(0.05);
    const loopDelay = gauge("event_loop_delay_p99_seconds");
    expect(loopDelay).toBeGreaterThanOrEqual(0);
    expect(loopDelay).toBeLessThan(5);

    // The database's work for jobs runs at the same niceness and policy (PostgreSQL is on this
    // machine here); the API's own connections keep theirs.
    const all = await until("the jobs process's backends reniced", async () => {
      const b = await backends();
      const forJobs = b.filter((x) => x.app === "atrium-jobs");
      return forJobs.length > 0 && forJobs.every((x) => x.nice === 7 && x.policy === jobsPolicy) ? b : null;
    });
    // pg-boss's connections of the jobs process are among them (they poll every half second).
    expect(all.filter((x) => x.app === "atrium-jobs").length).toBeGreaterThan(2);
    const others = all.filter((x) => !x.app.startsWith("atrium-jobs"));
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) expect(other).toEqual({ app: other.app, nice: 0, policy: SCHED_OTHER });
  });

  it("starts a jobs process that died again, and the sends go on", async () => {
    const first = await until("the jobs process", () => jobsPids()[0]);
    process.kill(first, "SIGKILL");
    const second = await until("a new jobs process", () => jobsPids()[1]);
    expect(second).not.toBe(first);
    expect(product!.output()).toContain("the jobs process exited; starting it again");
    expect(procStat(second)).toEqual({ ppid: apiPid(), nice: 7, policy: jobsPolicy });
    expect(await metricsText()).toMatch(/^atrium_jobs_process_restarts_total 1$/m);

    const counted = await mailsCounted();
    const email = `jobs-process-again-${Date.now().toString(36)}@example.com`;
    await signUp(email);
    await until("the mail after the restart", async () => (await mailsTo(email)).length === 1);
    await until("the send counted", async () => (await mailsCounted()) === counted + 1);
  });

  it("stops with the API on SIGTERM (its running jobs finish) and is not started again", async () => {
    const jobs = jobsPids().at(-1)!;
    const restartsBefore = product!.output().split("starting it again").length;
    await product!.stop();
    expect(procStat(jobs)).toBeNull();
    expect(product!.output()).toContain('"msg":"jobs process stopping","why":"SIGTERM"');
    expect(product!.output().split("starting it again").length).toBe(restartsBefore);
  });

  it("goes when the API process is killed (it never runs on without it)", async () => {
    product = await start();
    const jobs = await until("the jobs process", () => jobsPids()[0]);
    expect(procStat(jobs)).not.toBeNull();
    process.kill(apiPid(), "SIGKILL");
    await until("the jobs process to exit", () => procStat(jobs) === null, 15_000);
    expect(product.output()).toContain('"msg":"jobs process stopping","why":"the API process is gone"');
  });
});
