import { graphql } from "../../gql/gql.ts";

export const HomeOverviewDocument = graphql(`
  query HomeOverview($workspaceId: ID!) {
    workspaceHome(workspaceId: $workspaceId) {
      checklist {
        items {
          key
          done
        }
        doneCount
        total
        complete
      }
      glance {
        since
        until
        newLeads {
          current
          previous
        }
        waitingForReply {
          current
          previous
        }
        bookings {
          current
          previous
        }
        sendsFailed {
          current
          previous
        }
      }
      activity {
        id
        action
        actorName
        targetType
        targetId
        targetLabel
        createdAt
      }
    }
  }
`);

/** What an empty list needs to offer the right next step: the setup items only (one statement). */
export const WorkspaceSetupDocument = graphql(`
  query WorkspaceSetup($workspaceId: ID!) {
    workspaceHome(workspaceId: $workspaceId) {
      checklist {
        items {
          key
          done
        }
      }
    }
  }
`);

/** That a lead arrived or changed (the home page refetches). */
export const HomeLeadEventsDocument = graphql(`
  subscription HomeLeadEvents($workspaceId: ID!) {
    leadEvents(workspaceId: $workspaceId) {
      type
      leadId
    }
  }
`);

/** That something happened in the conversations (the home page refetches). */
export const HomeConversationEventsDocument = graphql(`
  subscription HomeConversationEvents($workspaceId: ID!) {
    conversationEvents(workspaceId: $workspaceId) {
      type
      conversationId
    }
  }
`);

/** That a booking was made or moved (the home page refetches). */
export const HomeBookingEventsDocument = graphql(`
  subscription HomeBookingEvents($workspaceId: ID!) {
    bookingEvents(workspaceId: $workspaceId) {
      id
    }
  }
`);
