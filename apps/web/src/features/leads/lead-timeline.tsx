/**
 * A lead's timeline (issue 48): every message, call, booking, status change and campaign send,
 * newest first, live — refetched when an event concerns this lead (its status, one of its
 * conversations, one of its bookings), never polled. `TimelineView` shows it, and a contact's
 * (features/contacts/contact-timeline.tsx).
 */
import { useQuery } from "@apollo/client/react";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { useAbility } from "../../platform/ability.tsx";
import { useFreshRefetch, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { SkeletonList } from "../../platform/ui/index.ts";
import { TimelineEntries, type TimelineEntry } from "./lead-timeline-entries.tsx";
import {
  LeadTimelineBookingEventsDocument,
  LeadTimelineConversationEventsDocument,
  LeadTimelineDocument,
  LeadTimelineLeadEventsDocument,
} from "./operations.ts";

import "./lead-timeline.css";

/** The lead's timeline, live. */
export function LeadTimeline({
  workspace,
  leadId,
}: {
  readonly workspace: { readonly id: string; readonly slug: string };
  readonly leadId: string;
}) {
  const ability = useAbility();
  const variables = { workspaceId: workspace.id };
  const { data, error, refetch } = useQuery(LeadTimelineDocument, {
    variables: { workspaceId: workspace.id, leadId },
    fetchPolicy: "cache-and-network",
  });
  // A burst of events (a delivery callback after a send) is one refetch; one in flight when a
  // change arrives is done again (its answer may predate the change).
  const refresh = useFreshRefetch(refetch, 300).soon;
  const conversations = new Set(
    (data?.leadTimeline ?? []).flatMap((e) => (e.conversationId === null ? [] : [e.conversationId])),
  );
  useLive(LeadTimelineLeadEventsDocument, {
    variables,
    onEvent: ({ leadEvents }) => leadEvents.leadId === leadId && refresh(),
    onResync: refresh,
  });
  useLive(LeadTimelineBookingEventsDocument, {
    variables,
    onEvent: ({ bookingEvents }) => bookingEvents.lead?.id === leadId && refresh(),
    onResync: refresh,
  });
  useLive(LeadTimelineConversationEventsDocument, {
    variables,
    skip: !ability.can("read", "Conversation"),
    onEvent: ({ conversationEvents: event }) =>
      (conversations.has(event.conversationId) || event.conversation?.leadId === leadId) && refresh(),
    onResync: refresh,
  });
  return (
    <TimelineView entries={data?.leadTimeline} error={error} onRetry={() => void refetch()} slug={workspace.slug} />
  );
}

/**
 * A timeline as its query left it (a lead's, a contact's): a skeleton while the first answer is
 * on its way, the error with a retry when there is none, then the entries (`empty`: the page's
 * own empty state). Relative times move on without a refetch: a clock re-renders them each minute.
 */
export function TimelineView({
  entries,
  error,
  onRetry,
  slug,
  empty,
}: {
  readonly entries: readonly TimelineEntry[] | undefined;
  readonly error: unknown;
  readonly onRetry: () => void;
  readonly slug: string;
  readonly empty?: ReactNode;
}) {
  const { t } = useTranslation("leads");
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  if (entries === undefined)
    return error !== undefined ? (
      <LoadError error={error} onRetry={onRetry} />
    ) : (
      <SkeletonList label={t("timeline.loading")} />
    );
  return <TimelineEntries entries={entries} slug={slug} now={now} empty={empty} />;
}
