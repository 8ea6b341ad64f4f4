// The Relay page info every connection in the schema shares (one type, not one per feature).
import { Field, ObjectType } from "type-graphql";

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
