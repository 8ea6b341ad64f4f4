import { graphql } from "../../gql/gql.ts";

export const AdminUsersDocument = graphql(`
  query AdminUsers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    adminUsers(search: $search, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          name
          email
          emailVerified
          globalRole
          disabled
          workspaceCount
          createdAt
        }
      }
    }
  }
`);

export const SetUserDisabledDocument = graphql(`
  mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {
    setUserDisabled(userId: $userId, disabled: $disabled) {
      id
      disabled
    }
  }
`);

export const AdminRegistrationSettingsDocument = graphql(`
  query AdminRegistrationSettings {
    registrationSettings {
      mode
      allowedEmailDomains
    }
  }
`);

export const UpdateRegistrationSettingsDocument = graphql(`
  mutation UpdateRegistrationSettings($input: RegistrationSettingsInput!) {
    updateRegistrationSettings(input: $input) {
      mode
      allowedEmailDomains
    }
  }
`);
