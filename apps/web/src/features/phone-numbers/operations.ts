import { graphql } from "../../gql/gql.ts";

export const PhoneConfigsDocument = graphql(`
  query PhoneConfigs($workspaceId: ID!) {
    phoneConfigs(workspaceId: $workspaceId) {
      id
      number
      provider
      label
      providerRef
      isDefault
      createdAt
    }
  }
`);

export const CreatePhoneConfigDocument = graphql(`
  mutation CreatePhoneConfig($workspaceId: ID!, $input: PhoneConfigInput!) {
    createPhoneConfig(workspaceId: $workspaceId, input: $input) {
      id
    }
  }
`);

export const UpdatePhoneConfigDocument = graphql(`
  mutation UpdatePhoneConfig($workspaceId: ID!, $id: ID!, $input: PhoneConfigInput!) {
    updatePhoneConfig(workspaceId: $workspaceId, id: $id, input: $input) {
      id
    }
  }
`);

export const DeletePhoneConfigDocument = graphql(`
  mutation DeletePhoneConfig($workspaceId: ID!, $id: ID!) {
    deletePhoneConfig(workspaceId: $workspaceId, id: $id)
  }
`);
