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
      totalCountExact
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

export const AuditStreamDocument = graphql(`
  query AuditStream($workspaceId: ID!) {
    auditStream(workspaceId: $workspaceId) {
      id
      url
      enabled
      state
      lastDeliveredEventAt
      lastDeliveredAt
      deliveredEvents
      pendingEvents
      pendingEventsCapped
      lagSeconds
      lastError
      lastAttemptAt
      consecutiveFailures
      nextAttemptAt
      previousSecretExpiresAt
    }
  }
`);

/** The stream each time it is set up, changed or removed, or a batch moves (issue 50): the card refetches, never polls. */
export const AuditStreamEventsDocument = graphql(`
  subscription AuditStreamEvents($workspaceId: ID!) {
    auditStreamEvents(workspaceId: $workspaceId) {
      type
    }
  }
`);

export const SetAuditStreamDocument = graphql(`
  mutation SetAuditStream($workspaceId: ID!, $input: SetAuditStreamInput!) {
    setAuditStream(workspaceId: $workspaceId, input: $input) {
      secret
    }
  }
`);

export const RotateAuditStreamSecretDocument = graphql(`
  mutation RotateAuditStreamSecret($workspaceId: ID!) {
    rotateAuditStreamSecret(workspaceId: $workspaceId) {
      secret
    }
  }
`);

export const RetryAuditStreamDocument = graphql(`
  mutation RetryAuditStream($workspaceId: ID!) {
    retryAuditStream(workspaceId: $workspaceId) {
      id
    }
  }
`);

export const RemoveAuditStreamDocument = graphql(`
  mutation RemoveAuditStream($workspaceId: ID!) {
    removeAuditStream(workspaceId: $workspaceId)
  }
`);

export const TestAuditStreamDocument = graphql(`
  mutation TestAuditStream($workspaceId: ID!) {
    testAuditStream(workspaceId: $workspaceId) {
      ok
      error
      latencyMs
    }
  }
`);
