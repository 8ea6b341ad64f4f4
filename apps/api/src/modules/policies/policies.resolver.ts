import { POLICY_CATALOG } from "@atrium/policies";
import { Field, ObjectType, Query, Resolver } from "type-graphql";
import { Public } from "../../platform/authz/guards.ts";

@ObjectType()
export class PolicyDescriptor {
  @Field(() => String) key!: string;
  @Field(() => String) description!: string;
  @Field(() => String) group!: string;
}

@Resolver()
export class PoliciesResolver {
  @Query(() => [PolicyDescriptor], { description: "Every policy a member can be granted, with what it allows." })
  @Public()
  policyCatalog(): PolicyDescriptor[] {
    return POLICY_CATALOG.map((p) => ({ key: p.key, description: p.description, group: p.group }));
  }
}
