/**
 * The inbox's rows (latest activity first): who, on which channel, the last message on one line,
 * when, AI or a person, who has it, the viewer's unread count, and whether it needs review or a
 * call is live. Empty, it says why and offers the next step.
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { formatNumber, formatRelative, formatTime, formatTotal } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, Icon, SkeletonList } from "../../platform/ui/index.ts";
import { ConversationsNextStep } from "../home/next-steps.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { emptyInboxText, isFiltered, type InboxFilters } from "./inbox-filters.ts";
import { AGENT_STATE_BADGE_CLASSES, agentState, channelLabel, contactLabel, previewText } from "./labels.ts";
import { type InboxRow, type useInbox } from "./use-inbox.ts";

function Row({
  row,
  href,
  selected,
  viewerId,
  now,
  agentPaused,
}: {
  row: InboxRow;
  href: string;
  selected: boolean;
  viewerId: string;
  now: Date;
  agentPaused: boolean;
}) {
  const { t } = useTranslation("conversations");
  const unread = row.unreadCount > 0;
  const state = agentState({ agentPaused, mode: row.mode, channel: row.channel, callLive: row.callLive });
  const assignee =
    row.assignee == null ? t("list.unassigned") : row.assignee.id === viewerId ? t("list.you") : row.assignee.name;
  return (
    <li
      className="inbox-row"
      data-testid="conversation-row"
      data-conversation-id={row.id}
      data-unread={unread ? "" : undefined}
      data-selected={selected ? "" : undefined}
    >
      <Link to={href} className="inbox-row__link" aria-current={selected ? "true" : undefined}>
        <span className="inbox-row__line">
          <Icon name={row.channel === "VOICE" ? "phone" : "chat"} className="inbox-row__channel" />
          <span className="visually-hidden">{t("list.channel", { channel: channelLabel(row.channel) })} </span>
          <span className="inbox-row__name">{contactLabel(row.contact)}</span>
          {row.callLive && (
            <span className="badge badge--live">
              <span className="live-dot" aria-hidden="true" /> {t("list.liveCall")}
            </span>
          )}
          <time className="inbox-row__time" dateTime={row.lastActivityAt} title={formatTime(row.lastActivityAt)}>
            {formatRelative(row.lastActivityAt, now)}
          </time>
        </span>
        <span className="inbox-row__preview">{previewText(row.lastMessage, row.channel)}</span>
        <span className="inbox-row__meta">
          <span className={AGENT_STATE_BADGE_CLASSES[state.tone]} title={state.label}>
            <span className="visually-hidden">{t("list.mode")} </span>
            {state.short}
          </span>
          <span className={row.assignee == null ? "inbox-row__assignee muted" : "inbox-row__assignee"}>
            <Icon name="user" />
            <span className="visually-hidden">{t("list.assignee")} </span>
            {assignee}
          </span>
          {row.openReviewCount > 0 && (
            <span className="badge badge--warning">
              <Icon name="flag" /> {t("list.needsReview")}
            </span>
          )}
          {row.status === "CLOSED" && <span className="badge badge--muted">{t("statuses.CLOSED")}</span>}
          {unread && (
            <span className="unread-count">
              {formatNumber(row.unreadCount)}
              <span className="visually-hidden"> {t("list.unread")}</span>
            </span>
          )}
        </span>
      </Link>
    </li>
  );
}

interface InboxListProps {
  readonly workspace: CurrentWorkspace;
  readonly inbox: ReturnType<typeof useInbox>;
  readonly filters: InboxFilters;
  readonly selectedId: string | undefined;
  /** The query string to keep on a row's link (the filters). */
  readonly search: string;
  readonly viewerId: string;
  readonly now: Date;
  readonly onClearFilters: () => void;
}

export function InboxList({
  workspace,
  inbox,
  filters,
  selectedId,
  search,
  viewerId,
  now,
  onClearFilters,
}: InboxListProps) {
  const { t } = useTranslation("conversations");
  if (inbox.rows === undefined) {
    if (inbox.error !== undefined) return <LoadError error={inbox.error} onRetry={inbox.retry} small />;
    return <SkeletonList rows={6} label={t("list.loading")} />;
  }
  if (inbox.rows.length === 0) {
    if (inbox.anyConversation === false) return <ConversationsNextStep workspace={workspace} />;
    return (
      <div className="empty-state inbox-empty" data-testid="inbox-empty">
        <p>{emptyInboxText(filters)}</p>
        {isFiltered(filters) && (
          <Button size="small" onClick={onClearFilters}>
            {t("list.clearFilters")}
          </Button>
        )}
      </div>
    );
  }
  return (
    <>
      <ul className="inbox-list" aria-label={t("list.label")}>
        {inbox.rows.map((row) => (
          <Row
            key={row.id}
            row={row}
            href={`/w/${workspace.slug}/conversations/${row.id}${search}`}
            selected={row.id === selectedId}
            viewerId={viewerId}
            now={now}
            agentPaused={workspace.agentPaused}
          />
        ))}
      </ul>
      {inbox.error !== undefined && <LoadError error={inbox.error} onRetry={inbox.retry} small />}
      <p className="inbox-list__foot muted small">
        {inbox.totalCountExact === true && inbox.rows.length === inbox.totalCount
          ? t("list.count", { count: inbox.totalCount, formatted: formatNumber(inbox.totalCount) })
          : t("list.countOf", {
              shown: formatNumber(inbox.rows.length),
              total:
                inbox.totalCount === undefined || inbox.totalCountExact === undefined
                  ? "…"
                  : formatTotal({ totalCount: inbox.totalCount, totalCountExact: inbox.totalCountExact }),
            })}
        {inbox.hasMore && (
          <Button size="small" disabled={inbox.loading} onClick={inbox.loadMore}>
            {inbox.loading ? t("list.loadingMore") : t("list.loadMore")}
          </Button>
        )}
      </p>
    </>
  );
}
