import { Arg, Ctx, GraphQLISODateTime, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import { MessageView } from "../conversations/conversations.types.ts";
import { CampaignConnection, CampaignPreviewView, CampaignView, CreateCampaignInput } from "./campaigns.types.ts";

@Resolver()
export class CampaignsResolver {
  @Query(() => CampaignConnection, { description: "Campaigns, newest first, with their progress." })
  @Can("read", "Campaign")
  async campaigns(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignConnection> {
    return ctx.services.campaigns.list(access, { first, after, last, before });
  }

  @Query(() => CampaignView, { description: "One campaign and its progress (poll while it runs)." })
  @Can("read", "Campaign")
  async campaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.get(access, id);
  }

  @Mutation(() => CampaignView, { description: "A draft. The message's {{variables}} are checked now." })
  @Can("create", "Campaign")
  async createCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => CreateCampaignInput, { description: "The draft's name, message and recipients." })
    input: CreateCampaignInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.create(access, input, ctx.actor);
  }

  @Mutation(() => CampaignView, {
    description: "Edits a draft (CONFLICT once it runs or is scheduled); checked as createCampaign checks.",
  })
  @Can("update", "Campaign")
  async updateCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The draft campaign's ID." }) id: string,
    @Arg("input", () => CreateCampaignInput, {
      description: "The draft's new name, message and recipients (replacing the old ones).",
    })
    input: CreateCampaignInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.update(access, id, input, ctx.actor);
  }

  @Query(() => CampaignPreviewView, {
    description:
      "What running the campaign now would do: recipients, who is skipped and why, what the quota allows, a sample message. Nothing is written.",
  })
  @Can("read", "Campaign")
  async campaignPreview(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignPreviewView> {
    return ctx.services.campaigns.preview(access, id);
  }

  @Mutation(() => MessageView, {
    description:
      "Sends the campaign's message once to one phone number (E.164), as a recipient would get it, through the usual send pipeline.",
  })
  @Can("run", "Campaign")
  async sendCampaignTest(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @Arg("phone", () => String, {
      description: "The phone number to send to, with its country code; normalised to E.164.",
    })
    phone: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageView> {
    return ctx.services.campaigns.testSend(access, id, phone, ctx.actor);
  }

  @Mutation(() => Boolean, {
    description: "Deletes a draft, completed or cancelled campaign (its messages stay in the conversations).",
  })
  @Can("delete", "Campaign")
  async deleteCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.campaigns.remove(access, id, ctx.actor);
  }

  @Mutation(() => CampaignView, {
    description: "DRAFT or SCHEDULED → RUNNING now; COMPLETED once every message is settled.",
  })
  @Can("run", "Campaign")
  async runCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.run(access, id, ctx.actor);
  }

  @Mutation(() => CampaignView, { description: "Starts the campaign at `at` (within a year)." })
  @Can("run", "Campaign")
  async scheduleCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @Arg("at", () => GraphQLISODateTime, { description: "When to start (ISO 8601), within a year." }) at: Date,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.schedule(access, id, at, ctx.actor);
  }

  @Mutation(() => CampaignView, { description: "RUNNING → PAUSED: no further recipient is claimed." })
  @Can("run", "Campaign")
  async pauseCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.pause(access, id, ctx.actor);
  }

  @Mutation(() => CampaignView, { description: "PAUSED → RUNNING." })
  @Can("run", "Campaign")
  async resumeCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.resume(access, id, ctx.actor);
  }

  @Mutation(() => CampaignView, { description: "→ CANCELLED: recipients not yet reached are never sent." })
  @Can("run", "Campaign")
  async cancelCampaign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignView> {
    return ctx.services.campaigns.cancel(access, id, ctx.actor);
  }
}
