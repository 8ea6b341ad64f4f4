import { replyBody } from "@atrium/validation";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";
import { ContactView } from "../leads/leads.types.ts";

export enum MessageDirection {
  INBOUND = "INBOUND",
  OUTBOUND = "OUTBOUND",
}
export enum MessageStatus {
  RECEIVED = "RECEIVED",
  QUEUED = "QUEUED",
  SENT = "SENT",
  DELIVERED = "DELIVERED",
  READ = "READ",
  SUPPRESSED = "SUPPRESSED",
  FAILED = "FAILED",
  /** Over the plan's monthly message quota: waits, and goes out when the quota allows again. */
  HELD_QUOTA = "HELD_QUOTA",
}
registerEnumType(MessageDirection, { name: "MessageDirection" });
registerEnumType(MessageStatus, {
  name: "MessageStatus",
  description: "Outbound: QUEUED → SENT → DELIVERED → READ (Twilio's status callbacks), or FAILED (errorCode/errorMessage say why); SUPPRESSED: not sent, stopped by a decision taken before it was handed to the provider — the agent paused (W4), its campaign cancelled, the contact opted out, a person took the conversation over (errorMessage says which); HELD_QUOTA: waiting for the monthly quota (plan change or next month). Inbound: RECEIVED.",
});

@ObjectType("Message")
export class MessageView {
  @Field(() => ID) id!: string;
  @Field(() => MessageDirection) direction!: MessageDirection;
  @Field(() => String, { description: "CONTACT, AGENT (the AI agent), MEMBER (a human reply) or SYSTEM." }) sender!: string;
  @Field(() => ID, { nullable: true }) senderMembershipId!: string | null;
  @Field(() => String) body!: string;
  @Field(() => MessageStatus) status!: MessageStatus;
  @Field(() => String, { nullable: true, description: "The provider's error code when the send failed (or is being retried)." }) errorCode!: string | null;
  @Field(() => String, { nullable: true, description: "Why it failed, was suppressed, or is being retried, in plain words." }) errorMessage!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType("Conversation")
export class ConversationView {
  @Field(() => ID) id!: string;
  @Field(() => ContactView, { nullable: true, description: "The contact spoken with; null when you may not read contacts (contact.read)." })
  @Extensions({ reads: "read:Contact" })
  contact!: ContactView | null;
  @Field(() => ID, { nullable: true }) leadId!: string | null;
  @Field(() => Boolean, { description: "A human has taken over from the AI agent; manual replies are allowed." }) humanTakeover!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastMessageAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Voice calls: the recording (Vapi end-of-call report)." }) recordingUrl!: string | null;
  @Field(() => String, { nullable: true, description: "Voice calls: the full transcript as Vapi reported it." }) transcript!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class ConversationConnection extends Connection(ConversationView, "Conversation") {}

@ObjectType()
export class MessageConnection extends Connection(MessageView, "Message") {}

@InputType()
export class ManualReplyInput {
  /** "Write a message." / "Messages are at most 4096 characters." — @atrium/validation, as the web's reply form says. */
  @Field(() => String)
  @Conforms(replyBody)
  body!: string;
}
