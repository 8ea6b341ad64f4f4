import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";

import { Connection } from "../../platform/graphql/connection.ts";

export enum AuditActorKind {
  MEMBER = "MEMBER",
  FORMER_MEMBER = "FORMER_MEMBER",
  API_KEY = "API_KEY",
}
registerEnumType(AuditActorKind, {
  name: "AuditActorKind",
  description:
    "MEMBER: a member of the workspace. FORMER_MEMBER: someone who has left it (their name is no longer readable here). API_KEY: an API key of the workspace.",
  valuesConfig: {
    API_KEY: { description: "An API key of the workspace." },
    FORMER_MEMBER: { description: "Someone who has left the workspace; their name is no longer readable here." },
    MEMBER: { description: "A current member of the workspace." },
  },
});

@ObjectType("AuditActor", {
  description: "Who did it, as people know them: a member's name and e-mail, or an API key's name.",
})
export class AuditActorView {
  @Field(() => AuditActorKind, { description: "What kind of actor it was." }) kind!: AuditActorKind;
  @Field(() => String, { description: "The member's name, the API key's name, or \"Former member\"." }) name!: string;
  @Field(() => String, { nullable: true, description: "The member's e-mail; null for an API key or a former member." })
  email!: string | null;
}

@ObjectType("AuditEvent", {
  description: "One entry of the workspace's audit trail: who did what to which target, and when.",
})
export class AuditEventView {
  @Field(() => ID, { description: "The entry's ID." }) id!: string;
  @Field(() => String, {
    description: "What happened, as `area.verb` (e.g. api_key.created, webhook.endpoint_disabled).",
  })
  action!: string;
  @Field(() => ID, { description: "The user who did it; null for an API key or the system.", nullable: true })
  actorUserId!: string | null;
  @Field(() => ID, { description: "The API key that did it; null when a person or the system did.", nullable: true })
  actorApiKeyId!: string | null;
  @Field(() => AuditActorView, {
    nullable: true,
    description: "Who did it, by name; null: the system (a job, a provider's webhook, the public form).",
  })
  actor?: AuditActorView | null;
  @Field(() => String, {
    description: "The kind of row acted on (e.g. Lead, Member, WebhookEndpoint); null when none.",
    nullable: true,
  })
  targetType!: string | null;
  @Field(() => String, {
    description: "The ID of the row acted on; null when the action has no single target.",
    nullable: true,
  })
  targetId!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The target as people know it (a contact's or lead's name, a member's name, an invitation's e-mail, a key's, campaign's or rule's name, an endpoint's URL). Null when the target no longer exists or the caller may not read its kind (e.g. a contact's name needs contact.read).",
  })
  targetLabel?: string | null;
  @Field(() => String, { description: "Event details as JSON." }) data!: string;
  @Field(() => String, {
    description: "The client IP address of the request; null for jobs and the system.",
    nullable: true,
  })
  ip!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When it happened (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A page of audit entries, newest first." })
export class AuditEventConnection extends Connection(AuditEventView, "AuditEvent") {}
