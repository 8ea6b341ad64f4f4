import { Field, GraphQLISODateTime, ID, ObjectType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";

@ObjectType("AuditEvent")
export class AuditEventView {
  @Field(() => ID) id!: string;
  @Field(() => String) action!: string;
  @Field(() => ID, { nullable: true }) actorUserId!: string | null;
  @Field(() => ID, { nullable: true }) actorApiKeyId!: string | null;
  @Field(() => String, { nullable: true }) targetType!: string | null;
  @Field(() => String, { nullable: true }) targetId!: string | null;
  @Field(() => String, { description: "Event details as JSON." }) data!: string;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}


@ObjectType()
export class AuditEventConnection extends Connection(AuditEventView, "AuditEvent") {}
