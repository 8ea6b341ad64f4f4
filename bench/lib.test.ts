// pairedRatios (lib.ts): the round-by-round ratios the request-path and public-api benches report.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pairedRatios } from "./lib.ts";

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
