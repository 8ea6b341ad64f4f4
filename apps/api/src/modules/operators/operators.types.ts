// The operator console's GraphQL types (issue 47): guidance notes, Live Call Control requests,
// safety rules and their templates, the review queue, notifications and a member's inbox settings.
import { SAFETY_PATTERN_MAX, SAFETY_PHRASE_MAX, SAFETY_RULE_NAME_MAX } from "@atrium/validation";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";
import { ConversationView } from "../conversations/conversations.types.ts";
import { MemberUserView } from "../members/members.types.ts";

export enum SafetyScope {
  INBOUND = "INBOUND",
  AGENT_REPLY = "AGENT_REPLY",
  CALL_TRANSCRIPT = "CALL_TRANSCRIPT",
}
registerEnumType(SafetyScope, { name: "SafetyScope", description: "Where a rule runs: inbound messages, the agent's replies before they are sent, call transcripts." });

export enum SafetyAction {
  FLAG = "FLAG",
  HAND_OVER = "HAND_OVER",
  BLOCK = "BLOCK",
}
registerEnumType(SafetyAction, {
  name: "SafetyAction",
  valuesConfig: {
    FLAG: { description: "File a review item; nothing else changes." },
    HAND_OVER: { description: "File a review item and switch the conversation to HUMAN mode (the agent stops replying)." },
    BLOCK: { description: "As HAND_OVER, and the agent's reply is stored BLOCKED, never sent." },
  },
});

export enum ReviewReason {
  SAFETY_FLAG = "SAFETY_FLAG",
  SEND_FAILED = "SEND_FAILED",
  CALL_FLAGGED = "CALL_FLAGGED",
}
registerEnumType(ReviewReason, { name: "ReviewReason" });

export enum ReviewStatus {
  OPEN = "OPEN",
  CLAIMED = "CLAIMED",
  RESOLVED = "RESOLVED",
}
registerEnumType(ReviewStatus, { name: "ReviewStatus" });

export enum NotificationKind {
  ASSIGNED = "ASSIGNED",
  ESCALATION = "ESCALATION",
  MENTION = "MENTION",
}
registerEnumType(NotificationKind, { name: "NotificationKind" });

export enum EmailNotifications {
  OFF = "OFF",
  IMMEDIATE = "IMMEDIATE",
  DAILY = "DAILY",
}
registerEnumType(EmailNotifications, { name: "EmailNotifications", description: "How notifications reach a member by e-mail: never, one mail each, or a daily digest (08:00 UTC)." });

export enum CallActionKind {
  GUIDANCE = "GUIDANCE",
  TRANSFER = "TRANSFER",
}
registerEnumType(CallActionKind, { name: "CallActionKind" });

export enum CallActionStatus {
  QUEUED = "QUEUED",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(CallActionStatus, { name: "CallActionStatus" });

@ObjectType("CallAction", { description: "A Live Call Control request to Vapi: guidance to the call, or a transfer to a member's phone." })
export class CallActionView {
  @Field(() => ID) id!: string;
  @Field(() => CallActionKind) kind!: CallActionKind;
  @Field(() => CallActionStatus) status!: CallActionStatus;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => MemberUserView, { nullable: true }) author!: MemberUserView | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType("GuidanceNote", { description: "An operator's private note to the agent: given to it as a system message, never sent to the lead." })
export class GuidanceNoteView {
  @Field(() => ID) id!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => String) text!: string;
  @Field(() => MemberUserView, { nullable: true, description: "Who wrote it (null once they left the workspace)." }) author!: MemberUserView | null;
  @Field(() => [MemberUserView], { description: "Teammates @mentioned (each gets a notification)." }) mentions!: MemberUserView[];
  @Field(() => CallActionView, { nullable: true, description: "Voice: the note sent to the call in progress." }) callAction!: CallActionView | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType("SafetyRule")
export class SafetyRuleView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [String]) phrases!: string[];
  @Field(() => String, { nullable: true, description: "A regular expression (RE2 syntax), matched case-insensitively on the accent-stripped text." }) pattern!: string | null;
  @Field(() => [SafetyScope]) appliesTo!: SafetyScope[];
  @Field(() => SafetyAction) action!: SafetyAction;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String, { nullable: true, description: "The template it was made from." }) template!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType("SafetyRuleTemplate")
