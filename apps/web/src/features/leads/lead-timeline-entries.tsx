/**
 * A lead's timeline entries (issue 48): one item per entry, newest first as given, each kind with
 * its icon (decoration) and its words, a relative time through Intl, and the empty state.
 */
import { Link } from "react-router";
import { type LeadTimelineKind, type LeadTimelineQuery } from "../../gql/graphql.ts";
import { formatTime } from "../../platform/format.ts";
import { EmptyState, Icon, type IconName } from "../../platform/ui/index.ts";
import { relativeTime } from "../home/home-model.ts";

export type TimelineEntry = LeadTimelineQuery["leadTimeline"][number];

/** Each kind's icon and its words (the icon is decoration; the words say it). */
export const TIMELINE_KINDS: Readonly<Record<LeadTimelineKind, { icon: IconName; label: string }>> = {
  MESSAGE_IN: { icon: "chat", label: "Message received" },
  MESSAGE_OUT: { icon: "send", label: "Message sent" },
  CALL: { icon: "phone", label: "Call" },
  BOOKING: { icon: "calendar", label: "Booking" },
  STATUS_CHANGE: { icon: "status-change", label: "Status change" },
  CAMPAIGN_SEND: { icon: "megaphone", label: "Campaign send" },
};

/** The entries as a list; `now` fixes the relative times (tests). */
export function TimelineEntries({ entries, slug, now = new Date() }: { readonly entries: readonly TimelineEntry[]; readonly slug: string; readonly now?: Date }) {
  if (entries.length === 0) {
    return (
      <EmptyState title="Nothing has happened yet." testId="lead-timeline-empty">
        Messages, calls, bookings, status changes and campaign sends will appear here as they happen. Change the status above, or reply in a conversation to start.
      </EmptyState>
    );
  }
  return (
    <ol className="timeline" aria-label="Timeline">
      {entries.map((entry) => {
        const kind = TIMELINE_KINDS[entry.kind];
        return (
          <li key={`${entry.kind}-${entry.id}`} className="timeline__entry" data-kind={entry.kind}>
            <Icon name={kind.icon} className="timeline__icon" />
            <span className="timeline__body">
              <strong>{kind.label}</strong>{" "}
              <time dateTime={entry.at} title={formatTime(entry.at)} className="muted">
                {relativeTime(entry.at, now)}
              </time>
              <span className="timeline__summary">
                {entry.conversationId !== null ? <Link to={`/w/${slug}/conversations/${entry.conversationId}`}>{entry.summary}</Link> : entry.summary}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
