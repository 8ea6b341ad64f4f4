import { graphql } from "../../gql/gql.ts";

export const AuditEventsDocument = graphql(`
  query AuditEvents(
    $workspaceId: ID!
    $first: Int
    $after: String
    $action: String
    $actorUserId: ID
    $since: DateTimeISO
    $until: DateTimeISO
  ) {
    auditEvents(
      workspaceId: $workspaceId
      first: $first
      after: $after
      action: $action
      actorUserId: $actorUserId
      since: $since
      until: $until
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          action
          actorUserId
          actor {
            kind
            name
            email
          }
          ip
          targetType
          targetLabel
          data
          createdAt
        }
      }
    }
  }
`);

/** The actor picker: the workspace's members. */
export const AuditActorsDocument = graphql(`
  query AuditActors($workspaceId: ID!) {
    members(workspaceId: $workspaceId) {
      id
      user {
        id
        email
        name
      }
    }
  }
`);
