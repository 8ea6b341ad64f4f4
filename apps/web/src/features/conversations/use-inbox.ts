/**
 * The inbox list's data: one page of `inbox` for the filters, "Load more" after it (keyset: the
 * API orders by last activity), and live updates. Any conversation event of the workspace
 * (a message, a takeover, an assignment…) may move a row to the top, add one or take one out
 * of the filter, so the list is read again — once per burst of events, never on a timer. That read
 * reaches the cache only if no change arrived while it was in flight (`readFresh`): an answer from
 * before a takeover would otherwise show the conversation back in the agent's hands for a moment,
 * and the console's reply box, beside the list, would close on what the operator was typing.
 */
import { useApolloClient, useQuery } from "@apollo/client/react";
import { useMemo } from "react";

import { readFresh, useDebounced, useLive } from "../../platform/live.ts";
import { inboxFilterVariables, type InboxFilters } from "./inbox-filters.ts";
import { ConversationEventsDocument, InboxDocument, InboxProbeDocument } from "./operations.ts";

export const INBOX_PAGE_SIZE = 25;
/** The API pages at most this many rows at once. */
const MAX_PAGE = 100;
/** Events come in bursts (a message, then its status callbacks): one read after the burst. */
const REFRESH_AFTER_MS = 600;

export function useInbox(workspaceId: string, filters: InboxFilters) {
  const client = useApolloClient();
  const filter = useMemo(() => inboxFilterVariables(filters), [filters]);
  const inbox = useQuery(InboxDocument, {
    variables: { workspaceId, first: INBOX_PAGE_SIZE, filter },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });
  const loaded = inbox.data?.inbox;
  const empty = loaded !== undefined && loaded.edges.length === 0;
  // Only asked when the filtered list is empty: "no conversations yet" or "none match"?
  const probe = useQuery(InboxProbeDocument, {
    variables: { workspaceId },
    skip: !empty,
    fetchPolicy: "cache-and-network",
  });

  const refresh = useDebounced(() => {
    // As many rows as are shown (up to the API's page limit), so "Load more" pages stay in view.
    const shown = Math.min(MAX_PAGE, Math.max(INBOX_PAGE_SIZE, loaded?.edges.length ?? 0));
    const variables = { workspaceId, first: shown, filter };
    void readFresh(
      async () => (await client.query({ query: InboxDocument, variables, fetchPolicy: "no-cache" })).data,
      (data) => {
        if (data !== undefined) client.writeQuery({ query: InboxDocument, variables, data });
      },
    ).catch(() => undefined);
    if (empty) void probe.refetch().catch(() => undefined);
  }, REFRESH_AFTER_MS);

  useLive(ConversationEventsDocument, {
    variables: { workspaceId },
    onEvent: ({ conversationEvents: event }) => {
      // A delivery status moving changes nothing the list shows that the cache has not already taken in.
      if (event.type === "MESSAGE_UPDATED" || event.type === "CALL_ACTION_UPDATED") return;
      refresh();
    },
    onResync: refresh,
  });

  const loadMore = () => {
    const endCursor = loaded?.pageInfo.endCursor;
    if (endCursor == null) return;
    void inbox.fetchMore({ variables: { after: endCursor, first: INBOX_PAGE_SIZE } }).catch(() => undefined);
  };

  return {
    rows: loaded?.edges.map(({ node }) => node),
    totalCount: loaded?.totalCount,
    /** False when the total is past the API's cap (1,001: "1,000+"). */
    totalCountExact: loaded?.totalCountExact,
    hasMore: loaded?.pageInfo.hasNextPage === true,
    loading: inbox.loading,
    error: inbox.error,
    retry: () => inbox.refetch(),
    loadMore,
    /** False when the workspace has no conversation at all (known only once the list is empty). */
    anyConversation: probe.data === undefined ? undefined : probe.data.inbox.totalCount > 0,
  };
}

export type InboxRow = NonNullable<ReturnType<typeof useInbox>["rows"]>[number];
