// The operator console's operations (issue 47): safety rules, the review queue, notifications and
// inbox settings. Conversation operations (assign, modes, guidance, calls) are in conversations.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import {
  InboxSettingsInput,
  InboxSettingsView,
  NotificationConnection,
  ReviewItemConnection,
  ReviewItemView,
  ReviewReason,
  ReviewStatus,
  SafetyRuleInput,
  SafetyRuleView,
  SafetyTemplateView,
} from "./operators.types.ts";

@Resolver()
export class OperatorsResolver {
  @Query(() => [SafetyRuleView], { description: "The workspace's safety rules, oldest first." })
  @Can("read", "SafetyRule")
  async safetyRules(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SafetyRuleView[]> {
    return ctx.services.operators.safetyRules(access);
  }

  @Query(() => [SafetyTemplateView], {
    description:
      "The rule templates the product ships (opt-out words, medical emergency, self-harm, legal threat, agent promises).",
  })
  @Can("read", "SafetyRule")
  safetyRuleTemplates(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Ctx() ctx: RequestContext,
  ): SafetyTemplateView[] {
    return ctx.services.operators.templates();
  }

  @Mutation(() => SafetyRuleView, { description: "Creates a safety rule." })
  @Can("create", "SafetyRule")
  async createSafetyRule(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => SafetyRuleInput, { description: "The rule's name, phrases or pattern, scopes and action." })
    input: SafetyRuleInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SafetyRuleView> {
    return ctx.services.operators.createSafetyRule(access, input, ctx.actor);
  }

  @Mutation(() => SafetyRuleView, { description: "Replaces a safety rule's settings." })
  @Can("update", "SafetyRule")
  async updateSafetyRule(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The safety rule's ID." }) id: string,
    @Arg("input", () => SafetyRuleInput, { description: "The rule's new settings (replacing the old ones)." })
    input: SafetyRuleInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SafetyRuleView> {
    return ctx.services.operators.updateSafetyRule(access, id, input, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Deletes a safety rule; review items it filed keep their text." })
  @Can("delete", "SafetyRule")
  async deleteSafetyRule(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The safety rule's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.operators.deleteSafetyRule(access, id, ctx.actor);
  }

  @Query(() => ReviewItemConnection, {
    description: "The review queue, newest first; filter by status, reason or conversation.",
  })
  @Can("read", "ReviewItem")
  async reviewItems(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("status", () => [ReviewStatus], { description: "Only items in these statuses; null for all.", nullable: true })
    status: ReviewStatus[] | null,
    @Arg("reason", () => ReviewReason, { description: "Only items filed for this reason.", nullable: true })
    reason: ReviewReason | null,
    @Arg("conversationId", () => ID, { description: "Only items about this conversation.", nullable: true })
    conversationId: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ReviewItemConnection> {
    const { operators, conversations } = ctx.services;
    return operators.reviewItems(access, { first, after, last, before, status, reason, conversationId }, (tx, id) =>
      conversations.viewIn(tx, access, id),
    );
  }

  @Query(() => ReviewItemView, { description: "One review item." })
  @Can("read", "ReviewItem")
  async reviewItem(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The review item's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ReviewItemView> {
    const { operators, conversations } = ctx.services;
    return operators.reviewItem(access, id, (tx, cid) => conversations.viewIn(tx, access, cid));
  }

  @Mutation(() => ReviewItemView, {
    description: "Claims an open item: one claimant; someone who lost the race gets CONFLICT.",
  })
  @Can("claim", "ReviewItem")
  async claimReviewItem(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The review item's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ReviewItemView> {
    const { operators, conversations } = ctx.services;
    return operators.claim(access, id, ctx.actor, (tx, cid) => conversations.viewIn(tx, access, cid));
  }

  @Mutation(() => ReviewItemView, {
    description: "Gives a claimed item back to the queue (its claimant, or an admin).",
  })
  @Can("claim", "ReviewItem")
  async releaseReviewItem(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The review item's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ReviewItemView> {
    const { operators, conversations } = ctx.services;
    return operators.release(access, id, ctx.actor, (tx, cid) => conversations.viewIn(tx, access, cid));
  }

  @Mutation(() => ReviewItemView, {
    description: "Resolves an item the caller holds (an open one is claimed in passing) with an outcome and a note.",
  })
  @Can("claim", "ReviewItem")
  async resolveReviewItem(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The review item's ID." }) id: string,
    @Arg("outcome", () => String, {
      description: "How it was resolved: a suggested outcome or free text, at most 100 characters.",
    })
    outcome: string,
    @Arg("note", () => String, { description: "A note on what was done, at most 2,000 characters.", nullable: true })
    note: string | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ReviewItemView> {
    const { operators, conversations } = ctx.services;
    return operators.resolve(access, id, outcome, note, ctx.actor, (tx, cid) => conversations.viewIn(tx, access, cid));
  }

  @Query(() => NotificationConnection, {
    description:
      "The caller's notifications in this workspace, newest first, with the unread count (signed-in members; not API keys).",
  })
  @Can("read", "Workspace", { signedIn: true })
  async notifications(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("unreadOnly", () => Boolean, { description: "True: unread notifications only.", nullable: true })
    unreadOnly: boolean | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<NotificationConnection> {
    return ctx.services.operators.notifications(access, { first, after, last, before, unreadOnly });
  }

  @Mutation(() => Int, {
    description:
      "Marks the caller's notifications read: those named, or all of them (ids null). Returns how many changed.",
  })
  @Can("read", "Workspace", { signedIn: true })
  async markNotificationsRead(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("ids", () => [ID], {
      description: "The notifications to mark read; null marks every one of the caller's.",
      nullable: true,
    })
    ids: string[] | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<number> {
    return ctx.services.operators.markNotificationsRead(access, ids);
  }

  @Query(() => InboxSettingsView, { description: "The caller's own inbox settings in this workspace." })
  @Can("read", "Workspace", { signedIn: true })
  async inboxSettings(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<InboxSettingsView> {
    return ctx.services.operators.inboxSettings(access);
  }

  @Mutation(() => InboxSettingsView, {
    description: "The caller's own availability (round-robin) and e-mail notifications.",
  })
  @Can("read", "Workspace", { signedIn: true })
  async updateInboxSettings(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => InboxSettingsInput, { description: "The settings to change." }) input: InboxSettingsInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<InboxSettingsView> {
    return ctx.services.operators.updateInboxSettings(access, input);
  }

  @Mutation(() => InboxSettingsView, {
    description: "Round-robin assignment of new conversations among available members (conversation.assign).",
  })
  @Can("assign", "Conversation")
  async setAutoAssign(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("enabled", () => Boolean, { description: "True turns round-robin assignment on; false turns it off." })
    enabled: boolean,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<InboxSettingsView> {
    return ctx.services.operators.setAutoAssign(access, enabled, ctx.actor);
  }
}
