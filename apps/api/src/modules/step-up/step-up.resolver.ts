// Second factors of the signed-in user and step-up verification (S7). A user operation, never a
// workspace one: API keys are machine principals and cannot use it.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import { UUID_RE } from "../../platform/authz/access.ts";
import { Authenticated, requireUser } from "../../platform/authz/guards.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { AccountSecurity, PasskeyView, TotpEnrollment } from "./step-up.types.ts";

const CODE_MAX = 32;

function checkedCode(code: string): string {
  const c = code.trim();
  if (c.length === 0 || c.length > CODE_MAX)
    throw badInput("Enter the 6-digit code from your authenticator app, or a recovery code.", { code: "invalid" });
  return c;
}

@Resolver()
export class StepUpResolver {
  @Query(() => AccountSecurity, {
    description: "The signed-in user's second factors and this session's last verification.",
  })
  @Authenticated()
  async accountSecurity(@Ctx() ctx: RequestContext): Promise<AccountSecurity> {
    const p = requireUser(ctx);
    return {
      stepUpAvailable: ctx.services.config.stepUpEnabled,
      ...(await ctx.services.stepUp.status(p.userId, p.sessionId)),
    };
  }

  @Mutation(() => TotpEnrollment, {
    description: "Starts setting up an authenticator app (RFC 6238, SHA-1, 6 digits, 30 s). Active after confirmTotp.",
  })
  @Authenticated()
  async enrollTotp(@Ctx() ctx: RequestContext): Promise<TotpEnrollment> {
    const p = requireUser(ctx);
    return ctx.services.stepUp.enrollTotp({ userId: p.userId, sessionId: p.sessionId, email: p.email }, ctx.actor);
  }

  @Mutation(() => [String], {
    description: "Activates the authenticator app with a first code; returns one-time recovery codes (shown once).",
  })
  @Authenticated()
  async confirmTotp(
    @Arg("code", () => String, { description: "The 6-digit code the authenticator app shows now." }) code: string,
    @Ctx() ctx: RequestContext,
  ): Promise<string[]> {
    const p = requireUser(ctx);
    return ctx.services.stepUp.confirmTotp(p, checkedCode(code), ctx.actor);
  }

  @Mutation(() => Boolean, { description: "A TOTP or recovery code; marks this session verified (step-up)." })
  @Authenticated()
  async verifyStepUp(
    @Arg("code", () => String, {
      description: "A 6-digit authenticator code or an unused recovery code; at most 32 characters.",
    })
    code: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const p = requireUser(ctx);
    return ctx.services.stepUp.verifyCode(p, checkedCode(code), ctx.actor);
  }

  @Mutation(() => [String], {
    description: "Replaces the recovery codes (needs a recent verification); the old ones stop working.",
  })
  @Authenticated()
  async regenerateRecoveryCodes(@Ctx() ctx: RequestContext): Promise<string[]> {
    return ctx.services.stepUp.regenerateRecoveryCodes(requireUser(ctx), ctx.actor);
  }

  @Mutation(() => Boolean, {
    description: "Removes the authenticator app and its recovery codes (needs a recent verification).",
  })
  @Authenticated()
  async disableTotp(@Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.stepUp.disableTotp(requireUser(ctx), ctx.actor);
  }

  @Mutation(() => String, { description: "WebAuthn registration options (JSON) for a new passkey." })
  @Authenticated()
  async passkeyRegistrationOptions(@Ctx() ctx: RequestContext): Promise<string> {
    const p = requireUser(ctx);
    return ctx.services.stepUp.passkeyRegistrationOptions({ userId: p.userId, sessionId: p.sessionId, email: p.email });
  }

  @Mutation(() => PasskeyView, { description: "Stores a passkey from the browser's registration response (JSON)." })
  @Authenticated()
  async addPasskey(
    @Arg("response", () => String, { description: "The browser's WebAuthn registration response, as JSON." })
    response: string,
    @Arg("name", () => String, {
      description: "A name for the passkey (e.g. the device), so the user can tell it apart later.",
      nullable: true,
    })
    name: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<PasskeyView> {
    if ((name ?? "").length > 80) throw badInput("Passkey names are at most 80 characters.", { name: "too long" });
    return ctx.services.stepUp.registerPasskey(requireUser(ctx), response, name ?? "", ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Removes one of your passkeys (needs a recent verification)." })
  @Authenticated()
  async removePasskey(
    @Arg("id", () => ID, { description: "The passkey's ID." }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    if (!UUID_RE.test(id)) throw notFound("Passkey");
    return ctx.services.stepUp.removePasskey(requireUser(ctx), id, ctx.actor);
  }

  @Mutation(() => String, { description: "WebAuthn authentication options (JSON) for a step-up with a passkey." })
  @Authenticated()
  async passkeyStepUpOptions(@Ctx() ctx: RequestContext): Promise<string> {
    return ctx.services.stepUp.passkeyStepUpOptions(requireUser(ctx));
  }

  @Mutation(() => Boolean, {
    description: "Verifies the browser's passkey assertion (JSON); marks this session verified (step-up).",
  })
  @Authenticated()
  async verifyPasskeyStepUp(
    @Arg("response", () => String, { description: "The browser's WebAuthn assertion response, as JSON." })
    response: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.stepUp.verifyPasskey(requireUser(ctx), response, ctx.actor);
  }
}
