// A closed-loop (with `rate`, open-loop) HTTP/1.1 load generator over plain `net` sockets, for the
// load worker (`BENCH_LOADGEN=lean`). It does what the benches ask of autocannon (N keep-alive connections, one
// request in flight on each, a fixed window, every answer checked, the latency of each 2xx answer)
// with less work per request: the request is written as one string, and an answer is framed by its
// Content-Length (or chunked encoding) without a general HTTP parser, header objects or per-request
// events. On two shared cores the load generator's CPU competes with the server under test, so its
// cost per request is part of what a bench sees.
import net from "node:net";

export interface LeanJob {
  url: string;
  /** The request's body, with `vary` (when set) replaced per request by `token()`. */
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  vary?: string;
  /** A new unique token per call (used with `vary`). */
  token?: () => string;
  /** Called with each 2xx answer's body. */
  check: (body: string) => void;
  /** An answer later than this (ms) counts as a timeout and its connection is replaced. */
  timeoutMs?: number;
  /**
   * Open loop: requests per second, one every 1/rate s on the clock, each sent on a free
   * connection (waiting for one if all are busy). A request's latency is measured from when it
   * was due, so time spent waiting for a connection counts (no coordinated omission). Unset:
   * closed loop, each connection sending again the moment it is answered.
   */
  rate?: number;
}

export interface LeanResult {
  /** Answers completed inside the window, any status. */
  requests: number;
  durationSeconds: number;
  /** Latencies (ms) of the 2xx answers completed inside the window. */
  latencies: number[];
  non2xx: number;
  socketErrors: number;
  timeouts: number;
}

const CRLF2 = Buffer.from("\r\n\r\n");

/** The status and the body's bounds of the HTTP/1.1 answer at the start of `buf`, or null while it is incomplete; throws on framing it cannot read. */
function frame(
  buf: Buffer,
): { status: number; bodyStart: number; bodyEnd: number; end: number; chunked: boolean } | null {
  const headEnd = buf.indexOf(CRLF2);
  if (headEnd < 0) return null;
  const head = buf.toString("latin1", 0, headEnd);
  if (!head.startsWith("HTTP/1.1 ")) throw new Error(`not an HTTP/1.1 answer: ${JSON.stringify(head.slice(0, 40))}`);
  const status = Number(head.slice(9, 12));
  const lower = head.toLowerCase();
  const bodyStart = headEnd + 4;
  const cl = lower.indexOf("\r\ncontent-length:");
  if (cl >= 0) {
    const lineEnd = lower.indexOf("\r\n", cl + 2);
    const length = parseInt(lower.slice(cl + 17, lineEnd < 0 ? undefined : lineEnd), 10);
    if (!Number.isFinite(length)) throw new Error("unreadable Content-Length");
    const end = bodyStart + length;
    return end <= buf.length ? { status, bodyStart, bodyEnd: end, end, chunked: false } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
    // Chunks until the zero-size one; the body is re-assembled by the caller.
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf("\r\n", at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString("latin1", at, lineEnd), 16);
      if (!Number.isFinite(size)) throw new Error("unreadable chunk size");
      if (size === 0) {
        const end = buf.indexOf(CRLF2, lineEnd);
        // A last chunk with no trailers ends with one CRLF right after its size line.
        if (buf.length >= lineEnd + 4 && buf[lineEnd + 2] === 13 && buf[lineEnd + 3] === 10)
          return { status, bodyStart, bodyEnd: lineEnd, end: lineEnd + 4, chunked: true };
        return end < 0 ? null : { status, bodyStart, bodyEnd: lineEnd, end: end + 4, chunked: true };
      }
      at = lineEnd + 2 + size + 2;
      if (at > buf.length) return null;
    }
  }
  throw new Error("an answer with neither Content-Length nor chunked encoding");
}

