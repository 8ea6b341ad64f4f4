import { graphql } from "../../gql/gql.ts";

export const MemberFields = graphql(`
  fragment MemberFields on Member {
    id
    role
    policies
    effectivePolicies
    createdAt
    user {
      id
      email
      name
    }
  }
`);

export const InvitationFields = graphql(`
  fragment InvitationFields on Invitation {
    id
    email
    role
    policies
    status
    expiresAt
    createdAt
  }
`);

export const MembersDocument = graphql(`
  query Members($workspaceId: ID!) {
    members(workspaceId: $workspaceId) {
      ...MemberFields
    }
  }
`);

export const InvitationsDocument = graphql(`
  query Invitations($workspaceId: ID!) {
    invitations(workspaceId: $workspaceId) {
      ...InvitationFields
    }
  }
`);

/** Presets and the catalog: static per deployment, fetched once. */
export const MemberAccessOptionsDocument = graphql(`
  query MemberAccessOptions {
    rolePresets {
      id
      name
      description
      role
      policies
    }
    policyCatalog {
      key
      description
      group
    }
  }
`);

export const InviteMemberDocument = graphql(`
  mutation InviteMember($workspaceId: ID!, $input: InviteMemberInput!) {
    inviteMember(workspaceId: $workspaceId, input: $input) {
      ...InvitationFields
    }
  }
`);

export const UpdateMemberDocument = graphql(`
  mutation UpdateMember($workspaceId: ID!, $userId: ID!, $input: UpdateMemberInput!) {
    updateMember(workspaceId: $workspaceId, userId: $userId, input: $input) {
      ...MemberFields
    }
  }
`);

export const RemoveMemberDocument = graphql(`
  mutation RemoveMember($workspaceId: ID!, $userId: ID!) {
    removeMember(workspaceId: $workspaceId, userId: $userId)
  }
`);

export const LeaveWorkspaceDocument = graphql(`
  mutation LeaveWorkspace($workspaceId: ID!) {
    leaveWorkspace(workspaceId: $workspaceId)
  }
`);

export const TransferOwnershipDocument = graphql(`
  mutation TransferOwnership($workspaceId: ID!, $userId: ID!) {
    transferOwnership(workspaceId: $workspaceId, userId: $userId) {
      id
      myRole
      myPolicies
      permissions
    }
  }
`);

export const ResendInvitationDocument = graphql(`
  mutation ResendInvitation($workspaceId: ID!, $id: ID!) {
    resendInvitation(workspaceId: $workspaceId, id: $id) {
      id
      status
      expiresAt
    }
  }
`);

export const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($workspaceId: ID!, $id: ID!) {
    revokeInvitation(workspaceId: $workspaceId, id: $id)
  }
`);
