import { graphql } from "../../gql/gql.ts";

export const SsoSettingsDocument = graphql(`
  query SsoSettings($workspaceId: ID!) {
    ssoSettings(workspaceId: $workspaceId) {
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
        id
        domain
        recordName
        verified
        verifiedAt
        requireSso
      }
    }
  }
`);

export const ConnectSsoProviderDocument = graphql(`
  mutation ConnectSsoProvider($workspaceId: ID!, $input: SsoConnectionInput!) {
    connectSsoProvider(workspaceId: $workspaceId, input: $input) {
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
        id
        domain
        recordName
        verified
        verifiedAt
        requireSso
      }
    }
  }
`);

export const AddSsoDomainDocument = graphql(`
  mutation AddSsoDomain($workspaceId: ID!, $domain: String!) {
    addSsoDomain(workspaceId: $workspaceId, domain: $domain) {
      domain {
        id
        domain
        recordName
        verified
        verifiedAt
        requireSso
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
