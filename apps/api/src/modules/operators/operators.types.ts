// The operator console's GraphQL types (issue 47): guidance notes, Live Call Control requests,
// safety rules and their templates, the review queue, notifications and a member's inbox settings.
import { Extensions, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { SAFETY_PATTERN_MAX, SAFETY_PHRASE_MAX, SAFETY_RULE_NAME_MAX } from "@atrium/validation";

import { Connection } from "../../platform/graphql/connection.ts";
import { ConversationView } from "../conversations/conversations.types.ts";
import { MemberUserView } from "../members/members.types.ts";

export enum SafetyScope {
  INBOUND = "INBOUND",
  AGENT_REPLY = "AGENT_REPLY",
  CALL_TRANSCRIPT = "CALL_TRANSCRIPT",
}
registerEnumType(SafetyScope, {
  name: "SafetyScope",
  description: "Where a rule runs: inbound messages, the agent's replies before they are sent, call transcripts.",
  valuesConfig: {
    AGENT_REPLY: { description: "The agent's replies, before they are sent." },
    CALL_TRANSCRIPT: { description: "Call transcripts." },
    INBOUND: { description: "Messages from contacts." },
  },
});

export enum SafetyAction {
  FLAG = "FLAG",
  HAND_OVER = "HAND_OVER",
  BLOCK = "BLOCK",
}
registerEnumType(SafetyAction, {
  description: "What a safety rule does when it matches.",
  name: "SafetyAction",
  valuesConfig: {
    FLAG: { description: "File a review item; nothing else changes." },
    HAND_OVER: {
      description: "File a review item and switch the conversation to HUMAN mode (the agent stops replying).",
    },
    BLOCK: { description: "As HAND_OVER, and the agent's reply is stored BLOCKED, never sent." },
  },
});

export enum ReviewReason {
  SAFETY_FLAG = "SAFETY_FLAG",
  SEND_FAILED = "SEND_FAILED",
  CALL_FLAGGED = "CALL_FLAGGED",
}
registerEnumType(ReviewReason, {
  description: "Why a review item was filed.",
  name: "ReviewReason",
  valuesConfig: {
    CALL_FLAGGED: { description: "A safety rule matched a call transcript." },
    SAFETY_FLAG: { description: "A safety rule matched a message or an agent reply." },
    SEND_FAILED: { description: "An outbound message could not be sent." },
  },
});

export enum ReviewStatus {
  OPEN = "OPEN",
  CLAIMED = "CLAIMED",
  RESOLVED = "RESOLVED",
}
registerEnumType(ReviewStatus, {
  description: "Where a review item is.",
  name: "ReviewStatus",
  valuesConfig: {
    CLAIMED: { description: "A member holds it." },
    OPEN: { description: "Waiting for someone to claim it." },
    RESOLVED: { description: "Done, with an outcome." },
  },
});

export enum NotificationKind {
  ASSIGNED = "ASSIGNED",
  ESCALATION = "ESCALATION",
  MENTION = "MENTION",
}
registerEnumType(NotificationKind, {
  description: "Why a member was notified.",
  name: "NotificationKind",
  valuesConfig: {
    ASSIGNED: { description: "A conversation was assigned to them." },
    ESCALATION: { description: "A review item was filed that needs a person." },
    MENTION: { description: "A teammate mentioned them in a guidance note." },
  },
});

export enum EmailNotifications {
  OFF = "OFF",
  IMMEDIATE = "IMMEDIATE",
  DAILY = "DAILY",
}
registerEnumType(EmailNotifications, {
  name: "EmailNotifications",
  description: "How notifications reach a member by e-mail: never, one mail each, or a daily digest (08:00 UTC).",
  valuesConfig: {
    DAILY: { description: "One digest a day at 08:00 UTC." },
    IMMEDIATE: { description: "One e-mail per notification." },
    OFF: { description: "No e-mail; notifications show in the app only." },
  },
});

export enum CallActionKind {
  GUIDANCE = "GUIDANCE",
  TRANSFER = "TRANSFER",
}
registerEnumType(CallActionKind, {
  description: "What a Live Call Control request asks Vapi to do.",
  name: "CallActionKind",
  valuesConfig: {
    GUIDANCE: { description: "A private note given to the assistant during the call." },
    TRANSFER: { description: "Transfer the call to a member's phone (joinCall)." },
  },
});

export enum CallActionStatus {
  QUEUED = "QUEUED",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(CallActionStatus, {
  description: "Where a Live Call Control request is.",
  name: "CallActionStatus",
  valuesConfig: {
    FAILED: { description: "Vapi refused it or could not be reached; errorMessage says why." },
    QUEUED: { description: "Waiting to be sent to Vapi." },
    SENT: { description: "Accepted by Vapi." },
  },
});

@ObjectType("CallAction", {
  description: "A Live Call Control request to Vapi: guidance to the call, or a transfer to a member's phone.",
})
export class CallActionView {
  @Field(() => ID, { description: "The request's ID." }) id!: string;
  @Field(() => CallActionKind, { description: "Guidance or a transfer." }) kind!: CallActionKind;
  @Field(() => CallActionStatus, { description: "Where the request is: queued, sent to Vapi, or failed." })
  status!: CallActionStatus;
  @Field(() => String, { description: "Why Vapi refused the request (FAILED only); null otherwise.", nullable: true })
  errorMessage!: string | null;
  @Field(() => MemberUserView, {
    description: "The member who asked for it; null when they have left the workspace.",
    nullable: true,
  })
  author!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, { description: "When it was asked for (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType("GuidanceNote", {
  description: "An operator's private note to the agent: given to it as a system message, never sent to the lead.",
})
export class GuidanceNoteView {
  @Field(() => ID, { description: "The note's ID." }) id!: string;
  @Field(() => ID, { description: "The conversation it belongs to." }) conversationId!: string;
  @Field(() => String, { description: "The note, at most 2,000 characters." }) text!: string;
  @Field(() => MemberUserView, { nullable: true, description: "Who wrote it (null once they left the workspace)." })
  author!: MemberUserView | null;
  @Field(() => [MemberUserView], { description: "Teammates @mentioned (each gets a notification)." })
  mentions!: MemberUserView[];
  @Field(() => CallActionView, { nullable: true, description: "Voice: the note sent to the call in progress." })
  callAction!: CallActionView | null;
  @Field(() => GraphQLISODateTime, { description: "When it was written (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType("SafetyRule", {
  description: "A workspace's safety rule: phrases or a pattern matched in messages, replies or transcripts.",
})
export class SafetyRuleView {
  @Field(() => ID, { description: "The rule's ID." }) id!: string;
  @Field(() => String, { description: "The rule's name: at most 80 characters, unique in the workspace." })
  name!: string;
  @Field(() => [String], {
    description: "Words or phrases matched as whole words, at most 50, each at most 100 characters.",
  })
  phrases!: string[];
  @Field(() => String, {
    nullable: true,
    description: "A regular expression (RE2 syntax), matched case-insensitively on the accent-stripped text.",
  })
  pattern!: string | null;
  @Field(() => [SafetyScope], { description: "Where it runs." }) appliesTo!: SafetyScope[];
  @Field(() => SafetyAction, { description: "What it does on a match." }) action!: SafetyAction;
  @Field(() => Boolean, { description: "False: the rule is kept but never runs." }) enabled!: boolean;
  @Field(() => String, { nullable: true, description: "The template it was made from." }) template!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When it was created (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "When it last changed (ISO 8601, UTC)." }) updatedAt!: Date;
}

@ObjectType("SafetyRuleTemplate", { description: "A ready-made safety rule to start from." })
export class SafetyTemplateView {
  @Field(() => String, { description: "The template's key (SafetyRuleInput.template)." }) key!: string;
  @Field(() => String, { description: "The template's name." }) name!: string;
  @Field(() => String, { description: "What the template catches, in a sentence." }) description!: string;
  @Field(() => [String], { description: "Its words or phrases." }) phrases!: string[];
  @Field(() => String, {
    description: "Its regular expression (RE2 syntax); null when it only has phrases.",
    nullable: true,
  })
  pattern!: string | null;
  @Field(() => [SafetyScope], { description: "Where a rule made from it runs." }) appliesTo!: SafetyScope[];
  @Field(() => SafetyAction, { description: "The action a rule made from it takes." }) action!: SafetyAction;
}

@InputType({ description: "A safety rule: at least one phrase or a pattern, and where it applies." })
export class SafetyRuleInput {
  @Field(() => String, { description: `At most ${SAFETY_RULE_NAME_MAX} characters; unique in the workspace.` })
  name!: string;
  @Field(() => [String], {
    nullable: true,
    description: `Words or phrases (each at most ${SAFETY_PHRASE_MAX} characters), matched as whole words.`,
  })
  phrases?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description: `A regular expression, RE2 syntax, at most ${SAFETY_PATTERN_MAX} characters.`,
  })
  pattern?: string | null;
  @Field(() => [SafetyScope], { description: "Where the rule runs; at least one scope." }) appliesTo!: SafetyScope[];
  @Field(() => SafetyAction, { description: "What the rule does on a match." }) action!: SafetyAction;
  @Field(() => Boolean, { nullable: true, description: "Default true." }) enabled?: boolean | null;
  @Field(() => String, { nullable: true, description: "The template key it was made from (safetyRuleTemplates)." })
  template?: string | null;
}

