import { graphql } from "../../gql/gql.ts";

/** A contact as the app shows it (the contacts table, a lead's and a conversation's contact). */
export const ContactFields = graphql(`
  fragment ContactFields on Contact {
    id
    name
    email
    phone
    tags
    createdAt
    optedOutAt
    optInAt
    optInText
    lastInboundAt
  }
`);

export const ContactsDocument = graphql(`
  query Contacts($workspaceId: ID!, $first: Int, $after: String, $search: String, $tag: String, $orderBy: ContactOrder) {
    contacts(workspaceId: $workspaceId, first: $first, after: $after, search: $search, tag: $tag, orderBy: $orderBy) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ContactFields
        }
      }
    }
  }
`);

export const ContactTagsDocument = graphql(`
  query ContactTags($workspaceId: ID!) {
    contactTags(workspaceId: $workspaceId)
  }
`);

export const CreateContactDocument = graphql(`
  mutation CreateContact($workspaceId: ID!, $input: ContactInput!) {
    createContact(workspaceId: $workspaceId, input: $input) {
      id
    }
  }
`);

export const UpdateContactDocument = graphql(`
  mutation UpdateContact($workspaceId: ID!, $id: ID!, $input: ContactInput!) {
    updateContact(workspaceId: $workspaceId, id: $id, input: $input) {
      ...ContactFields
    }
  }
`);

export const DeleteContactDocument = graphql(`
  mutation DeleteContact($workspaceId: ID!, $id: ID!) {
    deleteContact(workspaceId: $workspaceId, id: $id)
  }
`);

export const ImportContactsDocument = graphql(`
  mutation ImportContacts($workspaceId: ID!, $input: ImportContactsInput!) {
    importContacts(workspaceId: $workspaceId, input: $input) {
      dryRun
      onConflict
      planId
      created
      updated
      skipped
      failed
      rows {
        row
        action
        name
        email
        phone
        tags
        error
        field
        matchedBy
        duplicateOfRow
        changes {
          field
          kind
          stored
          incoming
        }
      }
    }
  }
`);

/** Issue 52: what of an import sent in chunks is committed (a large file; resumed after a crash). */
export const ContactImportProgressDocument = graphql(`
  query ContactImportProgress($workspaceId: ID!, $importId: ID!) {
    contactImport(workspaceId: $workspaceId, importId: $importId) {
      importId
      chunks
      chunksDone
      rowsDone
      created
      updated
      skipped
      failed
    }
  }
`);

/** One contact: its page's header (issue 48). */
export const ContactDocument = graphql(`
  query Contact($workspaceId: ID!, $id: ID!) {
    contact(workspaceId: $workspaceId, id: $id) {
      ...ContactFields
      erasedOnRequest
    }
  }
`);

/** The contact's leads, newest first: links from its page. */
export const ContactLeadsDocument = graphql(`
  query ContactLeads($workspaceId: ID!, $contactId: ID!, $first: Int) {
    contactLeads(workspaceId: $workspaceId, contactId: $contactId, first: $first) {
      id
      name
      source
      status
      createdAt
    }
  }
`);

/** Everything that happened with the contact across its conversations and leads, newest first (issue 48). */
export const ContactTimelineDocument = graphql(`
  query ContactTimeline($workspaceId: ID!, $contactId: ID!, $first: Int) {
    contactTimeline(workspaceId: $workspaceId, contactId: $contactId, first: $first) {
      ...TimelineEntryFields
    }
  }
`);

/** That a lead arrived or changed (the contact's page refetches when it is one of the contact's). */
export const ContactTimelineLeadEventsDocument = graphql(`
  subscription ContactTimelineLeadEvents($workspaceId: ID!) {
    leadEvents(workspaceId: $workspaceId) {
      type
      leadId
      lead {
        id
        contact {
          id
        }
      }
    }
  }
`);

/** That something happened in a conversation (the timeline refetches when it is the contact's). */
export const ContactTimelineConversationEventsDocument = graphql(`
  subscription ContactTimelineConversationEvents($workspaceId: ID!) {
    conversationEvents(workspaceId: $workspaceId) {
      type
      conversationId
      conversation {
        id
        leadId
        contact {
          id
        }
      }
    }
  }
`);
