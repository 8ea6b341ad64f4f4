// lib.ts: pairedRatios (the round-by-round ratios the request-path and public-api benches report)
// and the GC figures of a window (scavengesIn, majorGcsIn, recordGc).
import assert from "node:assert/strict";
import { constants } from "node:perf_hooks";
import { test } from "node:test";

import { majorGcsIn, pairedRatios, recordGc, scavengesIn } from "./lib.ts";

const cell = (reqPerSec: number, p99: number) => ({ reqPerSec, p99 });

void test("pairs round i with round i and takes the median of the ratios, rounded after it", () => {
  // Ratios 0.333…, 0.5, 0.9 (req/s) and 3, 2, 1.2 (p99): the medians are the middle pair's.
  const r = pairedRatios([cell(100, 30), cell(200, 20), cell(900, 12)], [cell(300, 10), cell(400, 10), cell(1000, 10)]);
  assert.equal(r.reqPerSec, 0.5);
  assert.equal(r.p99, 2);
  assert.deepEqual(r.rounds, [
    { reqPerSec: 0.33, p99: 3 },
    { reqPerSec: 0.5, p99: 2 },
    { reqPerSec: 0.9, p99: 1.2 },
  ]);
  // Two rounds: the mean of the two ratios, not of their rounded values (0.3333 and 0.3350 → 0.33).
  assert.equal(pairedRatios([cell(1, 1), cell(67, 1)], [cell(3, 1), cell(200, 1)]).reqPerSec, 0.33);
});

void test("a round whose reference has no p99 gives no p99 ratio; none at all gives null", () => {
  const r = pairedRatios([cell(10, 5), cell(10, 6)], [cell(20, 0), cell(20, 3)]);
  assert.equal(r.p99, 2);
  assert.equal(r.rounds[0]!.p99, null);
  assert.equal(pairedRatios([cell(10, 5)], [cell(20, 0)]).p99, null);
});

void test("refuses rounds that do not pair up", () => {
  assert.throws(() => pairedRatios([cell(1, 1)], [cell(1, 1), cell(1, 1)]), /1 rounds against 2/);
});

void test("scavengesIn and majorGcsIn: only the GCs of their kind that start inside the window", () => {
  const minor = constants.NODE_PERFORMANCE_GC_MINOR;
  const major = constants.NODE_PERFORMANCE_GC_MAJOR;
  const entries = [
    { startTime: 5, duration: 9, kind: minor }, // before the window
    { startTime: 10, duration: 4, kind: minor },
    { startTime: 20, duration: 30, kind: major }, // a mark-compact: not a scavenge
    { startTime: 15, duration: 3, kind: constants.NODE_PERFORMANCE_GC_INCREMENTAL }, // a marking step before it
    { startTime: 30, duration: 2, kind: minor },
    { startTime: 40, duration: 7, kind: minor },
    { startTime: 50, duration: 8, kind: minor }, // at the window's end: outside
  ];
  assert.deepEqual(scavengesIn(entries, 10, 50), { count: 3, medianMs: 4, totalMs: 13 });
  assert.deepEqual(scavengesIn(entries, 100, 200), { count: 0, medianMs: 0, totalMs: 0 });
  assert.deepEqual(majorGcsIn(entries, 10, 50), { count: 1, totalMs: 33 }, "the mark-compact and its marking step");
  assert.deepEqual(majorGcsIn(entries, 16, 50), { count: 1, totalMs: 30 });
  assert.deepEqual(majorGcsIn(entries, 21, 50), { count: 0, totalMs: 0 });
});

void test("recordGc sees this thread's scavenges", async () => {
  const gc = recordGc();
  const from = performance.now();
  let keep: unknown[] = [];
  for (let i = 0; i < 2_000_000; i++) keep = [{ i }, i % 1000 === 0 ? [] : keep];
  await new Promise((resolve) => setImmediate(resolve)); // an entry is built on the turn after its GC
  const seen = scavengesIn(gc.read(), from, performance.now());
  gc.stop();
  assert.ok(keep.length > 0);
  assert.ok(seen.count > 0, "allocating 2 million objects scavenges at least once");
});
