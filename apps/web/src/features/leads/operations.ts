import { graphql } from "../../gql/gql.ts";

/** A lead as the list shows it; the detail adds its message and contact. */
export const LeadFields = graphql(`
  fragment LeadFields on Lead {
    id
    name
    email
    phone
    source
    status
    createdAt
  }
`);

export const LeadsDocument = graphql(`
  query Leads($workspaceId: ID!, $first: Int, $after: String, $status: LeadStatus, $orderBy: LeadOrder) {
    leads(workspaceId: $workspaceId, first: $first, after: $after, status: $status, orderBy: $orderBy) {
      totalCount
      totalCountExact
      edges {
        cursor
        node {
          ...LeadFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const LeadDocument = graphql(`
  query Lead($workspaceId: ID!, $id: ID!) {
    lead(workspaceId: $workspaceId, id: $id) {
      ...LeadFields
      message
      contact {
        ...ContactFields
      }
    }
  }
`);

export const UpdateLeadStatusDocument = graphql(`
  mutation UpdateLeadStatus($workspaceId: ID!, $id: ID!, $status: LeadStatus!) {
    updateLeadStatus(workspaceId: $workspaceId, id: $id, status: $status) {
      id
      status
    }
  }
`);

export const LeadStatusHistoryDocument = graphql(`
  query LeadStatusHistory($workspaceId: ID!, $id: ID!) {
    leadStatusHistory(workspaceId: $workspaceId, id: $id) {
      at
      from
      to
      automatic
      cause
    }
  }
`);

/** One entry of a timeline, the lead's or the contact's (they share the type and its view). */
export const TimelineEntryFields = graphql(`
  fragment TimelineEntryFields on LeadTimelineEntry {
    id
    kind
    at
    summary
    conversationId
    messageId
    callId
    bookingId
    campaignId
  }
`);

/** Everything that happened to the lead, newest first (issue 48). */
export const LeadTimelineDocument = graphql(`
  query LeadTimeline($workspaceId: ID!, $leadId: ID!, $first: Int) {
    leadTimeline(workspaceId: $workspaceId, leadId: $leadId, first: $first) {
      ...TimelineEntryFields
    }
  }
`);

/** That a lead changed (the timeline refetches when it is this lead). */
export const LeadTimelineLeadEventsDocument = graphql(`
  subscription LeadTimelineLeadEvents($workspaceId: ID!) {
    leadEvents(workspaceId: $workspaceId) {
      type
      leadId
    }
  }
`);

/** That something happened in a conversation (the timeline refetches when it is this lead's). */
export const LeadTimelineConversationEventsDocument = graphql(`
  subscription LeadTimelineConversationEvents($workspaceId: ID!) {
    conversationEvents(workspaceId: $workspaceId) {
      type
      conversationId
      conversation {
        id
        leadId
      }
    }
  }
`);

/** That a booking was made or moved (the timeline refetches when it is this lead's). */
export const LeadTimelineBookingEventsDocument = graphql(`
  subscription LeadTimelineBookingEvents($workspaceId: ID!) {
    bookingEvents(workspaceId: $workspaceId) {
      id
      lead {
        id
      }
    }
  }
`);
