import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";

export enum AuditActorKind {
  MEMBER = "MEMBER",
  FORMER_MEMBER = "FORMER_MEMBER",
  API_KEY = "API_KEY",
}
registerEnumType(AuditActorKind, {
  name: "AuditActorKind",
  description: "MEMBER: a member of the workspace. FORMER_MEMBER: someone who has left it (their name is no longer readable here). API_KEY: an API key of the workspace.",
});

@ObjectType("AuditActor", { description: "Who did it, as people know them: a member's name and e-mail, or an API key's name." })
export class AuditActorView {
  @Field(() => AuditActorKind) kind!: AuditActorKind;
  @Field(() => String, { description: "The member's name, the API key's name, or \"Former member\"." }) name!: string;
  @Field(() => String, { nullable: true, description: "The member's e-mail; null for an API key or a former member." }) email!: string | null;
}

@ObjectType("AuditEvent")
export class AuditEventView {
  @Field(() => ID) id!: string;
  @Field(() => String) action!: string;
  @Field(() => ID, { nullable: true }) actorUserId!: string | null;
  @Field(() => ID, { nullable: true }) actorApiKeyId!: string | null;
  @Field(() => AuditActorView, { nullable: true, description: "Who did it, by name; null: the system (a job, a provider's webhook, the public form)." })
  actor?: AuditActorView | null;
  @Field(() => String, { nullable: true }) targetType!: string | null;
  @Field(() => String, { nullable: true }) targetId!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The target as people know it (a contact's or lead's name, a member's name, an invitation's e-mail, a key's, campaign's or rule's name, an endpoint's URL). Null when the target no longer exists or the caller may not read its kind (e.g. a contact's name needs contact.read).",
  })
  targetLabel?: string | null;
  @Field(() => String, { description: "Event details as JSON." }) data!: string;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}


@ObjectType()
export class AuditEventConnection extends Connection(AuditEventView, "AuditEvent") {}
