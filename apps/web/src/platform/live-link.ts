/**
 * A link whose real link is made later (decision 0044, "the live socket at the first idle
 * moment"): the first operation through it waits for the browser's first idle moment, then
 * loads the real link (a dynamic import, so its code is a chunk of its own) and hands every
 * operation to it from then on. The signed-in pages ask for their subscriptions while they
 * first render; loading graphql-ws and opening the socket then would land in the long tasks
 * that decide the page's Total Blocking Time, for updates that matter only after the page is up.
 */
import { ApolloLink } from "@apollo/client";
import { Observable, type Subscription } from "rxjs";

/** Runs `callback` when the browser is idle, or after `timeoutMs` at the latest. */
export type WhenIdle = (callback: () => void, timeoutMs: number) => void;

/** The first idle moment, or a task when the browser has no `requestIdleCallback` (Safari). */
export const whenBrowserIdle: WhenIdle = (callback, timeoutMs) => {
  if (typeof window !== "undefined" && typeof window.requestIdleCallback === "function") {
    window.requestIdleCallback(() => callback(), { timeout: timeoutMs });
  } else {
    setTimeout(callback, 0);
  }
};

/** The live socket is opened within this long of the first subscription even on a page that is never idle. */
export const IDLE_TIMEOUT_MS = 2_000;

export class DeferredLink extends ApolloLink {
  private link: Promise<ApolloLink> | undefined;

  constructor(
    private readonly load: () => Promise<ApolloLink>,
    private readonly whenIdle: WhenIdle = whenBrowserIdle,
  ) {
    super();
  }

  /** The real link, loaded once; a failed load (a chunk that did not arrive) is tried again next time. */
  private realLink(): Promise<ApolloLink> {
    this.link ??= new Promise<void>((resolve) => this.whenIdle(resolve, IDLE_TIMEOUT_MS))
      .then(() => this.load())
      .catch((error: unknown) => {
        this.link = undefined;
        throw error;
      });
    return this.link;
  }

  override request(
    operation: ApolloLink.Operation,
    forward: ApolloLink.ForwardFunction,
  ): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) => {
      let inner: Subscription | undefined;
      let unsubscribed = false;
      this.realLink().then(
        (link) => {
          // The page stopped listening (it unmounted) before the link was ready: nothing to start.
          if (unsubscribed) return;
          inner = link.request(operation, forward).subscribe(observer);
        },
        (error: unknown) => {
          if (!unsubscribed) observer.error(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return () => {
        unsubscribed = true;
        inner?.unsubscribe();
      };
    });
  }
}
