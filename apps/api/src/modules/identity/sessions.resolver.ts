// The sessions page (S2): every active session of the signed-in user, and ending one.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import { UUID_RE } from "../../platform/authz/access.ts";
import { Authenticated, requireUser } from "../../platform/authz/guards.ts";
import { notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { clearAuthCookies } from "../../platform/http/cookies.ts";
import { SessionView } from "../step-up/step-up.types.ts";

@Resolver()
export class SessionsResolver {
  @Query(() => [SessionView], { description: "Your active sessions (devices), most recently used first." })
  @Authenticated()
  async sessions(@Ctx() ctx: RequestContext): Promise<SessionView[]> {
    const p = requireUser(ctx);
    const rows = await ctx.services.identity.listSessions(p.userId);
    return rows.map((s) => ({ ...s, current: s.id === p.sessionId }));
  }

  @Mutation(() => Boolean, {
    description: "Signs one of your sessions out at once (its tokens stop working on the next request).",
  })
  @Authenticated()
  async revokeSession(
    @Arg("id", () => ID, { description: "The session's ID (from sessions)." }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const p = requireUser(ctx);
    if (!UUID_RE.test(id)) throw notFound("Session");
    await ctx.services.identity.revokeSession(p.userId, id, ctx.actor);
    if (id === p.sessionId) clearAuthCookies(ctx.reply);
    return true;
  }
}
