import { IsOptional, IsString, Matches, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";

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
  @Field(() => ContactView) contact!: ContactView;
  @Field(() => [QualificationAnswer], { description: "Answers the voice agent recorded (update_lead)." }) qualificationAnswers!: QualificationAnswer[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class LeadConnection extends Connection(LeadView, "Lead") {}

@ObjectType()
export class ContactConnection extends Connection(ContactView, "Contact") {}

@InputType()
export class SubmitLeadInput {
  @Field(() => String)
  @IsString()
  @Matches(/\S/, { message: "Enter a name." })
  @MaxLength(120, { message: "Names are at most 120 characters." })
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254, { message: "E-mail addresses are at most 254 characters." })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "International format; normalised to E.164." })
  @IsOptional()
  @IsString()
  @MaxLength(32, { message: "Phone numbers are at most 32 characters." })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4000, { message: "Messages are at most 4000 characters." })
  message?: string | null;
}
