/**
 * What the conversation console does to a conversation: assign, take over, hand back, close,
 * reopen, mark read, add guidance, join a call, reply by hand. The fragments and the queries are
 * in operations.ts.
 */
import { graphql } from "../../gql/gql.ts";

export const AssignConversationDocument = graphql(`
  mutation AssignConversation($workspaceId: ID!, $id: ID!, $userId: ID) {
    assignConversation(workspaceId: $workspaceId, id: $id, userId: $userId) {
      ...ConversationFields
    }
  }
`);

export const TakeOverConversationDocument = graphql(`
  mutation TakeOverConversation($workspaceId: ID!, $id: ID!) {
    takeOverConversation(workspaceId: $workspaceId, id: $id) {
      ...ConversationFields
    }
  }
`);

export const HandBackConversationDocument = graphql(`
  mutation HandBackConversation($workspaceId: ID!, $id: ID!) {
    handBackConversation(workspaceId: $workspaceId, id: $id) {
      ...ConversationFields
    }
  }
`);

export const CloseConversationDocument = graphql(`
  mutation CloseConversation($workspaceId: ID!, $id: ID!) {
    closeConversation(workspaceId: $workspaceId, id: $id) {
      ...ConversationFields
    }
  }
`);

export const ReopenConversationDocument = graphql(`
  mutation ReopenConversation($workspaceId: ID!, $id: ID!) {
    reopenConversation(workspaceId: $workspaceId, id: $id) {
      ...ConversationFields
    }
  }
`);

export const MarkConversationReadDocument = graphql(`
  mutation MarkConversationRead($workspaceId: ID!, $id: ID!) {
    markConversationRead(workspaceId: $workspaceId, id: $id) {
      id
      unreadCount
    }
  }
`);

export const AddGuidanceDocument = graphql(`
  mutation AddGuidance($workspaceId: ID!, $conversationId: ID!, $text: String!, $mentionUserIds: [ID!]) {
    addGuidance(workspaceId: $workspaceId, conversationId: $conversationId, text: $text, mentionUserIds: $mentionUserIds) {
      ...GuidanceNoteFields
    }
  }
`);

export const JoinCallDocument = graphql(`
  mutation JoinCall($workspaceId: ID!, $conversationId: ID!, $phone: String!) {
    joinCall(workspaceId: $workspaceId, conversationId: $conversationId, phone: $phone) {
      ...ConversationFields
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
