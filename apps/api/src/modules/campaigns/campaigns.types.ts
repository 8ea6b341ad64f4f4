import { ArrayMaxSize, IsArray, IsOptional } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { campaignMessageText, campaignName, campaignTag } from "@atrium/validation";

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
  valuesConfig: {
    CANCELLED: { description: "Stopped for good; recipients not yet reached are never sent." },
    COMPLETED: { description: "Every message is settled (sent, delivered, failed or skipped)." },
    DRAFT: { description: "Being prepared; editable, nothing sent." },
    PAUSED: { description: "Paused while running; no further recipient is claimed until resumed." },
    RUNNING: { description: "Sending to its recipients." },
    SCHEDULED: { description: "Waiting for its scheduledAt to start." },
  },
});

@ObjectType("Campaign", { description: "A WhatsApp message sent once to a list of contacts, with its progress." })
export class CampaignView {
  @Field(() => ID, { description: "The campaign's ID." }) id!: string;
  @Field(() => String, { description: "The campaign's name: 1–120 characters." }) name!: string;
  @Field(() => String, { description: "The template, with {{name}}, {{firstName}}, {{email}}, {{phone}}." })
  message!: string;
  @Field(() => CampaignStatus, { description: "The campaign's state." }) status!: CampaignStatus;
  @Field(() => [ID], { description: "Contacts chosen by hand." }) contactIds!: string[];
  @Field(() => String, { nullable: true, description: "Every contact with this tag (when the campaign starts)." })
  tag!: string | null;
  @Field(() => GraphQLISODateTime, {
    description: "When it is scheduled to start (ISO 8601, UTC); null unless scheduled.",
    nullable: true,
  })
  scheduledAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    description: "When it started running (ISO 8601, UTC); null before.",
    nullable: true,
  })
  startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    description: "When every message was settled (ISO 8601, UTC); null until COMPLETED.",
    nullable: true,
  })
  completedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When the draft was created (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => Int, {
    description:
      "Recipients added so far: the audience is fixed when the campaign starts (contacts chosen or tagged by then) and added in batches while addingRecipients.",
  })
  total!: number;
  @Field(() => Int, {
    description:
      "Recipients added so far (the same as total; with audienceSize, the progress of adding a large audience).",
  })
  recipientsAdded!: number;
  @Field(() => Int, { nullable: true, description: "The audience counted when the campaign started; null before." })
  audienceSize!: number | null;
  @Field(() => Boolean, {
    description:
      "True while the campaign's recipients are still being added (a large audience is added in batches after runCampaign answers).",
  })
  addingRecipients!: boolean;
  @Field(() => Int, { description: "Not yet handed to the provider (waiting for their turn or in flight)." })
  queued!: number;
  @Field(() => Int, { description: "Accepted by the provider (sent, delivered or read)." }) sent!: number;
  @Field(() => Int, { description: "Recipients whose message failed." }) failed!: number;
  @Field(() => Int, { description: "Not sent: the contact opted out (STOP) or the agent was paused (kill switch)." })
  suppressed!: number;
  @Field(() => Int, { description: "Waiting for the monthly message quota (HELD_QUOTA)." }) held!: number;
  @Field(() => Int, { description: "Not sent because the campaign was cancelled." }) cancelled!: number;
  @Field(() => ID, {
    nullable: true,
    description:
      "The approved WhatsApp template it sends (messageTemplates); null: the message as free text, to contacts inside WhatsApp's 24-hour window only.",
  })
  templateId!: string | null;
}

@ObjectType("CampaignPreview", {
  description: "What running the campaign now would do (issue 56): counted, nothing written.",
})
export class CampaignPreviewView {
  @Field(() => Int, { description: "Contacts in the audience (chosen and tagged, each once)." }) recipients!: number;
  @Field(() => Int, { description: "Skipped: replied STOP." }) optedOut!: number;
  @Field(() => Int, { description: "Skipped: no phone number." }) noPhone!: number;
  @Field(() => Int, {
    description: "Skipped: outside WhatsApp's 24-hour window and the campaign has no approved template.",
  })
  needTemplate!: number;
  @Field(() => Int, { description: "Messages that would be sent (recipients minus the skipped)." }) willSend!: number;
  @Field(() => Int, {
    nullable: true,
    description:
      "Messages the plan's monthly quota still allows (null: no quota). Beyond it, messages wait (HELD_QUOTA) for the quota.",
  })
  quotaRemaining!: number | null;
  @Field(() => String, { description: "The message as the first recipient would read it." }) sample!: string;
}

@ObjectType({ description: "A page of campaigns, newest first." })
export class CampaignConnection extends Connection(CampaignView, "Campaign") {}

@InputType({ description: "A campaign draft: name, message and recipients." })
export class CreateCampaignInput {
  // Field rules and messages: @atrium/validation (the web's new-campaign form says the same).
  @Field(() => String, { description: "The campaign's name: 1–120 characters, not blank." })
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

  @Field(() => ID, {
    nullable: true,
    description:
      "An approved WhatsApp template (messageTemplates) to send instead of free text: needed for contacts who have not written within 24 hours.",
  })
  @IsOptional()
  templateId?: string | null;
}
