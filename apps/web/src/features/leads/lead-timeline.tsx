/**
 * A lead's timeline (issue 48): every message, call, booking, status change and campaign send,
 * newest first, live — refetched when an event concerns this lead (its status, one of its
 * conversations, one of its bookings), never polled.
 */
import { useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAbility } from "../../platform/ability.tsx";
import { useDebounced, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { SkeletonList } from "../../platform/ui/index.ts";
import { TimelineEntries } from "./lead-timeline-entries.tsx";
import { LeadTimelineBookingEventsDocument, LeadTimelineConversationEventsDocument, LeadTimelineDocument, LeadTimelineLeadEventsDocument } from "./operations.ts";
import "./lead-timeline.css";

/** The lead's timeline, live. */
export function LeadTimeline({ workspace, leadId }: { readonly workspace: { readonly id: string; readonly slug: string }; readonly leadId: string }) {
  const { t } = useTranslation("leads");
  const ability = useAbility();
  const variables = { workspaceId: workspace.id };
  const { data, error, refetch } = useQuery(LeadTimelineDocument, { variables: { workspaceId: workspace.id, leadId }, fetchPolicy: "cache-and-network" });
  // A burst of events (a delivery callback after a send) is one refetch.
  const refresh = useDebounced(() => void refetch(), 300);
  const conversations = new Set((data?.leadTimeline ?? []).flatMap((e) => (e.conversationId === null ? [] : [e.conversationId])));
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
    onEvent: ({ conversationEvents: event }) => (conversations.has(event.conversationId) || event.conversation?.leadId === leadId) && refresh(),
    onResync: refresh,
  });
  // Relative times move on without a refetch: the clock re-renders the list each minute.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  if (data === undefined) return error !== undefined ? <LoadError error={error} onRetry={() => void refetch()} /> : <SkeletonList label={t("timeline.loading")} />;
  return <TimelineEntries entries={data.leadTimeline} slug={workspace.slug} now={now} />;
}
