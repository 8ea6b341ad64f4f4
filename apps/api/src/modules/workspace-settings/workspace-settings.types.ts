import {
  AGENT_TONES,
  LEAD_NAME_MAX,
  LEAD_MESSAGE_MAX,
  TEST_CHAT_MESSAGE_MAX,
  agentName,
  agentRole,
  agentTone,
  knowledgeFaqs,
  knowledgeHours,
  knowledgePrices,
  knowledgeServices,
  openingMessageTemplate,
  qualificationQuestions,
  workspaceDescription,
  workspaceName,
} from "@atrium/validation";
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
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

// --- Issue 56: what the agent knows and says first, the test chat, the voice setup -----------------

@ObjectType({ description: "A variable an opening message may use, as {{name}} (or a section {{#name}}…{{/name}})." })
export class TemplateVariableView {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { description: "The value the settings preview uses." }) example!: string;
}

@ObjectType({ description: "Business knowledge the agent is given in every turn (plain text)." })
export class AgentKnowledgeView {
  @Field(() => String, { nullable: true }) hours!: string | null;
  @Field(() => String, { nullable: true }) services!: string | null;
  @Field(() => String, { nullable: true }) prices!: string | null;
  @Field(() => String, { nullable: true }) faqs!: string | null;
}

@ObjectType({ description: "A tool the workspace's Vapi assistant must define, with its arguments' JSON Schema." })
export class VapiToolView {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { description: "JSON Schema of the arguments, as Vapi's function tools take them (JSON text)." }) parameters!: string;
}

@ObjectType({ description: "The agent's opening message and knowledge; for voice workspaces, what to set up in Vapi." })
export class AgentSettingsView {
  @Field(() => String, { description: "The opening message template in use (the default when none was written)." }) openingMessageTemplate!: string;
  @Field(() => Boolean) openingMessageIsDefault!: boolean;
  @Field(() => String) defaultOpeningMessageTemplate!: string;
  @Field(() => [TemplateVariableView]) templateVariables!: TemplateVariableView[];
  @Field(() => AgentKnowledgeView) knowledge!: AgentKnowledgeView;
  @Field(() => String, { nullable: true, description: "VOICE workspaces: the server URL to paste into the Vapi assistant (null otherwise)." }) vapiServerUrl!: string | null;
  @Field(() => [VapiToolView], { description: "VOICE workspaces: the tools the Vapi assistant must define (empty otherwise)." }) vapiTools!: VapiToolView[];
  @Field(() => [String], { description: "VOICE workspaces: the variableValues each call starts with, for the assistant's prompt in Vapi ({{instructions}} holds the whole prompt)." }) vapiVariables!: string[];
}

// Each field left out keeps its value; null or empty clears it (the opening message: back to the default).
@InputType()
export class AgentKnowledgeInput {
  @Field(() => String, { nullable: true, description: "With {{variables}} (templateVariables); null resets to the default." })
  @IsOptional()
  @Conforms(openingMessageTemplate)
  openingMessageTemplate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(knowledgeHours)
  hours?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(knowledgeServices)
  services?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(knowledgePrices)
  prices?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Conforms(knowledgeFaqs)
  faqs?: string | null;
}

export enum TestChatRole {
  USER = "USER",
  ASSISTANT = "ASSISTANT",
}
registerEnumType(TestChatRole, { name: "TestChatRole", valuesConfig: { USER: { description: "The lead." }, ASSISTANT: { description: "The agent." } } });

@InputType()
export class TestChatMessageInput {
  @Field(() => TestChatRole)
  @IsEnum(TestChatRole)
  role!: TestChatRole;

  @Field(() => String)
  @IsString()
  @MaxLength(TEST_CHAT_MESSAGE_MAX, { message: `Messages are at most ${TEST_CHAT_MESSAGE_MAX} characters.` })
  content!: string;
}

@InputType({ description: "Who the test chat pretends to be: a lead with this name and form message." })
export class TestChatLeadInput {
  @Field(() => String)
  @IsString()
  @MaxLength(LEAD_NAME_MAX)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LEAD_MESSAGE_MAX)
  message?: string | null;
}
