import { workspaceDescription, workspaceName } from "@atrium/validation";
import { IsEnum, IsOptional, IsString, MaxLength } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";

export enum Channel {
  WHATSAPP = "WHATSAPP",
  VOICE = "VOICE",
}
export enum Environment {
  DEVELOPMENT = "DEVELOPMENT",
  STAGING = "STAGING",
  PRODUCTION = "PRODUCTION",
}
export enum MembershipRole {
  OWNER = "OWNER",
  ADMIN = "ADMIN",
  AGENT = "AGENT",
}
registerEnumType(Channel, { name: "Channel", description: "Chosen at creation; never changes." });
registerEnumType(Environment, { name: "Environment" });
registerEnumType(MembershipRole, { name: "MembershipRole" });

@ObjectType("Workspace")
export class WorkspaceView {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Channel) channel!: Channel;
  @Field(() => Environment) environment!: Environment;
  @Field(() => Boolean) agentPaused!: boolean;
  @Field(() => Int, { nullable: true, description: "Days leads and transcripts are kept; null = forever." }) retentionDays!: number | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => String, { nullable: true, description: "Agent persona (W10): the agent's name." }) agentName!: string | null;
  @Field(() => String, { nullable: true }) agentRole!: string | null;
  @Field(() => String, { nullable: true }) agentTone!: string | null;
  @Field(() => [String], { description: "Ordered qualification questions the agent asks." }) qualificationQuestions!: string[];
  @Field(() => Boolean, { description: "S7: members need a recent second factor (TOTP, recovery code or passkey) for this workspace's operations, when the platform enables step-up." })
  requireStepUp!: boolean;
  @Field(() => Int, { description: "How long a step-up verification lasts here, in minutes." }) stepUpLifetimeMinutes!: number;
  @Field(() => MembershipRole, { description: "The caller's role here." }) myRole!: MembershipRole;
  @Field(() => [String], { description: "The caller's effective policies here (catalog keys)." }) myPolicies!: string[];
  @Field(() => String, { description: "The caller's packed CASL rules here (JSON); the web app rebuilds the same ability from it." })
  permissions!: string;
}

@ObjectType("Membership")
export class MembershipView {
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => [String]) policies!: string[];
  /** Your own membership's workspace: every member reads its own workspace (the baseline grant). */
  @Field(() => WorkspaceView)
  @Extensions({ reads: "read:Workspace" })
  workspace!: WorkspaceView;
}

@InputType()
export class CreateWorkspaceInput {
  @Field(() => String)
  @Conforms(workspaceName)
  name!: string;

  // A boundary cap only: the slug is checked (workspaceSlug) once trimmed, and an empty one means
  // "derive it from the name".
  @Field(() => String, { nullable: true, description: "Derived from the name when omitted." })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: "Slugs are at most 48 characters." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(workspaceDescription)
  description?: string | null;

  @Field(() => Channel)
  @IsEnum(Channel)
  channel!: Channel;

  @Field(() => Environment, { nullable: true, description: "Defaults to DEVELOPMENT." })
  @IsOptional()
  @IsEnum(Environment)
  environment?: Environment | null;
}
