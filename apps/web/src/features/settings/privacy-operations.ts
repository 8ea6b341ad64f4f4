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
      error
      createdAt
    }
  }
`);

export const CreateDataSubjectRequestDocument = graphql(`
  mutation CreateDataSubjectRequest($workspaceId: ID!, $input: DataSubjectRequestInput!) {
    createDataSubjectRequest(workspaceId: $workspaceId, input: $input) {
      id
    }
  }
`);

/** A request made or its job moved (state, progress, download link): the list refetches, never polls. */
export const DataSubjectRequestEventsDocument = graphql(`
  subscription DataSubjectRequestEvents($workspaceId: ID!) {
    dataSubjectRequestEvents(workspaceId: $workspaceId) {
      id
    }
  }
`);
