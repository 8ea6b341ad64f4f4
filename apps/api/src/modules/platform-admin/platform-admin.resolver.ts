import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";

import { PlatformAdmin, Public } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import {
  PlatformUserConnection,
  PlatformUserView,
  RegistrationSettingsInput,
  RegistrationSettingsView,
} from "./platform-admin.types.ts";

@Resolver()
export class PlatformAdminResolver {
  @Query(() => PlatformUserConnection, {
    description: "Platform users, newest first; search by e-mail or name. Platform admins only.",
  })
  @PlatformAdmin()
  adminUsers(
    @Arg("search", () => String, {
      nullable: true,
      description: "A part of the e-mail or of the name (any case; at most 100 characters are used).",
    })
    search: string | null,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PlatformUserConnection> {
    return ctx.services.platformAdmin.listUsers({ search, first, after, last, before });
  }

  @Mutation(() => PlatformUserView, {
    description: "Disables (ending every session at once) or re-enables a user. Platform admins only.",
  })
  @PlatformAdmin()
  setUserDisabled(
    @Arg("userId", () => ID, { description: "The user's ID." }) userId: string,
    @Arg("disabled", () => Boolean, {
      description: "True disables the user (every session ends); false re-enables them.",
    })
    disabled: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<PlatformUserView> {
    return ctx.services.platformAdmin.setUserDisabled(userId, disabled, ctx.actor);
  }

  @Query(() => RegistrationSettingsView, { description: "Who may sign up. Public: the sign-up page adapts to it." })
  @Public()
  async registrationSettings(@Ctx() ctx: RequestContext): Promise<RegistrationSettingsView> {
    const s = await ctx.services.platformAdmin.registrationSettings();
    // Anonymous callers learn the mode, not the domain list.
    return ctx.principal?.globalRole === "ADMIN" ? s : { mode: s.mode, allowedEmailDomains: [] };
  }

  @Mutation(() => RegistrationSettingsView, { description: "Sets the registration mode (M9). Platform admins only." })
  @PlatformAdmin()
  updateRegistrationSettings(
    @Arg("input", () => RegistrationSettingsInput, { description: "The registration mode and allowed domains." })
    input: RegistrationSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RegistrationSettingsView> {
    return ctx.services.platformAdmin.updateRegistrationSettings(input, ctx.actor);
  }
}
