import { webhookUrlLength } from "@atrium/validation";
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
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
registerEnumType(WebhookDeliveryStatus, { name: "WebhookDeliveryStatus", description: "PENDING while attempts remain; FAILED after the last one." });

@ObjectType("WebhookEndpoint")
export class WebhookEndpointView {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [String]) events!: string[];
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String, { nullable: true, description: "Why it was disabled (automatically after a long run of failures, or by a member)." }) disabledReason!: string | null;
  @Field(() => Int, { description: "Failed attempts in a row." }) consecutiveFailures!: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Until then the previous secret is still signed with (rotation overlap)." }) previousSecretExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpointView) endpoint!: WebhookEndpointView;
  @Field(() => String, { description: "The signing secret (whsec_…), shown once." }) secret!: string;
}

@ObjectType("WebhookAttempt")
export class WebhookAttemptView {
  @Field(() => ID) id!: string;
  @Field(() => Int) attempt!: number;
  @Field(() => Boolean, { description: "A manual redelivery." }) manual!: boolean;
  @Field(() => String) requestUrl!: string;
  @Field(() => String, { description: "The request headers as JSON." }) requestHeaders!: string;
  @Field(() => String) requestBody!: string;
  @Field(() => Int, { nullable: true }) responseStatus!: number | null;
  @Field(() => String, { nullable: true, description: "The first 2 KB of the answer." }) responseBody!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int) latencyMs!: number;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType("WebhookDelivery")
export class WebhookDeliveryView {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: "The event's id: the webhook-id header, the same on every attempt." }) eventId!: string;
  @Field(() => String) eventType!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true }) responseStatus!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => [WebhookAttemptView], { description: "The delivery log, first attempt first." }) log!: WebhookAttemptView[];
}

@ObjectType()
export class WebhookDeliveryConnection extends Connection(WebhookDeliveryView, "WebhookDelivery") {}

@InputType()
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

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(webhookUrlLength)
  url?: string | null;

  @Field(() => [String], { nullable: true })
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
