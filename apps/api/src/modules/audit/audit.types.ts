import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { PageInfo } from "../../platform/graphql/page-info.ts";

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
export class AuditEventEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AuditEventView) node!: AuditEventView;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges!: AuditEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
