// A subscription's source (issue 46, decision 0031): the caller's power checked as `@Can` checks
// it — a non-member or an unknown workspace reads NOT_FOUND, a member without the ability
// FORBIDDEN — when it subscribes and again whenever power moves in the workspace (the hub's
// `auth` signal: demotion, removal, a key revoked, the session ended), which ends the
// subscription with that error. Each change the hub reports is loaded for this subscriber with
// its own access, through the tenant client and RLS; what it may not see is never sent.
import type { Action, Subject } from "@atrium/policies";

import type { WorkspaceAccess, WorkspaceAccessSource } from "../authz/access.ts";
import { AppError, ErrorCode, forbidden, notFound } from "../errors.ts";
import type { LiveEvent, LiveHub, LiveKind, LiveSignal } from "./hub.ts";

/** What a live connection knows of its caller, and how to ask again (the session or key may be gone). */
export interface LiveCaller {
  sessionId: string | null;
  userId: string | null;
  /** A fresh view of the caller's power (nothing cached), or an UNAUTHENTICATED AppError. */
  reauthenticate(): Promise<WorkspaceAccessSource>;
}

/** Signals a subscriber holds before it drops them and ends with LIVE_BACKLOG (a client that does not read). */
export const LIVE_QUEUE_LIMIT = 1_000;

export interface LiveSourceSpec<T> {
  /** The subscription field (with whatever of its arguments `load` depends on beyond the event): the load is shared under it. */
  name: string;
  hub: LiveHub;
  caller: LiveCaller;
  /** The access source the connection started with. */
  access: WorkspaceAccessSource;
  workspaceId: unknown;
  action: Action;
  subject: Exclude<Subject, "all">;
  kinds: readonly LiveKind[];
  /** Cheap filter on ids before anything is loaded. */
  matches?: (e: LiveEvent) => boolean;
  /** Called once with the granted access before the first event (a check of a named row: NOT_FOUND for another workspace's). */
  check?: (access: WorkspaceAccess) => Promise<void>;
  /** The payload for this subscriber, or null when it may not see it (or the row is gone). */
  load: (access: WorkspaceAccess, e: LiveEvent) => Promise<T | null>;
}

async function authorize(
  source: WorkspaceAccessSource,
  workspaceId: unknown,
  action: Action,
  subject: Exclude<Subject, "all">,
): Promise<WorkspaceAccess> {
  const access = typeof workspaceId === "string" ? await source.forWorkspace(workspaceId) : null;
  if (!access) throw notFound("Workspace");
  if (!access.ability.can(action, subject)) throw forbidden();
  return access;
}

/**
 * Loads of one change shared by the subscribers that would load the very same thing: the same
 * subscription field, in the same workspace, as the same user with the same role and policies
 * (an API key: its creator with the key's scopes) — RLS and the ability give them the same rows.
 * Keyed by the hub's event object (one per notification, dropped with it).
 */
const shared = new WeakMap<LiveEvent, Map<string, Promise<unknown>>>();
const sameView = (name: string, a: WorkspaceAccess): string =>
  `${name}\u0000${a.workspaceId}\u0000${a.userId}\u0000${a.membershipId}\u0000${a.role}\u0000${a.policies.join(",")}`;

function loadShared<T>(spec: LiveSourceSpec<T>, access: WorkspaceAccess, e: LiveEvent): Promise<T | null> {
  let loads = shared.get(e);
  if (!loads) shared.set(e, (loads = new Map<string, Promise<unknown>>()));
  const key = sameView(spec.name, access);
  let p = loads.get(key) as Promise<T | null> | undefined;
  if (!p) {
    p = spec.load(access, e);
    loads.set(key, p);
  }
  return p;
}

/** A load refused row by row (NOT_FOUND, FORBIDDEN): this subscriber does not get that event. */
const invisible = (err: unknown) =>
  err instanceof AppError && (err.code === ErrorCode.NOT_FOUND || err.code === ErrorCode.FORBIDDEN);

/**
 * The subscription's event stream: an AsyncIterator written by hand, not an async generator, so
 * that a client's `complete` (graphql-js calls `return()`) ends it at once even while it waits
 * for the next change, and unregisters it from the hub.
 */
export async function liveSource<T>(spec: LiveSourceSpec<T>): Promise<AsyncIterableIterator<T>> {
  let access = await authorize(spec.access, spec.workspaceId, spec.action, spec.subject);
  await spec.check?.(access);
  const kinds = new Set(spec.kinds);
  const queue: LiveSignal[] = [];
  let overflow = false;
  let done = false;
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let failing: ((err: unknown) => void) | null = null;
  let pumping = false;

  const remove = await spec.hub.add({
    workspaceId: access.workspaceId,
    kinds,
    sessionId: spec.caller.sessionId,
    userId: spec.caller.userId,
    signal(s) {
      if (done) return;
      if (s.type === "event" && spec.matches && !spec.matches(s.event)) return;
      if (queue.length >= LIVE_QUEUE_LIMIT) overflow = true;
      else queue.push(s);
      if (waiting) void pump();
    },
  });

  const finish = (): void => {
    if (done) return;
    done = true;
    queue.length = 0;
    remove();
  };

  /** Works through the queue until there is a payload for the waiting `next()`, an error, or nothing left. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (waiting && !done) {
        if (overflow)
          throw new AppError(
            ErrorCode.SERVICE_UNAVAILABLE,
            "This subscription fell too far behind and was ended. Subscribe again and refetch.",
            { reason: "LIVE_BACKLOG", retryAfterSeconds: 1 },
          );
        const s = queue.shift();
        if (!s) return;
        if (s.type === "gap") {
          throw new AppError(
            ErrorCode.SERVICE_UNAVAILABLE,
            "Live updates were interrupted. Subscribe again and refetch.",
            { reason: "LIVE_INTERRUPTED", retryAfterSeconds: 1 },
          );
        }
        if (s.type === "auth") {
          // Power moved in the workspace (or the session ended): asked afresh, nothing cached.
          access = await authorize(await spec.caller.reauthenticate(), access.workspaceId, spec.action, spec.subject);
          continue;
        }
        let payload: T | null;
        try {
          payload = await loadShared(spec, access, s.event);
        } catch (err) {
          if (invisible(err)) continue;
          throw err;
        }
        if (payload === null || done || !waiting) continue;
        const resolve = waiting;
        waiting = null;
        failing = null;
        resolve({ value: payload, done: false });
      }
    } catch (err) {
      const reject = failing;
      waiting = null;
      failing = null;
      finish();
      reject?.(err);
    } finally {
      pumping = false;
    }
    if (waiting && !done && (queue.length > 0 || overflow)) void pump();
  }

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = resolve;
        failing = reject;
        void pump();
      });
    },
    return() {
      const resolve = waiting;
      waiting = null;
      failing = null;
      finish();
      resolve?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err?: unknown) {
      finish();
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
