import { graphql } from "../../gql/gql.ts";

/** An endpoint as its card shows it: the list, and every mutation that answers one (so the cache follows). */
export const WebhookEndpointFields = graphql(`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    events
    enabled
    disabledReason
    consecutiveFailures
    previousSecretExpiresAt
    createdAt
  }
`);

export const WebhookEndpointsDocument = graphql(`
  query WebhookEndpoints($workspaceId: ID!) {
    webhookEndpoints(workspaceId: $workspaceId) {
      ...WebhookEndpointFields
    }
  }
`);

export const CreateWebhookEndpointDocument = graphql(`
  mutation CreateWebhookEndpoint($workspaceId: ID!, $input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(workspaceId: $workspaceId, input: $input) {
      endpoint {
        ...WebhookEndpointFields
      }
      secret
    }
  }
`);

export const UpdateWebhookEndpointDocument = graphql(`
  mutation UpdateWebhookEndpoint($workspaceId: ID!, $id: ID!, $input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(workspaceId: $workspaceId, id: $id, input: $input) {
      ...WebhookEndpointFields
    }
  }
`);

export const DeleteWebhookEndpointDocument = graphql(`
  mutation DeleteWebhookEndpoint($workspaceId: ID!, $id: ID!) {
    deleteWebhookEndpoint(workspaceId: $workspaceId, id: $id)
  }
`);

export const RotateWebhookSecretDocument = graphql(`
  mutation RotateWebhookSecret($workspaceId: ID!, $id: ID!) {
    rotateWebhookSecret(workspaceId: $workspaceId, id: $id) {
      endpoint {
        ...WebhookEndpointFields
      }
      secret
    }
  }
`);

export const WebhookDeliveryFields = graphql(`
  fragment WebhookDeliveryFields on WebhookDelivery {
    id
    eventId
    eventType
    status
    attempts
    responseStatus
    lastError
    nextAttemptAt
    deliveredAt
    createdAt
    log {
      id
      attempt
      manual
      requestUrl
      requestHeaders
      requestBody
      responseStatus
      responseBody
      error
      latencyMs
      createdAt
    }
  }
`);

export const WebhookDeliveriesDocument = graphql(`
  query WebhookDeliveries($workspaceId: ID!, $endpointId: ID!, $first: Int, $after: String) {
    webhookDeliveries(workspaceId: $workspaceId, endpointId: $endpointId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...WebhookDeliveryFields
        }
      }
    }
  }
`);

/** The open endpoint's deliveries, each time one is created or attempted. */
export const WebhookDeliveryEventsDocument = graphql(`
  subscription WebhookDeliveryEvents($workspaceId: ID!, $endpointId: ID!) {
    webhookDeliveryEvents(workspaceId: $workspaceId, endpointId: $endpointId) {
      ...WebhookDeliveryFields
    }
  }
`);

export const RedeliverWebhookDocument = graphql(`
  mutation RedeliverWebhook($workspaceId: ID!, $deliveryId: ID!) {
    redeliverWebhook(workspaceId: $workspaceId, deliveryId: $deliveryId) {
      id
    }
  }
`);

/** The event types an endpoint can subscribe to (the API refuses others). */
export const WEBHOOK_EVENT_TYPES = [
  "lead.created",
  "message.received",
  "message.sent",
  "booking.created",
  "member.added",
  "member.removed",
  "campaign.completed",
] as const;
