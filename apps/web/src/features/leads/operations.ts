import { graphql } from "../../gql/gql.ts";

export const LeadsDocument = graphql(`
  query Leads($workspaceId: ID!, $first: Int, $after: String, $status: LeadStatus) {
    leads(workspaceId: $workspaceId, first: $first, after: $after, status: $status) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          email
          phone
          source
          status
          createdAt
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
      id
      name
      email
      phone
      message
      source
      status
      createdAt
      contact {
        id
        name
        email
        phone
        createdAt
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
