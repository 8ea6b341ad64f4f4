// A lead's timeline (issue 48, "Lists and records"): everything that happened to it, newest first.
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";

export enum LeadTimelineKind {
  MESSAGE_IN = "MESSAGE_IN",
  MESSAGE_OUT = "MESSAGE_OUT",
  CALL = "CALL",
  BOOKING = "BOOKING",
  STATUS_CHANGE = "STATUS_CHANGE",
  CAMPAIGN_SEND = "CAMPAIGN_SEND",
}
registerEnumType(LeadTimelineKind, {
  description: "What a timeline entry is.",
  name: "LeadTimelineKind",
  valuesConfig: {
    BOOKING: { description: "A booking was made or changed." },
    CALL: { description: "A phone call." },
    CAMPAIGN_SEND: { description: "A campaign's message to the lead's contact." },
    MESSAGE_IN: { description: "A message from the lead." },
    MESSAGE_OUT: { description: "A message to the lead, by the agent or a member." },
    STATUS_CHANGE: { description: "The lead's status changed." },
  },
});

@ObjectType({
  description: "One thing that happened to a lead: a message, a call, a booking, a status change or a campaign send.",
})
export class LeadTimelineEntry {
  @Field(() => ID, {
    description: "The id of the row the entry is: the message, call, booking, campaign send's message, or audit entry.",
  })
  id!: string;
  @Field(() => LeadTimelineKind, { description: "What kind of entry it is." }) kind!: LeadTimelineKind;
  @Field(() => GraphQLISODateTime, { description: "When it happened (ISO 8601, UTC)." }) at!: Date;
  @Field(() => String, {
    description:
      "A short, plain description; a message's text only to a principal that may read messages (conversation.read).",
  })
  summary!: string;
  @Field(() => ID, { description: "The conversation of a message or call; null otherwise.", nullable: true })
  conversationId!: string | null;
  @Field(() => ID, {
    description: "The message (MESSAGE_IN, MESSAGE_OUT, CAMPAIGN_SEND); null otherwise.",
    nullable: true,
  })
  messageId!: string | null;
  @Field(() => ID, { description: "The call (CALL); null otherwise.", nullable: true }) callId!: string | null;
  @Field(() => ID, { description: "The booking (BOOKING); null otherwise.", nullable: true }) bookingId!: string | null;
  @Field(() => ID, { description: "The campaign (CAMPAIGN_SEND); null otherwise.", nullable: true }) campaignId!:
    | string
    | null;
}
