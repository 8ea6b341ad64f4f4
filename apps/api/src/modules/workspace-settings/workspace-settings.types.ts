import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";
import { Environment } from "../workspaces/workspaces.types.ts";

@InputType()
export class UpdateWorkspaceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: "Enter a name." })
  @MaxLength(80, { message: "Names are at most 80 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Changing it retires the old /forms/<slug> at once; the old slug stays reserved to this workspace for 30 days." })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: "Slugs are at most 48 characters." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: "Descriptions are at most 500 characters." })
  description?: string | null;
}

export const AGENT_TONES = ["FRIENDLY", "PROFESSIONAL", "CONCISE", "ENTHUSIASTIC"] as const;

@InputType()
export class AgentPersonaInput {
  @Field(() => String)
  @IsString()
  @Matches(/\S/, { message: "Name the agent." })
  @MaxLength(60, { message: "At most 60 characters." })
  agentName!: string;

  @Field(() => String)
  @IsString()
  @Matches(/\S/, { message: "Describe the agent's role." })
  @MaxLength(200, { message: "At most 200 characters." })
  agentRole!: string;

  @Field(() => String, { description: `One of ${AGENT_TONES.join(", ")}.` })
  @IsIn([...AGENT_TONES], { message: `Tone must be one of ${AGENT_TONES.join(", ")}.` })
  tone!: string;

  @Field(() => [String], { description: "Asked in this order; at most 20." })
  @IsArray()
  @ArrayMaxSize(20, { message: "At most 20 questions." })
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: "Questions cannot be empty." })
  @MaxLength(300, { each: true, message: "Questions are at most 300 characters." })
  qualificationQuestions!: string[];
}

@ObjectType()
export class EnvironmentChangePreview {
  @Field(() => Environment) from!: Environment;
  @Field(() => Environment) to!: Environment;
  @Field(() => [String], { description: "What changes, in plain words; confirm them with changeEnvironment(confirm: true)." }) warnings!: string[];
}

@ObjectType()
export class AuthDiagnostics {
  @Field(() => Boolean, { description: "AUTH_SECRET is set (tokens are signed with it, not the development default)." }) signingSecretConfigured!: boolean;
  @Field(() => Boolean, { description: "INTEGRATIONS_ENCRYPTION_KEY is set." }) integrationsKeyConfigured!: boolean;
}

@ObjectType()
export class RetentionPreview {
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Rows created before this go; null when retention is forever." }) cutoff!: Date | null;
  @Field(() => Int) leads!: number;
  @Field(() => Int) conversations!: number;
  @Field(() => Int) messages!: number;
  @Field(() => Int, { description: "Settled outbound-webhook deliveries (with their attempts) that would go." }) webhookDeliveries!: number;
}

@InputType()
export class WorkspaceSecurityInput {
  @Field(() => Boolean)
  @IsBoolean()
  requireStepUp!: boolean;

  @Field(() => Int, { nullable: true, description: "How long a verification lasts (1–1440 minutes); unchanged when omitted." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "A verification lasts at least 1 minute." })
  @Max(1440, { message: "A verification lasts at most 1440 minutes (a day)." })
  stepUpLifetimeMinutes?: number | null;
}
