import { Field, ObjectType, Query, Resolver } from "type-graphql";

import { POLICY_CATALOG } from "@atrium/policies";

import { Public } from "../../platform/authz/guards.ts";

@ObjectType({ description: "One workspace policy: a key a member or API key can hold." })
export class PolicyDescriptor {
  @Field(() => String, { description: "The policy key, as `area.verb` (e.g. lead.manage)." }) key!: string;
  @Field(() => String, { description: "What the policy allows, in a sentence." }) description!: string;
  @Field(() => String, { description: "The group it is listed under (e.g. Workspace, Conversations, Webhooks)." })
  group!: string;
}

@Resolver()
export class PoliciesResolver {
  @Query(() => [PolicyDescriptor], { description: "Every policy a member can be granted, with what it allows." })
  @Public()
  policyCatalog(): PolicyDescriptor[] {
    return POLICY_CATALOG.map((p) => ({ key: p.key, description: p.description, group: p.group }));
  }
}
