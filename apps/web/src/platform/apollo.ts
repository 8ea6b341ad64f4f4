/**
 * The one Apollo Client of the app. Requests go to `/graphql` on this origin with the session
 * cookies and the CSRF header. When an operation fails with UNAUTHENTICATED (the short-lived
 * access cookie expired), the session is refreshed once with the refresh cookie and the
 * operation retried; when the refresh fails too, the session is over and `onSessionExpired`
 * sends the user to sign in.
 *
 * Subscriptions go over WebSocket (graphql-ws on the same `/graphql`, see live-client.ts, loaded
 * at the first idle moment after a page subscribes: live-link.ts); queries and mutations keep the
 * HTTP chain.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { relayStylePagination } from "@apollo/client/utilities";
import { Kind, OperationTypeNode, print } from "graphql";
import { from, switchMap, tap, throwError } from "rxjs";

import { requestStepUp } from "../features/step-up/step-up-gate.ts";
import { graphql } from "../gql/gql.ts";
import { sessionFetch } from "./csrf.ts";
import { errorCode, errorExtension } from "./errors.ts";
import { DeferredLink } from "./live-link.ts";
import { pageChanges } from "./live.ts";
import { isIdleTimeout, type SessionEndReason } from "./session-end.ts";

function stepUpLifetime(error: unknown): number | undefined {
  const minutes = errorExtension(error, "lifetimeMinutes");
  return typeof minutes === "number" ? minutes : undefined;
}

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
  "CompleteSignIn",
  "SignUp",
  "VerifyEmail",
  "VerifyEmailAndSignIn",
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
      return (
        response.ok && (body.errors === undefined || body.errors.length === 0) && body.data?.refreshSession != null
      );
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

function isOperation(operation: ApolloLink.Operation, type: OperationTypeNode): boolean {
  return operation.query.definitions.some(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === type,
  );
}

const isSubscription = (operation: ApolloLink.Operation) => isOperation(operation, OperationTypeNode.SUBSCRIPTION);

/** Each mutation's answer is a change that reached the page (see `pageChanges` in live.ts). */
export const noteMutationAnswers = new ApolloLink((operation, forward) =>
  isOperation(operation, OperationTypeNode.MUTATION)
    ? forward(operation).pipe(tap({ next: () => pageChanges.note() }))
    : forward(operation),
);

export function createApolloClient({ onSessionExpired }: ApolloOptions): ApolloClient {
  const refreshOnUnauthenticated = new ErrorLink(({ error, operation, forward }) => {
    if (errorCode(error) !== "UNAUTHENTICATED") return;
    if (NO_REFRESH_OPERATIONS.has(operation.operationName ?? "")) return;
    // A query asked ahead of its page at load (routes/router.tsx preloadWorkspaceRoute): a
    // refresh may help it, but whether the session has ended is for `me` to find out and say.
    const preload = operation.getContext().preload === true;
    // The API has ended the session already: a refresh would fail; say why instead.
    if (isIdleTimeout(error)) {
      if (preload) return;
      onSessionExpired("idle-timeout");
      return;
    }
    if (operation.getContext().sessionRefreshed === true) {
      if (!preload) onSessionExpired("expired");
      return;
    }
    return from(refreshSession()).pipe(
      switchMap((refreshed) => {
        if (!refreshed) {
          if (!preload) onSessionExpired("expired");
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

  const ws = new DeferredLink(async () =>
    (await import("./live-client.ts")).createLiveLink({
      onSessionExpired,
      refreshSession,
    }),
  );

  const client: ApolloClient = new ApolloClient({
    link: ApolloLink.split(
      isSubscription,
      ws,
      refreshOnUnauthenticated.concat(stepUpOnRequired).concat(noteMutationAnswers).concat(http),
    ),
    cache: new InMemoryCache({
      typePolicies: {
        // A membership has no id of its own; it lives inside its user.
        Membership: { keyFields: false },
        Query: {
          fields: {
            auditEvents: relayStylePagination(["workspaceId", "action", "actorUserId", "since", "until"]),
            // Each order (issue 48) is a list of its own: its cursors page only that order.
            leads: relayStylePagination(["workspaceId", "status", "orderBy"]),
            contacts: relayStylePagination(["workspaceId", "search", "tag", "orderBy"]),
            webhookDeliveries: relayStylePagination(["workspaceId", "endpointId"]),
            conversations: relayStylePagination(["workspaceId"]),
            messages: relayStylePagination(["workspaceId", "conversationId"]),
            // The inbox: one list per filter (the whole ConversationFilter object is the key).
            inbox: relayStylePagination(["workspaceId", "filter"]),
            notifications: relayStylePagination(["workspaceId", "unreadOnly"]),
          },
        },
      },
    }),
  });
  return client;
}
