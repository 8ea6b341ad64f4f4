import { graphql } from "../../gql/gql.ts";

export const ConversationFields = graphql(`
  fragment ConversationFields on Conversation {
    id
    humanTakeover
    lastMessageAt
    createdAt
    leadId
    contact {
      ...ContactFields
    }
  }
`);

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    body
    createdAt
    direction
    sender
    status
    errorCode
    errorMessage
  }
`);

export const ConversationsDocument = graphql(`
  query Conversations($workspaceId: ID!, $first: Int, $after: String) {
    conversations(workspaceId: $workspaceId, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...ConversationFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ConversationDocument = graphql(`
  query Conversation($workspaceId: ID!, $id: ID!) {
    conversation(workspaceId: $workspaceId, id: $id) {
      ...ConversationFields
    }
  }
`);

export const MessagesDocument = graphql(`
  query Messages($workspaceId: ID!, $conversationId: ID!, $first: Int, $after: String) {
    messages(workspaceId: $workspaceId, conversationId: $conversationId, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...MessageFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SetHumanTakeoverDocument = graphql(`
  mutation SetHumanTakeover($workspaceId: ID!, $conversationId: ID!, $enabled: Boolean!) {
    setHumanTakeover(workspaceId: $workspaceId, conversationId: $conversationId, enabled: $enabled) {
      id
      humanTakeover
    }
  }
`);

export const SendManualReplyDocument = graphql(`
  mutation SendManualReply($workspaceId: ID!, $conversationId: ID!, $input: ManualReplyInput!) {
    sendManualReply(workspaceId: $workspaceId, conversationId: $conversationId, input: $input) {
      ...MessageFields
    }
  }
`);

/** Live transcript: messages added to the conversation, their status moving, the conversation changing. */
export const ConversationEventsDocument = graphql(`
  subscription ConversationEvents($workspaceId: ID!, $conversationId: ID) {
    conversationEvents(workspaceId: $workspaceId, conversationId: $conversationId) {
      type
      conversationId
      message {
        ...MessageFields
      }
      conversation {
        ...ConversationFields
      }
    }
  }
`);
