import { AGENT_TONES, agentName, agentRole, agentTone, qualificationQuestions, workspaceDescription, workspaceName } from "@atrium/validation";
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";
import { Environment } from "../workspaces/workspaces.types.ts";

@InputType()
export class UpdateWorkspaceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(workspaceName)
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Changing it retires the old /forms/<slug> at once; the old slug stays reserved to this workspace for 30 days." })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: "Slugs are at most 48 characters." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(workspaceDescription)
  description?: string | null;
}

export { AGENT_TONES };

// W10. Field rules and messages: @atrium/validation (the settings page's persona form uses the same).
@InputType()
export class AgentPersonaInput {
  @Field(() => String)
  @Conforms(agentName)
  agentName!: string;

  @Field(() => String)
  @Conforms(agentRole)
  agentRole!: string;

  @Field(() => String, { description: `One of ${AGENT_TONES.join(", ")}.` })
  @Conforms(agentTone)
  tone!: string;

  @Field(() => [String], { description: "Asked in this order; at most 20." })
  @Conforms(qualificationQuestions)
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
