/**
 * Where a notification takes its reader (issue 47), and each kind's icon (its name is the
 * notifications namespace's `kinds.<kind>`).
 */
import i18n from "i18next";

import { type NotificationKind } from "../../gql/graphql.ts";
import { formatNumber } from "../../platform/format.ts";
import { type IconName } from "../../platform/ui/index.ts";

export const NOTIFICATION_ICONS: Readonly<Record<NotificationKind, IconName>> = {
  ASSIGNED: "user",
  MENTION: "at",
  ESCALATION: "flag",
};

/**
 * An escalation opens the review queue (where it is claimed and resolved) for a reader who may
 * see it, otherwise its conversation; the others open their conversation. Null: nowhere to go
 * (the conversation is gone), the notification is only marked read.
 */
export function notificationTarget(
  notification: { kind: NotificationKind; conversationId?: string | null; reviewItemId?: string | null },
  slug: string,
  canReadReview: boolean,
): string | null {
  const base = `/w/${encodeURIComponent(slug)}`;
  if (
    (notification.kind === "ESCALATION" || notification.conversationId == null) &&
    notification.reviewItemId != null &&
    canReadReview
  )
    return `${base}/review`;
  if (notification.conversationId != null) return `${base}/conversations/${notification.conversationId}`;
  return null;
}

/** The bell's accessible name: what it is and how many are unread (in the page's language). */
export function bellLabel(unread: number): string {
  if (unread === 0) return i18n.t("bell.labelNone", { ns: "notifications" });
  return i18n.t("bell.label", { ns: "notifications", count: unread, number: formatNumber(unread) });
}

/** The badge on the bell: "99+" past 99. */
export function unreadBadge(unread: number): string | undefined {
  if (unread <= 0) return undefined;
  return unread > 99 ? "99+" : String(unread);
}
