import { apiKeyName } from "@atrium/validation";
import { ArrayMaxSize, IsArray, IsDate, IsOptional, IsString, MaxLength } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";

@ObjectType("ApiKey")
export class ApiKeyView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [String]) scopes!: string[];
  @Field(() => String, { description: "Recognisable, non-secret start of the key." }) prefix!: string;
  @Field(() => Boolean, { description: "Only persisted (trusted) operations are accepted from this key." }) persistedOnly!: boolean;
  @Field(() => ID) createdByUserId!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class CreatedApiKey {
  /** The key just created, shown to the one who created it (create:ApiKey, which apikey.manage grants with read). */
  @Field(() => ApiKeyView)
  @Extensions({ reads: "create:ApiKey" })
  apiKey!: ApiKeyView;
  @Field(() => String, { description: "The full key. Shown once; store it now." }) secret!: string;
}

@InputType()
export class CreateApiKeyInput {
  /** "Name the key." / "Names are at most 80 characters." — @atrium/validation, as the web's key dialog says. */
  @Field(() => String)
  @Conforms(apiKeyName)
  name!: string;

  @Field(() => [String], { description: "Policy keys; must be a subset of your own policies." })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  scopes!: string[];

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @IsDate({ message: "expiresAt must be a date-time." })
  expiresAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: "Hold this key to persisted operations only (A3)." })
  @IsOptional()
  persistedOnly?: boolean | null;
}
