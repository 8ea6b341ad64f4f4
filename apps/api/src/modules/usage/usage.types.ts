import { planName } from "@atrium/validation";
import { IsBoolean, IsInt, IsOptional, Max, Min } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";

@ObjectType("Plan", { description: "A platform plan: monthly quotas per UTC calendar month; null = unlimited." })
export class PlanView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { nullable: true }) monthlyMessages!: number | null;
  @Field(() => Int, { nullable: true }) monthlyCalls!: number | null;
  @Field(() => Int, { nullable: true }) monthlyLeads!: number | null;
  @Field(() => Boolean, { description: "Members with billing.manage may switch to it." }) offered!: boolean;
}

@InputType()
export class PlanInput {
  /** "Enter a plan name." / "Plan names are at most 60 characters." — @atrium/validation, as the web's new-plan form says. */
  @Field(() => String)
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

  @Field(() => Boolean, { defaultValue: true })
  @IsBoolean()
  offered!: boolean;
}

@ObjectType()
export class UsageMeter {
  @Field(() => Int) used!: number;
  @Field(() => Int, { nullable: true, description: "null = unlimited." }) quota!: number | null;
}

@ObjectType()
export class UsageMonth {
  @Field(() => String, { description: "YYYY-MM (UTC)." }) month!: string;
  @Field(() => Int) messages!: number;
  @Field(() => Int) calls!: number;
  @Field(() => Int) leads!: number;
}

@ObjectType("Usage")
export class UsageView {
  @Field(() => PlanView, { nullable: true, description: "null: no plan assigned (unlimited)." }) plan!: PlanView | null;
  @Field(() => String, { description: "The current month, YYYY-MM (UTC)." }) month!: string;
  @Field(() => UsageMeter) messages!: UsageMeter;
  @Field(() => UsageMeter) calls!: UsageMeter;
  @Field(() => UsageMeter) leads!: UsageMeter;
  @Field(() => Int, { description: "Messages waiting for the quota (HELD_QUOTA)." }) heldMessages!: number;
  @Field(() => Int, { description: "Calls waiting for the quota (HELD_QUOTA)." }) heldCalls!: number;
  @Field(() => [UsageMonth], { description: "The last six months, oldest first." }) history!: UsageMonth[];
}
