// explainAccess (Contract, part 2): allowed/denied with readable reasons, for the caller or for
// a member of the workspace; and the platform's count of NOT_FOUND probes per IP.
import { isAction, isSubjectName } from "@atrium/policies";
import { Arg, Ctx, Field, GraphQLISODateTime, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { Can, GrantedAccess, PlatformAdmin } from "../../platform/authz/guards.ts";
import { UUID_RE } from "../../platform/authz/access.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";

@ObjectType("AccessExplanation")
export class AccessExplanationView {
  @Field(() => Boolean) allowed!: boolean;
  @Field(() => [String], { description: "Sentences a person can read: role, granting policy, key scopes, conditions." }) reasons!: string[];
}

@ObjectType("AccessProbeCount", { description: "NOT_FOUND answers to non-members from one IP in the current hour." })
export class AccessProbeCount {
  @Field(() => String) ip!: string;
  @Field(() => Int) count!: number;
  @Field(() => GraphQLISODateTime) windowEndsAt!: Date;
}

@Resolver()
export class AccessExplainerResolver {
  @Query(() => AccessExplanationView, {
    description: "Why an action is allowed or not here: `action` / `subject` are the CASL names (e.g. update, Integration). With `userId`, for that member instead of you.",
  })
  @Can("read", "Workspace")
  async explainAccess(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("action", () => String) action: string,
    @Arg("subject", () => String) subject: string,
    @Arg("userId", () => ID, { nullable: true }) userId: string | null | undefined,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessExplanationView> {
    if (!isAction(action)) throw badInput("Unknown action. Use one of read, create, update, delete, send, run, transfer.", { action: "unknown" });
    if (!isSubjectName(subject)) throw badInput("Unknown subject, such as Lead, Integration or Conversation.", { subject: "unknown" });
    const svc = ctx.services.accessExplainer;
    if (userId) {
      if (!UUID_RE.test(userId)) throw notFound("Member");
      if (ctx.apiKey && !access.ability.can("read", "Member")) throw notFound("Member");
      // A signed-in member asking about their own id ("What can I do here?") is answered as "you".
      const asker = !ctx.apiKey && userId === access.userId ? "self" : "other";
      return { ...(await svc.explain(access, { kind: "member-of", userId, asker }, action, subject)) } as AccessExplanationView;
    }
    if (ctx.apiKey) {
      const k = ctx.apiKey.explain;
      return { ...(await svc.explain(access, { kind: "apiKey", scopes: k.scopes, creatorRole: k.creatorRole, creatorPolicies: k.creatorPolicies }, action, subject)) } as AccessExplanationView;
    }
    return { ...(await svc.explain(access, { kind: "member", role: access.role, policies: access.policies }, action, subject)) } as AccessExplanationView;
  }

  @Query(() => [AccessProbeCount], { description: "Non-members' NOT_FOUND answers per IP in the current hour (counted, never stored per request)." })
  @PlatformAdmin()
  async accessProbes(@Ctx() ctx: RequestContext): Promise<AccessProbeCount[]> {
    return ctx.services.accessExplainer.probes();
  }
}
