import { IsEnum, IsOptional, IsString, MaxLength } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";

import { EMAIL_MAX, EMAIL_MESSAGES, leadMessage, leadName, PHONE_INPUT_MAX, PHONE_MESSAGES } from "@atrium/validation";

import { Connection } from "../../platform/graphql/connection.ts";
import { OrderDirection } from "../../platform/graphql/order.ts";
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
  /** The lead replied (issue 56). */
  ENGAGED = "ENGAGED",
  QUALIFIED = "QUALIFIED",
  BOOKED = "BOOKED",
  LOST = "LOST",
}
registerEnumType(LeadSource, {
  description: "How a lead arrived.",
  name: "LeadSource",
  valuesConfig: {
    API: { description: "Through the public API (submitLead) with an API key." },
    FORM: { description: "Through the workspace's public form (/forms/<slug>)." },
    MANUAL: { description: "Added by a member." },
    PHONE: { description: "From an inbound phone call." },
  },
});
registerEnumType(LeadStatus, {
  description: "Where a lead is in the funnel; moved by hand or by the conversation.",
  name: "LeadStatus",
  valuesConfig: {
    BOOKED: { description: "A consultation is booked." },
    CONTACTED: { description: "Reached: a first outbound message was delivered, or a call connected." },
    ENGAGED: { description: "The lead wrote back or spoke on a call." },
    LOST: { description: "Not going ahead (set by hand)." },
    NEW: { description: "Just arrived; not reached yet." },
    QUALIFIED: { description: "Judged a fit by a member (set by hand)." },
  },
});

@ObjectType("Contact", { description: "A person the workspace can reach, deduplicated by e-mail and phone." })
export class ContactView {
  @Field(() => ID, { description: "The contact's ID." }) id!: string;
  @Field(() => String, { description: "The contact's name: 1–200 characters." }) name!: string;
  @Field(() => String, { description: "E-mail address, at most 254 characters; null when unknown.", nullable: true })
  email!: string | null;
  @Field(() => String, { description: "Phone number in E.164 (e.g. +34600111222); null when unknown.", nullable: true })
  phone!: string | null;
  @Field(() => [String], { description: "Lower-case tags, at most 20, each 1–40 characters." }) tags!: string[];
  @Field(() => GraphQLISODateTime, { description: "When the contact was created (ISO 8601, UTC)." }) createdAt!: Date;
  // Issue 56: the contact's WhatsApp standing (named as the columns: every read path selects them by name).
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      "When the contact replied STOP (null: not opted out). Nothing business-initiated reaches them until they send START.",
  })
  optedOutAt?: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "When the person agreed to WhatsApp messages on the public form.",
  })
  optInAt?: Date | null;
  @Field(() => String, { nullable: true, description: "The exact consent text the public form showed." }) optInText?:
    | string
    | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      "The contact's latest message to the business: free text may be sent within 24 hours of it, otherwise only an approved template.",
  })
  lastInboundAt?: Date | null;
  // Issue 50: read on the single contact only (one keyed-hash lookup), never per row of a list.
  @Field(() => Boolean, {
    nullable: true,
    description:
      "True when the person's e-mail or phone was erased on request (a data-subject erasure) and they have not come back on their own since (no lead of theirs from the public form or the API after the erasure): campaigns skip them. Answered by the `contact` query; null in lists and on contacts nested in other objects.",
  })
  erasedOnRequest?: boolean | null;
}

@ObjectType({ description: "A qualification question and the lead's answer." })
export class QualificationAnswer {
  @Field(() => String, { description: "The question, as configured in the persona." }) question!: string;
  @Field(() => String, { description: "The lead's answer, as the agent understood it." }) answer!: string;
}

