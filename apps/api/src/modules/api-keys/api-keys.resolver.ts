import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { ApiKeyView, CreateApiKeyInput, CreatedApiKey } from "./api-keys.types.ts";

@Resolver()
export class ApiKeysResolver {
  @Mutation(() => CreatedApiKey, {
    description: "Creates a key whose scopes are a subset of your policies. The secret is returned once.",
  })
  @Can("create", "ApiKey", { signedIn: true })
  async createApiKey(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => CreateApiKeyInput, { description: "The key's name, scopes and expiry." })
    input: CreateApiKeyInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedApiKey> {
    return ctx.services.apiKeys.create(access, input, ctx.actor);
  }

  @Query(() => [ApiKeyView], {
    description: "The workspace's API keys, newest first, revoked ones included (never their secrets).",
  })
  @Can("read", "ApiKey")
  async apiKeys(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ApiKeyView[]> {
    return ctx.services.apiKeys.list(access);
  }

  @Mutation(() => Boolean, { description: "Revokes a key; it stops working on the next request." })
  @Can("delete", "ApiKey")
  async revokeApiKey(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The API key's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.apiKeys.revoke(access, id, ctx.actor);
  }
}
