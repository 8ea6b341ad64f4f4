// Fixed-window counters in PostgreSQL, shared by every API instance.
// - hit(): one upsert per check, exact across instances. Sign-in, sign-up and other rare,
//   security-sensitive budgets.
// - hitBatched(): for per-request budgets (API keys, issue 15): counts in memory and writes the
//   instance's hits to the same row at most once per FLUSH_MS (one upsert adding them up), so a
//   busy key no longer means one upsert per request on one hot row. The first hit of a window is
//   written at once (it opens the window in the shared row); after that a request is refused when
//   the shared count last read back plus this instance's unflushed hits exceeds the limit. Other
//   instances' hits are seen within FLUSH_MS, so with N instances a key can overshoot its limit by
//   at most what the other N-1 instances admit in FLUSH_MS.
// - take() / refund() / clear(): failure budgets (sign-in, decision 0024). take() reserves one
//   unit only while the window is under its limit (a refused attempt adds nothing, so a flood of
//   refused attempts does not keep the count growing), refund() gives a reservation back when the
//   attempt turned out not to be a failure, clear() forgets a key's window.
// - Every counted hit returns its window's state, which the request's answer states in the IETF
//   `RateLimit-Policy` / `RateLimit` header fields (draft-ietf-httpapi-ratelimit-headers; issue
//   51): `noteRateLimit` records it on the request, an onSend hook writes the fields (server.ts).
import type { SystemClient } from "@atrium/db";

import { rateLimited } from "./errors.ts";

/** One policy's window as a hit left it: what `RateLimit-Policy` and `RateLimit` say. */
export interface RateLimitState {
  /** The policy's name in the header fields (a structured-field string: letters, digits, "-"). */
  readonly policy: string;
  /** Hits allowed per window (`q`). */
  readonly limit: number;
  /** The window's length in seconds (`w`). */
  readonly windowSeconds: number;
  /** Hits left in this window (`r`), 0 once refused. */
  readonly remaining: number;
  /** Seconds until the window ends (`t`), at least 1. */
  readonly resetSeconds: number;
}

const stateOfError = new WeakMap<Error, RateLimitState>();
/** The window that refused a request (a RATE_LIMITED error from this limiter), if any. */
export const rateLimitOf = (err: unknown): RateLimitState | undefined =>
  err instanceof Error ? stateOfError.get(err) : undefined;

function refuse(state: RateLimitState): never {
  const err = rateLimited(state.resetSeconds);
  stateOfError.set(err, state);
  throw err;
}

const secondsUntil = (at: number): number => Math.max(1, Math.ceil((at - Date.now()) / 1000));
const stateOf = (
  policy: string,
  limit: number,
  windowSeconds: number,
  used: number,
  resetAt: number,
): RateLimitState => ({
  policy,
  limit,
  windowSeconds,
  remaining: Math.max(0, limit - used),
  resetSeconds: secondsUntil(resetAt),
});

/**
 * The windows a request was counted in live on the request itself (a property Fastify declares
 * once, `registerRateLimitFields`), not in a WeakMap: the request path keeps no per-request state
 * in WeakMaps (request-path-weak-maps.int.test.ts).
 */
const kRateLimits = Symbol("atrium.rateLimits");
type WithLimits = { [kRateLimits]?: readonly RateLimitState[] | null };

/** Declares the property on every request (call once, before any route). */
export function registerRateLimitFields(app: { decorateRequest(name: symbol, value: null): unknown }): void {
  app.decorateRequest(kRateLimits, null);
}

/** Records a window the request was counted in (its answer carries the header fields). One entry per policy. */
export function noteRateLimit(request: object, state: RateLimitState | undefined): void {
  if (!state) return;
  const r = request as WithLimits;
  const states = r[kRateLimits];
  r[kRateLimits] = states ? [...states.filter((s) => s.policy !== state.policy), state] : [state];
}

/** Whether the request was already counted under `policy` (a request is counted once, however many times it runs). */
export function countedIn(request: object, policy: string): boolean {
  return (request as WithLimits)[kRateLimits]?.some((s) => s.policy === policy) ?? false;
}

/**
 * The IETF RateLimit header fields for the windows a request was counted in (none: no fields):
 * `RateLimit-Policy: "apikey";q=600;w=60` and `RateLimit: "apikey";r=599;t=42`, one list member
 * per policy.
 */
export function rateLimitHeaders(request: object): { "ratelimit-policy": string; ratelimit: string } | undefined {
  const states = (request as WithLimits)[kRateLimits];
  if (!states || states.length === 0) return undefined;
  return {
    "ratelimit-policy": states.map((s) => `"${s.policy}";q=${s.limit};w=${s.windowSeconds}`).join(", "),
    ratelimit: states.map((s) => `"${s.policy}";r=${s.remaining};t=${s.resetSeconds}`).join(", "),
  };
}

const FLUSH_MS = 1_000;

