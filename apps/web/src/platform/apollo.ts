/**
 * The one Apollo Client of the app. Requests go to `/graphql` on this origin with the session
 * cookies and the CSRF header. When an operation fails with UNAUTHENTICATED (the short-lived
 * access cookie expired), the session is refreshed once with the refresh cookie and the
 * operation retried; when the refresh fails too, the session is over and `onSessionExpired`
 * sends the user to sign in.
 *
 * Subscriptions go over WebSocket (graphql-ws on the same `/graphql`, see `createLiveClient`);
 * queries and mutations keep the HTTP chain.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { relayStylePagination } from "@apollo/client/utilities";
import { Kind, OperationTypeNode, print } from "graphql";
import { type Client, createClient } from "graphql-ws";
import { from, switchMap, throwError } from "rxjs";
import { graphql } from "../gql/gql.ts";
import { csrfToken, sessionFetch } from "./csrf.ts";
import { errorCode, errorExtension } from "./errors.ts";
import { backoffMs, liveConnection, liveUrl } from "./live.ts";

function stepUpLifetime(error: unknown): number | undefined {
  const minutes = errorExtension(error, "lifetimeMinutes");
  return typeof minutes === "number" ? minutes : undefined;
}
import { type SessionEndReason, isIdleTimeout } from "./session-end.ts";
import { requestStepUp } from "../features/step-up/step-up-gate.ts";

declare module "@apollo/client" {
  interface DefaultContext {
    /** Set on the retry after a session refresh, so an operation is never retried twice. */
    sessionRefreshed?: boolean;
    /** Set on the retry after a step-up verification (S7), likewise. */
    steppedUp?: boolean;
  }
}

const RefreshSessionDocument = graphql(`
  mutation RefreshSession {
    refreshSession {
      expiresAt
    }
  }
`);

/**
 * Operations for which UNAUTHENTICATED is an answer, not an expired session: refreshing
 * before them would be pointless (or, for RefreshSession itself, a loop).
 */
const NO_REFRESH_OPERATIONS: ReadonlySet<string> = new Set([
  "RefreshSession",
  "SignIn",
  "SignUp",
  "VerifyEmail",
  "ResendVerificationEmail",
]);

let refreshInFlight: Promise<boolean> | undefined;

/**
 * Exchanges the refresh cookie for new session cookies. Concurrent callers share one request:
 * refresh tokens rotate on use, and the API revokes the whole family when a rotated token is
 * presented again, so two parallel refreshes would sign the user out.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= sessionFetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ operationName: "RefreshSession", query: print(RefreshSessionDocument), variables: {} }),
  })
    .then(async (response) => {
      const body = (await response.json()) as { data?: { refreshSession?: unknown } | null; errors?: unknown[] };
      return response.ok && (body.errors === undefined || body.errors.length === 0) && body.data?.refreshSession != null;
    })
    .catch(() => false)
    .finally(() => {
      refreshInFlight = undefined;
    });
  return refreshInFlight;
}

export interface ApolloOptions {
  /**
   * Called when the session cannot be refreshed any more (the user must sign in again);
   * `reason` is "idle-timeout" when a production workspace ended it for inactivity.
   */
  readonly onSessionExpired: (reason: SessionEndReason) => void;
}

/** The close code the API ends a socket with when its session cookie no longer counts. */
const CLOSE_UNAUTHENTICATED = 4401;

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === "object" && value !== null && typeof (value as { code?: unknown }).code === "number" && "reason" in value;
}

/**
 * The graphql-ws client: connects when the first subscription starts (lazy), sends the CSRF token
 * in connectionParams (the cookies go with the upgrade), and reconnects for ever with jittered
 * exponential backoff. A 4401 close (the access cookie expired or no longer counts) refreshes the
 * session before the next attempt; when the refresh fails too, the session is over: no more
 * retries, and `onSessionExpired`. `onReconnected` runs when a dropped socket is back.
 */
