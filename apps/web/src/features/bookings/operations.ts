import { graphql } from "../../gql/gql.ts";

export const BookingFields = graphql(`
  fragment BookingFields on Booking {
    id
    status
    startsAt
    endsAt
    attendeeName
    attendeeEmail
    providerUid
    createdAt
    lead {
      id
      name
    }
  }
`);

export const BookingsDocument = graphql(`
  query Bookings($workspaceId: ID!, $first: Int, $after: String, $leadId: ID) {
    bookings(workspaceId: $workspaceId, first: $first, after: $after, leadId: $leadId) {
      totalCount
      totalCountExact
      edges {
        cursor
        node {
          ...BookingFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CancelBookingDocument = graphql(`
  mutation CancelBooking($workspaceId: ID!, $id: ID!, $input: CancelBookingInput) {
    cancelBooking(workspaceId: $workspaceId, id: $id, input: $input) {
      ...BookingFields
    }
  }
`);

export const RescheduleBookingDocument = graphql(`
  mutation RescheduleBooking($workspaceId: ID!, $id: ID!, $input: RescheduleBookingInput!) {
    rescheduleBooking(workspaceId: $workspaceId, id: $id, input: $input) {
      ...BookingFields
    }
  }
`);
