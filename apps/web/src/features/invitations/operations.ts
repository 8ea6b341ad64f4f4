import { graphql } from "../../gql/gql.ts";

export const InvitationPreviewDocument = graphql(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) {
      email
      role
      workspaceName
      workspaceSlug
      expiresAt
    }
  }
`);

export const AcceptInvitationDocument = graphql(`
  mutation AcceptInvitation($token: String!) {
    acceptInvitation(token: $token) {
      id
      slug
      name
    }
  }
`);
