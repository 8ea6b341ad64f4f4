import { Field, ID, ObjectType } from "type-graphql";

@ObjectType("SoleOwnedWorkspace", { description: "A workspace whose only owner is the signed-in user." })
export class SoleOwnedWorkspaceView {
  @Field(() => ID, { description: "The workspace's ID." }) id!: string;
  @Field(() => String, { description: "The workspace's slug." }) slug!: string;
  @Field(() => String, { description: "The workspace's name." }) name!: string;
}
