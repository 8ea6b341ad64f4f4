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
