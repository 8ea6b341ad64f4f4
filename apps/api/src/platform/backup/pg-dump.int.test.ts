// pg_dump's connection bridge when the connection fails: a refused port fails at once with an
// error naming the address (before: pg_dump waited on the bridge for its 5-minute limit), a
// connection cut in the middle of the dump ends it with pg_dump's own error; a Unix-socket URL
// dumps through the socket.
import net from "node:net";
import { Worker } from "node:worker_threads";
import pg from "pg";

import { freshTestDatabase, type TestDatabase } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { pgDumpFile } from "./pg-dump.ts";

// The proxy runs on its own thread: pg_dump's bridge blocks this one while it waits for the server.
const PROXY = String.raw`
const { workerData, parentPort } = require("node:worker_threads");
const net = require("node:net");
const { host, port, cutAfter, cuts } = workerData;
const server = net.createServer((client) => {
  const upstream = net.connect({ host, port });
  let sent = 0;
  client.on("data", (b) => upstream.write(b));
  upstream.on("data", (b) => {
    if (sent + b.length >= cutAfter) {
      client.write(b.subarray(0, cutAfter - sent));
      Atomics.add(cuts, 0, 1);
      client.destroy();
      upstream.destroy();
      return;
    }
    sent += b.length;
    client.write(b);
  });
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
  client.on("close", () => upstream.destroy());
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

/** A TCP proxy to `target` that cuts every connection once the server has sent `cutAfter` bytes. */
async function cuttingProxy(
  target: URL,
  cutAfter: number,
): Promise<{ port: number; cuts: () => number; close: () => Promise<void> }> {
  const cuts = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(PROXY, {
    eval: true,
    workerData: { host: target.hostname, port: Number(target.port), cutAfter, cuts },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return { port, cuts: () => Atomics.load(cuts, 0), close: () => worker.terminate().then(() => undefined) };
}

describe("pg_dump bridge failures", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("dumps through a proxy that does not cut (the proxy itself is sound)", async () => {
    const proxy = await cuttingProxy(new URL(db.ownerUrl), Number.MAX_SAFE_INTEGER);
    try {
      const url = new URL(db.ownerUrl);
      url.port = String(proxy.port);
      const text = Buffer.from(await pgDumpFile(url.toString(), "plain")).toString("utf8");
      expect(text).toContain("PostgreSQL database dump complete");
      expect(proxy.cuts()).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it("a refused connection fails at once, naming the address", async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const url = new URL(db.ownerUrl);
    url.hostname = "127.0.0.1";
    url.port = String(port);
    const started = Date.now();
    await expect(pgDumpFile(url.toString(), "plain")).rejects.toThrow(
      `cannot connect to the database at 127.0.0.1:${port}: connect ECONNREFUSED`,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it("a connection cut in the middle of the dump ends it with pg_dump's error", async () => {
    // 40 KB: past authentication and into pg_dump's catalog queries.
    const proxy = await cuttingProxy(new URL(db.ownerUrl), 40_000);
    try {
      const url = new URL(db.ownerUrl);
      url.port = String(proxy.port);
      const started = Date.now();
      await expect(pgDumpFile(url.toString(), "plain")).rejects.toThrow(
        /^pg_dump failed \(exit 1\): .*error: .*server closed the connection unexpectedly/,
      );
      expect(proxy.cuts()).toBe(1);
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it("dumps through a Unix socket (DATABASE_URL's ?host=/dir), and names the socket when nothing is there", async () => {
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    const dirs = (await c.query<{ unix_socket_directories: string }>("SHOW unix_socket_directories")).rows[0]!
      .unix_socket_directories;
    await c.end();
    const dir = dirs.split(",")[0]!.trim();
    expect(dir, "the test server listens on a Unix socket").toMatch(/^\//);
    // The URL's own host name does not resolve: only the socket can answer.
    const url = new URL(db.ownerUrl);
    url.hostname = "no-such-host.invalid";
    url.searchParams.set("host", dir);
    const text = Buffer.from(await pgDumpFile(url.toString(), "plain")).toString("utf8");
    expect(text).toContain("PostgreSQL database dump complete");
    url.searchParams.set("host", "/nonexistent-atrium-dir");
    await expect(pgDumpFile(url.toString(), "plain")).rejects.toThrow(
      `cannot connect to the database at the socket /nonexistent-atrium-dir/.s.PGSQL.${url.port || "5432"}: connect ENOENT`,
    );
  }, 120_000);
});
