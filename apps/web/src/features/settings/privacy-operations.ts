import { graphql } from "../../gql/gql.ts";

/** Issue 50: data-subject requests (export, erasure) of the workspace. */
export const DataSubjectRequestsDocument = graphql(`
  query DataSubjectRequests($workspaceId: ID!) {
    dataSubjectRequests(workspaceId: $workspaceId) {
      ...DataSubjectRequestFields
    }
  }
`);

export const DataSubjectRequestFieldsFragment = graphql(`
  fragment DataSubjectRequestFields on DataSubjectRequest {
    id
    kind
    status
    processed
    total
    downloadUrl
    downloadExpiresAt
    error
    createdAt
  }
`);

export const CreateDataSubjectRequestDocument = graphql(`
  mutation CreateDataSubjectRequest($workspaceId: ID!, $input: DataSubjectRequestInput!) {
    createDataSubjectRequest(workspaceId: $workspaceId, input: $input) {
      id
      kind
      status
    }
  }
`);

/** Each request as it is made and as its job moves (state, progress, download link): live, never polled. */
export const DataSubjectRequestEventsDocument = graphql(`
  subscription DataSubjectRequestEvents($workspaceId: ID!) {
    dataSubjectRequestEvents(workspaceId: $workspaceId) {
      ...DataSubjectRequestFields
    }
  }
`);
