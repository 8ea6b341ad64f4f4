import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PhoneConfigInput, PhoneConfigView } from "./phone-configs.types.ts";

@Resolver()
export class PhoneConfigsResolver {
  @Query(() => [PhoneConfigView], { description: "R6: the workspace's phone numbers (phone_config.read)." })
  @Can("read", "PhoneConfig")
  async phoneConfigs(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<PhoneConfigView[]> {
    return ctx.services.phoneConfigs.list(access);
  }

  @Mutation(() => PhoneConfigView, { description: "Adds a number; unique within the workspace (phone_config.manage)." })
  @Can("create", "PhoneConfig")
  async createPhoneConfig(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => PhoneConfigInput, { description: "The number, its provider and label." })
    input: PhoneConfigInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<PhoneConfigView> {
    return ctx.services.phoneConfigs.create(access, input, ctx.actor);
  }

  @Mutation(() => PhoneConfigView, { description: "phone_config.manage." })
  @Can("update", "PhoneConfig")
  async updatePhoneConfig(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The phone number's ID." }) id: string,
    @Arg("input", () => PhoneConfigInput, { description: "The number's new settings (replacing the old ones)." })
    input: PhoneConfigInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<PhoneConfigView> {
    return ctx.services.phoneConfigs.update(access, id, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "phone_config.manage." })
  @Can("delete", "PhoneConfig")
  async deletePhoneConfig(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The phone number's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.phoneConfigs.remove(access, id, ctx.actor);
  }
}
