import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum IntegrationProvider {
  TWILIO = "TWILIO",
  VAPI = "VAPI",
  CALCOM = "CALCOM",
  OPENAI = "OPENAI",
}
registerEnumType(IntegrationProvider, { name: "IntegrationProvider" });

const SECRET = { message: "Paste the value without spaces (8–500 characters)." };
const SECRET_RE = /^\S{8,500}$/;
const ID_RE = /^[\w.:-]{1,100}$/;

@InputType({ description: "WHATSAPP workspaces only. A secret left out keeps its stored value." })
export class TwilioInput {
  @Field(() => String, { description: "Account SID (AC + 32 hex characters)." })
  @IsString()
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: "An account SID is AC followed by 32 hexadecimal characters." })
  accountSid!: string;

  @Field(() => String, { nullable: true, description: "Secret." })
  @IsOptional()
  @IsString()
  @Matches(SECRET_RE, SECRET)
  authToken?: string | null;

  @Field(() => String, { description: "The WhatsApp sender, E.164 (+15551234567); a whatsapp: prefix is accepted." })
  @IsString()
  @Matches(/^(whatsapp:)?\+[1-9]\d{6,14}$/, { message: "Use the E.164 format, e.g. +15551234567." })
  whatsappFrom!: string;
}

@InputType({ description: "VOICE workspaces only. A secret left out keeps its stored value." })
export class VapiInput {
  @Field(() => String, { nullable: true, description: "Secret (private API key)." })
  @IsOptional()
  @IsString()
  @Matches(SECRET_RE, SECRET)
  apiKey?: string | null;

  @Field(() => String)
  @IsString()
  @Matches(ID_RE, { message: "Paste the assistant id from Vapi." })
  assistantId!: string;

  @Field(() => String)
  @IsString()
  @Matches(ID_RE, { message: "Paste the phone number id from Vapi." })
  phoneNumberId!: string;

  @Field(() => String, { nullable: true, description: "Secret: what Vapi sends in x-vapi-secret to our webhook." })
  @IsOptional()
  @IsString()
  @Matches(SECRET_RE, SECRET)
  serverSecret?: string | null;
}

@InputType({ description: "A secret left out keeps its stored value." })
export class CalcomInput {
  @Field(() => String, { nullable: true, description: "Secret." })
  @IsOptional()
  @IsString()
  @Matches(SECRET_RE, SECRET)
  apiKey?: string | null;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: "Event type ids are positive numbers." })
  @Max(2_147_483_647, { message: "Event type ids are positive numbers." })
  eventTypeId!: number;
}

@InputType("OpenAIInput", { description: "A secret left out keeps its stored value." })
export class OpenAIInput {
  @Field(() => String, { nullable: true, description: "Secret." })
  @IsOptional()
  @IsString()
  @Matches(SECRET_RE, SECRET)
  apiKey?: string | null;

  @Field(() => String, { description: "Chat model, e.g. gpt-4o-mini." })
  @IsString()
  @MaxLength(100)
  @Matches(ID_RE, { message: "Use a model name such as gpt-4o-mini." })
  model!: string;
}

@InputType({ description: "Exactly one member." })
export class IntegrationInput {
  @Field(() => TwilioInput, { nullable: true }) @IsOptional() @ValidateNested() twilio?: TwilioInput | null;
  @Field(() => VapiInput, { nullable: true }) @IsOptional() @ValidateNested() vapi?: VapiInput | null;
  @Field(() => CalcomInput, { nullable: true }) @IsOptional() @ValidateNested() calcom?: CalcomInput | null;
  @Field(() => OpenAIInput, { nullable: true }) @IsOptional() @ValidateNested() openai?: OpenAIInput | null;
}

@ObjectType()
export class IntegrationField {
  @Field(() => String) name!: string;
  @Field(() => String, { description: "Secret fields are masked (never the value)." }) value!: string;
  @Field(() => Boolean) secret!: boolean;
}

@ObjectType("Integration")
export class IntegrationView {
  @Field(() => IntegrationProvider) provider!: IntegrationProvider;
  @Field(() => Boolean) configured!: boolean;
  @Field(() => [IntegrationField]) fields!: IntegrationField[];
  @Field(() => GraphQLISODateTime, { nullable: true }) updatedAt!: Date | null;
}

@ObjectType()
export class IntegrationTestResult {
  @Field(() => IntegrationProvider) provider!: IntegrationProvider;
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String, { description: "The provider's answer in plain words." }) message!: string;
}

@ObjectType({ description: "How many stored secrets one platform key protects (W8; never the key)." })
export class IntegrationKeyUsage {
  @Field(() => String) kid!: string;
  @Field(() => Boolean, { description: "New secrets are sealed with this key." }) newest!: boolean;
  @Field(() => Boolean, { description: "False: rows name a key INTEGRATIONS_ENCRYPTION_KEY no longer lists." }) configured!: boolean;
  @Field(() => Int) secrets!: number;
}
