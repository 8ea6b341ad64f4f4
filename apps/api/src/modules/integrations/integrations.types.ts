import { IsInt, IsOptional, IsString, MaxLength, ValidateNested } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import {
  calcomEventTypeId,
  integrationSecret,
  openaiModel,
  twilioAccountSid,
  vapiAssistantId,
  vapiPhoneNumberId,
  whatsappSender,
} from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";

export enum IntegrationProvider {
  TWILIO = "TWILIO",
  VAPI = "VAPI",
  CALCOM = "CALCOM",
  OPENAI = "OPENAI",
}
registerEnumType(IntegrationProvider, {
  description: "A third-party service a workspace connects.",
  name: "IntegrationProvider",
  valuesConfig: {
    CALCOM: { description: "Cal.com: bookings." },
    OPENAI: { description: "OpenAI: the agent's replies." },
    TWILIO: { description: "Twilio: WhatsApp messages." },
    VAPI: { description: "Vapi: phone calls." },
  },
});

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

  @Field(() => String, { description: "The Vapi assistant's ID, from Vapi's dashboard." })
  @IsString()
  @Conforms(vapiAssistantId)
  assistantId!: string;

  @Field(() => String, { description: "The Vapi phone number's ID, from Vapi's dashboard." })
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

  @Field(() => Int, { description: "The numeric ID of the Cal.com event type bookings are made for." })
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
  @Field(() => TwilioInput, { description: "Twilio's card (WhatsApp workspaces).", nullable: true })
  @IsOptional()
  @ValidateNested()
  twilio?: TwilioInput | null;
  @Field(() => VapiInput, { description: "Vapi's card (voice workspaces).", nullable: true })
  @IsOptional()
  @ValidateNested()
  vapi?: VapiInput | null;
  @Field(() => CalcomInput, { description: "Cal.com's card.", nullable: true })
  @IsOptional()
  @ValidateNested()
  calcom?: CalcomInput | null;
  @Field(() => OpenAIInput, { description: "OpenAI's card.", nullable: true })
  @IsOptional()
  @ValidateNested()
  openai?: OpenAIInput | null;
}

@ObjectType({ description: "One value of an integration card." })
export class IntegrationField {
  @Field(() => String, { description: "The field's name, as in the provider's input (e.g. accountSid, authToken)." })
  name!: string;
  @Field(() => String, { description: "Secret fields are masked (never the value)." }) value!: string;
  @Field(() => Boolean, { description: "True for a secret: sealed at rest and never returned." }) secret!: boolean;
}

@ObjectType("Integration", {
  description:
    "One provider's card in the workspace's integrations: whether it is configured and its non-secret fields.",
})
export class IntegrationView {
  @Field(() => IntegrationProvider, { description: "Which provider." }) provider!: IntegrationProvider;
  @Field(() => Boolean, { description: "True when every required value is stored." }) configured!: boolean;
  @Field(() => [IntegrationField], {
    description: "The card's fields: public values in full, secrets masked (never returned whole).",
  })
  fields!: IntegrationField[];
  @Field(() => GraphQLISODateTime, {
    description: "When the card was last saved (ISO 8601, UTC); null when never.",
    nullable: true,
  })
  updatedAt!: Date | null;
}

@ObjectType({ description: "What a provider answered when called with the stored credentials." })
export class IntegrationTestResult {
  @Field(() => IntegrationProvider, { description: "The provider tested." }) provider!: IntegrationProvider;
  @Field(() => Boolean, { description: "True when the provider accepted the credentials." }) ok!: boolean;
  @Field(() => String, { description: "The provider's answer in plain words." }) message!: string;
}

@ObjectType({ description: "How many stored secrets one platform key protects (W8; never the key)." })
export class IntegrationKeyUsage {
  @Field(() => String, { description: "The key's identifier (kid), never the key." }) kid!: string;
  @Field(() => Boolean, { description: "New secrets are sealed with this key." }) newest!: boolean;
  @Field(() => Boolean, { description: "False: rows name a key INTEGRATIONS_ENCRYPTION_KEY no longer lists." })
  configured!: boolean;
  @Field(() => Int, { description: "How many stored secrets are sealed with this key." }) secrets!: number;
}
