import { graphql } from "../../gql/gql.ts";

export const WorkspaceHomeDocument = graphql(`
  query WorkspaceHome($slug: String!) {
    workspace(slug: $slug) {
      id
      slug
      name
      description
      channel
      environment
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
      id
      slug
      name
      channel
      environment
    }
  }
`);
