/**
 * Live updates (GraphQL subscriptions over graphql-ws, issue 46): the state of the socket for the
 * "Reconnecting…" indicator, and `useLive`, a `useSubscription` that reads the page's data again
 * (`onResync`) each time its subscription starts listening — its first start, after the page's
 * queries already ran, and every start after the socket dropped or the API ended the subscription
 * with SERVICE_UNAVAILABLE (LIVE_INTERRUPTED / LIVE_BACKLOG) — so no change is lost in between.
 */
import { type DocumentNode, type OperationVariables, type TypedDocumentNode } from "@apollo/client";
import { useSubscription } from "@apollo/client/react";
import { useEffect, useRef, useSyncExternalStore } from "react";

import { errorCode } from "./errors.ts";

/**
 * "idle": no socket (none needed yet, or closed because nothing subscribes); "connected";
 * "reconnecting": the socket dropped after having been connected and is being opened again.
 */
export type LiveConnectionState = "idle" | "connected" | "reconnecting";

let state: LiveConnectionState = "idle";
const listeners = new Set<() => void>();

/** The connection state store, for `useSyncExternalStore`. */
export const liveConnection = {
  getSnapshot: (): LiveConnectionState => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  set: (next: LiveConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  },
};

export function useLiveConnection(): LiveConnectionState {
  return useSyncExternalStore(liveConnection.subscribe, liveConnection.getSnapshot, liveConnection.getSnapshot);
}

/** The socket's address: ws:// or wss:// (as the page's protocol) + this host + /graphql. */
export function liveUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/graphql`;
}

/** Full-jitter exponential backoff: a random wait in [0, min(cap, base·2^attempt)) ms. */
export function backoffMs(attempt: number, baseMs = 1_000, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(Math.random() * ceiling);
}

/** Waits this long before subscribing again after SERVICE_UNAVAILABLE (the API asks for ≥ 1 s). */
const RESUBSCRIBE_MS = 1_000;

export interface LiveOptions<TData, TVariables extends OperationVariables> {
  readonly variables: TVariables;
  readonly skip?: boolean;
  /** Each event, as it arrives. */
  readonly onEvent: (data: TData) => void;
  /**
   * The subscription listens from now on (the API's start marker): refetch what the page shows,
   * since changes before this moment were not sent — the page's first read ran earlier, or the
   * subscription was cut and started again.
   */
  readonly onResync: () => void;
}

/**
 * `useSubscription` for a live page: no re-render per event (the page reacts in `onEvent`);
 * `onResync` each time the subscription starts listening (decision 0044, "the gap before the
 * socket is up"); after a LIVE_INTERRUPTED / LIVE_BACKLOG end it subscribes again.
 */
export function useLive<TData, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TData, TVariables> | DocumentNode,
  { variables, skip = false, onEvent, onResync }: LiveOptions<TData, TVariables>,
): void {
  // The latest callbacks, so a new closure each render does not restart the subscription.
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // Read by the live link (startMarkerLink): not deduplicated with another component's identical
  // subscription, so this one's start reaches this page's `onResync`.
  const context = useRef({
    queryDeduplication: false,
    onSubscriptionStarted: () => handlers.current.onResync(),
  }).current;

  const options: useSubscription.Options<TData, TVariables> = {
    variables,
    skip,
    context,
    ignoreResults: true,
    onData: ({ data }) => {
      // An event may carry rows (written to the cache already): a list read in flight is older.
      pageChanges.note();
      if (data.data != null) handlers.current.onEvent(data.data);
    },
    onError: (error) => {
      if (errorCode(error) !== "SERVICE_UNAVAILABLE") return;
      clearTimeout(timer.current);
      // The new subscription's start marker calls `onResync`.
      timer.current = setTimeout(restart, RESUBSCRIBE_MS + backoffMs(0, 500, 500));
    },
  };
  const { restart } = useSubscription<TData, TVariables>(document, ...([options] as [typeof options]));
}

/** A function that runs `fn` once, `ms` after the last of a burst of calls. */
export function useDebounced(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const debounced = useRef(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms);
  });
  return debounced.current;
}

/**
 * Every change that reached the page from the API: an action's answer (the mutation link in
 * apollo.ts) and each live event (`useLive`). A list read that sees this count move while it is in
 * flight may have been answered before that change was committed (decision 0031, addendum).
 */
let changesSeen = 0;
export const pageChanges = {
  note(): void {
    changesSeen++;
  },
  count(): number {
    return changesSeen;
  },
};

/**
 * The list read again so that its answer cannot put back an older state. A read that was in flight
 * when a change reached the page (an action's answer, a live event) may have been answered before
 * that change was committed, and its answer, arriving after, would overwrite the item in the cache
 * with what it was (seen in CI: a claimed review item shown open again, a redelivery's second
 * attempt replaced by the first). Such a read — one during which `changed()` was called or
 * `pageChanges` moved — is followed by another (at most `maxReads` in all). A `run()` while one is
 * going only marks it.
 */
export function freshReader(read: () => Promise<unknown>, maxReads = 3) {
  let running = false;
  let dirty = false;
  return {
    changed: (): void => {
      if (running) dirty = true;
    },
    run: async (): Promise<void> => {
      if (running) {
        dirty = true;
        return;
      }
      running = true;
      try {
        for (let reads = 0; reads < maxReads; reads++) {
          dirty = false;
          const before = pageChanges.count();
          await read().catch(() => undefined);
          if (!dirty && pageChanges.count() === before) return;
        }
      } finally {
        running = false;
      }
    },
  };
}

/**
 * A page's `refetch` run through a `freshReader`: `soon()` after a burst of events (debounced by
 * `ms`), `now()` at once (awaitable). The page's own actions and events need no marking:
 * `pageChanges` counts them. The latest `refetch` is used (its variables follow the page).
 */
export function useFreshRefetch(refetch: () => Promise<unknown>, ms: number) {
  const latest = useRef(refetch);
  useEffect(() => {
    latest.current = refetch;
  });
  const reader = useRef(freshReader(() => latest.current())).current;
  const soon = useDebounced(() => void reader.run(), ms);
  return { soon, now: reader.run };
}

/**
 * A list read whose answer is kept out of the cache unless it is fresh: when a change reached the
 * page while it was in flight, the answer is dropped and the list read again (at most `maxReads`
 * in all; the last answer is written whatever happened meanwhile, and the change's own live event
 * reads the list again after it). Unlike `freshReader`, an older answer is never shown even for a
 * moment: the inbox list carries every conversation's mode, and a takeover undone for half a
 * second unmounts the reply box the operator is typing in.
 */
export async function readFresh<T>(
  read: () => Promise<T>,
  write: (answer: T) => void,
  maxReads = 3,
): Promise<"fresh" | "last"> {
  for (let reads = 1; ; reads++) {
    const before = pageChanges.count();
    const answer = await read();
    if (pageChanges.count() === before) {
      write(answer);
      return "fresh";
    }
    if (reads >= maxReads) {
      write(answer);
      return "last";
    }
  }
}
