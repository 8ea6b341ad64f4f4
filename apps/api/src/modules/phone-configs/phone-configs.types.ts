import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";

import { PHONE_INPUT_MAX, PHONE_MESSAGES, phoneLabel } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";

export enum PhoneProvider {
  TWILIO = "TWILIO",
  VAPI = "VAPI",
}
registerEnumType(PhoneProvider, {
  name: "PhoneProvider",
  description: "TWILIO: a WhatsApp sender. VAPI: a Vapi phone number (its phoneNumberId).",
  valuesConfig: {
    TWILIO: { description: "A WhatsApp sender on Twilio." },
    VAPI: { description: "A Vapi phone number (its phoneNumberId)." },
  },
});

@ObjectType("PhoneConfig", { description: "A phone number of the workspace: a WhatsApp sender or a Vapi number." })
export class PhoneConfigView {
  @Field(() => ID, { description: "The number's ID." }) id!: string;
  @Field(() => String, { description: "E.164." }) number!: string;
  @Field(() => PhoneProvider, { description: "Which provider the number belongs to." }) provider!: PhoneProvider;
  @Field(() => String, { description: "A name for the number: 1–80 characters." }) label!: string;
  @Field(() => String, { nullable: true, description: "Vapi's phoneNumberId (VAPI)." }) providerRef!: string | null;
  @Field(() => Boolean, {
    description: "The sender (Twilio) or caller (Vapi) used instead of the integration card's field.",
  })
  isDefault!: boolean;
  @Field(() => GraphQLISODateTime, { description: "When it was added (ISO 8601, UTC)." }) createdAt!: Date;
}

@InputType({ description: "A phone number to add or change." })
export class PhoneConfigInput {
  // Capped here, checked once normalised (phone-configs.service.ts) with @atrium/validation's rule.
  @Field(() => String, { description: "With its country code; stored as E.164. Unique within the workspace." })
  @IsString()
  @MaxLength(PHONE_INPUT_MAX, { message: PHONE_MESSAGES.tooLong })
  number!: string;

  @Field(() => PhoneProvider, { description: "TWILIO or VAPI." })
  @IsEnum(PhoneProvider)
  provider!: PhoneProvider;

  @Field(() => String, { description: "A name for the number: 1–80 characters, not blank." })
  @Conforms(phoneLabel)
  label!: string;

  @Field(() => String, { nullable: true, description: "Required for VAPI: the Vapi phoneNumberId." })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: "At most 200 characters." })
  providerRef?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Make it the default for its provider (the previous default stops being one).",
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean | null;
}
