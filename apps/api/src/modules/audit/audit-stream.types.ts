import { IsBoolean, IsOptional } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { webhookUrlLength } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";

export enum AuditStreamState {
  UP_TO_DATE = "UP_TO_DATE",
  DELIVERING = "DELIVERING",
  FAILING = "FAILING",
  DISABLED = "DISABLED",
}
registerEnumType(AuditStreamState, {
  name: "AuditStreamState",
  description: "Where an audit stream stands.",
  valuesConfig: {
    UP_TO_DATE: { description: "Every event old enough to send has been delivered." },
    DELIVERING: { description: "Events wait to be sent; the last attempt succeeded." },
    FAILING: { description: "The last attempt failed (see lastError); the same batch is retried at nextAttemptAt." },
    DISABLED: { description: "Turned off by a member; events wait behind the cursor." },
  },
});

@ObjectType("AuditStream", {
  description:
    "The workspace's audit stream: its audit events POSTed to an HTTPS endpoint as JSON lines, in batches, signed per Standard Webhooks (issue 50).",
})
export class AuditStreamView {
  @Field(() => ID, { description: "The stream's ID." }) id!: string;
  @Field(() => String, { description: "The URL batches are POSTed to." }) url!: string;
  @Field(() => Boolean, { description: "False while turned off." }) enabled!: boolean;
  @Field(() => AuditStreamState, { description: "Up to date, delivering, failing or disabled." })
  state!: AuditStreamState;
  @Field(() => ID, { nullable: true, description: "The last event delivered (the cursor); null before the first one." })
  lastDeliveredEventId!: string | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "When the last event delivered happened (ISO 8601, UTC).",
  })
  lastDeliveredEventAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When a batch was last delivered (ISO 8601, UTC)." })
  lastDeliveredAt!: Date | null;
  @Field(() => Int, { description: "Events delivered since the stream was set up." }) deliveredEvents!: number;
  @Field(() => Int, { description: "Events waiting after the cursor (counted up to 10,000; see pendingEventsCapped)." })
  pendingEvents!: number;
  @Field(() => Boolean, { description: "True when pendingEvents reached the count's limit: at least that many wait." })
  pendingEventsCapped!: boolean;
  @Field(() => Int, { description: "The age in seconds of the oldest event waiting; 0 when none waits." })
  lagSeconds!: number;
  @Field(() => String, {
    nullable: true,
    description: "Why the last attempt failed (HTTP status, timeout, refused address); null after a success.",
  })
  lastError!: string | null;
  @Field(() => Int, { nullable: true, description: "The HTTP status of the last attempt; null when none answered." })
  lastResponseStatus!: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the last attempt was made (ISO 8601, UTC)." })
  lastAttemptAt!: Date | null;
  @Field(() => Int, { description: "Failed attempts in a row." }) consecutiveFailures!: number;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "When the failing batch is retried (ISO 8601, UTC); null unless failing.",
  })
  nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "Until then the previous secret also signs (rotation overlap).",
  })
  previousSecretExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When the stream was set up (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "The audit stream and, when one was made, its signing secret (shown once)." })
export class CreatedAuditStream {
  @Field(() => AuditStreamView, { description: "The stream as auditStream shows it." }) stream!: AuditStreamView;
  @Field(() => String, {
    nullable: true,
    description:
      "The signing secret (whsec_…), shown once: set on a new stream and on rotation; null when an existing stream was changed.",
  })
  secret!: string | null;
}

@InputType({ description: "The audit stream's target." })
export class SetAuditStreamInput {
  @Field(() => String, {
    description: "https:// URL (http:// outside production); in production it must resolve to a public address.",
  })
  @Conforms(webhookUrlLength)
  url!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Off keeps the stream and its cursor but sends nothing; on (the default) sends again from the cursor.",
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}

@ObjectType({
  description:
    "The answer to a test batch: one signed line of type audit_stream.test, outside the stream (the cursor does not move).",
})
export class AuditStreamTestResult {
  @Field(() => Boolean, { description: "True when the endpoint answered 2xx." }) ok!: boolean;
  @Field(() => Int, { nullable: true, description: "The HTTP status answered; null when none came." }) status!:
    | number
    | null;
  @Field(() => String, {
    nullable: true,
    description: "Why it failed (status, timeout, refused address); null on success.",
  })
  error!: string | null;
  @Field(() => Int, { description: "How long the endpoint took to answer, in milliseconds." }) latencyMs!: number;
  @Field(() => ID, { description: "The test batch's webhook-id." }) webhookId!: string;
}
