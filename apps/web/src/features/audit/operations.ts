import { graphql } from "../../gql/gql.ts";

export const AuditEventsDocument = graphql(`
  query AuditEvents($workspaceId: ID!, $first: Int, $after: String) {
    auditEvents(workspaceId: $workspaceId, first: $first, after: $after) {
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
          actorApiKeyId
          ip
          targetType
          targetId
          data
          createdAt
        }
      }
    }
  }
`);
