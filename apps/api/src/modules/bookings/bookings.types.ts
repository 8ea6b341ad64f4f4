import { bookingCancelReason } from "@atrium/validation";
import { IsDateString, IsOptional } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";
import { LeadView } from "../leads/leads.types.ts";

export enum BookingStatus {
  ACCEPTED = "ACCEPTED",
  PENDING = "PENDING",
  CANCELLED = "CANCELLED",
  REJECTED = "REJECTED",
}
registerEnumType(BookingStatus, { name: "BookingStatus", description: "As Cal.com last answered." });

@ObjectType("Booking")
export class BookingView {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime) startsAt!: Date;
  @Field(() => GraphQLISODateTime) endsAt!: Date;
  @Field(() => BookingStatus) status!: BookingStatus;
  @Field(() => LeadView, { nullable: true, description: "Null once the lead was deleted (retention)." })
  @Extensions({ reads: "read:Lead" })
  lead!: LeadView | null;
  @Field(() => String) attendeeName!: string;
  @Field(() => String) attendeeEmail!: string;
  @Field(() => String, { description: "Cal.com's booking uid." }) providerUid!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class BookingConnection extends Connection(BookingView, "Booking") {}

@InputType()
export class RescheduleBookingInput {
  @Field(() => String, { description: "New start, ISO 8601." })
  @IsDateString({}, { message: "Use an ISO 8601 date and time." })
  start!: string;
}

@InputType()
export class CancelBookingInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(bookingCancelReason)
  reason?: string | null;
}
