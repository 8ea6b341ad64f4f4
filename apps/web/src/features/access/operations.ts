import { graphql } from "../../gql/gql.ts";

export const ExplainAccessDocument = graphql(`
  query ExplainAccess($workspaceId: ID!, $action: String!, $subject: String!, $userId: ID) {
    explainAccess(workspaceId: $workspaceId, action: $action, subject: $subject, userId: $userId) {
      allowed
      reasons
    }
  }
`);
