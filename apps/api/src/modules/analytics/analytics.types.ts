import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType("DailyStats", { description: "One UTC day of a workspace's activity." })
export class DailyStatsView {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)." }) day!: string;
  @Field(() => Int, { description: "Leads created that day." }) leads!: number;
  @Field(() => Int, { description: "Inbound messages received that day." }) messagesIn!: number;
  @Field(() => Int, { description: "Outbound messages written that day (any status)." }) messagesOut!: number;
  @Field(() => Int, { description: "Outbound call attempts that day." }) calls!: number;
  @Field(() => Int, { description: "Bookings made that day." }) bookings!: number;
  @Field(() => Int, { description: "Of that day's leads, how many are BOOKED now." }) bookedLeads!: number;
  @Field(() => Float, { description: "bookedLeads / leads (0 without leads)." }) conversion!: number;
}
