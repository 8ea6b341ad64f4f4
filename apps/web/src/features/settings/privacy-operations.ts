import { graphql } from "../../gql/gql.ts";

/** Issue 50: data-subject requests (export, erasure) of the workspace. */
export const DataSubjectRequestsDocument = graphql(`
  query DataSubjectRequests($workspaceId: ID!) {
    dataSubjectRequests(workspaceId: $workspaceId) {
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
