// The workspace's home (issue 48): the onboarding checklist, today's numbers beside the previous
// period's, and the latest activity. Every part is null (or empty) for a caller who may not read
// what it counts.
import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum ChecklistItemKey {
  CHANNEL_CONNECTED = "CHANNEL_CONNECTED",
  PERSONA_SET = "PERSONA_SET",
  FIRST_LEAD = "FIRST_LEAD",
  TEAMMATE_INVITED = "TEAMMATE_INVITED",
  API_KEY_CREATED = "API_KEY_CREATED",
  FIRST_CAMPAIGN = "FIRST_CAMPAIGN",
}
registerEnumType(ChecklistItemKey, {
  name: "ChecklistItemKey",
  description: "One step of setting a workspace up, each read from the workspace's own rows (never a stored flag).",
  valuesConfig: {
    CHANNEL_CONNECTED: {
      description: "The channel's provider card is saved: Twilio for a WhatsApp workspace, Vapi for a voice one.",
    },
    PERSONA_SET: { description: "The agent persona has a name." },
    FIRST_LEAD: { description: "The form was shared and answered, or a lead arrived any other way." },
    TEAMMATE_INVITED: { description: "An invitation was sent (and not revoked), or a second member joined." },
    API_KEY_CREATED: { description: "An API key was created (a revoked one counts)." },
    FIRST_CAMPAIGN: { description: "A campaign was created." },
  },
});

@ObjectType({ description: "One onboarding step and whether the workspace has done it." })
export class ChecklistItemView {
  @Field(() => ChecklistItemKey, { description: "Which step." }) key!: ChecklistItemKey;
  @Field(() => Boolean, { description: "True once the workspace has done this step." }) done!: boolean;
}

@ObjectType({ description: "The onboarding steps the caller may see (workspace.settings), in order." })
export class OnboardingChecklistView {
  @Field(() => [ChecklistItemView], { description: "The steps, in order." }) items!: ChecklistItemView[];
  @Field(() => Int, { description: "How many items are done." }) doneCount!: number;
  @Field(() => Int, { description: "How many items there are." }) total!: number;
  @Field(() => Boolean, { description: "Every item is done (the web app hides the checklist)." }) complete!: boolean;
}

@ObjectType({ description: "A count over the current period and the same count over the period before it." })
export class HomeMetricView {
  @Field(() => Int, { description: "The count over the last 24 hours." }) current!: number;
  @Field(() => Int, { description: "The count over the 24 hours before." }) previous!: number;
}

@ObjectType({
  description:
    "The workspace's last 24 hours (`since`..`until`) beside the 24 hours before (`previousSince`..`since`). A metric is null when the caller may not read what it counts.",
})
export class HomeGlanceView {
  @Field(() => GraphQLISODateTime, { description: "End of the last 24 hours: the time of the read (ISO 8601, UTC)." })
  until!: Date;
  @Field(() => GraphQLISODateTime, { description: "Start of the last 24 hours (ISO 8601, UTC)." }) since!: Date;
  @Field(() => GraphQLISODateTime, { description: "Start of the previous 24 hours (ISO 8601, UTC)." })
  previousSince!: Date;
  @Field(() => HomeMetricView, { nullable: true, description: "Leads created in the period (lead.read)." })
  newLeads!: HomeMetricView | null;
  @Field(() => HomeMetricView, {
    nullable: true,
    description:
      "Open conversations whose contact wrote last, within the 7 days before the period's end: now (`current`) and as they stood 24 hours ago (`previous`) (conversation.read).",
  })
  waitingForReply!: HomeMetricView | null;
  @Field(() => HomeMetricView, { nullable: true, description: "Bookings made in the period (lead.read)." })
  bookings!: HomeMetricView | null;
  @Field(() => HomeMetricView, {
    nullable: true,
    description: "Outbound messages and calls queued in the period that failed (conversation.read).",
  })
  sendsFailed!: HomeMetricView | null;
}

@ObjectType({ description: "Something that happened in the workspace, newest first." })
export class HomeActivityView {
  @Field(() => ID, {
    description: "The entry's ID: an audit entry's, or `lead:<id>` when the list falls back to the latest leads.",
  })
  id!: string;
  @Field(() => String, { description: "The audit log's action, e.g. lead.created." }) action!: string;
  @Field(() => String, {
    nullable: true,
    description: "Who did it, by name; null: the system (a job, a provider, the public form).",
  })
  actorName!: string | null;
  @Field(() => String, {
    description: "The kind of row acted on (e.g. Lead, Conversation); null when none.",
    nullable: true,
  })
  targetType!: string | null;
  @Field(() => ID, { description: "The ID of the row acted on; null when none.", nullable: true }) targetId!:
    | string
    | null;
  @Field(() => String, { nullable: true, description: "The target's name, when the caller may read it." })
  targetLabel!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When it happened (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "The workspace's home page in one read." })
export class WorkspaceHomeView {
  @Field(() => OnboardingChecklistView, {
    nullable: true,
    description: "Null for a caller who cannot change the workspace's settings (setup is theirs to do).",
  })
  checklist!: OnboardingChecklistView | null;
  @Field(() => HomeGlanceView, { description: "The last 24 hours beside the 24 hours before." })
  glance!: HomeGlanceView;
  @Field(() => [HomeActivityView], {
    description:
      "The latest events: the audit log (audit.read), otherwise the latest leads (lead.read), otherwise none.",
  })
  activity!: HomeActivityView[];
}
