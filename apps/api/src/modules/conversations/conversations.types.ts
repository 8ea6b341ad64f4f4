import { Extensions, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { replyBody } from "@atrium/validation";

import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";
import { ContactView } from "../leads/leads.types.ts";
import { MemberUserView } from "../members/members.types.ts";

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
  /** Issue 47: an agent reply stopped by a safety rule; it never reached the provider. */
  BLOCKED = "BLOCKED",
}

export enum ConversationMode {
  AI = "AI",
  HUMAN = "HUMAN",
}
registerEnumType(ConversationMode, {
  name: "ConversationMode",
  description:
    "AI: the agent replies. HUMAN: a person has taken over; the agent is silent until the conversation is handed back.",
  valuesConfig: {
    AI: { description: "The agent replies." },
    HUMAN: { description: "A person has taken over; the agent is silent until the conversation is handed back." },
  },
});

export enum ConversationStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
registerEnumType(ConversationStatus, {
  name: "ConversationStatus",
  description: "OPEN, or CLOSED by a member (a new inbound message reopens it).",
  valuesConfig: {
    CLOSED: { description: "Closed by a member; a new inbound message reopens it." },
    OPEN: { description: "Open." },
  },
});

export enum ConversationChannel {
  WHATSAPP = "WHATSAPP",
  VOICE = "VOICE",
}
registerEnumType(ConversationChannel, {
  description: "The channel a conversation runs on.",
  name: "ConversationChannel",
  valuesConfig: {
    VOICE: { description: "A phone call through Vapi." },
    WHATSAPP: { description: "WhatsApp messages through Twilio." },
  },
});

export enum AssigneeFilter {
  ANY = "ANY",
  ME = "ME",
  UNASSIGNED = "UNASSIGNED",
}
registerEnumType(AssigneeFilter, {
  name: "AssigneeFilter",
  description: "ME: assigned to the caller; UNASSIGNED: to nobody; ANY: either.",
  valuesConfig: {
    ANY: { description: "Assigned to anyone or to nobody (no filter)." },
    ME: { description: "Assigned to the caller." },
    UNASSIGNED: { description: "Assigned to nobody." },
  },
});
registerEnumType(MessageDirection, {
  description: "Which way a message went.",
  name: "MessageDirection",
  valuesConfig: { INBOUND: { description: "From the contact." }, OUTBOUND: { description: "To the contact." } },
});
registerEnumType(MessageStatus, {
  name: "MessageStatus",
  description:
    "Outbound: QUEUED → SENT → DELIVERED → READ (Twilio's status callbacks), or FAILED (errorCode/errorMessage say why); SUPPRESSED: not sent, stopped by a decision taken before it was handed to the provider — the agent paused (W4), its campaign cancelled, the contact opted out, a person took the conversation over (errorMessage says which); HELD_QUOTA: waiting for the monthly quota (plan change or next month); BLOCKED: an agent reply a safety rule stopped (blockedByRuleId says which). Inbound: RECEIVED.",
  valuesConfig: {
    BLOCKED: { description: "An agent reply a safety rule stopped; never sent." },
    DELIVERED: { description: "Delivered to the contact's device." },
    FAILED: { description: "The provider could not send it; errorCode and errorMessage say why." },
    HELD_QUOTA: { description: "Waiting for the monthly quota (a plan change or the next month)." },
    QUEUED: { description: "Waiting to be handed to the provider." },
    READ: { description: "Read by the contact." },
    RECEIVED: { description: "An inbound message." },
    SENT: { description: "Accepted by the provider." },
    SUPPRESSED: { description: "Not sent: stopped before it reached the provider (errorMessage says why)." },
  },
});

