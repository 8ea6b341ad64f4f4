// Helpers shared by the benches: env parsing, ports, GraphQL calls, the load worker,
// medians, machine info and a verified user through the API's own sign-up flow.
import { executionAsyncId } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type http from "node:http";
import os from "node:os";
import { constants, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type pg from "pg";

import type { LoadJob, LoadResult } from "./load.worker.ts";

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export { freePort } from "@atrium/db/testing";

export function listeningUrl(server: http.Server): string {
  const addr = server.address();
  if (!addr || typeof addr !== "object") throw new Error("server has no address");
  return `http://127.0.0.1:${addr.port}`;
}

export interface GqlAnswer<T> {
  status: number;
  data: T | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
  text: string;
}

/** POSTs a raw GraphQL request body (a JSON string, exactly as the load generator sends it). */
export async function postBody<T>(url: string, body: string, token?: string): Promise<GqlAnswer<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  const parsed = JSON.parse(text) as { data?: T; errors?: GqlAnswer<T>["errors"] };
  return { status: res.status, data: parsed.data ?? null, errors: parsed.errors, text };
}

export function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<GqlAnswer<T>> {
  return postBody<T>(url, JSON.stringify({ query, variables }), token);
}

export async function must<T>(what: string, p: Promise<GqlAnswer<T>>): Promise<T> {
  const r = await p;
  if (!r.data || r.errors) throw new Error(`${what} failed (${r.status}): ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** Sign-up → dev-mailbox token → verifyEmail → signIn, through the API; returns an access token. */
/**
 * The verification link's token from the dev mailbox. Mail is sent by the `send-mail` job (the
 * API under test must run its mail workers: `services.mail.startWorkers()`), so it is waited for.
 */
export async function verificationToken(api: string, email: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mails = (await (await fetch(`${api}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as {
      text: string;
    }[];
    const token = /token=([A-Za-z0-9_-]+)/.exec(mails[0]?.text ?? "")?.[1];
    if (token) return token;
    if (Date.now() > deadline) throw new Error(`no verification mail to ${email} in the dev mailbox within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function verifiedUser(api: string): Promise<{ email: string; token: string }> {
  const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
  const password = "correct horse battery staple";
  await must(
    "signUp",
    post(api, `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
      i: { email, password, name: "Bench" },
    }),
  );
  await must(
    "verifyEmail",
    post(api, `mutation($t: String!, $p: String) { verifyEmail(token: $t, password: $p) }`, {
      p: password,
      t: await verificationToken(api, email),
    }),
  );
  const { signIn } = await must<{ signIn: { accessToken: string } }>(
    "signIn",
    post(api, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email, password } }),
  );
  return { email, token: signIn.accessToken };
}

export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Node 20 does not hand tsx's loader to worker threads: register it inside the worker first.
    const tsxApi = JSON.stringify(import.meta.resolve("tsx/esm/api"));
    const entry = JSON.stringify(new URL("./load.worker.ts", import.meta.url).href);
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

/**
 * Whether promise hooks are on in this thread: with them, every promise is an async resource of
 * its own, so two awaits in a row run under two different async ids; without them, under the
 * same one. Node 20's AsyncLocalStorage turns them on for the whole thread from its first
 * `run()` until every instance is `disable()`d, and then every promise of every server in the
 * thread pays an init, a before and an after hook.
 */
export async function promiseHooksOn(): Promise<boolean> {
  await Promise.resolve();
  const first = executionAsyncId();
  await Promise.resolve();
  return executionAsyncId() !== first;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** The p-th percentile (nearest rank) of a sample. */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
/**
 * Round by round ratios of x's cells to y's (same length, round i against round i: cells that ran
 * close together), each to 0.01, and their medians (taken before rounding). A round where y has
 * no p99 (no 2xx answer) gives no p99 ratio; null when none does.
 */
export function pairedRatios(
  x: readonly { reqPerSec: number; p99: number }[],
  y: readonly { reqPerSec: number; p99: number }[],
) {
  if (x.length !== y.length) throw new Error(`pairedRatios: ${x.length} rounds against ${y.length}`);
  const reqPerSec = x.map((r, i) => r.reqPerSec / y[i]!.reqPerSec);
  const p99 = x.map((r, i) => (y[i]!.p99 > 0 ? r.p99 / y[i]!.p99 : undefined));
  const p99s = p99.filter((v): v is number => v !== undefined);
  return {
    reqPerSec: round2(median(reqPerSec)),
    p99: p99s.length ? round2(median(p99s)) : null,
    rounds: reqPerSec.map((v, i) => ({ reqPerSec: round2(v), p99: p99[i] === undefined ? null : round2(p99[i]) })),
  };
}
/**
 * Shows a pool's errors, except the server's shutdown (57P01): `pool.end()` resolves before its
 * clients' sockets have closed, and the embedded server stopping right after may still reach one
 * (or a client the pool has let go of), re-emitted on the pool. Expected then, not a failure.
 */
export function ignoreShutdown(pool: pg.Pool, label: string): void {
  pool.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") console.error(`${label}:`, err);
  });
}
export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;

export async function machineInfo(owner: pg.Pool) {
  const cpus = os.cpus();
  const pgVersion = (await owner.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "?",
    node: process.version,
    postgres: pgVersion,
    platform: `${os.platform()} ${os.release()}`,
    memGiB: round1(os.totalmem() / 2 ** 30),
  };
}

export const badCount = (r: Pick<LoadResult, "non2xx" | "gqlErrors" | "wrongBody" | "socketErrors">) =>
  r.non2xx + r.gqlErrors + r.wrongBody + r.socketErrors;

