import { Field, ID, ObjectType } from "type-graphql";

@ObjectType("SoleOwnedWorkspace", { description: "A workspace whose only owner is the signed-in user." })
export class SoleOwnedWorkspaceView {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
}
