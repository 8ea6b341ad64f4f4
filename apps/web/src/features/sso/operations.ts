import { graphql } from "../../gql/gql.ts";

/** What the SSO section shows of a domain, and of the settings (the query and the connect mutation answer both). */
export const SsoDomainFieldsFragment = graphql(`
  fragment SsoDomainFields on SsoDomain {
    id
    domain
    recordName
    verified
    verifiedAt
    requireSso
  }
`);

export const SsoSettingsFieldsFragment = graphql(`
  fragment SsoSettingsFields on SsoSettings {
    connection {
      id
      issuerUrl
      clientId
      clientSecretMasked
      defaultPreset
      redirectUri
      updatedAt
    }
    domains {
      ...SsoDomainFields
    }
  }
`);

export const SsoSettingsDocument = graphql(`
  query SsoSettings($workspaceId: ID!) {
    ssoSettings(workspaceId: $workspaceId) {
      ...SsoSettingsFields
    }
  }
`);

export const ConnectSsoProviderDocument = graphql(`
  mutation ConnectSsoProvider($workspaceId: ID!, $input: SsoConnectionInput!) {
    connectSsoProvider(workspaceId: $workspaceId, input: $input) {
      ...SsoSettingsFields
    }
  }
`);

export const AddSsoDomainDocument = graphql(`
  mutation AddSsoDomain($workspaceId: ID!, $domain: String!) {
    addSsoDomain(workspaceId: $workspaceId, domain: $domain) {
      domain {
        ...SsoDomainFields
      }
      recordName
      recordValue
    }
  }
`);

export const VerifySsoDomainDocument = graphql(`
  mutation VerifySsoDomain($workspaceId: ID!, $id: ID!) {
    verifySsoDomain(workspaceId: $workspaceId, id: $id) {
      verified
      message
      domain {
        id
        verified
        verifiedAt
        requireSso
      }
    }
  }
`);

export const SetSsoDomainRequiredDocument = graphql(`
  mutation SetSsoDomainRequired($workspaceId: ID!, $id: ID!, $required: Boolean!) {
    setSsoDomainRequired(workspaceId: $workspaceId, id: $id, required: $required) {
      id
      requireSso
    }
  }
`);

export const RemoveSsoDomainDocument = graphql(`
  mutation RemoveSsoDomain($workspaceId: ID!, $id: ID!) {
    removeSsoDomain(workspaceId: $workspaceId, id: $id)
  }
`);

export const SignInMethodDocument = graphql(`
  query SignInMethod($email: String!) {
    signInMethod(email: $email) {
      sso
      ssoRequired
    }
  }
`);
