// A user's own preferences (issue 48, decision 0040): `me { preferences { theme locale } }` and
// `updatePreferences`. Only ever the caller's own: another user's `preferences` are null.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";

import type { ThemeChoice } from "@atrium/validation";

import { Authenticated, requireUser } from "../../platform/authz/guards.ts";
import { unauthenticated } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { GlobalRole, UserView } from "./identity.types.ts";
import type { Preferences } from "./preferences.service.ts";
import { ThemePreference, UpdatePreferencesInput, UserPreferencesView } from "./preferences.types.ts";

const TO_CHOICE: Readonly<Record<ThemePreference, ThemeChoice>> = { SYSTEM: "system", LIGHT: "light", DARK: "dark" };
const FROM_CHOICE: Readonly<Record<ThemeChoice, ThemePreference>> = {
  system: ThemePreference.SYSTEM,
  light: ThemePreference.LIGHT,
  dark: ThemePreference.DARK,
};

function toView(p: Preferences): UserPreferencesView {
  return { theme: FROM_CHOICE[p.theme], locale: p.locale };
}

@Resolver(() => UserView)
export class PreferencesResolver {
  @FieldResolver(() => UserPreferencesView, {
    nullable: true,
    description: "The user's own preferences (theme, language); null for anyone but the signed-in user.",
  })
  async preferences(@Root() user: UserView, @Ctx() ctx: RequestContext): Promise<UserPreferencesView | null> {
    if (ctx.principal?.userId !== user.id) return null;
    const p = await ctx.services.preferences.get(user.id, ctx.actor);
    return p ? toView(p) : null;
  }

  @Mutation(() => UserView, {
    description:
      "Changes the signed-in user's preferences (theme, language); fields left out stay as they are. Returns the user, with `preferences`.",
  })
  @Authenticated()
  async updatePreferences(
    @Arg("input", () => UpdatePreferencesInput, { description: "The preferences to change." })
    input: UpdatePreferencesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<UserView> {
    const principal = requireUser(ctx);
    await ctx.services.preferences.update(
      principal.userId,
      {
        ...(input.theme != null ? { theme: TO_CHOICE[input.theme] } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
      },
      ctx.actor,
    );
    const user = await ctx.services.identity.me(principal.userId, ctx.actor);
    if (!user) throw unauthenticated("SESSION_REVOKED", "Your session has ended. Sign in again.");
    return { ...user, globalRole: user.globalRole as GlobalRole, memberships: [] };
  }
}