@ObjectType("Lead", {
  description: "A prospective customer: someone who filled the form, called, or was added by hand or through the API.",
})
export class LeadView {
  @Field(() => ID, { description: "The lead's ID." }) id!: string;
  @Field(() => String, { description: "The lead's name: 1–120 characters." }) name!: string;
  @Field(() => String, { description: "E-mail address; null when not given.", nullable: true }) email!: string | null;
  @Field(() => String, { description: "Phone number in E.164; null when not given.", nullable: true }) phone!:
    | string
    | null;
  @Field(() => String, {
    description: "What the lead wrote in the form, at most 4,000 characters; null when none.",
    nullable: true,
  })
  message!: string | null;
  @Field(() => LeadSource, { description: "How the lead arrived." }) source!: LeadSource;
  @Field(() => LeadStatus, { description: "Where the lead is in the funnel." }) status!: LeadStatus;
  @Field(() => ContactView, {
    nullable: true,
    description: "The contact this lead belongs to; null when you may not read contacts (contact.read).",
  })
  @Extensions({ reads: "read:Contact" })
  contact!: ContactView | null;
  @Field(() => [QualificationAnswer], { description: "Answers the voice agent recorded (update_lead)." })
  qualificationAnswers!: QualificationAnswer[];
  @Field(() => GraphQLISODateTime, { description: "When the lead arrived (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({
  description: "One change of a lead's status, by a person or by the product as the conversation moved on (issue 56).",
})
export class LeadStatusChange {
  @Field(() => GraphQLISODateTime, { description: "When the status changed (ISO 8601, UTC)." }) at!: Date;
  @Field(() => LeadStatus, { description: "The status before." }) from!: LeadStatus;
  @Field(() => LeadStatus, { description: "The status after." }) to!: LeadStatus;
  @Field(() => Boolean, {
    description: "True when the product moved it (delivery, reply, call, booking, the voice agent).",
  })
  automatic!: boolean;
  @Field(() => String, {
    nullable: true,
    description: "MESSAGE_DELIVERED, CALL_CONNECTED, LEAD_REPLIED, BOOKING_MADE, AGENT_UPDATE or MANUAL.",
  })
  cause!: string | null;
}

@ObjectType({ description: "A page of leads." })
export class LeadConnection extends Connection(LeadView, "Lead") {}

/** What the leads list can be sorted by on the server (issue 48): each has its own keyset and index. */
export enum LeadOrderField {
  CREATED_AT = "CREATED_AT",
  NAME = "NAME",
  EMAIL = "EMAIL",
  PHONE = "PHONE",
  STATUS = "STATUS",
}
registerEnumType(LeadOrderField, {
  name: "LeadOrderField",
  description:
    "A column the leads list can be sorted by. Ties are broken by the lead's id, so every lead appears exactly once across pages.",
  valuesConfig: {
    CREATED_AT: { description: "When the lead arrived. CREATED_AT DESC is the default order (newest first)." },
    NAME: {
      description:
        "The lead's name, in a language-neutral alphabetical order (ICU root collation: case and accents matter only between otherwise equal names).",
    },
    EMAIL: { description: "The lead's e-mail address (stored lower-cased); leads without one come last." },
    PHONE: { description: "The lead's phone number (E.164); leads without one come last." },
    STATUS: {
      description: "The lead's status in its pipeline order: NEW, CONTACTED, ENGAGED, QUALIFIED, BOOKED, LOST.",
    },
  },
});

@InputType({
  description:
    "An order for the leads list: a field and a direction. Cursors are made for one order; using one under another is refused (BAD_USER_INPUT, reason CURSOR_ORDER_MISMATCH).",
})
export class LeadOrder {
  @Field(() => LeadOrderField, { description: "The column to sort by." })
  @IsEnum(LeadOrderField)
  field!: LeadOrderField;

  @Field(() => OrderDirection, {
    description: "ASC or DESC; leads without a value for the field come last either way.",
  })
  @IsEnum(OrderDirection)
  direction!: OrderDirection;
}

@ObjectType({ description: "A page of contacts." })
export class ContactConnection extends Connection(ContactView, "Contact") {}

// The e-mail and phone caps are boundary caps: the addresses themselves are checked once
// normalised (contact-identity.ts), with @atrium/validation's rules like the rest.
@InputType({ description: "A lead sent through the public API." })
export class SubmitLeadInput {
  @Field(() => String, { description: "The lead's name: 1–120 characters, not blank." })
  @Conforms(leadName)
  name!: string;

  @Field(() => String, { description: "E-mail address, at most 254 characters.", nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(EMAIL_MAX, { message: EMAIL_MESSAGES.tooLong })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "International format; normalised to E.164." })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_INPUT_MAX, { message: PHONE_MESSAGES.tooLong })
  phone?: string | null;

  @Field(() => String, { description: "What the lead wrote, at most 4,000 characters.", nullable: true })
  @IsOptional()
  @Conforms(leadMessage)
  message?: string | null;
}
