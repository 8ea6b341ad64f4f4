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
  query Contacts($workspaceId: ID!, $first: Int, $after: String, $search: String, $tag: String) {
    contacts(workspaceId: $workspaceId, first: $first, after: $after, search: $search, tag: $tag) {
      totalCount
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
