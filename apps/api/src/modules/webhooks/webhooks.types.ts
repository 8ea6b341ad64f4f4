import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { webhookUrlLength } from "@atrium/validation";

import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";

/** The event types an endpoint can subscribe to (SPEC "Contract, part 2"). */
export const WEBHOOK_EVENT_TYPES = [
  "lead.created",
  "message.received",
  "message.sent",
  "booking.created",
  "member.added",
  "member.removed",
  "campaign.completed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export enum WebhookDeliveryStatus {
  PENDING = "PENDING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "PENDING while attempts remain; FAILED after the last one.",
  valuesConfig: {
    FAILED: { description: "Every attempt failed; redeliverWebhook sends it again." },
    PENDING: { description: "Attempts remain." },
    SUCCEEDED: { description: "The endpoint answered 2xx." },
  },
});

@ObjectType("WebhookEndpoint", {
  description: "A URL the workspace's events are delivered to, signed (Standard Webhooks).",
})
export class WebhookEndpointView {
  @Field(() => ID, { description: "The endpoint's ID." }) id!: string;
  @Field(() => String, { description: "The URL deliveries are POSTed to." }) url!: string;
  @Field(() => [String], { description: "The event types it receives." }) events!: string[];
  @Field(() => Boolean, { description: "False when disabled by a member or after a long run of failures." })
  enabled!: boolean;
  @Field(() => String, {
    nullable: true,
    description: "Why it was disabled (automatically after a long run of failures, or by a member).",
  })
  disabledReason!: string | null;
  @Field(() => Int, { description: "Failed attempts in a row." }) consecutiveFailures!: number;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "Until then the previous secret is still signed with (rotation overlap).",
  })
  previousSecretExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When it was added (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A new webhook endpoint and its signing secret, returned once." })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpointView, { description: "The endpoint as listed afterwards." })
  endpoint!: WebhookEndpointView;
  @Field(() => String, { description: "The signing secret (whsec_…), shown once." }) secret!: string;
}

@ObjectType("WebhookAttempt", { description: "One attempt to deliver a webhook: the request sent and the answer." })
export class WebhookAttemptView {
  @Field(() => ID, { description: "The attempt's ID." }) id!: string;
  @Field(() => Int, { description: "The attempt's number, from 1." }) attempt!: number;
  @Field(() => Boolean, { description: "A manual redelivery." }) manual!: boolean;
  @Field(() => String, { description: "The URL it was sent to." }) requestUrl!: string;
  @Field(() => String, { description: "The request headers as JSON." }) requestHeaders!: string;
  @Field(() => String, { description: "The JSON body sent." }) requestBody!: string;
  @Field(() => Int, { description: "The HTTP status answered; null when no answer came.", nullable: true })
  responseStatus!: number | null;
  @Field(() => String, { nullable: true, description: "The first 2 KB of the answer." }) responseBody!: string | null;
  @Field(() => String, {
    description: "Why it failed (network error, timeout or status); null on success.",
    nullable: true,
  })
  error!: string | null;
  @Field(() => Int, { description: "How long the endpoint took to answer, in milliseconds." }) latencyMs!: number;
  @Field(() => GraphQLISODateTime, { description: "When it was made (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType("WebhookDelivery", {
  description: "One event to deliver to an endpoint, retried on a schedule until it succeeds or attempts run out.",
})
export class WebhookDeliveryView {
  @Field(() => ID, {
    description: "The delivery's ID (the webhook-id header is the event's ID, the same on every attempt).",
  })
  id!: string;
  @Field(() => ID, { description: "The event's id: the webhook-id header, the same on every attempt." })
  eventId!: string;
  @Field(() => String, { description: "The event type (e.g. lead.created)." }) eventType!: string;
  @Field(() => WebhookDeliveryStatus, { description: "Pending, succeeded or failed." }) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: "How many attempts were made so far." }) attempts!: number;
  @Field(() => Int, { description: "The HTTP status of the last attempt; null when none answered.", nullable: true })
  responseStatus!: number | null;
  @Field(() => String, { description: "Why the last attempt failed; null when none did.", nullable: true }) lastError!:
    | string
    | null;
  @Field(() => GraphQLISODateTime, {
    description: "When the next retry runs (ISO 8601, UTC); null when none is due.",
    nullable: true,
  })
  nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    description: "When an attempt succeeded (ISO 8601, UTC); null until then.",
    nullable: true,
  })
  deliveredAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When the event happened (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => [WebhookAttemptView], { description: "The delivery log, first attempt first." })
  log!: WebhookAttemptView[];
}

@ObjectType({ description: "A page of an endpoint's deliveries, newest first." })
export class WebhookDeliveryConnection extends Connection(WebhookDeliveryView, "WebhookDelivery") {}

@InputType({ description: "A new webhook endpoint: its URL and the events it receives." })
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: "https:// (or http://) URL; in production it must resolve to a public address." })
  // The length here; the URL's form (and, in production, its host) in the service, after authorisation.
  @Conforms(webhookUrlLength)
  url!: string;

  @Field(() => [String], { description: `Event types: ${WEBHOOK_EVENT_TYPES.join(", ")}.` })
  @IsArray()
  @ArrayMinSize(1, { message: "Choose at least one event." })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsString({ each: true })
  events!: string[];
}

@InputType({ description: "What to change on a webhook endpoint; a field left out stays as it is." })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { description: "The new https:// (or http://) URL, at most 2,000 characters.", nullable: true })
  @IsOptional()
  @Conforms(webhookUrlLength)
  url?: string | null;

  @Field(() => [String], { description: "The event types it receives; at least one.", nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: "Choose at least one event." })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsString({ each: true })
  events?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Enabling again clears the failure count and the reason." })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}
