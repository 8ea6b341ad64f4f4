import { graphql } from "../../gql/gql.ts";

/**
 * The sidebar's counts (issue 48): open conversations nobody is assigned to, and review items
 * not yet resolved. Each only where the viewer may read it (the API refuses it otherwise).
 */
export const ShellCountsDocument = graphql(`
  query ShellCounts($workspaceId: ID!, $inbox: Boolean!, $review: Boolean!) {
    unassigned: inbox(workspaceId: $workspaceId, first: 1, filter: { assignee: UNASSIGNED, status: OPEN }) @include(if: $inbox) {
      totalCount
      totalCountExact
    }
    review: reviewItems(workspaceId: $workspaceId, first: 1, status: [OPEN, CLAIMED]) @include(if: $review) {
      totalCount
      totalCountExact
    }
  }
`);

/** That a conversation changed (the counts refetch). */
export const ShellConversationEventsDocument = graphql(`
  subscription ShellConversationEvents($workspaceId: ID!) {
    conversationEvents(workspaceId: $workspaceId) {
      type
      conversationId
    }
  }
`);

/** That a review item was filed, claimed, released or resolved (the counts refetch). */
export const ShellReviewEventsDocument = graphql(`
  subscription ShellReviewEvents($workspaceId: ID!) {
    reviewQueueEvents(workspaceId: $workspaceId) {
      id
      status
    }
  }
`);

/** The command palette's search: leads, contacts and conversations by name or phone. */
export const ShellSearchDocument = graphql(`
  query ShellSearch($workspaceId: ID!, $query: String!) {
    search(workspaceId: $workspaceId, query: $query, first: 5) {
      kind
      id
      title
      subtitle
    }
  }
`);