/** The body of a chunked answer, decoded once (a character may straddle two chunks). */
function dechunk(buf: Buffer, from: number, to: number): string {
  const parts: Buffer[] = [];
  let at = from;
  while (at < to) {
    const lineEnd = buf.indexOf("\r\n", at);
    const size = parseInt(buf.toString("latin1", at, lineEnd), 16);
    parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString("utf8");
}

export function leanLoad(job: LeanJob): Promise<LeanResult> {
  const url = new URL(job.url);
  const port = Number(url.port || 80);
  const host = url.hostname;
  const path = url.pathname;
  const headerLines = Object.entries({ host: url.host, ...job.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const parts = job.vary ? job.body.split(job.vary) : [job.body];
  const token = job.token;
  if (parts.length > 1 && !token) throw new Error("lean load: `vary` needs `token`");
  const request = (): string => {
    const body = parts.length === 1 ? parts[0]! : parts.join(token!());
    return `POST ${path} HTTP/1.1\r\n${headerLines}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  const timeoutMs = job.timeoutMs ?? 10_000;
  const result: LeanResult = {
    requests: 0,
    durationSeconds: job.seconds,
    latencies: [],
    non2xx: 0,
    socketErrors: 0,
    timeouts: 0,
  };
  let running = true;
  /** Each open connection and when its request went out (0: none in flight). */
  const inFlight = new Map<net.Socket, number>();
  // Open loop (`rate`): the requests due and not yet sent (when each was due), and the connections
  // with nothing in flight.
  const rate = job.rate;
  const due: number[] = [];
  const free = new Set<{ socket: net.Socket; send: (dueAt: number) => void }>();
  const drain = () => {
    for (const f of free) {
      const at = due.shift();
      if (at === undefined) return;
      free.delete(f);
      f.send(at);
    }
  };

  const connect = (): void => {
    if (!running) return;
    // An answer arrives whole in one read almost always; the rare one split over reads is copied
    // into `pending` until complete.
    let pending: Buffer | undefined;
    const socket: net.Socket = net.connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: Buffer.allocUnsafe(64 * 1024),
        callback: (n: number, chunk: Uint8Array) => {
          const buf = pending
            ? Buffer.concat([pending, chunk.subarray(0, n)])
            : Buffer.from(chunk.buffer, chunk.byteOffset, n);
          let f;
          try {
            f = frame(buf);
          } catch (err) {
            fail(`lean load: ${(err as Error).message}`);
            return false;
          }
          if (!f) {
            pending = Buffer.from(buf); // the read buffer is reused: keep a copy
            return true;
          }
          pending = undefined;
          const ms = performance.now() - inFlight.get(socket)!;
          inFlight.set(socket, 0);
          if (running) {
            result.requests++;
            if (f.status >= 200 && f.status < 300) {
              result.latencies.push(ms);
              job.check(
                f.chunked ? dechunk(buf, f.bodyStart, f.bodyEnd) : buf.toString("utf8", f.bodyStart, f.bodyEnd),
              );
            } else result.non2xx++;
          }
          if (f.end !== buf.length) {
            fail("lean load: bytes after an answer (none was asked for)");
            return false;
          }
          next();
          return true;
        },
      },
    });
    const fail = (message: string) => {
      result.socketErrors++;
      console.error(message);
      socket.destroy();
    };
    const send = (dueAt = performance.now()) => {
      if (!running) return;
      inFlight.set(socket, dueAt);
      socket.write(request());
    };
    const slot = { socket, send };
    // Closed loop: send again at once; open loop: offer the connection to the next request due.
    const next = () => {
      if (rate === undefined) return send();
      free.add(slot);
      drain();
    };
    inFlight.set(socket, 0);
    socket.once("connect", next);
    socket.on("error", () => {
      if (running) result.socketErrors++;
    });
    socket.on("close", () => {
      free.delete(slot);
      inFlight.delete(socket);
      connect();
    });
  };

  return new Promise((resolve) => {
    for (let i = 0; i < job.connections; i++) connect();
    // Open loop: every millisecond, the requests that fell due since the last tick.
    const started = performance.now();
    let issued = 0;
    const pace =
      rate === undefined
        ? undefined
        : setInterval(() => {
            const now = performance.now();
            for (; started + (issued * 1000) / rate <= now; issued++) due.push(started + (issued * 1000) / rate);
            drain();
          }, 1);
    // One sweep for the timeouts instead of a timer per request.
    const sweep = setInterval(() => {
      const now = performance.now();
      for (const [socket, started] of inFlight) {
        if (started && now - started > timeoutMs) {
          result.timeouts++;
          socket.destroy();
        }
      }
    }, 250);
    setTimeout(() => {
      running = false;
      clearInterval(sweep);
      clearInterval(pace);
      for (const s of inFlight.keys()) s.destroy();
      resolve(result);
    }, job.seconds * 1000);
  });
}
