import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess, Public } from "../../platform/authz/guards.ts";
import { badInput } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import {
  SignInMethodView,
  SsoConnectionInput,
  SsoDomainChallengeView,
  SsoDomainVerificationView,
  SsoDomainView,
  SsoSettingsView,
} from "./sso.types.ts";

@Resolver()
export class SsoResolver {
  @Query(() => SsoSettingsView, {
    description: "Issue 49: the workspace's OpenID Connect provider and its e-mail domains (owner only).",
  })
  @Can("read", "SingleSignOn", { signedIn: true })
  async ssoSettings(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoSettingsView> {
    return ctx.services.sso.settings(access);
  }

  @Mutation(() => SsoSettingsView, {
    description:
      "Connects (or edits) the workspace's OpenID Connect provider after fetching its discovery document; BAD_USER_INPUT, reason PROVIDER_UNREACHABLE, when it cannot be read. The client secret is sealed; left out, the stored one stays (owner only).",
  })
  @Can("update", "SingleSignOn", { signedIn: true })
  async connectSsoProvider(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => SsoConnectionInput, {
      description: "The provider's issuer URL, client ID, secret and the preset new members join with.",
    })
    input: SsoConnectionInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoSettingsView> {
    return ctx.services.sso.connect(access, input, ctx.actor);
  }

  @Mutation(() => Boolean, {
    description: "Removes the provider and its domains; their members sign in with passwords again (owner only).",
  })
  @Can("update", "SingleSignOn", { signedIn: true })
  async disconnectSsoProvider(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.sso.disconnect(access, ctx.actor);
  }

  @Mutation(() => SsoDomainChallengeView, {
    description:
      "Claims an e-mail domain: the TXT record (_atrium-challenge.<domain>) to publish, its value shown once (owner only).",
  })
  @Can("update", "SingleSignOn", { signedIn: true })
  async addSsoDomain(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("domain", () => String, { description: "The e-mail domain to claim, e.g. example.com." }) domain: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoDomainChallengeView> {
    if (domain.length > 300) throw badInput("Enter a domain such as example.com.", { domain: "too long" });
    return ctx.services.sso.addDomain(access, domain, ctx.actor);
  }

  @Mutation(() => SsoDomainVerificationView, {
    description:
      "Looks up the domain's TXT record and verifies the domain when it holds the token; the answer says what was found (owner only).",
  })
  @Can("update", "SingleSignOn", { signedIn: true })
  async verifySsoDomain(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The domain's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoDomainVerificationView> {
    return ctx.services.sso.verifyDomain(access, id, ctx.actor);
  }

  @Mutation(() => SsoDomainView, {
    description:
      "Require single sign-on for a verified domain: password sign-in is refused for its addresses, the owner's break-glass sign-in aside (owner only).",
  })
  @Can("update", "SingleSignOn", { signedIn: true })
  async setSsoDomainRequired(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The domain's ID." }) id: string,
    @Arg("required", () => Boolean, {
      description: "True requires single sign-on for the domain's addresses; false allows passwords again.",
    })
    required: boolean,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<SsoDomainView> {
    return ctx.services.sso.setRequireSso(access, id, required, ctx.actor);
  }

  @Mutation(() => Boolean, { description: "Removes a domain from single sign-on (owner only)." })
  @Can("update", "SingleSignOn", { signedIn: true })
  async removeSsoDomain(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The domain's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.sso.removeDomain(access, id, ctx.actor);
  }

  @Query(() => SignInMethodView, {
    description:
      "How an address signs in, by its domain alone: with single sign-on, and whether it must. Never says whether an account exists.",
  })
  @Public()
  async signInMethod(
    @Arg("email", () => String, { description: "The e-mail address; only its domain is used." }) email: string,
    @Ctx() ctx: RequestContext,
  ): Promise<SignInMethodView> {
    if (email.length > 254) throw badInput("Enter a valid e-mail address.", { email: "too long" });
    return ctx.services.ssoSignIn.signInMethod(email);
  }
}
