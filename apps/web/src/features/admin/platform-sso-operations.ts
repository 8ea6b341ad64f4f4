/** The platform SSO page's documents (platform-sso.tsx): the settings, the provider and the domains. */
import { graphql } from "../../gql/gql.ts";

export const PlatformSsoSettingsDocument = graphql(`
  query PlatformSsoSettings {
    platformSsoSettings {
      ...SsoSettingsFields
    }
  }
`);

export const ConnectPlatformSsoProviderDocument = graphql(`
  mutation ConnectPlatformSsoProvider($input: SsoConnectionInput!) {
    connectPlatformSsoProvider(input: $input) {
      ...SsoSettingsFields
    }
  }
`);

export const DisconnectPlatformSsoProviderDocument = graphql(`
  mutation DisconnectPlatformSsoProvider {
    disconnectPlatformSsoProvider
  }
`);

export const AddPlatformSsoDomainDocument = graphql(`
  mutation AddPlatformSsoDomain($domain: String!) {
    addPlatformSsoDomain(domain: $domain) {
      domain {
        ...SsoDomainFields
      }
      recordName
      recordValue
    }
  }
`);

export const VerifyPlatformSsoDomainDocument = graphql(`
  mutation VerifyPlatformSsoDomain($id: ID!) {
    verifyPlatformSsoDomain(id: $id) {
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

export const SetPlatformSsoDomainRequiredDocument = graphql(`
  mutation SetPlatformSsoDomainRequired($id: ID!, $required: Boolean!) {
    setPlatformSsoDomainRequired(id: $id, required: $required) {
      id
      requireSso
    }
  }
`);

export const RemovePlatformSsoDomainDocument = graphql(`
  mutation RemovePlatformSsoDomain($id: ID!) {
    removePlatformSsoDomain(id: $id)
  }
`);
