import { graphql } from "../../gql/gql.ts";

/** An item as its card shows it: the queue, each action's answer and each live event (so the cache follows). */
export const ReviewItemFields = graphql(`
  fragment ReviewItemFields on ReviewItem {
    id
    reason
    status
    summary
    excerpt
    messageId
    conversation {
      id
      mode
      contact {
        id
        name
        phone
      }
    }
    rule {
      id
      name
    }
    claimedBy {
      id
      name
    }
    claimedAt
    resolvedBy {
      id
      name
    }
    resolvedAt
    outcome
    note
    createdAt
  }
`);

export const ReviewItemsDocument = graphql(`
  query ReviewItems($workspaceId: ID!, $first: Int, $after: String, $status: [ReviewStatus!], $reason: ReviewReason) {
    reviewItems(workspaceId: $workspaceId, first: $first, after: $after, status: $status, reason: $reason) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ReviewItemFields
        }
      }
    }
  }
`);

export const ClaimReviewItemDocument = graphql(`
  mutation ClaimReviewItem($workspaceId: ID!, $id: ID!) {
    claimReviewItem(workspaceId: $workspaceId, id: $id) {
      ...ReviewItemFields
    }
  }
`);

export const ReleaseReviewItemDocument = graphql(`
  mutation ReleaseReviewItem($workspaceId: ID!, $id: ID!) {
    releaseReviewItem(workspaceId: $workspaceId, id: $id) {
      ...ReviewItemFields
    }
  }
`);

export const ResolveReviewItemDocument = graphql(`
  mutation ResolveReviewItem($workspaceId: ID!, $id: ID!, $outcome: String!, $note: String) {
    resolveReviewItem(workspaceId: $workspaceId, id: $id, outcome: $outcome, note: $note) {
      ...ReviewItemFields
    }
  }
`);

/** Items filed, claimed, released and resolved in the workspace, each as it is now. */
export const ReviewQueueEventsDocument = graphql(`
  subscription ReviewQueueEvents($workspaceId: ID!) {
    reviewQueueEvents(workspaceId: $workspaceId) {
      ...ReviewItemFields
    }
  }
`);
