// A graphql-ws client for tests (the same protocol library the web app uses), and a subscription
// recorder: every `next` payload, the terminal error or completion, with waits on each.
import { createClient, type Client, type ExecutionResult } from "graphql-ws";
import WebSocket from "ws";

import { eventually } from "./harness.ts";

export interface LiveClientOptions {
  token?: string;
  /** Sent with the upgrade request (Origin, Cookie). */
  headers?: Record<string, string>;
  connectionParams?: Record<string, unknown>;
}

export interface Closed {
  code: number;
  reason: string;
}

export function liveClient(baseUrl: string, opts: LiveClientOptions = {}): Client & { closed: Closed[] } {
  const closed: Closed[] = [];
  const headers = opts.headers;
  const impl = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
  const client = createClient({
    url: `${baseUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: impl,
    lazy: false,
    retryAttempts: 0,
    connectionParams: opts.connectionParams ?? (opts.token ? { authorization: `Bearer ${opts.token}` } : undefined),
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string | Buffer };
        closed.push({ code: e.code, reason: String(e.reason) });
      },
    },
    onNonLazyError: () => undefined,
  });
  return Object.assign(client, { closed });
}

export interface Recording<T> {
  results: ExecutionResult<T>[];
  /** Set when the server ended the subscription with an `error` message (or the socket closed). */
  error: { code?: string; reason?: string; message?: string; close?: Closed } | null;
  completed: boolean;
  /** Resolves when the subscription is acknowledged… graphql-ws has no ack per subscription: after `ms` of silence or the first result. */
  waitFor(n: number, ms?: number): Promise<ExecutionResult<T>[]>;
  waitForEnd(ms?: number): Promise<Recording<T>["error"]>;
  dispose(): void;
}

export function record<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Recording<T> {
  const rec: Recording<T> = {
    results: [],
    error: null,
    completed: false,
    waitFor: (n, ms = 5_000) =>
      eventually(() => rec.results.length >= n && rec.results, ms, `${n} subscription results`),
    waitForEnd: async (ms = 5_000) => {
      await eventually(() => rec.error !== null || rec.completed, ms, "the subscription's end");
      return rec.error;
    },
    dispose: () => undefined,
  };
  rec.dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        rec.results.push(r as ExecutionResult<T>);
        // A `next` that carries only errors (a refusal when the subscription starts) ends it too.
        const first = r.errors?.[0] as
          | { message?: string; extensions?: { code?: string; reason?: string } }
          | undefined;
        if (first && !r.data)
          rec.error = { code: first.extensions?.code, reason: first.extensions?.reason, message: first.message };
      },
      error: (err) => {
        if (Array.isArray(err)) {
          const first = err[0] as { message?: string; extensions?: { code?: string; reason?: string } } | undefined;
          rec.error = { code: first?.extensions?.code, reason: first?.extensions?.reason, message: first?.message };
        } else {
          const e = err as { code?: number; reason?: string };
          rec.error = { close: { code: e.code ?? 0, reason: String(e.reason ?? "") } };
        }
      },
      complete: () => {
        rec.completed = true;
      },
    },
  );
  return rec;
}

/** Until the server has the subscription registered (it starts it in its own time): `n` hub subscribers on `api`. */
export function subscribed(live: { subscriberCount: number }, n: number, ms = 5_000): Promise<true> {
  return eventually(() => live.subscriberCount >= n || null, ms, `${n} live subscribers`).then(() => true as const);
}
