import { graphql } from "../../gql/gql.ts";

export const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    scopes
    persistedOnly
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
  }
`);

export const ApiKeysDocument = graphql(`
  query ApiKeys($workspaceId: ID!) {
    apiKeys(workspaceId: $workspaceId) {
      ...ApiKeyFields
    }
  }
`);

export const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($workspaceId: ID!, $input: CreateApiKeyInput!) {
    createApiKey(workspaceId: $workspaceId, input: $input) {
      secret
      apiKey {
        ...ApiKeyFields
      }
    }
  }
`);

export const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($workspaceId: ID!, $id: ID!) {
    revokeApiKey(workspaceId: $workspaceId, id: $id)
  }
`);

/** The catalog's descriptions for the scope checklist (static per deployment). */
export const ApiKeyScopeCatalogDocument = graphql(`
  query ApiKeyScopeCatalog {
    policyCatalog {
      key
      description
      group
    }
  }
`);
