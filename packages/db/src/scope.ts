// A request's scope as its units of work see it: its deadline (and the commit gate that keeps a
// 503 true), its cached principals, its statement count and its trace parent; and, in tests, the
// witness that refuses a unit of work run inside a request without that request's scope.
import { AsyncLocalStorage } from "node:async_hooks";

import type { TenantContext } from "./db.ts";
import { scopeWitnessOn } from "./env.ts";
import type { RequestPrincipals } from "./principals.ts";
import type { TraceParent } from "./statement-tracing.ts";

/** What one request (one run of it, for GraphQL) hands to each of its units of work. */
export interface RequestScope {
  readonly deadline?: RequestDeadline | undefined;
  readonly principals?: RequestPrincipals | undefined;
  /** The request's statement count (its log line), shared by all its runs. */
  readonly statements?: StatementCounter | undefined;
  /**
   * The sampled span its statements are traced under (decision 0035): set by the API's tracing on
   * the request's own scope (the HTTP span, then the GraphQL operation's while it runs), copied into
   * each run's. Undefined when tracing is off or the request is not sampled.
   */
  trace?: TraceParent | undefined;
}

/**
 * How many SQL statements a request's units of work sent (the request log, decision 0037): a
 * pipeline adds its statements, a `tenant` transaction its BEGIN, settings, the statements its
 * callback ran and its COMMIT (or ROLLBACK). One object per request, no allocation per statement.
 */
export interface StatementCounter {
  statements: number;
}

/**
 * The scope witness, for tests only (ATRIUM_SCOPE_WITNESS=1, set by jest.base.js): the HTTP layer
 * also enters each request's scope in an AsyncLocalStorage, and a unit of work that runs inside a
 * request without that very scope in its context is recorded (and refused), so a call site that
 * forgot to hand the scope down fails the suite instead of silently losing its deadline and its
 * principal checks. Off in production: no storage, no promise hooks.
 */
const witness = scopeWitnessOn() ? new AsyncLocalStorage<RequestScope>() : undefined;
const witnessed: string[] = [];
/** Runs `fn` with `scope` witnessed (tests); just runs it otherwise. */
export function witnessScope<T>(scope: RequestScope, fn: () => T): T {
  return witness ? witness.run(scope, fn) : fn();
}
/**
 * A run of work inside a request (a GraphQL run, a principal's load) with principals of its own:
 * `fn` gets the scope — the request's deadline and `principals` — witnessed as the request's
 * (tests: `parent` must be the scope of the request this runs in).
 */
export function runScope<T>(
  parent: RequestScope | null | undefined,
  principals: RequestPrincipals,
  fn: (scope: RequestScope & { readonly principals: RequestPrincipals }) => T,
): T {
  checkScope({ scope: parent });
  const scope = { deadline: parent?.deadline, principals, statements: parent?.statements, trace: parent?.trace };
  return witnessScope(scope, () => fn(scope));
}
/** The units of work the witness caught without their request's scope (and clears the list). */
export function takeScopeViolations(): string[] {
  return witnessed.splice(0);
}
/**
 * Runs `fn` witnessed as `ctx`'s own (tests): work done for several requests at once (a coalesced
 * write) runs in the context of the first, and what it then does for each is that one's.
 */
export function inOwnScope<T>(ctx: TenantContext, fn: () => T): T {
  if (!witness || ctx.scope === null) return fn();
  return ctx.scope ? witness.run(ctx.scope, fn) : witness.exit(fn);
}

/** Tests: throws when `ctx` runs inside a request without that request's scope (nothing in production). */
export function checkScope(ctx: TenantContext): void {
  if (!witness || ctx.scope === null) return;
  const expected = witness.getStore();
  if (!expected || ctx.scope === expected) return;
  const where = new Error().stack?.split("\n").slice(3, 7).join(" | ") ?? "";
  const problem = `a unit of work inside a request ${ctx.scope ? "with another request's scope" : "without its request's scope"}: ${where}`;
  witnessed.push(problem);
  throw new Error(problem);
}

/**
 * A request's deadline (per-route deadlines, issue 16) and the commit gate that keeps its 503 true.
 * - The HTTP layer creates one per request (in the request's `RequestScope`)
 *   and, when the deadline passes, asks `expire()` whether it may answer 503 DEADLINE_EXCEEDED.
 * - A tenant transaction started under it gets a statement_timeout for the time left (none is
 *   started once it has passed) and passes the gate when its work is done: `beginCommit()`
 *   refuses once the request was answered, so that transaction is rolled back, not committed
 *   behind a "stopped, try again" answer. statement_timeout alone cannot promise that: it is per
 *   statement, so one that began before the deadline can end, and commit, after it.
 * - A commit in flight at the deadline holds the 503 until it settles: failed → the 503 goes
 *   out; landed → the handler gets LATE_COMMIT_GRACE_MS to send its own (true) answer first.
 * All of it runs on the one event loop, so the gate and the timer cannot interleave.
 */
export class RequestDeadline {
  static readonly LATE_COMMIT_GRACE_MS = 1_000;
  /** The request was answered 503 DEADLINE_EXCEEDED: nothing may commit any more. */
  answered = false;
  private committing = 0;
  private onSettled: (() => void)[] = [];

  constructor(readonly at: number) {}

  /** Milliseconds left (≤ 0 once passed). */
  left(now = Date.now()): number {
    return this.at - now;
  }

  /** At the deadline: may the request be answered 503 now? If a commit is in flight, `retry` runs once it settles. */
  expire(retry: () => void): boolean {
    if (this.answered) return false;
    if (this.committing > 0) {
      this.onSettled.push(retry);
      return false;
    }
    this.answered = true;
    return true;
  }

  /** The commit gate, at the end of a transaction's work: throws once the request was answered. */
  beginCommit(): void {
    if (this.answered)
      throw new DeadlineExceededError("the request's deadline passed; its transaction was rolled back");
    this.committing++;
  }

  /** The commit (or its rollback) settled. */
  endCommit(committed: boolean): void {
    this.committing--;
    if (this.committing > 0 || this.onSettled.length === 0) return;
    const waiting = this.onSettled;
    this.onSettled = [];
    const run = () => {
      for (const retry of waiting) retry();
    };
    if (committed) setTimeout(run, RequestDeadline.LATE_COMMIT_GRACE_MS).unref();
    else run();
  }
}

/** A unit of work started after its request's deadline. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
  readonly code = "DEADLINE_EXCEEDED";
  constructor(message = "the request's deadline passed before its database work could start") {
    super(message);
  }
}
