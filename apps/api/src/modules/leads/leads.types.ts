import { EMAIL_MAX, EMAIL_MESSAGES, PHONE_INPUT_MAX, PHONE_MESSAGES, leadMessage, leadName } from "@atrium/validation";
import { IsOptional, IsString, MaxLength } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";

export enum LeadSource {
  FORM = "FORM",
  API = "API",
  MANUAL = "MANUAL",
  /** A caller the voice agent spoke to before any form or API submission (Vapi). */
  PHONE = "PHONE",
}
export enum LeadStatus {
  NEW = "NEW",
  CONTACTED = "CONTACTED",
  QUALIFIED = "QUALIFIED",
  BOOKED = "BOOKED",
  LOST = "LOST",
}
registerEnumType(LeadSource, { name: "LeadSource" });
registerEnumType(LeadStatus, { name: "LeadStatus" });

@ObjectType("Contact")
export class ContactView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class QualificationAnswer {
  @Field(() => String) question!: string;
  @Field(() => String) answer!: string;
}

@ObjectType("Lead")
export class LeadView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => LeadSource) source!: LeadSource;
  @Field(() => LeadStatus) status!: LeadStatus;
  @Field(() => ContactView, { nullable: true, description: "The contact this lead belongs to; null when you may not read contacts (contact.read)." })
  @Extensions({ reads: "read:Contact" })
  contact!: ContactView | null;
  @Field(() => [QualificationAnswer], { description: "Answers the voice agent recorded (update_lead)." }) qualificationAnswers!: QualificationAnswer[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class LeadConnection extends Connection(LeadView, "Lead") {}

@ObjectType()
export class ContactConnection extends Connection(ContactView, "Contact") {}

// The e-mail and phone caps are boundary caps: the addresses themselves are checked once
// normalised (contact-identity.ts), with @atrium/validation's rules like the rest.
@InputType()
export class SubmitLeadInput {
  @Field(() => String)
  @Conforms(leadName)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(EMAIL_MAX, { message: EMAIL_MESSAGES.tooLong })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "International format; normalised to E.164." })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_INPUT_MAX, { message: PHONE_MESSAGES.tooLong })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(leadMessage)
  message?: string | null;
}
