// A circuit breaker in front of the connection pools (issue 16). Without it, while the database
// is down every request opened its own connection attempt (the pools reconnected at ~600
// attempts/s under load) and waited for its refusal or the 5 s connect timeout. With it:
// - closed: connections are opened as usual;
// - a failed connection attempt opens it: new connections are refused at once, without a socket,
//   with an error the API answers as 503 SERVICE_UNAVAILABLE + Retry-After;
// - after a delay (0.1 s, doubling to 1 s) one attempt is let through (half-open); success closes
//   it, failure opens it again for the next delay. So attempts are bounded (about one a second per
//   server once it has been down a while), and the first request after the database returns
//   finds it within about a second.
// It sits in the pg Client class the pools construct (pg-pool's `Client` option), so every new
// connection of every pool built with it passes through the one breaker of that server.
import pg from "pg";

export interface BreakerOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told when the breaker opens (the database became unreachable) and closes again. */
  onChange?: (event: { open: boolean; error?: unknown }) => void;
}

/** Shaped like the socket error of a refused connection, so every layer treats it as such. */
export class CircuitOpenError extends Error {
  override readonly name = "CircuitOpenError";
  readonly code = "ECONNREFUSED";
  readonly syscall = "connect";
  readonly errno = -111;
  constructor(readonly retryInMs: number) {
    super(
      `connect ECONNREFUSED: the database is unreachable (circuit open; next connection attempt in ${retryInMs} ms)`,
    );
  }
}

export class ConnectionBreaker {
  private state: "closed" | "open" | "probing" = "closed";
  private retryAt = 0;
  private delay: number;
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  /** Connection attempts let through to the server, and ones refused without a socket. */
  readonly stats = { attempts: 0, refused: 0, opened: 0 };

  constructor(private readonly opts: BreakerOptions = {}) {
    this.initialDelay = opts.initialDelayMs ?? 100;
    this.maxDelay = opts.maxDelayMs ?? 1_000;
    this.delay = this.initialDelay;
  }

  get isOpen(): boolean {
    return this.state !== "closed";
  }

  /** The state as it is (metrics): probing = half-open, one attempt let through. */
  get status(): "closed" | "open" | "probing" {
    return this.state;
  }

  /** Null when a connection attempt may go ahead, else the error to fail it with. */
  admit(now = Date.now()): CircuitOpenError | null {
    if (this.state === "closed") {
      this.stats.attempts++;
      return null;
    }
    if (this.state === "open" && now >= this.retryAt) {
      this.state = "probing";
      this.stats.attempts++;
      return null;
    }
    this.stats.refused++;
    return new CircuitOpenError(Math.max(0, this.retryAt - now));
  }

  record(error: unknown, now = Date.now()): void {
    if (!error) {
      if (this.state !== "closed") {
        this.state = "closed";
        this.delay = this.initialDelay;
        this.opts.onChange?.({ open: false });
      }
      return;
    }
    const wasClosed = this.state === "closed";
    // A failure while closed opens it with the first delay; a failed probe doubles the delay.
    if (!wasClosed && this.state === "probing") this.delay = Math.min(this.delay * 2, this.maxDelay);
    if (wasClosed) this.delay = this.initialDelay;
    this.state = "open";
    this.retryAt = now + this.delay;
    if (wasClosed) {
      this.stats.opened++;
      this.opts.onChange?.({ open: true, error });
    }
  }

  /** The pg Client class for a pool behind this breaker (`new pg.Pool({ Client })`). */
  clientClass(): typeof pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below needs the breaker, not the client
    const breaker = this;
    class GuardedClient extends pg.Client {
      constructor(config?: string | pg.ClientConfig) {
        super(config);
        // A connection the server drops while no one listens (checked out between a pool's idle
        // listener and its user's, e.g. when the postmaster is killed) must not crash the process
        // with an unhandled 'error': the client is dead either way, and its next use fails with
        // an error the API answers as 503. Seen in the resilience suite under kill -9.
        this.on("error", () => undefined);
      }

      override connect(): Promise<pg.Client>;
      override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's two callback shapes
      override connect(callback?: (err: any, c?: any) => void): Promise<pg.Client> | void {
        const refusal = breaker.admit();
        if (refusal) {
          if (callback) {
            process.nextTick(callback, refusal);
            return;
          }
          return Promise.reject(refusal);
        }
        if (callback) {
          super.connect((err: Error | null) => {
            breaker.record(err);
            callback(err, this);
          });
          return;
        }
        return super.connect().then(
          (client) => {
            breaker.record(null);
            return client;
          },
          (err: unknown) => {
            breaker.record(err);
            throw err;
          },
        );
      }
    }
    return GuardedClient;
  }
}
