import { ArrayMaxSize, IsArray, IsDate, IsOptional, IsString, MaxLength } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";

import { apiKeyName } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";

@ObjectType("ApiKey", {
  description: "An API key of the workspace. Its secret is shown once, at creation, and never again.",
})
export class ApiKeyView {
  @Field(() => ID, { description: "The key's ID." }) id!: string;
  @Field(() => String, { description: "The key's name: 1–80 characters." }) name!: string;
  @Field(() => [String], {
    description: "Policy keys the key holds (a subset of its creator's policies when created).",
  })
  scopes!: string[];
  @Field(() => String, { description: "Recognisable, non-secret start of the key." }) prefix!: string;
  @Field(() => Boolean, { description: "Only persisted (trusted) operations are accepted from this key." })
  persistedOnly!: boolean;
  @Field(() => ID, {
    description: "The user who created the key; the key stops working if that user's account is deleted.",
  })
  createdByUserId!: string;
  @Field(() => GraphQLISODateTime, {
    description: "When a request last authenticated with the key (ISO 8601, UTC); null = never used.",
    nullable: true,
  })
  lastUsedAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    description: "When the key stops working (ISO 8601, UTC); null = never.",
    nullable: true,
  })
  expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    description: "When the key was revoked (ISO 8601, UTC); null while it is active.",
    nullable: true,
  })
  revokedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: "When the key was created (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A new API key and its secret, returned once." })
export class CreatedApiKey {
  /** The key just created, shown to the one who created it (create:ApiKey, which apikey.manage grants with read). */
  @Field(() => ApiKeyView, { description: "The key as listed afterwards." })
  @Extensions({ reads: "create:ApiKey" })
  apiKey!: ApiKeyView;
  @Field(() => String, { description: "The full key. Shown once; store it now." }) secret!: string;
}

@InputType({ description: "A new API key: its name, scopes and optional expiry." })
export class CreateApiKeyInput {
  /** "Name the key." / "Names are at most 80 characters." — @atrium/validation, as the web's key dialog says. */
  @Field(() => String, { description: "The key's name: 1–80 characters, not blank." })
  @Conforms(apiKeyName)
  name!: string;

  @Field(() => [String], { description: "Policy keys; must be a subset of your own policies." })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  scopes!: string[];

  @Field(() => GraphQLISODateTime, {
    description: "When the key stops working (ISO 8601); null = never.",
    nullable: true,
  })
  @IsOptional()
  @IsDate({ message: "expiresAt must be a date-time." })
  expiresAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: "Hold this key to persisted operations only (A3)." })
  @IsOptional()
  persistedOnly?: boolean | null;
}
