import { campaignMessageText, campaignName, campaignTag } from "@atrium/validation";
import { ArrayMaxSize, IsArray, IsOptional } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";

export enum CampaignStatus {
  DRAFT = "DRAFT",
  SCHEDULED = "SCHEDULED",
  RUNNING = "RUNNING",
  PAUSED = "PAUSED",
  COMPLETED = "COMPLETED",
  CANCELLED = "CANCELLED",
}
registerEnumType(CampaignStatus, {
  name: "CampaignStatus",
  description: "DRAFT → (SCHEDULED →) RUNNING ⇄ PAUSED → COMPLETED; CANCELLED from any state before COMPLETED.",
});

@ObjectType("Campaign")
export class CampaignView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The template, with {{name}}, {{firstName}}, {{email}}, {{phone}}." }) message!: string;
  @Field(() => CampaignStatus) status!: CampaignStatus;
  @Field(() => [ID], { description: "Contacts chosen by hand." }) contactIds!: string[];
  @Field(() => String, { nullable: true, description: "Every contact with this tag (when the campaign starts)." }) tag!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) scheduledAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) completedAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => Int, { description: "Recipients (fixed when the campaign starts)." }) total!: number;
  @Field(() => Int, { description: "Not yet handed to the provider (waiting for their turn or in flight)." }) queued!: number;
  @Field(() => Int, { description: "Accepted by the provider (sent, delivered or read)." }) sent!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int, { description: "Not sent: the contact opted out (STOP) or the agent was paused (kill switch)." }) suppressed!: number;
  @Field(() => Int, { description: "Waiting for the monthly message quota (HELD_QUOTA)." }) held!: number;
  @Field(() => Int, { description: "Not sent because the campaign was cancelled." }) cancelled!: number;
}

@ObjectType()
export class CampaignConnection extends Connection(CampaignView, "Campaign") {}

@InputType()
export class CreateCampaignInput {
  // Field rules and messages: @atrium/validation (the web's new-campaign form says the same).
  @Field(() => String)
  @Conforms(campaignName)
  name!: string;

  @Field(() => String, { description: "Variables: {{name}}, {{firstName}}, {{email}}, {{phone}}." })
  @Conforms(campaignMessageText)
  message!: string;

  @Field(() => [ID], { description: "Contacts chosen by hand (may be empty when a tag is given)." })
  @IsArray()
  @ArrayMaxSize(10_000, { message: "Choose at most 10000 contacts; use a tag for more." })
  contactIds!: string[];

  @Field(() => String, { nullable: true, description: "Also every contact with this tag." })
  @IsOptional()
  @Conforms(campaignTag)
  tag?: string | null;
}
