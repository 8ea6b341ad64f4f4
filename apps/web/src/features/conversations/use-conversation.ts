/**
 * The console's data: the conversation, its transcript (oldest first, "Load later messages"
 * forward), and its notes, activity and call requests — all kept current by the conversation's
 * live events, and the conversation marked read for the viewer when it is opened and when the
 * contact writes while it is open.
 *
 * Live events carry the changed row: a message's new status, the conversation's new mode or
 * assignee, a call request's new status land in the cache by id without a request. What is new
 * (a message, a note) is added to its list; the activity (who did what) is read again after a
 * change of the conversation.
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useCallback, useEffect, useRef } from "react";

import { type GuidanceNoteFieldsFragment } from "../../gql/graphql.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { MarkConversationReadDocument } from "./console-operations.ts";
import {
  ConversationDocument,
  ConversationEventsDocument,
  ConversationTimelineDocument,
  MessagesDocument,
} from "./operations.ts";

const PAGE_SIZE = 50;

export function useConversation(workspaceId: string, conversationId: string) {
  const client = useApolloClient();
  const conversation = useQuery(ConversationDocument, {
    variables: { workspaceId, id: conversationId },
    fetchPolicy: "cache-and-network",
  });
  const messages = useQuery(MessagesDocument, {
    variables: { workspaceId, conversationId, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });
  const timeline = useQuery(ConversationTimelineDocument, {
    variables: { workspaceId, conversationId },
    fetchPolicy: "cache-and-network",
  });
  const loaded = messages.data?.messages;

  const [markRead] = useMutation(MarkConversationReadDocument);
  const readNow = useCallback(() => {
    void markRead({ variables: { workspaceId, id: conversationId } }).catch(() => undefined);
  }, [markRead, workspaceId, conversationId]);
  const readSoon = useDebounced(readNow, 800);
  // Opened: read.
  useEffect(() => readNow(), [readNow]);
  // Unread while open and looked at (the list's refresh may bring a count the page has not
  // cleared yet; the tab coming back into view): read.
  const unread = conversation.data?.conversation.unreadCount ?? 0;
  useEffect(() => {
    const readIfSeen = () => {
      if (unread > 0 && document.visibilityState === "visible") readSoon();
    };
    readIfSeen();
    document.addEventListener("visibilitychange", readIfSeen);
    return () => document.removeEventListener("visibilitychange", readIfSeen);
  }, [unread, readSoon]);

  const rereadTimeline = useDebounced(() => void timeline.refetch().catch(() => undefined), 400);

  /** A note (ours or a teammate's) joins the list once. */
  const addNote = useCallback(
    (note: GuidanceNoteFieldsFragment) => {
      client.cache.updateQuery(
        { query: ConversationTimelineDocument, variables: { workspaceId, conversationId } },
        (data) =>
          data == null || data.guidanceNotes.some(({ id }) => id === note.id)
            ? data
            : { ...data, guidanceNotes: [...data.guidanceNotes, note] },
      );
    },
    [client, workspaceId, conversationId],
  );

  /**
   * A new message is read after the last loaded one, while every message is loaded (otherwise
   * "Load later messages" reaches it). One read at a time: a message announced while a read is
   * in flight (the lead's message, then the agent's answer a moment later) sends the next read
   * from the cursor the first one ended on. Two reads from the same cursor at once would be one
   * request to Apollo (identical operations in flight are deduplicated), answered before the
   * second message existed, so the transcript would miss it until a reload.
   */
  const reading = useRef<{ again: boolean } | null>(null);
  const loadNewMessage = (id: string) => {
    if (loaded === undefined || loaded.edges.some(({ node }) => node.id === id) || loaded.pageInfo.hasNextPage) return;
    if (reading.current !== null) {
      reading.current.again = true;
      return;
    }
    const run = { again: false };
    reading.current = run;
    void (async () => {
      let cursor = loaded.pageInfo.endCursor;
      try {
        for (;;) {
          run.again = false;
          const result =
            cursor == null
              ? await messages.refetch()
              : await messages.fetchMore({ variables: { after: cursor, first: PAGE_SIZE } });
          const page = result.data?.messages;
          cursor = page?.pageInfo.endCursor ?? cursor;
          if (!run.again || page?.pageInfo.hasNextPage !== false) return;
        }
      } catch {
        // The next event or "Load later messages" reads again.
      } finally {
        reading.current = null;
      }
    })();
  };

  useLive(ConversationEventsDocument, {
    variables: { workspaceId, conversationId },
    onEvent: ({ conversationEvents: event }) => {
      switch (event.type) {
        case "MESSAGE_ADDED":
          if (event.message == null) return;
          loadNewMessage(event.message.id);
          if (event.message.direction === "INBOUND" && document.visibilityState === "visible") readSoon();
          return;
        case "GUIDANCE_ADDED":
          if (event.guidance != null) addNote(event.guidance);
          return;
        case "CALL_ACTION_UPDATED": {
          // A status change is in the cache already; a new request (a transfer) joins the list.
          const known = timeline.data?.callActions.some(({ id }) => id === event.callAction?.id) === true;
          if (!known) rereadTimeline();
          return;
        }
        case "CONVERSATION_UPDATED":
          rereadTimeline();
          return;
        case "MESSAGE_UPDATED":
          return;
      }
    },
    onResync: () => {
      void conversation.refetch().catch(() => undefined);
      void messages.refetch().catch(() => undefined);
      void timeline.refetch().catch(() => undefined);
    },
  });

  return {
    conversation,
    messages,
    timeline,
    addNote,
    rereadTimeline,
    /** After a manual reply: it joins the transcript now, not only when its event arrives. */
    messageSent: (id: string) => loadNewMessage(id),
    loadLaterMessages: () => {
      const endCursor = loaded?.pageInfo.endCursor;
      if (endCursor == null) return;
      void messages.fetchMore({ variables: { after: endCursor, first: PAGE_SIZE } }).catch(() => undefined);
    },
  };
}

export type ConsoleConversation = NonNullable<
  ReturnType<typeof useConversation>["conversation"]["data"]
>["conversation"];
