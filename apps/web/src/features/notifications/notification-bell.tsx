/**
 * The notification centre (issue 47): a bell in the top bar while a workspace is open, with the
 * viewer's unread count kept live (`notificationEvents`), and a panel listing their notifications
 * — assigned a conversation, mentioned in a note, a conversation escalated for review. Choosing
 * one opens what it is about and marks it read; "Mark all read" clears the count.
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type NotificationFieldsFragment } from "../../gql/graphql.ts";
import { abilityFromPacked } from "../../platform/ability.tsx";
import { formatRelative, formatTime } from "../../platform/format.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, Icon, Popover, SkeletonList } from "../../platform/ui/index.ts";
import { WorkspaceHomeDocument } from "../workspaces/operations.ts";
import { bellLabel, NOTIFICATION_ICONS, notificationTarget, unreadBadge } from "./notification-target.ts";
import { MarkNotificationsReadDocument, NotificationEventsDocument, NotificationsDocument } from "./operations.ts";

import "./notifications.css";

const PAGE_SIZE = 20;
const BELL_CLASS = "button notification-bell";
const BELL_PROPS = { "data-testid": "notification-bell" };

function NotificationItem({
  notification,
  href,
  now,
  onOpen,
}: {
  notification: NotificationFieldsFragment;
  href: string | null;
  now: Date;
  onOpen: () => void;
}) {
  const { t } = useTranslation("notifications");
  const kindLabel = t(`kinds.${notification.kind}`);
  const unread = notification.readAt == null;
  const content = (
    <>
      <span className="notification__icon" title={kindLabel}>
        <Icon name={NOTIFICATION_ICONS[notification.kind]} />
      </span>
      <span className="notification__text">
        <span className="notification__title">{notification.title}</span>
        {notification.body != null && notification.body !== "" && (
          <span className="notification__body">{notification.body}</span>
        )}
        <span className="notification__meta">
          {kindLabel} ·{" "}
          <time dateTime={notification.createdAt} title={formatTime(notification.createdAt)}>
            {formatRelative(notification.createdAt, now)}
          </time>
        </span>
      </span>
      {unread && (
        <span className="unread-dot">
          <span className="visually-hidden">{t("panel.unread")}</span>
        </span>
      )}
    </>
  );
  return (
    <li data-testid="notification" data-unread={unread ? "" : undefined}>
      {href === null ? (
        <Button variant="bare" className="notification" onClick={onOpen}>
          {content}
        </Button>
      ) : (
        <Link to={href} className="notification" onClick={onOpen}>
          {content}
        </Link>
      )}
    </li>
  );
}

export function NotificationBell({ slug }: { slug: string }) {
  const { t } = useTranslation("notifications");
  const client = useApolloClient();
  // The workspace shell asks the same: answered from the cache.
  const home = useQuery(WorkspaceHomeDocument, { variables: { slug }, fetchPolicy: "cache-first" });
  const workspace = home.data?.workspace;
  const workspaceId = workspace?.id ?? "";
  const canReadReview = useMemo(
    () => abilityFromPacked(workspace?.permissions ?? "[]").can("read", "ReviewItem"),
    [workspace?.permissions],
  );
  const list = useQuery(NotificationsDocument, {
    variables: { workspaceId, first: PAGE_SIZE },
    skip: workspace === undefined,
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });
  const refresh = useDebounced(() => void list.refetch().catch(() => undefined), 300);
  useLive(NotificationEventsDocument, {
    variables: { workspaceId },
    skip: workspace === undefined,
    onEvent: refresh,
    onResync: refresh,
  });
  const [markRead, markState] = useMutation(MarkNotificationsReadDocument);

  const read = (ids: readonly string[] | null) => {
    // At once on screen; the list (and its count) is read again when the API has it.
    const readAt = new Date().toISOString();
    for (const edge of list.data?.notifications.edges ?? []) {
      if (edge.node.readAt == null && (ids === null || ids.includes(edge.node.id))) {
        client.cache.modify({ id: client.cache.identify(edge.node), fields: { readAt: () => readAt } });
      }
    }
    void markRead({ variables: { workspaceId, ids: ids === null ? null : [...ids] } }).then(refresh, () => refresh());
  };

  if (workspace === undefined) return null;
  const data = list.data?.notifications;
  const unread = data?.unreadCount ?? 0;
  const badge = unreadBadge(unread);
  const now = new Date();

  return (
    <Popover
      label={bellLabel(unread)}
      triggerClassName={BELL_CLASS}
      triggerProps={BELL_PROPS}
      trigger={
        <>
          <Icon name="bell" />
          {badge !== undefined && (
            <span className="notification-bell__count" aria-hidden="true">
              {badge}
            </span>
          )}
        </>
      }
      title={t("panel.title")}
      titleAction={
        <Button size="small" disabled={unread === 0 || markState.loading} onClick={() => read(null)}>
          {t("panel.markAllRead")}
        </Button>
      }
      className="notification-panel"
    >
      {(close) =>
        data === undefined ? (
          list.error !== undefined ? (
            <LoadError error={list.error} onRetry={list.refetch} small />
          ) : (
            <SkeletonList rows={3} label={t("panel.loading")} />
          )
        ) : data.edges.length === 0 ? (
          <p className="notification-panel__empty">{t("panel.empty")}</p>
        ) : (
          <>
            <ul className="notification-list" aria-label={t("panel.listLabel")}>
              {data.edges.map(({ node }) => (
                <NotificationItem
                  key={node.id}
                  notification={node}
                  href={notificationTarget(node, slug, canReadReview)}
                  now={now}
                  onOpen={() => {
                    if (node.readAt == null) read([node.id]);
                    close();
                  }}
                />
              ))}
            </ul>
            {data.pageInfo.hasNextPage && (
              <Button
                size="small"
                className="notification-panel__more"
                disabled={list.loading}
                onClick={() =>
                  void list
                    .fetchMore({ variables: { after: data.pageInfo.endCursor, first: PAGE_SIZE } })
                    .catch(() => undefined)
                }
              >
                {list.loading ? t("panel.loadingMore") : t("panel.showOlder")}
              </Button>
            )}
          </>
        )
      }
    </Popover>
  );
}