@ObjectType("SafetyRuleRef", { description: "The ID and name of a safety rule." })
export class SafetyRuleRef {
  @Field(() => ID, { description: "The rule's ID." }) id!: string;
  @Field(() => String, { description: "The rule's name." }) name!: string;
}

@ObjectType("ReviewItem", {
  description:
    "Something a person must look at: a message a safety rule flagged, a flagged call, or a send that failed.",
})
export class ReviewItemView {
  @Field(() => ID, { description: "The item's ID." }) id!: string;
  @Field(() => ReviewReason, { description: "Why it was filed." }) reason!: ReviewReason;
  @Field(() => ReviewStatus, { description: "Open, claimed or resolved." }) status!: ReviewStatus;
  @Field(() => String, { description: "What happened, in a sentence." }) summary!: string;
  @Field(() => String, { nullable: true, description: "The text that triggered it (a message, a transcript line)." })
  excerpt!: string | null;
  @Field(() => ID, { nullable: true, description: "The conversation it is about (null: none, e.g. a failed call)." })
  conversationId!: string | null;
  @Extensions({ reads: "read:Conversation" })
  @Field(() => ConversationView, {
    nullable: true,
    description: "null when there is none or you may not read conversations.",
  })
  conversation!: ConversationView | null;
  @Field(() => ID, { description: "The message it is about; null when none.", nullable: true }) messageId!:
    | string
    | null;
  @Field(() => SafetyRuleRef, {
    description: "The safety rule that flagged it; null for failed sends or deleted rules.",
    nullable: true,
  })
  rule!: SafetyRuleRef | null;
  @Field(() => MemberUserView, { description: "Who holds it; null while open or when they have left.", nullable: true })
  claimedBy!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, {
    description: "When it was claimed (ISO 8601, UTC); null while open.",
    nullable: true,
  })
  claimedAt!: Date | null;
  @Field(() => MemberUserView, {
    description: "Who resolved it; null until then or when they have left.",
    nullable: true,
  })
  resolvedBy!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, {
    description: "When it was resolved (ISO 8601, UTC); null until then.",
    nullable: true,
  })
  resolvedAt!: Date | null;
  @Field(() => String, {
    description: "How it was resolved, at most 100 characters; null until RESOLVED.",
    nullable: true,
  })
  outcome!: string | null;
  @Field(() => String, {
    description: "The resolver's note, at most 2,000 characters; null when none.",
    nullable: true,
  })
  note!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When it was filed (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A page of review items, newest first." })
export class ReviewItemConnection extends Connection(ReviewItemView, "ReviewItem") {}

@ObjectType("Notification", { description: "Something that needs one member's attention in a workspace." })
export class NotificationView {
  @Field(() => ID, { description: "The notification's ID." }) id!: string;
  @Field(() => NotificationKind, { description: "Why the member was notified." }) kind!: NotificationKind;
  @Field(() => String, { description: "A one-line summary." }) title!: string;
  @Field(() => String, { description: "More detail, e.g. the message excerpt; null when none.", nullable: true })
  body!: string | null;
  @Field(() => ID, { description: "The conversation it is about; null when none.", nullable: true }) conversationId!:
    | string
    | null;
  @Field(() => ID, { description: "The review item it is about; null when none.", nullable: true }) reviewItemId!:
    | string
    | null;
  @Field(() => GraphQLISODateTime, {
    description: "When the member read it (ISO 8601, UTC); null while unread.",
    nullable: true,
  })
  readAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When it was created (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A page of the caller's notifications, newest first, with the unread count." })
export class NotificationConnection extends Connection(NotificationView, "Notification") {
  @Field(() => Int, { description: "Unread notifications of the caller in this workspace." }) unreadCount!: number;
}

@ObjectType("InboxSettings", {
  description: "The caller's own inbox settings in a workspace, and the workspace's assignment mode.",
})
export class InboxSettingsView {
  @Field(() => Boolean, { description: "Takes part in round-robin assignment." }) available!: boolean;
  @Field(() => EmailNotifications, { description: "How the caller's notifications reach them by e-mail." })
  emailNotifications!: EmailNotifications;
  @Field(() => Boolean, { description: "The workspace assigns new conversations round-robin among available members." })
  autoAssign!: boolean;
}

@InputType({ description: "The caller's own inbox settings; a field left out stays as it is." })
export class InboxSettingsInput {
  @Field(() => Boolean, {
    description: "Whether round-robin assignment may give the caller new conversations.",
    nullable: true,
  })
  available?: boolean | null;
  @Field(() => EmailNotifications, { description: "How notifications reach the caller by e-mail.", nullable: true })
  emailNotifications?: EmailNotifications | null;
}
