import { graphql } from "../../gql/gql.ts";

export const IntegrationFields = graphql(`
  fragment IntegrationFields on Integration {
    provider
    configured
    updatedAt
    fields {
      name
      value
      secret
    }
  }
`);

export const IntegrationsDocument = graphql(`
  query Integrations($workspaceId: ID!) {
    integrations(workspaceId: $workspaceId) {
      ...IntegrationFields
    }
  }
`);

export const SetIntegrationDocument = graphql(`
  mutation SetIntegration($workspaceId: ID!, $input: IntegrationInput!) {
    setIntegration(workspaceId: $workspaceId, input: $input) {
      ...IntegrationFields
    }
  }
`);

export const RemoveIntegrationDocument = graphql(`
  mutation RemoveIntegration($workspaceId: ID!, $provider: IntegrationProvider!) {
    removeIntegration(workspaceId: $workspaceId, provider: $provider)
  }
`);

export const TestIntegrationDocument = graphql(`
  mutation TestIntegration($workspaceId: ID!, $provider: IntegrationProvider!) {
    testIntegration(workspaceId: $workspaceId, provider: $provider) {
      provider
      ok
      message
    }
  }
`);
