import { graphql } from "../../gql/gql.ts";

/**
 * WhatsApp templates (issue 56): the settings page that keeps them, and the two places that send
 * one — the console's composer outside the 24-hour window, and the campaign form's template select.
 */
export const MessageTemplateFields = graphql(`
  fragment MessageTemplateFields on MessageTemplate {
    id
    name
    contentSid
    body
    variables
    useForOpening
    createdAt
  }
`);

export const MessageTemplatesDocument = graphql(`
  query MessageTemplates($workspaceId: ID!) {
    messageTemplates(workspaceId: $workspaceId) {
      ...MessageTemplateFields
    }
  }
`);

export const CreateMessageTemplateDocument = graphql(`
  mutation CreateMessageTemplate($workspaceId: ID!, $input: MessageTemplateInput!) {
    createMessageTemplate(workspaceId: $workspaceId, input: $input) {
      ...MessageTemplateFields
    }
  }
`);

export const UpdateMessageTemplateDocument = graphql(`
  mutation UpdateMessageTemplate($workspaceId: ID!, $id: ID!, $input: MessageTemplateInput!) {
    updateMessageTemplate(workspaceId: $workspaceId, id: $id, input: $input) {
      ...MessageTemplateFields
    }
  }
`);

export const DeleteMessageTemplateDocument = graphql(`
  mutation DeleteMessageTemplate($workspaceId: ID!, $id: ID!) {
    deleteMessageTemplate(workspaceId: $workspaceId, id: $id)
  }
`);

/** An approved template sent by hand in a conversation taken over (the contact's window is closed). */
export const SendTemplateMessageDocument = graphql(`
  mutation SendTemplateMessage($workspaceId: ID!, $conversationId: ID!, $templateId: ID!) {
    sendTemplateMessage(workspaceId: $workspaceId, conversationId: $conversationId, templateId: $templateId) {
      ...MessageFields
    }
  }
`);
