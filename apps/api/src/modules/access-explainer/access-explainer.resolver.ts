// explainAccess (Contract, part 2): allowed/denied with readable reasons, for the caller or for
// a member of the workspace; and the platform's count of NOT_FOUND probes per IP.
import { Arg, Ctx, Field, GraphQLISODateTime, ID, Int, ObjectType, Query, Resolver } from "type-graphql";

import { isAction, isSubjectName } from "@atrium/policies";

import { UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess, PlatformAdmin } from "../../platform/authz/guards.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";

@ObjectType("AccessExplanation", {
  description: "Whether an action on a subject is allowed in a workspace, with the sentences that say why.",
})
export class AccessExplanationView {
  @Field(() => Boolean, { description: "True when the person or API key may do the action here." }) allowed!: boolean;
  @Field(() => [String], { description: "Sentences a person can read: role, granting policy, key scopes, conditions." })
  reasons!: string[];
}

@ObjectType("AccessProbeCount", { description: "NOT_FOUND answers to non-members from one IP in the current hour." })
export class AccessProbeCount {
  @Field(() => String, { description: "The client's IP address, as the API saw it." }) ip!: string;
  @Field(() => Int, { description: "How many NOT_FOUND answers this IP got in the current hour." }) count!: number;
  @Field(() => GraphQLISODateTime, { description: "When the current one-hour window ends (ISO 8601, UTC)." })
  windowEndsAt!: Date;
}

@Resolver()
export class AccessExplainerResolver {
  @Query(() => AccessExplanationView, {
    description:
      "Why an action is allowed or not here: `action` / `subject` are the CASL names (e.g. update, Integration). With `userId`, for that member instead of you.",
  })
  @Can("read", "Workspace")
  async explainAccess(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("action", () => String, { description: "The CASL action, e.g. read, update, send." }) action: string,
    @Arg("subject", () => String, { description: "The CASL subject, e.g. Lead, Integration." }) subject: string,
    @Arg("userId", () => ID, {
      description: "Explain for this member of the workspace instead of the caller; null for the caller.",
      nullable: true,
    })
    userId: string | null | undefined,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessExplanationView> {
    if (!isAction(action))
      throw badInput("Unknown action. Use one of read, create, update, delete, send, run, transfer.", {
        action: "unknown",
      });
    if (!isSubjectName(subject))
      throw badInput("Unknown subject, such as Lead, Integration or Conversation.", { subject: "unknown" });
    const svc = ctx.services.accessExplainer;
    if (userId) {
      if (!UUID_RE.test(userId)) throw notFound("Member");
      if (ctx.apiKey && !access.ability.can("read", "Member")) throw notFound("Member");
      // A signed-in member asking about their own id ("What can I do here?") is answered as "you".
      const asker = !ctx.apiKey && userId === access.userId ? "self" : "other";
      return {
        ...(await svc.explain(access, { kind: "member-of", userId, asker }, action, subject)),
      } as AccessExplanationView;
    }
    if (ctx.apiKey) {
      const k = ctx.apiKey.explain;
      return {
        ...(await svc.explain(
          access,
          { kind: "apiKey", scopes: k.scopes, creatorRole: k.creatorRole, creatorPolicies: k.creatorPolicies },
          action,
          subject,
        )),
      } as AccessExplanationView;
    }
    return {
      ...(await svc.explain(access, { kind: "member", role: access.role, policies: access.policies }, action, subject)),
    } as AccessExplanationView;
  }

  @Query(() => [AccessProbeCount], {
    description: "Non-members' NOT_FOUND answers per IP in the current hour (counted, never stored per request).",
  })
  @PlatformAdmin()
  async accessProbes(@Ctx() ctx: RequestContext): Promise<AccessProbeCount[]> {
    return ctx.services.accessExplainer.probes();
  }
}
