/**
 * The socket of live updates (graphql-ws on the same `/graphql`), in a chunk of its own: the
 * app's Apollo Client loads this module at the first idle moment after a page asks for a
 * subscription (`DeferredLink`, live-link.ts), so graphql-ws and its setup stay out of the
 * scripts and the long tasks that come before a page's first render (decision 0044).
 */
import { ApolloLink } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { createClient, type Client } from "graphql-ws";
import { filter } from "rxjs";

import { csrfToken } from "./csrf.ts";
import { backoffMs, liveConnection, liveUrl } from "./live.ts";
import { type SessionEndReason } from "./session-end.ts";

export interface LiveClientOptions {
  /** The session cannot go on (the user must sign in again); see `ApolloOptions`. */
  readonly onSessionExpired: (reason: SessionEndReason) => void;
  /** Exchanges the refresh cookie for new session cookies (shared with the HTTP chain's refresh). */
  readonly refreshSession: () => Promise<boolean>;
}

/** Close codes of the API's socket (apps/api platform/live/transport.ts). */
const CLOSE = {
  /** No valid credentials (signed out, session revoked): final — graphql-ws does not retry it. */
  unauthenticated: 4401,
  /** The access cookie expired: refresh, then reconnect. */
  tokenExpired: 4419,
  /** The page is not of the API's origin: retrying cannot help. */
  forbidden: 4403,
} as const;
/** A ping unanswered this long means the network dropped silently: the socket is closed and reopened. */
const PONG_TIMEOUT_MS = 5_000;
const KEEP_ALIVE_MS = 10_000;

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "number" &&
    "reason" in value
  );
}

/**
 * The graphql-ws client: connects when the first subscription starts (lazy), sends the CSRF token
 * in connectionParams (the cookies go with the upgrade), and reconnects for ever with jittered
 * exponential backoff. A 4419 close (the access cookie expired) refreshes the session before the
 * next attempt; when the refresh fails, or on a 4401 close (no valid session at all), the session
 * is over: no more retries, and `onSessionExpired`. A ping every 10 s that gets no pong within
 * 5 s closes the socket (a network that dropped silently), which then reconnects; graphql-ws
 * subscribes again to every active subscription, and each one's start marker has its page read
 * again what it shows (events sent while the socket was down are not replayed).
 * `announceStart` asks the API for that marker (`startMarkerLink`).
 */
export function createLiveClient({ onSessionExpired, refreshSession }: LiveClientOptions): Client {
  let refreshBeforeRetry = false;
  let sessionOver = false;
  let everConnected = false;
  let socket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const endSession = (reason: SessionEndReason) => {
    sessionOver = true;
    liveConnection.set("idle");
    onSessionExpired(reason);
  };
  return createClient({
    url: liveUrl(window.location),
    lazy: true,
    keepAlive: KEEP_ALIVE_MS,
    connectionParams: () => ({ csrfToken: csrfToken(), announceStart: true }),
    retryAttempts: Infinity,
    shouldRetry: (event) => !sessionOver && !(isCloseEvent(event) && event.code === CLOSE.forbidden),
    retryWait: async (retries) => {
      if (refreshBeforeRetry) {
        refreshBeforeRetry = false;
        if (!(await refreshSession())) {
          endSession("expired");
          throw new Error("The session has ended.");
        }
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(retries)));
    },
    on: {
      connected: (s) => {
        socket = s as WebSocket;
        sessionOver = false;
        everConnected = true;
        liveConnection.set("connected");
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          if (socket?.readyState === WebSocket.OPEN) socket.close(4408, "Ping timeout");
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        socket = null;
        const code = isCloseEvent(event) ? event.code : undefined;
        if (code === CLOSE.unauthenticated && isCloseEvent(event)) {
          // A production workspace ended the session for inactivity, or there is no session left.
          endSession(event.reason === "IDLE_TIMEOUT" ? "idle-timeout" : "expired");
          return;
        }
        if (code === CLOSE.tokenExpired) refreshBeforeRetry = true;
        // A normal close (1000) is the lazy client closing with no subscription left.
        if (code === 1000 || sessionOver || !everConnected) {
          if (code === 1000) liveConnection.set("idle");
          return;
        }
        liveConnection.set("reconnecting");
      },
    },
  });
}

/**
 * Takes the API's start marker (`{"extensions":{"subscriptionStarted":true}}`, the first `next`
 * once the subscription listens) out of the results and calls the operation's
 * `context.onSubscriptionStarted`: from then on no change is missed, so the page reads again
 * what it read before (`useLive`'s `onResync`). Each `useLive` subscription is its own operation
 * (no deduplication), so each page's callback is called for its own subscription.
 */
export const startMarkerLink = new ApolloLink((operation, forward) =>
  forward(operation).pipe(
    filter((result) => {
      if (result.extensions?.subscriptionStarted !== true) return true;
      const started: unknown = operation.getContext().onSubscriptionStarted;
      if (typeof started === "function") (started as () => void)();
      return false;
    }),
  ),
);

/** The Apollo link that sends subscriptions over the live socket. */
export function createLiveLink(options: LiveClientOptions): ApolloLink {
  return startMarkerLink.concat(new GraphQLWsLink(createLiveClient(options)));
}
