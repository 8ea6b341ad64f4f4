import { IsBoolean, IsInt, IsOptional, Max, Min } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

import { planName } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";

@ObjectType("Plan", { description: "A platform plan: monthly quotas per UTC calendar month; null = unlimited." })
export class PlanView {
  @Field(() => ID, { description: "The plan's ID." }) id!: string;
  @Field(() => String, { description: "The plan's name: 1–60 characters." }) name!: string;
  @Field(() => Int, { description: "Outbound WhatsApp messages per month; null = unlimited.", nullable: true })
  monthlyMessages!: number | null;
  @Field(() => Int, { description: "Outbound calls per month; null = unlimited.", nullable: true }) monthlyCalls!:
    | number
    | null;
  @Field(() => Int, { description: "New leads per month (counted, never refused); null = unlimited.", nullable: true })
  monthlyLeads!: number | null;
  @Field(() => Boolean, { description: "Members with billing.manage may switch to it." }) offered!: boolean;
}

@InputType({
  description: "A plan's name, monthly quotas (0–100,000,000; null = unlimited) and whether workspaces may pick it.",
})
export class PlanInput {
  /** "Enter a plan name." / "Plan names are at most 60 characters." — @atrium/validation, as the web's new-plan form says. */
  @Field(() => String, { description: "The plan's name: 1–60 characters, not blank." })
  @Conforms(planName)
  name!: string;

  @Field(() => Int, { nullable: true, description: "Outbound WhatsApp messages per month; null = unlimited." })
  @IsOptional()
  @IsInt()
  @Min(0, { message: "Quotas cannot be negative." })
  @Max(100_000_000)
  monthlyMessages?: number | null;

  @Field(() => Int, { nullable: true, description: "Outbound calls per month; null = unlimited." })
  @IsOptional()
  @IsInt()
  @Min(0, { message: "Quotas cannot be negative." })
  @Max(100_000_000)
  monthlyCalls?: number | null;

  @Field(() => Int, { nullable: true, description: "New leads per month (counted, never refused); null = unlimited." })
  @IsOptional()
  @IsInt()
  @Min(0, { message: "Quotas cannot be negative." })
  @Max(100_000_000)
  monthlyLeads?: number | null;

  @Field(() => Boolean, {
    description: "Whether workspace owners may switch to it (switchPlan); default true.",
    defaultValue: true,
  })
  @IsBoolean()
  offered!: boolean;
}

@ObjectType({ description: "One quota: how much is used this month and the limit." })
export class UsageMeter {
  @Field(() => Int, { description: "How many this UTC calendar month." }) used!: number;
  @Field(() => Int, { nullable: true, description: "null = unlimited." }) quota!: number | null;
}

@ObjectType({ description: "One past UTC calendar month's counts." })
export class UsageMonth {
  @Field(() => String, { description: "YYYY-MM (UTC)." }) month!: string;
  @Field(() => Int, { description: "Outbound WhatsApp messages that month." }) messages!: number;
  @Field(() => Int, { description: "Outbound calls that month." }) calls!: number;
  @Field(() => Int, { description: "New leads that month." }) leads!: number;
}

@ObjectType("Usage", { description: "The workspace's usage this UTC calendar month against its plan's quotas." })
export class UsageView {
  @Field(() => PlanView, { nullable: true, description: "null: no plan assigned (unlimited)." }) plan!: PlanView | null;
  @Field(() => String, { description: "The current month, YYYY-MM (UTC)." }) month!: string;
  @Field(() => UsageMeter, { description: "Outbound WhatsApp messages." }) messages!: UsageMeter;
  @Field(() => UsageMeter, { description: "Outbound calls." }) calls!: UsageMeter;
  @Field(() => UsageMeter, { description: "New leads." }) leads!: UsageMeter;
  @Field(() => Int, { description: "Messages waiting for the quota (HELD_QUOTA)." }) heldMessages!: number;
  @Field(() => Int, { description: "Calls waiting for the quota (HELD_QUOTA)." }) heldCalls!: number;
  @Field(() => [UsageMonth], { description: "The last six months, oldest first." }) history!: UsageMonth[];
}
