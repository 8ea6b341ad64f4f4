import { IsDateString, IsOptional } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";

import { bookingCancelReason } from "@atrium/validation";

import { Connection } from "../../platform/graphql/connection.ts";
import { Conforms } from "../../platform/validation.ts";
import { LeadView } from "../leads/leads.types.ts";

export enum BookingStatus {
  ACCEPTED = "ACCEPTED",
  PENDING = "PENDING",
  CANCELLED = "CANCELLED",
  REJECTED = "REJECTED",
}
registerEnumType(BookingStatus, {
  name: "BookingStatus",
  description: "As Cal.com last answered.",
  valuesConfig: {
    ACCEPTED: { description: "Confirmed by Cal.com." },
    CANCELLED: { description: "Cancelled, on Cal.com or from Atrium." },
    PENDING: { description: "Waiting for the host's confirmation on Cal.com." },
    REJECTED: { description: "The host declined it on Cal.com." },
  },
});

@ObjectType("Booking", { description: "A consultation booked through Cal.com for a lead." })
export class BookingView {
  @Field(() => ID, { description: "The booking's ID." }) id!: string;
  @Field(() => GraphQLISODateTime, { description: "When the consultation starts (ISO 8601, UTC)." }) startsAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "When the consultation ends (ISO 8601, UTC)." }) endsAt!: Date;
  @Field(() => BookingStatus, { description: "The booking's status as Cal.com last reported it." })
  status!: BookingStatus;
  @Field(() => LeadView, { nullable: true, description: "Null once the lead was deleted (retention)." })
  @Extensions({ reads: "read:Lead" })
  lead!: LeadView | null;
  @Field(() => String, { description: "The attendee's name." }) attendeeName!: string;
  @Field(() => String, { description: "The attendee's e-mail address." }) attendeeEmail!: string;
  @Field(() => String, { description: "Cal.com's booking uid." }) providerUid!: string;
  @Field(() => GraphQLISODateTime, { description: "When the booking was stored (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "A page of bookings, newest first." })
export class BookingConnection extends Connection(BookingView, "Booking") {}

@InputType({ description: "The new time of a booking." })
export class RescheduleBookingInput {
  @Field(() => String, { description: "New start, ISO 8601." })
  @IsDateString({}, { message: "Use an ISO 8601 date and time." })
  start!: string;
}

@InputType({ description: "Why a booking is cancelled." })
export class CancelBookingInput {
  @Field(() => String, {
    description: 'The reason passed to Cal.com, at most 500 characters; "Cancelled from Atrium" when left out.',
    nullable: true,
  })
  @IsOptional()
  @Conforms(bookingCancelReason)
  reason?: string | null;
}
