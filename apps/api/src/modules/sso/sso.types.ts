import { IsOptional, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";

@ObjectType("SsoConnection", { description: "A workspace's OpenID Connect provider, or the platform's (issue 49). The client secret is never returned, only masked." })
export class SsoConnectionView {
  @Field(() => ID) id!: string;
  @Field(() => String) issuerUrl!: string;
  @Field(() => String) clientId!: string;
  @Field(() => String, { description: "The client secret, masked (last 4 characters)." }) clientSecretMasked!: string;
  @Field(() => String, { nullable: true, description: "The preset id (viewer, agent, operator, supervisor, admin) members provisioned by SSO join with; null for the platform's provider (nobody joins a workspace)." }) defaultPreset!: string | null;
  @Field(() => String, { description: "The redirect URI to register with the provider." }) redirectUri!: string;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType("SsoDomain")
export class SsoDomainView {
  @Field(() => ID) id!: string;
  @Field(() => String) domain!: string;
  @Field(() => String, { description: "Where the TXT record goes: _atrium-challenge.<domain>." }) recordName!: string;
  @Field(() => Boolean) verified!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => Boolean, { description: "Password sign-in is refused for addresses of this domain (the owner keeps a break-glass password sign-in)." }) requireSso!: boolean;
}

@ObjectType("SsoSettings", { description: "A provider and its e-mail domains: a workspace's (ssoSettings) or the platform's (platformSsoSettings)." })
export class SsoSettingsView {
  @Field(() => SsoConnectionView, { nullable: true }) connection!: SsoConnectionView | null;
  @Field(() => [SsoDomainView]) domains!: SsoDomainView[];
}

@ObjectType("SsoDomainChallenge", { description: "A domain just added: the TXT record to publish. The value is shown once." })
export class SsoDomainChallengeView {
  @Field(() => SsoDomainView) domain!: SsoDomainView;
  @Field(() => String) recordName!: string;
  @Field(() => String, { description: "The TXT record's value, shown once (only its hash is stored)." }) recordValue!: string;
}

@ObjectType("SsoDomainVerification")
export class SsoDomainVerificationView {
  @Field(() => SsoDomainView) domain!: SsoDomainView;
  @Field(() => Boolean) verified!: boolean;
  @Field(() => String, { description: "What the check found, in a sentence a person can act on." }) message!: string;
}

@ObjectType("SignInMethod", { description: "How an address signs in, judged by its domain alone (never by whether an account exists)." })
export class SignInMethodView {
  @Field(() => Boolean, { description: "The domain is verified and connected to a provider: /sso/start?email=… signs in there." }) sso!: boolean;
  @Field(() => Boolean, { description: "Password sign-in is refused for this domain (break-glass owners aside)." }) ssoRequired!: boolean;
}

@InputType()
export class SsoConnectionInput {
  // Lengths only on arrival: the form of each value is checked in the service, after the guard
  // (a non-member hears NOT_FOUND, never a verdict on the input).
  @Field(() => String, { description: "The issuer URL; its discovery document (/.well-known/openid-configuration) is fetched to check it." })
  @MaxLength(2000)
  issuerUrl!: string;

  @Field(() => String)
  @MaxLength(2000)
  clientId!: string;

  @Field(() => String, { nullable: true, description: "Left out (or empty) when editing: the stored secret stays. Required the first time." })
  @IsOptional()
  @MaxLength(2000)
  clientSecret?: string | null;

  @Field(() => String, { nullable: true, description: "The preset id new members join with: viewer, agent, operator, supervisor or admin. Required for a workspace's provider; not used by the platform's (nobody joins a workspace)." })
  @IsOptional()
  @MaxLength(64)
  defaultPreset?: string | null;
}
