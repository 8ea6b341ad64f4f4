import { graphql } from "../../gql/gql.ts";

/** Issue 56: the agent's opening message, knowledge and (voice) Vapi setup. */
export const AgentSettingsFieldsDocument = graphql(`
  fragment AgentSettingsFields on AgentSettingsView {
    openingMessageTemplate
    openingMessageIsDefault
    defaultOpeningMessageTemplate
    templateVariables {
      name
      description
    }
    knowledge {
      hours
      services
      prices
      faqs
    }
    vapiServerUrl
    vapiTools {
      name
      description
      parameters
    }
    vapiVariables
  }
`);

export const AgentSettingsDocument = graphql(`
  query AgentSettings($workspaceId: ID!) {
    agentSettings(workspaceId: $workspaceId) {
      ...AgentSettingsFields
    }
  }
`);

export const UpdateAgentKnowledgeDocument = graphql(`
  mutation UpdateAgentKnowledge($workspaceId: ID!, $input: AgentKnowledgeInput!) {
    updateAgentKnowledge(workspaceId: $workspaceId, input: $input) {
      ...AgentSettingsFields
    }
  }
`);

export const TestAgentChatDocument = graphql(`
  mutation TestAgentChat($workspaceId: ID!, $messages: [TestChatMessageInput!]!, $lead: TestChatLeadInput) {
    testAgentChat(workspaceId: $workspaceId, messages: $messages, lead: $lead)
  }
`);
