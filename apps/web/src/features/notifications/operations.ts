import { graphql } from "../../gql/gql.ts";

export const NotificationFields = graphql(`
  fragment NotificationFields on Notification {
    id
    kind
    title
    body
    createdAt
    readAt
    conversationId
    reviewItemId
  }
`);

/** The viewer's notifications in a workspace, newest first, and how many are unread. */
export const NotificationsDocument = graphql(`
  query Notifications($workspaceId: ID!, $first: Int, $after: String) {
    notifications(workspaceId: $workspaceId, first: $first, after: $after) {
      unreadCount
      totalCount
      edges {
        cursor
        node {
          ...NotificationFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Marks those named read, or all of them (ids null). */
export const MarkNotificationsReadDocument = graphql(`
  mutation MarkNotificationsRead($workspaceId: ID!, $ids: [ID!]) {
    markNotificationsRead(workspaceId: $workspaceId, ids: $ids)
  }
`);

/** Live: the viewer's notifications as they arrive or are read. */
export const NotificationEventsDocument = graphql(`
  subscription NotificationEvents($workspaceId: ID!) {
    notificationEvents(workspaceId: $workspaceId) {
      ...NotificationFields
    }
  }
`);
