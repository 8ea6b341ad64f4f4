import { graphql } from "../../gql/gql.ts";

/** A teammate as the inbox names them (assignee, note author, mention, who did what). */
export const TeammateFields = graphql(`
  fragment TeammateFields on MemberUser {
    id
    name
    email
  }
`);

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    body
    createdAt
    direction
    sender
    senderMembershipId
    status
    errorCode
    errorMessage
    blockedByRuleId
  }
`);

/**
 * Everything the inbox row and the console's header show. Live events carry the same fields, so
 * a change (mode, assignee, status, unread count, live call) lands in the cache by id.
 */
export const ConversationFields = graphql(`
  fragment ConversationFields on Conversation {
    id
    humanTakeover
    mode
    status
    channel
    lastActivityAt
    lastMessageAt
    createdAt
    leadId
    unreadCount
    openReviewCount
    callStatus
    callLive
    assignee {
      ...TeammateFields
    }
    lastMessage {
      ...MessageFields
    }
    contact {
      ...ContactFields
    }
  }
`);

// Nested fragments count twice against the API's depth limit (10, GraphQL Armor without
// flattening): the live event's guidance → callAction → author is spelt out, not spread.
export const CallActionFields = graphql(`
  fragment CallActionFields on CallAction {
    id
    kind
    status
    errorMessage
    createdAt
    author {
      id
      name
      email
    }
  }
`);

export const GuidanceNoteFields = graphql(`
  fragment GuidanceNoteFields on GuidanceNote {
    id
    conversationId
    text
    createdAt
    author {
      id
      name
      email
    }
    mentions {
      id
      name
      email
    }
    callAction {
      ...CallActionFields
    }
  }
`);

/** The inbox (issue 47): filtered, searched, latest activity first, with the viewer's unread counts. */
export const InboxDocument = graphql(`
  query Inbox($workspaceId: ID!, $first: Int, $after: String, $filter: ConversationFilter) {
    inbox(workspaceId: $workspaceId, first: $first, after: $after, filter: $filter) {
      totalCount
      totalCountExact
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

/** Every conversation, newest first, unfiltered (a lead's page lists its contact's). */
export const ConversationsDocument = graphql(`
  query Conversations($workspaceId: ID!, $first: Int, $after: String) {
    conversations(workspaceId: $workspaceId, first: $first, after: $after) {
      totalCount
      totalCountExact
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

/** Whether the workspace has any conversation at all: tells "none yet" from "none match". */
export const InboxProbeDocument = graphql(`
  query InboxProbe($workspaceId: ID!) {
    inbox(workspaceId: $workspaceId, first: 1) {
      totalCount
      totalCountExact
    }
  }
`);

export const ConversationDocument = graphql(`
  query Conversation($workspaceId: ID!, $id: ID!) {
    conversation(workspaceId: $workspaceId, id: $id) {
      ...ConversationFields
      recordingUrl
      transcript
    }
  }
`);

export const MessagesDocument = graphql(`
  query Messages($workspaceId: ID!, $conversationId: ID!, $first: Int, $after: String) {
    messages(workspaceId: $workspaceId, conversationId: $conversationId, first: $first, after: $after) {
      totalCount
      totalCountExact
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

/** What the console interleaves with the messages: private notes, who did what, requests to a live call. */
export const ConversationTimelineDocument = graphql(`
  query ConversationTimeline($workspaceId: ID!, $conversationId: ID!) {
    guidanceNotes(workspaceId: $workspaceId, conversationId: $conversationId) {
      ...GuidanceNoteFields
    }
    conversationActivity(workspaceId: $workspaceId, conversationId: $conversationId) {
      id
      action
      createdAt
      actor {
        ...TeammateFields
      }
      subject {
        ...TeammateFields
      }
    }
    callActions(workspaceId: $workspaceId, conversationId: $conversationId) {
      ...CallActionFields
    }
  }
`);

/**
 * Live: messages added and their status moving, the conversation changing (mode, assignee,
 * status, live call), guidance notes and call requests — for one conversation, or (without
 * `conversationId`) the whole workspace, which the inbox list listens to.
 */
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
      guidance {
        ...GuidanceNoteFields
      }
      callAction {
        ...CallActionFields
      }
    }
  }
`);

export const InboxSettingsDocument = graphql(`
  query InboxSettings($workspaceId: ID!) {
    inboxSettings(workspaceId: $workspaceId) {
      available
      emailNotifications
      autoAssign
    }
  }
`);

export const UpdateInboxSettingsDocument = graphql(`
  mutation UpdateInboxSettings($workspaceId: ID!, $input: InboxSettingsInput!) {
    updateInboxSettings(workspaceId: $workspaceId, input: $input) {
      available
      emailNotifications
      autoAssign
    }
  }
`);

export const SetAutoAssignDocument = graphql(`
  mutation SetAutoAssign($workspaceId: ID!, $enabled: Boolean!) {
    setAutoAssign(workspaceId: $workspaceId, enabled: $enabled) {
      available
      emailNotifications
      autoAssign
    }
  }
`);
