import { IsOptional, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";

@ObjectType("SsoConnection", {
  description:
    "A workspace's OpenID Connect provider, or the platform's (issue 49). The client secret is never returned, only masked.",
})
export class SsoConnectionView {
  @Field(() => ID, { description: "The connection's ID." }) id!: string;
  @Field(() => String, { description: "The provider's issuer URL." }) issuerUrl!: string;
  @Field(() => String, { description: "The OpenID Connect client ID registered with the provider." }) clientId!: string;
  @Field(() => String, { description: "The client secret, masked (last 4 characters)." }) clientSecretMasked!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The preset id (viewer, agent, operator, supervisor, admin) members provisioned by SSO join with; null for the platform's provider (nobody joins a workspace).",
  })
  defaultPreset!: string | null;
  @Field(() => String, { description: "The redirect URI to register with the provider." }) redirectUri!: string;
  @Field(() => GraphQLISODateTime, { description: "When it was last saved (ISO 8601, UTC)." }) updatedAt!: Date;
}

@ObjectType("SsoDomain", { description: "An e-mail domain claimed for single sign-on." })
export class SsoDomainView {
  @Field(() => ID, { description: "The domain's ID." }) id!: string;
  @Field(() => String, { description: "The domain, lower-case (e.g. example.com)." }) domain!: string;
  @Field(() => String, { description: "Where the TXT record goes: _atrium-challenge.<domain>." }) recordName!: string;
  @Field(() => Boolean, { description: "True once its TXT record was found holding the token." }) verified!: boolean;
  @Field(() => GraphQLISODateTime, {
    description: "When it was verified (ISO 8601, UTC); null before.",
    nullable: true,
  })
  verifiedAt!: Date | null;
  @Field(() => Boolean, {
    description:
      "Password sign-in is refused for addresses of this domain (the owner keeps a break-glass password sign-in).",
  })
  requireSso!: boolean;
}

@ObjectType("SsoSettings", {
  description:
    "A provider and its e-mail domains: a workspace's (ssoSettings) or the platform's (platformSsoSettings).",
})
export class SsoSettingsView {
  @Field(() => SsoConnectionView, {
    description: "The OpenID Connect provider; null when none is connected.",
    nullable: true,
  })
  connection!: SsoConnectionView | null;
  @Field(() => [SsoDomainView], { description: "The claimed domains." }) domains!: SsoDomainView[];
}

@ObjectType("SsoDomainChallenge", {
  description: "A domain just added: the TXT record to publish. The value is shown once.",
})
export class SsoDomainChallengeView {
  @Field(() => SsoDomainView, { description: "The domain just added (not yet verified)." }) domain!: SsoDomainView;
  @Field(() => String, { description: "Where to publish the TXT record: _atrium-challenge.<domain>." })
  recordName!: string;
  @Field(() => String, { description: "The TXT record's value, shown once (only its hash is stored)." })
  recordValue!: string;
}

@ObjectType("SsoDomainVerification", { description: "The result of looking up a domain's TXT record." })
export class SsoDomainVerificationView {
  @Field(() => SsoDomainView, { description: "The domain, as it is now." }) domain!: SsoDomainView;
  @Field(() => Boolean, { description: "True when the record held the token and the domain is verified." })
  verified!: boolean;
  @Field(() => String, { description: "What the check found, in a sentence a person can act on." }) message!: string;
}

@ObjectType("SignInMethod", {
  description: "How an address signs in, judged by its domain alone (never by whether an account exists).",
})
export class SignInMethodView {
  @Field(() => Boolean, {
    description: "The domain is verified and connected to a provider: /sso/start?email=… signs in there.",
  })
  sso!: boolean;
  @Field(() => Boolean, { description: "Password sign-in is refused for this domain (break-glass owners aside)." })
  ssoRequired!: boolean;
}

@InputType({ description: "An OpenID Connect provider's settings; every value at most 2,000 characters." })
export class SsoConnectionInput {
  // Lengths only on arrival: the form of each value is checked in the service, after the guard
  // (a non-member hears NOT_FOUND, never a verdict on the input).
  @Field(() => String, {
    description: "The issuer URL; its discovery document (/.well-known/openid-configuration) is fetched to check it.",
  })
  @MaxLength(2000)
  issuerUrl!: string;

  @Field(() => String, { description: "The client ID registered with the provider." })
  @MaxLength(2000)
  clientId!: string;

  @Field(() => String, {
    nullable: true,
    description: "Left out (or empty) when editing: the stored secret stays. Required the first time.",
  })
  @IsOptional()
  @MaxLength(2000)
  clientSecret?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The preset id new members join with: viewer, agent, operator, supervisor or admin. Required for a workspace's provider; not used by the platform's (nobody joins a workspace).",
  })
  @IsOptional()
  @MaxLength(64)
  defaultPreset?: string | null;
}
