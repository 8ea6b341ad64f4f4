/**
 * A contact's timeline (issue 48): every message, call, booking, status change and campaign send
 * across the contact's conversations and leads, newest first, live — refetched when an event
 * concerns the contact (one of its leads, one of its leads' bookings, one of its conversations, or
 * a new one of either), never polled. Shown as a lead's is (`TimelineView`).
 */
import { useQuery } from "@apollo/client/react";
import { type ReactNode } from "react";

import { useAbility } from "../../platform/ability.tsx";
import { useDebounced, useFreshRefetch, useLive } from "../../platform/live.ts";
import { TimelineView } from "../leads/lead-timeline.tsx";
import { LeadTimelineBookingEventsDocument } from "../leads/operations.ts";
import {
  ContactTimelineConversationEventsDocument,
  ContactTimelineDocument,
  ContactTimelineLeadEventsDocument,
} from "./operations.ts";

export interface ContactTimelineProps {
  readonly workspace: { readonly id: string; readonly slug: string };
  readonly contactId: string;
  /** The contact's leads as its page knows them: their events concern the contact. */
  readonly leadIds: ReadonlySet<string>;
  /** One of the contact's leads arrived or changed (the page refetches its list of leads). */
  readonly onLeadsChanged?: () => void;
  /** The page's empty state. */
  readonly empty?: ReactNode;
}

/** The contact's timeline, live. */
export function ContactTimeline({ workspace, contactId, leadIds, onLeadsChanged, empty }: ContactTimelineProps) {
  const ability = useAbility();
  const variables = { workspaceId: workspace.id };
  const { data, error, refetch } = useQuery(ContactTimelineDocument, {
    variables: { workspaceId: workspace.id, contactId },
    fetchPolicy: "cache-and-network",
  });
  // A burst of events (a delivery callback after a send) is one refetch; one in flight when a
  // change arrives is done again (its answer may predate the change).
  const refresh = useFreshRefetch(refetch, 300).soon;
  const refreshLeads = useDebounced(() => onLeadsChanged?.(), 300);
  const conversations = new Set(
    (data?.contactTimeline ?? []).flatMap((e) => (e.conversationId === null ? [] : [e.conversationId])),
  );
  const readsLeads = ability.can("read", "Lead");
  useLive(ContactTimelineLeadEventsDocument, {
    variables,
    skip: !readsLeads,
    onEvent: ({ leadEvents: event }) => {
      if (!leadIds.has(event.leadId) && event.lead?.contact?.id !== contactId) return;
      refresh();
      refreshLeads();
    },
    onResync: () => {
      refresh();
      refreshLeads();
    },
  });
  useLive(LeadTimelineBookingEventsDocument, {
    variables,
    skip: !readsLeads,
    onEvent: ({ bookingEvents }) =>
      bookingEvents.lead !== null &&
      bookingEvents.lead !== undefined &&
      leadIds.has(bookingEvents.lead.id) &&
      refresh(),
    onResync: refresh,
  });
  useLive(ContactTimelineConversationEventsDocument, {
    variables,
    skip: !ability.can("read", "Conversation"),
    onEvent: ({ conversationEvents: event }) => {
      const conversation = event.conversation;
      const concerns =
        conversations.has(event.conversationId) ||
        conversation?.contact?.id === contactId ||
        (conversation?.leadId != null && leadIds.has(conversation.leadId));
      if (concerns) refresh();
    },
    onResync: refresh,
  });
  return (
    <TimelineView
      entries={data?.contactTimeline}
      error={error}
      onRetry={() => void refetch()}
      slug={workspace.slug}
      empty={empty}
    />
  );
}
