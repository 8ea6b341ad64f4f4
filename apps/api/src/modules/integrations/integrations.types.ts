import { calcomEventTypeId, integrationSecret, openaiModel, twilioAccountSid, vapiAssistantId, vapiPhoneNumberId, whatsappSender } from "@atrium/validation";
import { IsInt, IsOptional, IsString, MaxLength, ValidateNested } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";

export enum IntegrationProvider {
  TWILIO = "TWILIO",
  VAPI = "VAPI",
  CALCOM = "CALCOM",
  OPENAI = "OPENAI",
}
registerEnumType(IntegrationProvider, { name: "IntegrationProvider" });

// The field rules are @atrium/validation's (decision 0020): the integration card's form checks the
// same, in the same words.

@InputType({ description: "WHATSAPP workspaces only. A secret left out keeps its stored value." })
export class TwilioInput {
  @Field(() => String, { description: "Account SID (AC + 32 hex characters)." })
  @IsString()
  @Conforms(twilioAccountSid)
  accountSid!: string;

  @Field(() => String, { nullable: true, description: "Secret." })
  @IsOptional()
  @IsString()
  @Conforms(integrationSecret)
  authToken?: string | null;

  @Field(() => String, { description: "The WhatsApp sender, E.164 (+15551234567); a whatsapp: prefix is accepted." })
  @IsString()
  @Conforms(whatsappSender)
  whatsappFrom!: string;
}

@InputType({ description: "VOICE workspaces only. A secret left out keeps its stored value." })
export class VapiInput {
  @Field(() => String, { nullable: true, description: "Secret (private API key)." })
  @IsOptional()
  @IsString()
  @Conforms(integrationSecret)
  apiKey?: string | null;

  @Field(() => String)
  @IsString()
  @Conforms(vapiAssistantId)
  assistantId!: string;

  @Field(() => String)
  @IsString()
  @Conforms(vapiPhoneNumberId)
  phoneNumberId!: string;

  @Field(() => String, { nullable: true, description: "Secret: what Vapi sends in x-vapi-secret to our webhook." })
  @IsOptional()
  @IsString()
  @Conforms(integrationSecret)
  serverSecret?: string | null;
}

@InputType({ description: "A secret left out keeps its stored value." })
export class CalcomInput {
  @Field(() => String, { nullable: true, description: "Secret." })
  @IsOptional()
  @IsString()
  @Conforms(integrationSecret)
  apiKey?: string | null;

  @Field(() => Int)
  @IsInt()
  @Conforms(calcomEventTypeId)
  eventTypeId!: number;
}

@InputType("OpenAIInput", { description: "A secret left out keeps its stored value." })
export class OpenAIInput {
  @Field(() => String, { nullable: true, description: "Secret." })
  @IsOptional()
  @IsString()
  @Conforms(integrationSecret)
  apiKey?: string | null;

  @Field(() => String, { description: "Chat model, e.g. gpt-4o-mini." })
  @IsString()
  @MaxLength(100)
  @Conforms(openaiModel)
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
