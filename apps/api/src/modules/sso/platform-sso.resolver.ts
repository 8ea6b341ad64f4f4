import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import { PlatformAdmin } from "../../platform/authz/guards.ts";
import { badInput } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import {
  SsoConnectionInput,
  SsoDomainChallengeView,
  SsoDomainVerificationView,
  SsoDomainView,
  SsoSettingsView,
} from "./sso.types.ts";

/** Issue 49, the platform-wide variant (decision 0039 addendum): platform admins only, audited in the platform trail. */
@Resolver()
export class PlatformSsoResolver {
  @Query(() => SsoSettingsView, {
    description: "The platform's OpenID Connect provider and its e-mail domains (platform admins only).",
  })
  @PlatformAdmin()
  platformSsoSettings(@Ctx() ctx: RequestContext): Promise<SsoSettingsView> {
    return ctx.services.platformSso.settings();
  }

  @Mutation(() => SsoSettingsView, {
    description:
      "Connects (or edits) the platform's OpenID Connect provider after fetching its discovery document; BAD_USER_INPUT, reason PROVIDER_UNREACHABLE, when it cannot be read. The client secret is sealed; left out, the stored one stays. defaultPreset is not used (platform admins only).",
  })
  @PlatformAdmin()
  connectPlatformSsoProvider(
    @Arg("input", () => SsoConnectionInput, { description: "The provider's issuer URL, client ID and secret." })
    input: SsoConnectionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoSettingsView> {
    return ctx.services.platformSso.connect(input, ctx.actor);
  }

  @Mutation(() => Boolean, {
    description:
      "Removes the platform's provider and its domains; their people sign in with passwords again (platform admins only).",
  })
  @PlatformAdmin()
  disconnectPlatformSsoProvider(@Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.platformSso.disconnect(ctx.actor);
  }

  @Mutation(() => SsoDomainChallengeView, {
    description:
      "Claims an e-mail domain for the platform's provider: the TXT record (_atrium-challenge.<domain>) to publish, its value shown once. CONFLICT, reason DOMAIN_CLAIMED_BY_WORKSPACE, when a workspace holds it verified (platform admins only).",
  })
  @PlatformAdmin()
  addPlatformSsoDomain(
    @Arg("domain", () => String, { description: "The e-mail domain to claim, e.g. example.com." }) domain: string,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoDomainChallengeView> {
    if (domain.length > 300) throw badInput("Enter a domain such as example.com.", { domain: "too long" });
    return ctx.services.platformSso.addDomain(domain, ctx.actor);
  }

  @Mutation(() => SsoDomainVerificationView, {
    description:
      "Looks up the platform domain's TXT record and verifies it when it holds the token; the answer says what was found (platform admins only).",
  })
  @PlatformAdmin()
  verifyPlatformSsoDomain(
    @Arg("id", () => ID, { description: "The domain's ID." }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoDomainVerificationView> {
    return ctx.services.platformSso.verifyDomain(id, ctx.actor);
  }

  @Mutation(() => SsoDomainView, {
    description:
      "Require single sign-on for a verified platform domain: password sign-in is refused for its addresses, platform admins' break-glass sign-in aside (platform admins only).",
  })
  @PlatformAdmin()
  setPlatformSsoDomainRequired(
    @Arg("id", () => ID, { description: "The domain's ID." }) id: string,
    @Arg("required", () => Boolean, {
      description: "True requires single sign-on for the domain's addresses; false allows passwords again.",
    })
    required: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoDomainView> {
    return ctx.services.platformSso.setRequireSso(id, required, ctx.actor);
  }

  @Mutation(() => Boolean, {
    description: "Removes a domain from the platform's single sign-on (platform admins only).",
  })
  @PlatformAdmin()
  removePlatformSsoDomain(
    @Arg("id", () => ID, { description: "The domain's ID." }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.platformSso.removeDomain(id, ctx.actor);
  }
}
