import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { AuthDiagnostics } from "../workspace-settings/workspace-settings.types.ts";
import { Channel, WorkspaceView } from "../workspaces/workspaces.types.ts";
import {
  IntegrationInput,
  IntegrationKeyUsage,
  IntegrationProvider,
  IntegrationTestResult,
  IntegrationView,
} from "./integrations.types.ts";

@Resolver()
export class IntegrationsResolver {
  @Query(() => [IntegrationView], {
    description: "One card per provider this workspace's channel can use; secrets masked. integration.manage.",
  })
  @Can("read", "Integration")
  async integrations(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<IntegrationView[]> {
    return ctx.services.integrations.list(access);
  }

  @Mutation(() => IntegrationView, {
    description: "Saves one provider card (exactly one input member); a secret left out keeps its stored value.",
  })
  @Can("update", "Integration")
  async setIntegration(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => IntegrationInput, { description: "One provider's card: exactly one member set." })
    input: IntegrationInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<IntegrationView> {
    return ctx.services.integrations.set(access, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Removes a provider's card and its stored secrets." })
  @Can("delete", "Integration")
  async removeIntegration(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("provider", () => IntegrationProvider, { description: "The provider whose card to remove." })
    provider: IntegrationProvider,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.integrations.remove(access, provider, ctx.actor);
  }

  @Mutation(() => IntegrationTestResult, {
    description: "Calls the provider with the stored credentials and reports its answer.",
  })
  @Can("update", "Integration")
  async testIntegration(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("provider", () => IntegrationProvider, { description: "The provider to call." }) provider: IntegrationProvider,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<IntegrationTestResult> {
    return ctx.services.integrations.test(access, provider, ctx.actor);
  }
}

@Resolver(() => WorkspaceView)
export class WorkspaceWebhookUrlResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "W12: the URL to paste into Twilio for inbound WhatsApp messages (WHATSAPP workspaces; null otherwise).",
  })
  twilioWebhookUrl(@Root() ws: WorkspaceView, @Ctx() ctx: RequestContext): string | null {
    return ws.channel === Channel.WHATSAPP ? `${ctx.services.config.publicUrl}/webhooks/twilio/${ws.id}` : null;
  }
}

@Resolver(() => AuthDiagnostics)
export class IntegrationKeyDiagnosticsResolver {
  @FieldResolver(() => [IntegrationKeyUsage], {
    description: "How many stored secrets each platform key still protects (rotation progress).",
  })
  integrationKeys(@Ctx() ctx: RequestContext): Promise<IntegrationKeyUsage[]> {
    return ctx.services.integrations.keyUsage(ctx.actor);
  }
}