export function createLiveClient({ onSessionExpired, onReconnected }: ApolloOptions & { readonly onReconnected: () => void }): Client {
  let refreshBeforeRetry = false;
  let sessionOver = false;
  let everConnected = false;
  return createClient({
    url: liveUrl(window.location),
    lazy: true,
    connectionParams: () => ({ csrfToken: csrfToken() }),
    retryAttempts: Infinity,
    shouldRetry: () => !sessionOver,
    retryWait: async (retries) => {
      if (refreshBeforeRetry) {
        refreshBeforeRetry = false;
        if (!(await refreshSession())) {
          sessionOver = true;
          liveConnection.set("idle");
          onSessionExpired("expired");
          throw new Error("The session has ended.");
        }
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(retries)));
    },
    on: {
      connected: () => {
        sessionOver = false;
        const wasDown = liveConnection.getSnapshot() === "reconnecting";
        everConnected = true;
        liveConnection.set("connected");
        if (wasDown) onReconnected();
      },
      closed: (event) => {
        const code = isCloseEvent(event) ? event.code : undefined;
        if (code === CLOSE_UNAUTHENTICATED) {
          if (event !== null && isCloseEvent(event) && event.reason === "IDLE_TIMEOUT") {
            // A production workspace ended the session for inactivity: a refresh would fail.
            sessionOver = true;
            liveConnection.set("idle");
            onSessionExpired("idle-timeout");
            return;
          }
          refreshBeforeRetry = true;
        }
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

function isSubscription(operation: ApolloLink.Operation): boolean {
  return operation.query.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION);
}

export function createApolloClient({ onSessionExpired }: ApolloOptions): ApolloClient {
  const refreshOnUnauthenticated = new ErrorLink(({ error, operation, forward }) => {
    if (errorCode(error) !== "UNAUTHENTICATED") return;
    if (NO_REFRESH_OPERATIONS.has(operation.operationName ?? "")) return;
    // The API has ended the session already: a refresh would fail; say why instead.
    if (isIdleTimeout(error)) {
      onSessionExpired("idle-timeout");
      return;
    }
    if (operation.getContext().sessionRefreshed === true) {
      onSessionExpired("expired");
      return;
    }
    return from(refreshSession()).pipe(
      switchMap((refreshed) => {
        if (!refreshed) {
          onSessionExpired("expired");
          return throwError(() => error);
        }
        operation.setContext({ sessionRefreshed: true });
        return forward(operation);
      }),
    );
  });

  // S7: the workspace wants a second factor. Ask for it, then send the operation again, so the
  // user carries on where they were; a cancelled prompt lets the error through.
  const stepUpOnRequired = new ErrorLink(({ error, operation, forward }) => {
    if (errorCode(error) !== "STEP_UP_REQUIRED" || operation.getContext().steppedUp === true) return;
    return from(requestStepUp({ lifetimeMinutes: stepUpLifetime(error) })).pipe(
      switchMap((verified) => {
        if (!verified) return throwError(() => error);
        operation.setContext({ steppedUp: true });
        return forward(operation);
      }),
    );
  });

  const http = new HttpLink({ uri: "/graphql", credentials: "same-origin", fetch: sessionFetch });

  const live = createLiveClient({
    onSessionExpired,
    // Events sent while the socket was down are not replayed: read again what the pages show.
    onReconnected: () => void client.refetchQueries({ include: "active" }).catch(() => undefined),
  });
  const ws = new GraphQLWsLink(live);

  const client: ApolloClient = new ApolloClient({
    link: ApolloLink.split(isSubscription, ws, refreshOnUnauthenticated.concat(stepUpOnRequired).concat(http)),
    cache: new InMemoryCache({
      typePolicies: {
        // A membership has no id of its own; it lives inside its user.
        Membership: { keyFields: false },
        Query: {
          fields: {
            auditEvents: relayStylePagination(["workspaceId", "action", "actorUserId", "since", "until"]),
            leads: relayStylePagination(["workspaceId", "status"]),
            contacts: relayStylePagination(["workspaceId", "search", "tag"]),
            webhookDeliveries: relayStylePagination(["workspaceId", "endpointId"]),
            conversations: relayStylePagination(["workspaceId"]),
            messages: relayStylePagination(["workspaceId", "conversationId"]),
          },
        },
      },
    }),
  });
  return client;
}
