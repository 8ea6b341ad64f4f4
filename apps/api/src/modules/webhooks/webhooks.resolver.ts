import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryView,
  WebhookEndpointView,
} from "./webhooks.types.ts";

@Resolver()
export class WebhooksResolver {
  @Query(() => [WebhookEndpointView], { description: "A5: outbound webhook endpoints, newest first (webhook.read)." })
  @Can("read", "Webhook")
  async webhookEndpoints(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointView[]> {
    return ctx.services.webhooks.list(access);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: "An endpoint's deliveries, newest first, each with its attempt log (webhook.read).",
  })
  @Can("read", "Webhook")
  async webhookDeliveries(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("endpointId", () => ID, { description: "The endpoint's ID." }) endpointId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryConnection> {
    return ctx.services.webhooks.deliveries(access, endpointId, { first, after, last, before });
  }

  @Mutation(() => CreatedWebhookEndpoint, {
    description: "Adds an endpoint; the signing secret (whsec_…) is returned once (webhook.manage).",
  })
  @Can("create", "Webhook")
  async createWebhookEndpoint(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => CreateWebhookEndpointInput, { description: "The endpoint's URL and event types." })
    input: CreateWebhookEndpointInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedWebhookEndpoint> {
    return ctx.services.webhooks.create(access, input, ctx.actor);
  }

  @Mutation(() => WebhookEndpointView, {
    description: "Changes the URL, the events, or enables/disables (webhook.manage).",
  })
  @Can("update", "Webhook")
  async updateWebhookEndpoint(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The endpoint's ID." }) id: string,
    @Arg("input", () => UpdateWebhookEndpointInput, { description: "What to change." })
    input: UpdateWebhookEndpointInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointView> {
    return ctx.services.webhooks.update(access, id, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Deletes an endpoint and its delivery log (webhook.manage)." })
  @Can("delete", "Webhook")
  async deleteWebhookEndpoint(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The endpoint's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.webhooks.remove(access, id, ctx.actor);
  }

  @Mutation(() => CreatedWebhookEndpoint, {
    description:
      "A new signing secret, returned once; the previous one is still signed with during the overlap window (webhook.manage).",
  })
  @Can("update", "Webhook")
  async rotateWebhookSecret(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The endpoint's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedWebhookEndpoint> {
    return ctx.services.webhooks.rotateSecret(access, id, ctx.actor);
  }

  @Mutation(() => WebhookDeliveryView, {
    description: "Sends a delivery again now (same webhook-id), logged as a manual attempt (webhook.manage).",
  })
  @Can("update", "Webhook")
  async redeliverWebhook(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("deliveryId", () => ID, { description: "The delivery's ID." }) deliveryId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryView> {
    return ctx.services.webhooks.redeliver(access, deliveryId, ctx.actor);
  }
}
