// The shared skeleton of every provider fake: a real HTTP server on a loopback port that records
// each request it receives, can be told to fail the next N requests (an HTTP status or a request
// that never answers), and can answer after a fixed latency.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed body: form fields (x-www-form-urlencoded) or JSON. */
  form: Record<string, string> | null;
  json: unknown;
  /** The status the fake answered with (0 while unanswered or for a timeout). */
  status: number;
  at: Date;
}

/**
 * `timeout`: the request is never answered (and not processed). `lost-answer`: the request is
 * processed (a message is accepted) but its answer never arrives — the case a retry must not
 * turn into a second message.
 */
export type Failure =
  | { kind: "status"; status: number; body?: unknown }
  | { kind: "timeout" }
  | { kind: "lost-answer" }
  | HeldAnswer;

/**
 * `held`: the request is processed at once (a message is accepted) and its answer is sent only
 * when `until` settles — so a test can do something (kill the caller's database) between the
 * provider taking the request and the caller hearing about it.
 */
export interface HeldAnswer {
  kind: "held";
  until: Promise<unknown>;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Runs after the answer is sent (callbacks a provider makes later, e.g. Twilio status callbacks). */
  after?: () => Promise<void>;
}

export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  /** Milliseconds every answer waits (to model provider latency). */
  latencyMs = 0;
  private failures: Failure[] = [];
  private server: http.Server | null = null;
  private readonly held = new Set<ServerResponse>();
  private readonly pending = new Set<Promise<unknown>>();
  baseUrl = "";

  protected abstract readonly name: string;
  protected abstract route(req: RecordedRequest): Promise<FakeAnswer> | FakeAnswer;
  /** The provider's own error body for an injected HTTP failure. */
  protected abstract errorBody(status: number): unknown;

  /** The next `n` requests fail (default: HTTP 500 in the provider's error shape). */
  failNext(n: number, failure: Failure = { kind: "status", status: 500 }): this {
    for (let i = 0; i < n; i++) this.failures.push(failure);
    return this;
  }

  /** Requests matching a method and a path prefix (or regular expression). */
  received(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === "string" ? r.path.startsWith(path) : path.test(r.path)),
    );
  }

  /** Forgets recorded requests and pending failures (state such as accepted messages stays). */
  clear(): void {
    this.requests.length = 0;
    this.failures = [];
  }

  /** Resolves when every callback the fake started has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async start(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${addr.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    await this.settled();
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Tracks a callback so `settled()` and `close()` wait for it. */
  protected track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const type = req.headers["content-type"] ?? "";
    let form: Record<string, string> | null = null;
    let json: unknown = null;
    if (type.startsWith("application/x-www-form-urlencoded")) form = Object.fromEntries(new URLSearchParams(rawBody));
    else if (type.startsWith("application/json") && rawBody) {
      try {
        json = JSON.parse(rawBody);
      } catch {
        json = undefined;
      }
    }
    const rec: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      form,
      json,
      status: 0,
      at: new Date(),
    };
    this.requests.push(rec);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const failure = this.failures.shift();
    if (failure?.kind === "timeout" || failure?.kind === "lost-answer") {
      this.held.add(res);
      res.on("close", () => this.held.delete(res));
      if (failure.kind === "lost-answer") {
        const processed = await Promise.resolve(this.route(rec)).catch(() => null);
        if (processed) rec.status = processed.status;
        if (processed?.after) void this.track(processed.after().catch(() => undefined));
      }
      return;
    }
    let answer: FakeAnswer;
    if (failure?.kind === "held") {
      try {
        answer = await this.route(rec);
      } catch (err) {
        answer = {
          status: 500,
          body: { error: `${this.name} fake: ${err instanceof Error ? err.message : String(err)}` },
        };
      }
      rec.status = answer.status;
      await failure.until.catch(() => undefined);
    } else if (failure) answer = { status: failure.status, body: failure.body ?? this.errorBody(failure.status) };
    else {
      try {
        answer = await this.route(rec);
      } catch (err) {
        answer = {
          status: 500,
          body: { error: `${this.name} fake: ${err instanceof Error ? err.message : String(err)}` },
        };
      }
    }
    rec.status = answer.status;
    const body =
      answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": typeof answer.body === "string" ? "text/plain" : "application/json",
      ...answer.headers,
    });
    res.end(body);
    if (answer.after) void this.track(answer.after().catch(() => undefined));
  }
}

/** `Authorization: Bearer <token>` → token. */
export function bearer(headers: IncomingHttpHeaders): string | null {
  const m = /^Bearer (.+)$/.exec(headers.authorization ?? "");
  return m?.[1] ?? null;
}

export const json = (status: number, body: unknown): FakeAnswer => ({ status, body });
