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
registerEnumType(LeadTimelineKind, { name: "LeadTimelineKind" });

@ObjectType({ description: "One thing that happened to a lead: a message, a call, a booking, a status change or a campaign send." })
export class LeadTimelineEntry {
  @Field(() => ID, { description: "The id of the row the entry is: the message, call, booking, campaign send's message, or audit entry." }) id!: string;
  @Field(() => LeadTimelineKind) kind!: LeadTimelineKind;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => String, { description: "A short, plain description; a message's text only to a principal that may read messages (conversation.read)." }) summary!: string;
  @Field(() => ID, { nullable: true }) conversationId!: string | null;
  @Field(() => ID, { nullable: true }) messageId!: string | null;
  @Field(() => ID, { nullable: true }) callId!: string | null;
  @Field(() => ID, { nullable: true }) bookingId!: string | null;
  @Field(() => ID, { nullable: true }) campaignId!: string | null;
}
