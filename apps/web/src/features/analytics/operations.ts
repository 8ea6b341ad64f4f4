import { graphql } from "../../gql/gql.ts";

export const AnalyticsDocument = graphql(`
  query Analytics($workspaceId: ID!, $from: String!, $to: String!) {
    analytics(workspaceId: $workspaceId, from: $from, to: $to) {
      day
      leads
      messagesIn
      messagesOut
      calls
      bookings
      bookedLeads
      conversion
    }
  }
`);

/** That something happened in the workspace's conversations (the usage and analytics pages refetch). */
export const ConversationActivityDocument = graphql(`
  subscription ConversationActivity($workspaceId: ID!) {
    conversationEvents(workspaceId: $workspaceId) {
      type
      conversationId
    }
  }
`);

/** That a lead was created, updated or deleted in the workspace (the analytics page refetches). */
export const LeadActivityDocument = graphql(`
  subscription LeadActivity($workspaceId: ID!) {
    leadEvents(workspaceId: $workspaceId) {
      type
      leadId
    }
  }
`);