interface Window {
  /** The shared count as of the last write/read of the row. */
  shared: number;
  /** Hits admitted here and not yet written. */
  pending: number;
  resetAt: number;
  flushing: Promise<void> | null;
  timer: NodeJS.Timeout | null;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly system: SystemClient) {}

  /**
   * Counts one hit on `key`; throws RATE_LIMITED once more than `limit` hits fall in the window.
   * Returns the window's state under `policy` (the name the header fields give it).
   */
  async hit(key: string, limit: number, windowSeconds: number, policy = "default"): Promise<RateLimitState> {
    const row = await this.add(key, 1, windowSeconds);
    const state = stateOf(
      policy,
      limit,
      windowSeconds,
      row?.count ?? 1,
      row?.reset_at.getTime() ?? Date.now() + windowSeconds * 1000,
    );
    if (row && row.count > limit) refuse(state);
    return state;
  }

  /**
   * Reserves one unit of `key`'s budget, in one statement: counted only while fewer than `limit`
   * are in the window, else RATE_LIMITED with the seconds until the window ends. Returns the
   * window's end, which refund() needs.
   */
  async take(key: string, limit: number, windowSeconds: number): Promise<Date> {
    const rows = await this.system.$queryRaw<{ reset_at: Date }[]>`
      INSERT INTO rate_limit_buckets AS b (key, count, reset_at)
      VALUES (${key}, 1, now() + ${windowSeconds}::int * interval '1 second')
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN b.reset_at <= now() THEN 1 ELSE b.count + 1 END,
        reset_at = CASE WHEN b.reset_at <= now() THEN excluded.reset_at ELSE b.reset_at END
      WHERE b.reset_at <= now() OR b.count < ${limit}::int
      RETURNING reset_at`;
    if (rows[0]) return rows[0].reset_at;
    const held = await this.system.$queryRaw<
      { reset_at: Date }[]
    >`SELECT reset_at FROM rate_limit_buckets WHERE key = ${key}`;
    const resetAt = held[0]?.reset_at.getTime() ?? Date.now() + windowSeconds * 1000;
    throw rateLimited(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)));
  }

  /** Gives back a unit take() reserved in the window ending at `resetAt` (nothing once that window is over). */
  async refund(key: string, resetAt: Date): Promise<void> {
    await this.system
      .$executeRaw`UPDATE rate_limit_buckets SET count = count - 1 WHERE key = ${key} AND reset_at = ${resetAt} AND count > 0`;
  }

  /** Forgets `key`'s window (its count starts again from zero). */
  async clear(key: string): Promise<void> {
    await this.system.$executeRaw`DELETE FROM rate_limit_buckets WHERE key = ${key}`;
  }

  /** Like hit(), with this instance's hits written in batches (see the header). */
  async hitBatched(key: string, limit: number, windowSeconds: number, policy = "default"): Promise<RateLimitState> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      // A new window (or the first hit here): written now, so it is shared from the start.
      if (w) await this.flush(key, w, windowSeconds);
      const row = await this.add(key, 1, windowSeconds);
      w = {
        shared: row?.count ?? 1,
        pending: 0,
        resetAt: row?.reset_at.getTime() ?? now + windowSeconds * 1000,
        flushing: null,
        timer: null,
      };
      this.windows.set(key, w);
      const first = stateOf(policy, limit, windowSeconds, w.shared, w.resetAt);
      if (w.shared > limit) refuse(first);
      return first;
    }
    if (w.shared + w.pending + 1 > limit) refuse(stateOf(policy, limit, windowSeconds, limit, w.resetAt));
    w.pending++;
    if (!w.timer) {
      const win = w;
      win.timer = setTimeout(() => {
        win.timer = null;
        void this.flush(key, win, windowSeconds).catch(() => undefined);
      }, FLUSH_MS);
      win.timer.unref();
    }
    return stateOf(policy, limit, windowSeconds, w.shared + w.pending, w.resetAt);
  }

  private async flush(key: string, w: Window, windowSeconds: number): Promise<void> {
    if (w.flushing) await w.flushing;
    const n = w.pending;
    if (n === 0) return;
    w.pending = 0;
    w.flushing = this.add(key, n, windowSeconds).then(
      (row) => {
        if (row && this.windows.get(key) === w) {
          w.shared = row.count;
          w.resetAt = row.reset_at.getTime();
        }
      },
      (err: unknown) => {
        w.pending += n; // written next time
        throw err;
      },
    );
    try {
      await w.flushing;
    } finally {
      w.flushing = null;
    }
  }

  /** Writes what is pending now (tests, shutdown). */
  async flushAll(windowSeconds = 60): Promise<void> {
    await Promise.all([...this.windows].map(([key, w]) => this.flush(key, w, windowSeconds).catch(() => undefined)));
  }

  private async add(
    key: string,
    n: number,
    windowSeconds: number,
  ): Promise<{ count: number; reset_at: Date } | undefined> {
    const rows = await this.system.$queryRaw<{ count: number; reset_at: Date }[]>`
      INSERT INTO rate_limit_buckets AS b (key, count, reset_at)
      VALUES (${key}, ${n}::int, now() + ${windowSeconds}::int * interval '1 second')
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN b.reset_at <= now() THEN excluded.count ELSE b.count + excluded.count END,
        reset_at = CASE WHEN b.reset_at <= now() THEN excluded.reset_at ELSE b.reset_at END
      RETURNING count, reset_at`;
    return rows[0];
  }
}
