import { EMAIL_MAX, EMAIL_MESSAGES, MAX_TAGS, PHONE_INPUT_MAX, PHONE_MESSAGES, TAG_MAX, TAG_MESSAGES, contactName } from "@atrium/validation";
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength, ValidateNested } from "class-validator";
import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";

// Rules and messages: @atrium/validation (the contact form uses the same). E-mail, phone and tags
// are capped here and checked once normalised (contact-identity.ts, normaliseTags).
@InputType()
export class ContactInput {
  @Field(() => String)
  @Conforms(contactName)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(EMAIL_MAX, { message: EMAIL_MESSAGES.tooLong })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "With its country code; stored as E.164." })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_INPUT_MAX, { message: PHONE_MESSAGES.tooLong })
  phone?: string | null;

  @Field(() => [String], { nullable: true, description: "Lower-cased; at most 20, each 1–40 letters, digits, spaces, - or _." })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS, { message: TAG_MESSAGES.tooMany })
  @IsString({ each: true })
  @MaxLength(TAG_MAX, { each: true, message: TAG_MESSAGES.tooLong })
  tags?: string[] | null;
}

/** A CSV row as read: every field optional, validated row by row (errors are per row, not for the call). */
@InputType()
export class ContactImportRowInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) phone?: string | null;
  @Field(() => String, { nullable: true, description: "Comma- or semicolon-separated." }) @IsOptional() @IsString() @MaxLength(1000) tags?: string | null;
}

@InputType()
export class ImportContactsInput {
  @Field(() => [ContactImportRowInput], { description: "At most 500 rows per call (the web app sends a CSV in batches)." })
  @IsArray()
  @ArrayMaxSize(500, { message: "At most 500 rows per call." })
  @ValidateNested({ each: true })
  rows!: ContactImportRowInput[];

  @Field(() => Boolean, { nullable: true, description: "Work out the outcome of every row and store nothing (the preview)." })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean | null;
}

export enum ContactImportAction {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  ERROR = "ERROR",
}
registerEnumType(ContactImportAction, { name: "ContactImportAction" });

@ObjectType()
export class ContactImportRowResult {
  @Field(() => Int, { description: "0-based index of the row in this call." }) row!: number;
  @Field(() => ContactImportAction) action!: ContactImportAction;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => String, { nullable: true, description: "Why the row was refused." }) error!: string | null;
  @Field(() => String, { nullable: true, description: "The column at fault." }) field!: string | null;
}

@ObjectType()
export class ContactImportResult {
  @Field(() => Boolean) dryRun!: boolean;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) failed!: number;
  @Field(() => [ContactImportRowResult]) rows!: ContactImportRowResult[];
}
