// Data-subject requests (SPEC Contract part 3, issue 50): create, read one, list.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess, PlatformAdmin } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import type { RequestRow } from "./privacy.repository.ts";
import type { PrivacyService } from "./privacy.service.ts";
import {
  DataSubjectRequestInput,
  DataSubjectRequestView,
  PlatformDataSubjectRequestView,
  type DataSubjectRequestKind,
  type DataSubjectRequestStatus,
} from "./privacy.types.ts";

const WORKSPACE_ID = {
  description:
    "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
};

export function toView(row: RequestRow, privacy: PrivacyService): DataSubjectRequestView {
  return {
    id: row.id,
    kind: row.kind as DataSubjectRequestKind,
    status: row.status as DataSubjectRequestStatus,
    processed: row.processed,
    total: row.total,
    counts: Object.entries(row.counts as Record<string, number>).map(([entity, count]) => ({ entity, count })),
    downloadUrl: privacy.downloadUrl(row),
    downloadExpiresAt: row.downloadExpiresAt,
    error: row.error,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
  };
}

@Resolver()
export class PrivacyResolver {
  // Signed-in members only: an erasure is irreversible and an export hands over a person's data,
  // neither is something an integration's API key should do.
  @Mutation(() => DataSubjectRequestView, {
    description:
      "Starts an export or erasure of one person's data (by e-mail and/or phone), run as a job; follow it with dataSubjectRequest.",
  })
  @Can("create", "DataSubjectRequest", { signedIn: true })
  async createDataSubjectRequest(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @Arg("input", () => DataSubjectRequestInput, { description: "The person and what to do." })
    input: DataSubjectRequestInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<DataSubjectRequestView> {
    const { privacy } = ctx.services;
    return toView(await privacy.create(access, ctx.actor, input), privacy);
  }

  @Query(() => DataSubjectRequestView, {
    description: "One data-subject request: its state, progress and (a completed export) download link.",
  })
  @Can("read", "DataSubjectRequest")
  async dataSubjectRequest(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @Arg("id", () => ID, { description: "The request's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<DataSubjectRequestView> {
    const { privacy } = ctx.services;
    return toView(await privacy.get(access, id), privacy);
  }

  @Query(() => [DataSubjectRequestView], { description: "The workspace's data-subject requests, newest first." })
  @Can("read", "DataSubjectRequest")
  async dataSubjectRequests(
    @Arg("workspaceId", () => ID, WORKSPACE_ID) workspaceId: string,
    @Arg("first", () => Int, { description: "At most this many (1–100, default 50).", nullable: true })
    first: number | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<DataSubjectRequestView[]> {
    const { privacy } = ctx.services;
    const take = Math.min(100, Math.max(1, first ?? 50));
    return (await privacy.list(access, take)).map((row) => toView(row, privacy));
  }

  @Mutation(() => [PlatformDataSubjectRequestView], {
    description:
      "Platform admins: one export or erasure of the person in every workspace that holds them (a request per workspace, each run as a job). An empty list: no workspace holds them.",
  })
  @PlatformAdmin()
  async createPlatformDataSubjectRequest(
    @Arg("input", () => DataSubjectRequestInput, { description: "The person and what to do." })
    input: DataSubjectRequestInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PlatformDataSubjectRequestView[]> {
    const { privacy, platformAdmin } = ctx.services;
    const rows = await privacy.createPlatformWide(ctx.actor, input, (person) =>
      platformAdmin.workspacesHoldingPerson(person),
    );
    return rows.map((row) => ({
      workspaceId: row.workspaceId,
      id: row.id,
      kind: row.kind as DataSubjectRequestKind,
      status: row.status as DataSubjectRequestStatus,
    }));
  }
}
