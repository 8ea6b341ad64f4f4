// What subscriptions send (issue 46): the same object types queries return, wrapped where one
// subscription carries several kinds of change.
import { Extensions, Field, ID, ObjectType, registerEnumType } from "type-graphql";

import { AuditStreamView } from "../audit/audit-stream.types.ts";
import { ConversationView, MessageView } from "../conversations/conversations.types.ts";
import { LeadView } from "../leads/leads.types.ts";
import { CallActionView, GuidanceNoteView } from "../operators/operators.types.ts";

export enum ConversationEventType {
  MESSAGE_ADDED = "MESSAGE_ADDED",
  MESSAGE_UPDATED = "MESSAGE_UPDATED",
  CONVERSATION_UPDATED = "CONVERSATION_UPDATED",
  GUIDANCE_ADDED = "GUIDANCE_ADDED",
  CALL_ACTION_UPDATED = "CALL_ACTION_UPDATED",
}
registerEnumType(ConversationEventType, {
  name: "ConversationEventType",
  description: "What changed in a conversation.",
  valuesConfig: {
    MESSAGE_ADDED: { description: "A message was received or queued: `message` is set." },
    MESSAGE_UPDATED: {
      description:
        "A message's status moved (queued, sent, delivered, read, failed, suppressed, held): `message` is set.",
    },
    CONVERSATION_UPDATED: {
      description:
        "The conversation itself changed (mode, assignee, status, last activity, transcript, live call status) or began: `conversation` is set.",
    },
    GUIDANCE_ADDED: { description: "An operator left guidance for the agent: `guidance` is set." },
    CALL_ACTION_UPDATED: {
      description: "A Live Call Control request was queued, sent or failed: `callAction` is set.",
    },
  },
});

@ObjectType({ description: "One change in a conversation, as `conversationEvents` sends it." })
export class ConversationEvent {
  @Field(() => ConversationEventType, { description: "What changed." }) type!: ConversationEventType;
  @Field(() => ConversationEventType, { description: "The same as `type` (the Contract's name for it)." })
  kind!: ConversationEventType;
  @Field(() => ID, { description: "The conversation that changed." }) conversationId!: string;
  @Extensions({ reads: "read:Message" })
  @Field(() => MessageView, { nullable: true, description: "Set for MESSAGE_ADDED and MESSAGE_UPDATED." })
  message!: MessageView | null;
  @Extensions({ reads: "read:Conversation" })
  @Field(() => ConversationView, { nullable: true, description: "Set for CONVERSATION_UPDATED." })
  conversation!: ConversationView | null;
  @Field(() => GuidanceNoteView, { nullable: true, description: "Set for GUIDANCE_ADDED." })
  guidance!: GuidanceNoteView | null;
  @Field(() => CallActionView, { nullable: true, description: "Set for CALL_ACTION_UPDATED." })
  callAction!: CallActionView | null;
}

export enum LeadEventType {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  DELETED = "DELETED",
}
registerEnumType(LeadEventType, {
  name: "LeadEventType",
  description: "What happened to a lead.",
  valuesConfig: {
    CREATED: { description: "A lead arrived (form, API, call, import): `lead` is set." },
    UPDATED: { description: "A lead changed (status, qualification, booking): `lead` is set." },
    DELETED: { description: "A lead was deleted (retention, erasure): only `leadId` is set." },
  },
});

@ObjectType({ description: "One change to a workspace's leads, as `leadEvents` sends it." })
export class LeadEvent {
  @Field(() => LeadEventType, { description: "What changed." }) type!: LeadEventType;
  @Field(() => ID, { description: "The lead that changed." }) leadId!: string;
  @Extensions({ reads: "read:Lead" })
  @Field(() => LeadView, { nullable: true, description: "The lead as a `lead` query returns it; null for DELETED." })
  lead!: LeadView | null;
}

export enum AuditStreamEventType {
  UPDATED = "UPDATED",
  REMOVED = "REMOVED",
}
registerEnumType(AuditStreamEventType, {
  name: "AuditStreamEventType",
  description: "What happened to the workspace's audit stream.",
  valuesConfig: {
    UPDATED: {
      description: "Set up, changed, turned on or off, or a batch started, was delivered or failed: `stream` is set.",
    },
    REMOVED: { description: "The stream was removed: `stream` is null." },
  },
});

@ObjectType({ description: "One change to the workspace's audit stream, as `auditStreamEvents` sends it (issue 50)." })
export class AuditStreamEvent {
  @Field(() => AuditStreamEventType, { description: "What changed." }) type!: AuditStreamEventType;
  @Field(() => ID, { description: "The stream that changed." }) streamId!: string;
  @Field(() => AuditStreamView, {
    nullable: true,
    description: "The stream as the `auditStream` query returns it; null for REMOVED.",
  })
  stream!: AuditStreamView | null;
}
