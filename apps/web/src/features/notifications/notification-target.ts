/** Where a notification takes its reader (issue 47), and how each kind is named. */
import { type NotificationKind } from "../../gql/graphql.ts";
import { type IconName } from "../../platform/ui/index.ts";

export const NOTIFICATION_KINDS: Readonly<Record<NotificationKind, { readonly label: string; readonly icon: IconName }>> = {
  ASSIGNED: { label: "Assigned to you", icon: "user" },
  MENTION: { label: "Mentioned", icon: "at" },
  ESCALATION: { label: "Needs review", icon: "flag" },
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
  if ((notification.kind === "ESCALATION" || notification.conversationId == null) && notification.reviewItemId != null && canReadReview) return `${base}/review`;
  if (notification.conversationId != null) return `${base}/conversations/${notification.conversationId}`;
  return null;
}

/** The bell's accessible name: what it is and how many are unread. */
export function bellLabel(unread: number): string {
  if (unread === 0) return "Notifications, none unread";
  return `Notifications, ${unread} unread`;
}

/** The badge on the bell: "99+" past 99. */
export function unreadBadge(unread: number): string | undefined {
  if (unread <= 0) return undefined;
  return unread > 99 ? "99+" : String(unread);
}
