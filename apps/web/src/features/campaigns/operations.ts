import { graphql } from "../../gql/gql.ts";

export const CampaignFields = graphql(`
  fragment CampaignFields on Campaign {
    id
    name
    message
    status
    tag
    contactIds
    templateId
    scheduledAt
    startedAt
    completedAt
    createdAt
    total
    queued
    sent
    failed
    suppressed
    held
    cancelled
  }
`);

export const CampaignsDocument = graphql(`
  query Campaigns($workspaceId: ID!, $first: Int) {
    campaigns(workspaceId: $workspaceId, first: $first) {
      totalCount
      totalCountExact
      edges {
        node {
          ...CampaignFields
        }
      }
    }
  }
`);

/** The contact picker: searchable, a page at a time. */
export const CampaignContactsDocument = graphql(`
  query CampaignContacts($workspaceId: ID!, $first: Int, $after: String, $search: String) {
    contacts(workspaceId: $workspaceId, first: $first, after: $after, search: $search) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          phone
          optedOutAt
        }
      }
    }
  }
`);

/** A draft changed (DRAFT only: CONFLICT once it has started or been scheduled). */
export const UpdateCampaignDocument = graphql(`
  mutation UpdateCampaign($workspaceId: ID!, $id: ID!, $input: CreateCampaignInput!) {
    updateCampaign(workspaceId: $workspaceId, id: $id, input: $input) {
      ...CampaignFields
    }
  }
`);

/** What Run would do now, counted without writing anything: shown in the confirmation before Run. */
export const CampaignPreviewDocument = graphql(`
  query CampaignPreview($workspaceId: ID!, $id: ID!) {
    campaignPreview(workspaceId: $workspaceId, id: $id) {
      recipients
      optedOut
      noPhone
      needTemplate
      willSend
      quotaRemaining
      sample
    }
  }
`);

export const SendCampaignTestDocument = graphql(`
  mutation SendCampaignTest($workspaceId: ID!, $id: ID!, $phone: String!) {
    sendCampaignTest(workspaceId: $workspaceId, id: $id, phone: $phone) {
      id
      status
      errorCode
      errorMessage
    }
  }
`);

export const CreateCampaignDocument = graphql(`
  mutation CreateCampaign($workspaceId: ID!, $input: CreateCampaignInput!) {
    createCampaign(workspaceId: $workspaceId, input: $input) {
      ...CampaignFields
    }
  }
`);

export const RunCampaignDocument = graphql(`
  mutation RunCampaign($workspaceId: ID!, $id: ID!) {
    runCampaign(workspaceId: $workspaceId, id: $id) {
      ...CampaignFields
    }
  }
`);

export const ScheduleCampaignDocument = graphql(`
  mutation ScheduleCampaign($workspaceId: ID!, $id: ID!, $at: DateTimeISO!) {
    scheduleCampaign(workspaceId: $workspaceId, id: $id, at: $at) {
      ...CampaignFields
    }
  }
`);

export const PauseCampaignDocument = graphql(`
  mutation PauseCampaign($workspaceId: ID!, $id: ID!) {
    pauseCampaign(workspaceId: $workspaceId, id: $id) {
      ...CampaignFields
    }
  }
`);

export const ResumeCampaignDocument = graphql(`
  mutation ResumeCampaign($workspaceId: ID!, $id: ID!) {
    resumeCampaign(workspaceId: $workspaceId, id: $id) {
      ...CampaignFields
    }
  }
`);

export const CancelCampaignDocument = graphql(`
  mutation CancelCampaign($workspaceId: ID!, $id: ID!) {
    cancelCampaign(workspaceId: $workspaceId, id: $id) {
      ...CampaignFields
    }
  }
`);

export const DeleteCampaignDocument = graphql(`
  mutation DeleteCampaign($workspaceId: ID!, $id: ID!) {
    deleteCampaign(workspaceId: $workspaceId, id: $id)
  }
`);

/** A running or scheduled campaign, each time its progress or status moves (updates the list in the cache). */
export const CampaignProgressDocument = graphql(`
  subscription CampaignProgress($workspaceId: ID!, $id: ID!) {
    campaignProgress(workspaceId: $workspaceId, id: $id) {
      ...CampaignFields
    }
  }
`);
