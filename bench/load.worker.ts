// The load generator in a worker thread (autocannon, or the lean one of lean-load.ts), so it does
// not share the event loop with the servers under test (they run in the main thread of the same
// process). Every response body is checked: a non-2xx status, a GraphQL `errors` member or a body
// without the expected marker (e.g. the totalCount) counts as bad.
import { randomBytes } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

import { leanLoad, type LeanResult } from "./lean-load.ts";
import { pct, round2, threadSchedstat } from "./lib.ts";

export interface LoadJob {
  url: string;
  body: string;
  token: string;
  connections: number;
  seconds: number;
  expect: string;
  /** If set, every occurrence of this placeholder in the body is replaced per request by a unique token. */
  vary?: string;
  /** The load generator: autocannon (the default) or the lean one of lean-load.ts. */
  engine?: "autocannon" | "lean";
  /**
   * Requests per second across all connections: a paced load, as people at the web app send,
   * instead of each connection sending its next request the moment the last is answered
   * (saturation). With the lean engine, open loop: one request every 1/rate s, its latency from
   * when it was due (lean-load.ts); with autocannon, its overallRate (each connection's share per
   * second, sent as fast as it can: bursts at each second).
   */
  rate?: number;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  gqlErrors: number;
  wrongBody: number;
  socketErrors: number;
  timeouts: number;
  /** This thread's CPU per completed request (µs), from Linux's schedstat; undefined elsewhere. */
  loadgenUsPerRequest?: number;
}

const job = workerData as LoadJob;
let gqlErrors = 0;
let wrongBody = 0;

// Unique per request and across jobs (warm-ups and rounds run in fresh workers).
const runTag = randomBytes(4).toString("hex");
let sent = 0;
const nextToken = () => `${runTag}${(sent++).toString(36)}`;
const check = (body: string) => {
  if (body.includes('"errors"')) gqlErrors++;
  else if (!body.includes(job.expect)) wrongBody++;
};
const headers = { "content-type": "application/json", authorization: `Bearer ${job.token}` };

const cpuBefore = threadSchedstat("/proc/thread-self")?.runSeconds;
const counted = job.engine === "lean" ? await lean() : await withAutocannon();
const cpuAfter = threadSchedstat("/proc/thread-self")?.runSeconds;
/** The p-th percentile of the 2xx latencies (nearest rank), in ms to 0.01; 0 when none came. */
const latency = (p: number) => (counted.latencies.length ? round2(pct(counted.latencies, p)) : 0);
const out: LoadResult = {
  requests: counted.requests,
  // Completed requests over the measured wall time.
  reqPerSec: counted.requests / counted.durationSeconds,
  p50: latency(50),
  p99: latency(99),
  non2xx: counted.non2xx,
  gqlErrors,
  wrongBody,
  socketErrors: counted.socketErrors,
  timeouts: counted.timeouts,
  ...(cpuBefore !== undefined && cpuAfter !== undefined && counted.requests > 0
    ? { loadgenUsPerRequest: Math.round(((cpuAfter - cpuBefore) * 1e6) / counted.requests) }
    : {}),
};

function lean(): Promise<LeanResult> {
  return leanLoad({
    url: `${job.url}/graphql`,
    body: job.body,
    headers,
    connections: job.connections,
    seconds: job.seconds,
    check,
    ...(job.vary ? { vary: job.vary, token: nextToken } : {}),
    ...(job.rate ? { rate: job.rate } : {}),
  });
}

async function withAutocannon(): Promise<LeanResult> {
  const opts = {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    ...(job.rate ? { overallRate: job.rate } : {}),
  };
  const vary = job.vary;
  const setupRequest = vary
    ? (req: autocannon.Request) => ({ ...req, body: job.body.replaceAll(vary, nextToken()) })
    : undefined;
  // Inside a worker thread autocannon skips aggregation (it expects its own worker manager to do
  // it), so the raw result is aggregated here. aggregateResult is public API but missing from
  // @types/autocannon.
  const aggregate = (
    autocannon as unknown as { aggregateResult: (results: unknown[], opts: unknown) => autocannon.Result }
  ).aggregateResult;
  // Latencies of 2xx answers as autocannon measures them (hrtime, fractional ms), kept here:
  // autocannon's own histogram records whole milliseconds, too coarse for a p99 of ~10 ms compared
  // between servers (a 9.9 ms p99 read as 9).
  const latencies: number[] = [];
  const run = autocannon({
    ...opts,
    requests: [
      {
        method: "POST",
        path: "/graphql",
        headers,
        body: job.body,
        ...(setupRequest ? { setupRequest } : {}),
        onResponse: (status: number, body: string) => {
          if (status < 200 || status >= 300) return; // counted by autocannon as non2xx
          check(body);
        },
      },
    ],
    // Without a callback autocannon returns its tracker made thenable (lib/init.js); its types give only the promise.
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  run.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const raw: unknown = await run;
  const result = aggregate([raw], opts);
  // The per-second sample average of autocannon is not available after aggregating a worker's raw result.
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    latencies,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
  };
}
parentPort!.postMessage(out);
