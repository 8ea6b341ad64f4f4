/**
 * A lead's or a contact's timeline entries (issue 48): one item per entry, newest first as given, each kind with
 * its icon (decoration) and its words, a relative time through Intl, and the empty state.
 */
import { type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type LeadTimelineKind, type LeadTimelineQuery } from "../../gql/graphql.ts";
import { formatTime } from "../../platform/format.ts";
import { EmptyState, Icon, type IconName } from "../../platform/ui/index.ts";
import { relativeTime } from "../home/home-model.ts";

export type TimelineEntry = LeadTimelineQuery["leadTimeline"][number];

/** Each kind's icon (decoration); its words are the leads namespace's `timeline.kinds.<kind>`. */
export const TIMELINE_KINDS: Readonly<Record<LeadTimelineKind, { icon: IconName }>> = {
  MESSAGE_IN: { icon: "chat" },
  MESSAGE_OUT: { icon: "send" },
  CALL: { icon: "phone" },
  BOOKING: { icon: "calendar" },
  STATUS_CHANGE: { icon: "status-change" },
  CAMPAIGN_SEND: { icon: "megaphone" },
};

/**
 * The entries as a list (a lead's or a contact's: the same entries); `now` fixes the relative
 * times (tests); `empty` replaces the lead's empty state (a contact's page has its own).
 */
export function TimelineEntries({
  entries,
  slug,
  now = new Date(),
  empty,
}: {
  readonly entries: readonly TimelineEntry[];
  readonly slug: string;
  readonly now?: Date;
  readonly empty?: ReactNode;
}) {
  const { t } = useTranslation("leads");
  if (entries.length === 0) {
    if (empty !== undefined) return empty;
    return (
      <EmptyState title={t("timeline.emptyTitle")} testId="lead-timeline-empty">
        {t("timeline.emptyBody")}
      </EmptyState>
    );
  }
  return (
    <ol className="timeline" aria-label={t("timeline.label")}>
      {entries.map((entry) => {
        const kind = TIMELINE_KINDS[entry.kind];
        return (
          <li key={`${entry.kind}-${entry.id}`} className="timeline__entry" data-kind={entry.kind}>
            <Icon name={kind.icon} className="timeline__icon" />
            <span className="timeline__body">
              <strong>{t(`timeline.kinds.${entry.kind}`)}</strong>{" "}
              <time dateTime={entry.at} title={formatTime(entry.at)} className="muted">
                {relativeTime(entry.at, now)}
              </time>
              <span className="timeline__summary">
                {entry.conversationId !== null ? (
                  <Link to={`/w/${slug}/conversations/${entry.conversationId}`}>{entry.summary}</Link>
                ) : (
                  entry.summary
                )}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