/**
 * Waits until no other connection is running a statement or holding a transaction open, and no
 * autovacuum worker is running (three quiet polls in a row, at most `timeoutMs`). autocannon stops on time, not on answers, so
 * request handlers may still be working when it returns; closing the servers under them lets
 * Prisma reconnect lazily, and Postgres' shutdown then kills that idle connection with an
 * unhandled error event.
 */
export async function drain(owner: pg.Pool, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    const { rows } = await owner.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE (backend_type = 'client backend' AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle') OR backend_type = 'autovacuum worker'",
    );
    quiet = rows[0]!.n === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** utime + stime + (with `children`) the reaped children's, in seconds, from a /proc/<pid>/stat line. */
function statCpu(stat: string, children: boolean): { ppid: number; seconds: number } {
  // The fields after the command name (which may hold spaces, in parentheses): state is field 3.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return { ppid: Number(f[1]), seconds: ticks / CLOCK_TICKS };
}
/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS = 100;
/** /proc's directory of this process's main thread (the API's, in the benches that run it in-process). */
const MAIN_TASK = `/proc/${process.pid}/task/${process.pid}`;

/**
 * A thread's schedstat (`dir`: its /proc task directory): seconds it has run, and seconds it has
 * spent runnable but waiting for a CPU (time on a run queue); undefined where the kernel does not
 * keep it. On a host whose cores are shared with the database and the load generator, the wait of
 * the API's main thread is its time lost to them rather than to its own work; the load generator
 * reads its own run time.
 */
export function threadSchedstat(dir: string): { runSeconds: number; waitSeconds: number } | undefined {
  try {
    const [run, wait] = readFileSync(`${dir}/schedstat`, "utf8").split(" ").map(Number);
    return Number.isFinite(run) && Number.isFinite(wait)
      ? { runSeconds: run! / 1e9, waitSeconds: wait! / 1e9 }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by this process's main thread (not the load generator's worker), the
 * main thread's seconds on a run queue (`mainWait`, see threadSchedstat), and the CPU seconds of
 * process `root` with all its descendants (the database server and its backends; exited ones
 * through their parents' reaped-children time). Linux only: undefined without /proc.
 */
export function cpuSeconds(
  root: number | undefined,
): { main: number; mainWait: number | undefined; tree: number | undefined } | undefined {
  try {
    const main = statCpu(readFileSync(`${MAIN_TASK}/stat`, "utf8"), false).seconds;
    const mainWait = threadSchedstat(MAIN_TASK)?.waitSeconds;
    if (root === undefined) return { main, mainWait, tree: undefined };
    const procs = new Map<number, { ppid: number; seconds: number }>();
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        procs.set(Number(name), statCpu(readFileSync(`/proc/${name}/stat`, "utf8"), true));
      } catch {
        // Exited while listed: its time is in its parent's reaped-children time.
      }
    }
    const tree = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, p] of procs) {
        if (tree.has(pid) || !tree.has(p.ppid)) continue;
        tree.add(pid);
        grew = true;
      }
    }
    let seconds = 0;
    for (const pid of tree) seconds += procs.get(pid)?.seconds ?? 0;
    return { main, mainWait, tree: seconds };
  } catch {
    return undefined;
  }
}

/** A `gc` performance entry as `recordGc` keeps it (`kind` from perf_hooks' NODE_PERFORMANCE_GC_*). */
export interface GcEntry {
  startTime: number;
  duration: number;
  kind: number;
}
/** The main thread's scavenges in a window: how many, the median pause and the sum (ms). */
export interface ScavengeStats {
  count: number;
  medianMs: number;
  totalMs: number;
}
/** The pauses (ms) of the GCs of `kinds` that started in [from, to). */
const pausesIn = (entries: readonly GcEntry[], from: number, to: number, kinds: readonly number[]): number[] =>
  entries.filter((e) => kinds.includes(e.kind) && e.startTime >= from && e.startTime < to).map((e) => e.duration);
const totalMs = (pauses: readonly number[]) => round1(pauses.reduce((a, b) => a + b, 0));

/** Summarises the scavenges (minor GCs) that started in [from, to). */
export function scavengesIn(entries: readonly GcEntry[], from: number, to: number): ScavengeStats {
  const pauses = pausesIn(entries, from, to, [constants.NODE_PERFORMANCE_GC_MINOR]);
  return { count: pauses.length, medianMs: pauses.length ? round2(median(pauses)) : 0, totalMs: totalMs(pauses) };
}
/**
 * The old generation's pauses that started in [from, to): mark-compacts (major) and the pauses
 * that start incremental marking (V8 reports no entry for the marking steps themselves). How many
 * mark-compacts, and the sum of both (ms). A marking started in one window may finish in the next.
 */
export function majorGcsIn(entries: readonly GcEntry[], from: number, to: number): { count: number; totalMs: number } {
  const { NODE_PERFORMANCE_GC_MAJOR: major, NODE_PERFORMANCE_GC_INCREMENTAL: incremental } = constants;
  return {
    count: pausesIn(entries, from, to, [major]).length,
    totalMs: totalMs(pausesIn(entries, from, to, [major, incremental])),
  };
}

/**
 * Records the main thread's GC entries from now on (a scavenge's pause is part of every p99).
 * `stop()` disconnects.
 */
export function recordGc(): { read(): readonly GcEntry[]; stop(): void } {
  const entries: GcEntry[] = [];
  const take = (list: readonly PerformanceEntry[]) => {
    for (const e of list)
      entries.push({
        startTime: e.startTime,
        duration: e.duration,
        kind: (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1,
      });
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return {
    /** Every entry so far, with those built but not yet handed to the observer's callback. */
    read: () => {
      take(observer.takeRecords());
      return entries;
    },
    stop: () => observer.disconnect(),
  };
}