export class SafetyTemplateView {
  @Field(() => String) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => [String]) phrases!: string[];
  @Field(() => String, { nullable: true }) pattern!: string | null;
  @Field(() => [SafetyScope]) appliesTo!: SafetyScope[];
  @Field(() => SafetyAction) action!: SafetyAction;
}

@InputType({ description: "A safety rule: at least one phrase or a pattern, and where it applies." })
export class SafetyRuleInput {
  @Field(() => String, { description: `At most ${SAFETY_RULE_NAME_MAX} characters; unique in the workspace.` }) name!: string;
  @Field(() => [String], { nullable: true, description: `Words or phrases (each at most ${SAFETY_PHRASE_MAX} characters), matched as whole words.` }) phrases?: string[] | null;
  @Field(() => String, { nullable: true, description: `A regular expression, RE2 syntax, at most ${SAFETY_PATTERN_MAX} characters.` }) pattern?: string | null;
  @Field(() => [SafetyScope]) appliesTo!: SafetyScope[];
  @Field(() => SafetyAction) action!: SafetyAction;
  @Field(() => Boolean, { nullable: true, description: "Default true." }) enabled?: boolean | null;
  @Field(() => String, { nullable: true, description: "The template key it was made from (safetyRuleTemplates)." }) template?: string | null;
}

@ObjectType("SafetyRuleRef")
export class SafetyRuleRef {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType("ReviewItem")
export class ReviewItemView {
  @Field(() => ID) id!: string;
  @Field(() => ReviewReason) reason!: ReviewReason;
  @Field(() => ReviewStatus) status!: ReviewStatus;
  @Field(() => String, { description: "What happened, in a sentence." }) summary!: string;
  @Field(() => String, { nullable: true, description: "The text that triggered it (a message, a transcript line)." }) excerpt!: string | null;
  @Field(() => ID, { nullable: true, description: "The conversation it is about (null: none, e.g. a failed call)." }) conversationId!: string | null;
  @Extensions({ reads: "read:Conversation" })
  @Field(() => ConversationView, { nullable: true, description: "null when there is none or you may not read conversations." }) conversation!: ConversationView | null;
  @Field(() => ID, { nullable: true }) messageId!: string | null;
  @Field(() => SafetyRuleRef, { nullable: true }) rule!: SafetyRuleRef | null;
  @Field(() => MemberUserView, { nullable: true }) claimedBy!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) claimedAt!: Date | null;
  @Field(() => MemberUserView, { nullable: true }) resolvedBy!: MemberUserView | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class ReviewItemConnection extends Connection(ReviewItemView, "ReviewItem") {}

@ObjectType("Notification")
export class NotificationView {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) body!: string | null;
  @Field(() => ID, { nullable: true }) conversationId!: string | null;
  @Field(() => ID, { nullable: true }) reviewItemId!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) readAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class NotificationConnection extends Connection(NotificationView, "Notification") {
  @Field(() => Int, { description: "Unread notifications of the caller in this workspace." }) unreadCount!: number;
}

@ObjectType("InboxSettings", { description: "The caller's own inbox settings in a workspace, and the workspace's assignment mode." })
export class InboxSettingsView {
  @Field(() => Boolean, { description: "Takes part in round-robin assignment." }) available!: boolean;
  @Field(() => EmailNotifications) emailNotifications!: EmailNotifications;
  @Field(() => Boolean, { description: "The workspace assigns new conversations round-robin among available members." }) autoAssign!: boolean;
}

@InputType()
export class InboxSettingsInput {
  @Field(() => Boolean, { nullable: true }) available?: boolean | null;
  @Field(() => EmailNotifications, { nullable: true }) emailNotifications?: EmailNotifications | null;
}