@ObjectType("Message", { description: "One message in a conversation." })
export class MessageView {
  @Field(() => ID, { description: "The message's ID." }) id!: string;
  @Field(() => MessageDirection, { description: "From the contact (INBOUND) or to them (OUTBOUND)." })
  direction!: MessageDirection;
  @Field(() => String, { description: "CONTACT, AGENT (the AI agent), MEMBER (a human reply) or SYSTEM." })
  sender!: string;
  @Field(() => ID, {
    description: "The membership of the member who wrote it; null for the agent, a campaign or the contact.",
    nullable: true,
  })
  senderMembershipId!: string | null;
  @Field(() => String, { description: "The message text." }) body!: string;
  @Field(() => MessageStatus, { description: "Its delivery status." }) status!: MessageStatus;
  @Field(() => String, {
    nullable: true,
    description: "The provider's error code when the send failed (or is being retried).",
  })
  errorCode!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Why it failed, was suppressed, or is being retried, in plain words.",
  })
  errorMessage!: string | null;
  @Field(() => ID, { nullable: true, description: "BLOCKED: the safety rule that stopped it." }) blockedByRuleId!:
    | string
    | null;
  @Field(() => GraphQLISODateTime, { description: "When it was received or queued (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType("Conversation", { description: "A WhatsApp thread or a voice call with one contact." })
export class ConversationView {
  @Field(() => ID, { description: "The conversation's ID." }) id!: string;
  @Field(() => ContactView, {
    nullable: true,
    description: "The contact spoken with; null when you may not read contacts (contact.read).",
  })
  @Extensions({ reads: "read:Contact" })
  contact!: ContactView | null;
  @Field(() => ID, {
    description: "The lead the conversation belongs to; null when it started without one.",
    nullable: true,
  })
  leadId!: string | null;
  @Field(() => Boolean, {
    description: "A human has taken over from the AI agent; manual replies are allowed (mode HUMAN).",
  })
  humanTakeover!: boolean;
  @Field(() => ConversationMode, { description: "AI or HUMAN (takeOverConversation / handBackConversation)." })
  mode!: ConversationMode;
  @Field(() => ConversationStatus, { description: "Open or closed." }) status!: ConversationStatus;
  @Field(() => ConversationChannel, { description: "WHATSAPP messages, or a VOICE call." })
  channel!: ConversationChannel;
  @Field(() => MemberUserView, {
    nullable: true,
    description: "The member it is assigned to (assignConversation), or null.",
  })
  assignee!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, { description: "The inbox order: the latest message, or when it began." })
  lastActivityAt!: Date;
  @Extensions({ reads: "read:Message" })
  @Field(() => MessageView, {
    nullable: true,
    description: "The latest message (the inbox preview); null when there is none or you may not read messages.",
  })
  lastMessage!: MessageView | null;
  @Field(() => Int, {
    description: "Inbound messages since the caller last read the conversation (markConversationRead); 0 for API keys.",
  })
  unreadCount!: number;
  @Field(() => Int, { description: "Review items of this conversation still open or claimed." })
  openReviewCount!: number;
  @Field(() => String, {
    nullable: true,
    description: "Voice: the call's live status as Vapi reports it (ringing, in-progress, ended).",
  })
  callStatus!: string | null;
  @Field(() => Boolean, {
    description: "Voice: the call is in progress and can take guidance or a transfer (Live Call Control).",
  })
  callLive!: boolean;
  @Field(() => GraphQLISODateTime, {
    description: "When the latest message was sent or received (ISO 8601, UTC); null before the first.",
    nullable: true,
  })
  lastMessageAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Voice calls: the recording (Vapi end-of-call report)." })
  recordingUrl!: string | null;
  @Field(() => String, { nullable: true, description: "Voice calls: the full transcript as Vapi reported it." })
  transcript!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When the conversation started (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A page of conversations." })
export class ConversationConnection extends Connection(ConversationView, "Conversation") {}

@ObjectType({ description: "A page of a conversation's messages, oldest first." })
export class MessageConnection extends Connection(MessageView, "Message") {}

@InputType({ description: "A member's reply in a conversation under human takeover." })
export class ManualReplyInput {
  /** "Write a message." / "Messages are at most 4096 characters." — @atrium/validation, as the web's reply form says. */
  @Field(() => String, { description: "The message text: 1–4,096 characters, not blank." })
  @Conforms(replyBody)
  body!: string;
}

@InputType({ description: "Inbox filters; every one optional." })
export class ConversationFilter {
  @Field(() => AssigneeFilter, {
    description: "Whose conversations: the caller's, nobody's, or anyone's.",
    nullable: true,
  })
  assignee?: AssigneeFilter | null;
  @Field(() => ConversationStatus, { description: "Only open or only closed conversations.", nullable: true })
  status?: ConversationStatus | null;
  @Field(() => ConversationMode, {
    description: "Only conversations the agent answers (AI) or taken over (HUMAN).",
    nullable: true,
  })
  mode?: ConversationMode | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "true: only conversations with an open or claimed review item.",
  })
  needsReview?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Text in the contact's name or a message, or the digits a contact's phone number starts (after the +) or ends with; at least 3 characters.",
  })
  search?: string | null;
}

@ObjectType("ConversationActivity", {
  description:
    "Who did what in a conversation: assigned, taken over, handed back, closed, reopened, guided, joined the call.",
})
export class ConversationActivityView {
  @Field(() => ID, { description: "The entry's ID." }) id!: string;
  @Field(() => String, {
    description:
      "conversation.assigned, conversation.unassigned, conversation.takeover_started, conversation.takeover_ended, conversation.closed, conversation.reopened, conversation.guidance_added, conversation.call_joined.",
  })
  action!: string;
  @Field(() => MemberUserView, { nullable: true, description: "Who did it (null: the system, or someone who left)." })
  actor!: MemberUserView | null;
  @Field(() => MemberUserView, { nullable: true, description: "conversation.assigned: the assignee." })
  subject!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, { description: "When it happened (ISO 8601, UTC)." }) createdAt!: Date;
}
