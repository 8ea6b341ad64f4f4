import { graphql } from "../../gql/gql.ts";

/**
 * A workspace as the list and the switcher show it: the session's memberships (platform/session.tsx),
 * the workspace home and a newly created workspace.
 */
export const WorkspaceSummaryFields = graphql(`
  fragment WorkspaceSummaryFields on Workspace {
    id
    slug
    name
    channel
    environment
  }
`);

export const WorkspaceHomeDocument = graphql(`
  query WorkspaceHome($slug: String!) {
    workspace(slug: $slug) {
      ...WorkspaceSummaryFields
      description
      agentPaused
      createdAt
      myRole
      myPolicies
      permissions
    }
  }
`);

export const CreateWorkspaceDocument = graphql(`
  mutation CreateWorkspace($input: CreateWorkspaceInput!) {
    createWorkspace(input: $input) {
      ...WorkspaceSummaryFields
    }
  }
`);
