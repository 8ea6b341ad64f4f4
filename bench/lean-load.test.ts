// The lean load generator against real HTTP servers (node:http): what it counts, how it frames
// answers (Content-Length, chunked, split over reads), its per-request tokens and its timeouts.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

import { leanLoad, type LeanJob } from "./lean-load.ts";

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => resolve(body));
  });

function job(url: string, over: Partial<LeanJob> = {}): LeanJob & { bodies: string[] } {
  const bodies: string[] = [];
  let n = 0;
  return {
    url,
    body: '{"n":"__N__"}',
    headers: { "content-type": "application/json", authorization: "Bearer k" },
    connections: 4,
    seconds: 1,
    vary: "__N__",
    token: () => `t${n++}`,
    check: (b) => bodies.push(b),
    bodies,
    ...over,
  };
}

void test("closed loop: every request is a POST with its own token, every 2xx answer is checked and timed", async () => {
  const seen: string[] = [];
  const s = await serve((req, res) => {
    void readBody(req).then((body) => {
      assert.equal(req.method, "POST");
      assert.equal(req.url, "/graphql");
      assert.equal(req.headers.authorization, "Bearer k");
      seen.push((JSON.parse(body) as { n: string }).n);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { echo: body } }));
    });
  });
  try {
    const j = job(s.url);
    const r = await leanLoad(j);
    assert.ok(r.requests > 50, `only ${r.requests} answers in 1 s`);
    assert.equal(r.latencies.length, r.requests);
    assert.equal(j.bodies.length, r.requests);
    assert.ok(r.latencies.every((ms) => ms > 0 && ms < 1000));
    assert.equal(new Set(seen).size, seen.length, "a token was sent twice");
    assert.ok(seen.every((n) => n.startsWith("t")));
    assert.ok(j.bodies.every((b) => b.startsWith('{"data":{"echo":"{\\"n\\":\\"t')));
    assert.deepEqual([r.non2xx, r.socketErrors, r.timeouts], [0, 0, 0]);
  } finally {
    await s.close();
  }
});

void test("chunked answers and answers split over many reads are re-assembled whole", async () => {
  const big = "x".repeat(300_000);
  let n = 0;
  const s = await serve((req, res) => {
    void readBody(req).then(() => {
      // Alternately: chunked in three writes (no Content-Length), and one 300 KB body.
      if (n++ % 2 === 0) {
        // "é" is two bytes in UTF-8, written in two chunks.
        const e = Buffer.from("é");
        res.write('{"part":1,"part2":"');
        res.write(e.subarray(0, 1));
        setImmediate(() => {
          res.write(e.subarray(1));
          res.end('","end":true}');
        });
      } else res.end(`{"big":"${big}"}`);
    });
  });
  try {
    const j = job(s.url, { connections: 1, seconds: 1 });
    const r = await leanLoad(j);
    assert.ok(r.requests >= 4, `only ${r.requests} answers`);
    const chunked = j.bodies.filter((b) => b.startsWith('{"part"'));
    const whole = j.bodies.filter((b) => b.startsWith('{"big"'));
    assert.ok(chunked.length >= 2 && whole.length >= 2);
    assert.ok(chunked.every((b) => b === '{"part":1,"part2":"é","end":true}'));
    assert.ok(whole.every((b) => b.length === big.length + 10));
    assert.deepEqual([r.non2xx, r.socketErrors, r.timeouts], [0, 0, 0]);
  } finally {
    await s.close();
  }
});

void test("a non-2xx answer is counted, not checked and not timed", async () => {
  let n = 0;
  const s = await serve((req, res) => {
    void readBody(req).then(() => {
      res.statusCode = n++ % 2 ? 503 : 200;
      res.end("{}");
    });
  });
  try {
    const j = job(s.url, { connections: 1, seconds: 1 });
    const r = await leanLoad(j);
    assert.ok(r.non2xx > 10);
    assert.equal(r.latencies.length + r.non2xx, r.requests);
    assert.equal(j.bodies.length, r.latencies.length);
    assert.ok(Math.abs(r.non2xx - r.latencies.length) <= 1);
  } finally {
    await s.close();
  }
});

void test("an answer later than the timeout counts as a timeout and the connection is replaced", async () => {
  let n = 0;
  const s = await serve((req, res) => {
    // The first request never gets an answer; later ones are answered at once.
    if (n++ === 0) return;
    void readBody(req).then(() => res.end("{}"));
  });
  try {
    const r = await leanLoad(job(s.url, { connections: 1, seconds: 1, timeoutMs: 300 }));
    assert.equal(r.timeouts, 1);
    assert.ok(r.requests > 10, `only ${r.requests} answers after the timeout`);
  } finally {
    await s.close();
  }
});

void test("open loop (rate): one request every 1/rate s, whatever the server's speed", async () => {
  const s = await serve((req, res) => {
    void readBody(req).then(() => res.end('{"data":{}}'));
  });
  try {
    const r = await leanLoad(job(s.url, { rate: 200, seconds: 1, connections: 4 }));
    // Closed loop, 4 connections to this server would make thousands; the clock allows ~200.
    assert.ok(r.requests >= 180 && r.requests <= 201, `requests ${r.requests}`);
    assert.equal(r.latencies.length, r.requests);
  } finally {
    await s.close();
  }
});

void test("open loop: a request waiting for a free connection is timed from when it was due", async () => {
  // 2 connections to a server taking 50 ms: at most 40 answers a second, 100 asked for.
  const s = await serve((req, res) => {
    void readBody(req).then(() => setTimeout(() => res.end('{"data":{}}'), 50));
  });
  try {
    const r = await leanLoad(job(s.url, { rate: 100, seconds: 1, connections: 2 }));
    assert.ok(r.requests <= 42, `requests ${r.requests}`);
    const slowest = Math.max(...r.latencies);
    // The queue grows all along: the last answers waited hundreds of ms, not one 50 ms service time.
    assert.ok(slowest > 300, `slowest ${slowest} ms`);
  } finally {
    await s.close();
  }
});
