import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import {
  AGENT_TONES,
  agentName,
  agentRole,
  agentTone,
  knowledgeFaqs,
  knowledgeHours,
  knowledgePrices,
  knowledgeServices,
  LEAD_MESSAGE_MAX,
  LEAD_NAME_MAX,
  openingMessageTemplate,
  qualificationQuestions,
  TEST_CHAT_MESSAGE_MAX,
  workspaceDescription,
  workspaceName,
} from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";
import { Environment } from "../workspaces/workspaces.types.ts";

@InputType({ description: "A workspace's new name, slug or description; a field left out stays as it is." })
export class UpdateWorkspaceInput {
  @Field(() => String, { description: "The workspace's name: 1–80 characters, not blank.", nullable: true })
  @IsOptional()
  @Conforms(workspaceName)
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Changing it retires the old /forms/<slug> at once; the old slug stays reserved to this workspace for 30 days.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: "Slugs are at most 48 characters." })
  slug?: string | null;

  @Field(() => String, { description: "What the workspace is for, at most 500 characters.", nullable: true })
  @IsOptional()
  @Conforms(workspaceDescription)
  description?: string | null;
}

export { AGENT_TONES };

// W10. Field rules and messages: @atrium/validation (the settings page's persona form uses the same).
@InputType({ description: "The agent's persona: name, role, tone and qualification questions." })
export class AgentPersonaInput {
  @Field(() => String, { description: "The name the agent introduces itself with: 1–60 characters, not blank." })
  @Conforms(agentName)
  agentName!: string;

  @Field(() => String, {
    description: "What the agent does for the business, in a phrase: 1–200 characters, not blank.",
  })
  @Conforms(agentRole)
  agentRole!: string;

  @Field(() => String, { description: `One of ${AGENT_TONES.join(", ")}.` })
  @Conforms(agentTone)
  tone!: string;

  @Field(() => [String], { description: "Asked in this order; at most 20." })
  @Conforms(qualificationQuestions)
  qualificationQuestions!: string[];
}

@ObjectType({
  description: "What moving the workspace to another environment would change, with its compliance warnings.",
})
export class EnvironmentChangePreview {
  @Field(() => Environment, { description: "The workspace's current environment." }) from!: Environment;
  @Field(() => Environment, { description: "The environment asked about." }) to!: Environment;
  @Field(() => [String], {
    description: "What changes, in plain words; confirm them with changeEnvironment(confirm: true).",
  })
  warnings!: string[];
}

@ObjectType({ description: "Whether the platform's secrets are configured; never their values." })
export class AuthDiagnostics {
  @Field(() => Boolean, { description: "AUTH_SECRET is set (tokens are signed with it, not the development default)." })
  signingSecretConfigured!: boolean;
  @Field(() => Boolean, { description: "INTEGRATIONS_ENCRYPTION_KEY is set." }) integrationsKeyConfigured!: boolean;
}

@ObjectType({ description: "What a retention setting would delete now." })
export class RetentionPreview {
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "Rows created before this go; null when retention is forever.",
  })
  cutoff!: Date | null;
  @Field(() => Int, { description: "Leads that would be deleted." }) leads!: number;
  @Field(() => Int, { description: "Conversations that would be deleted." }) conversations!: number;
  @Field(() => Int, { description: "Messages that would be deleted." }) messages!: number;
  @Field(() => Int, { description: "Settled outbound-webhook deliveries (with their attempts) that would go." })
  webhookDeliveries!: number;
}

@InputType({ description: "The workspace's step-up settings." })
export class WorkspaceSecurityInput {
  @Field(() => Boolean, { description: "Require a recent second-factor verification for this workspace's operations." })
  @IsBoolean()
  requireStepUp!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "How long a verification lasts (1–1440 minutes); unchanged when omitted.",
  })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "A verification lasts at least 1 minute." })
  @Max(1440, { message: "A verification lasts at most 1440 minutes (a day)." })
  stepUpLifetimeMinutes?: number | null;
}

// --- Issue 56: what the agent knows and says first, the test chat, the voice setup -----------------

@ObjectType({ description: "A variable an opening message may use, as {{name}} (or a section {{#name}}…{{/name}})." })
export class TemplateVariableView {
  @Field(() => String, { description: "The variable's name, as written between {{ and }}." }) name!: string;
  @Field(() => String, { description: "What it is replaced with." }) description!: string;
  @Field(() => String, { description: "The value the settings preview uses." }) example!: string;
}

@ObjectType({ description: "Business knowledge the agent is given in every turn (plain text)." })
export class AgentKnowledgeView {
  @Field(() => String, { description: "Opening hours (at most 2,000 characters); null when none.", nullable: true })
  hours!: string | null;
  @Field(() => String, { description: "Services offered (at most 4,000 characters); null when none.", nullable: true })
  services!: string | null;
  @Field(() => String, { description: "Prices (at most 4,000 characters); null when none.", nullable: true }) prices!:
    | string
    | null;
  @Field(() => String, {
    description: "Frequently asked questions and answers (at most 8,000 characters); null when none.",
    nullable: true,
  })
  faqs!: string | null;
}

@ObjectType({ description: "A tool the workspace's Vapi assistant must define, with its arguments' JSON Schema." })
export class VapiToolView {
  @Field(() => String, { description: "The tool's name, exactly as Vapi must call it." }) name!: string;
  @Field(() => String, { description: "What the tool does, as the assistant should be told." }) description!: string;
  @Field(() => String, { description: "JSON Schema of the arguments, as Vapi's function tools take them (JSON text)." })
  parameters!: string;
}

@ObjectType({ description: "The agent's opening message and knowledge; for voice workspaces, what to set up in Vapi." })
export class AgentSettingsView {
  @Field(() => String, { description: "The opening message template in use (the default when none was written)." })
  openingMessageTemplate!: string;
  @Field(() => Boolean, { description: "True when no custom opening message is stored (the default is used)." })
  openingMessageIsDefault!: boolean;
  @Field(() => String, { description: "The opening message used when none is set, with {{variables}}." })
  defaultOpeningMessageTemplate!: string;
  @Field(() => [TemplateVariableView], { description: "The variables an opening message may use." })
  templateVariables!: TemplateVariableView[];
  @Field(() => AgentKnowledgeView, { description: "The business knowledge given to the agent." })
  knowledge!: AgentKnowledgeView;
  @Field(() => String, {
    nullable: true,
    description: "VOICE workspaces: the server URL to paste into the Vapi assistant (null otherwise).",
  })
  vapiServerUrl!: string | null;
  @Field(() => [VapiToolView], {
    description: "VOICE workspaces: the tools the Vapi assistant must define (empty otherwise).",
  })
  vapiTools!: VapiToolView[];
  @Field(() => [String], {
    description:
      "VOICE workspaces: the variableValues each call starts with, for the assistant's prompt in Vapi ({{instructions}} holds the whole prompt).",
  })
  vapiVariables!: string[];
}

// Each field left out keeps its value; null or empty clears it (the opening message: back to the default).
@InputType({
  description:
    "The agent's opening message and business knowledge; a field left out keeps its value, an empty one is stored as none.",
})
export class AgentKnowledgeInput {
  @Field(() => String, {
    nullable: true,
    description: "With {{variables}} (templateVariables); null resets to the default.",
  })
  @IsOptional()
  @Conforms(openingMessageTemplate)
  openingMessageTemplate?: string | null;

  @Field(() => String, { description: "Opening hours, plain text, at most 2,000 characters.", nullable: true })
  @IsOptional()
  @Conforms(knowledgeHours)
  hours?: string | null;

  @Field(() => String, { description: "Services offered, plain text, at most 4,000 characters.", nullable: true })
  @IsOptional()
  @Conforms(knowledgeServices)
  services?: string | null;

  @Field(() => String, { description: "Prices, plain text, at most 4,000 characters.", nullable: true })
  @IsOptional()
  @Conforms(knowledgePrices)
  prices?: string | null;

  @Field(() => String, {
    description: "Frequently asked questions and answers, plain text, at most 8,000 characters.",
    nullable: true,
  })
  @IsOptional()
  @Conforms(knowledgeFaqs)
  faqs?: string | null;
}

export enum TestChatRole {
  USER = "USER",
  ASSISTANT = "ASSISTANT",
}
registerEnumType(TestChatRole, {
  description: "Who wrote a test chat message.",
  name: "TestChatRole",
  valuesConfig: { USER: { description: "The lead." }, ASSISTANT: { description: "The agent." } },
});

@InputType({ description: "One message of a test conversation with the agent." })
export class TestChatMessageInput {
  @Field(() => TestChatRole, { description: "Who wrote it: the lead or the agent." })
  @IsEnum(TestChatRole)
  role!: TestChatRole;

  @Field(() => String, { description: "The message text, at most 2,000 characters." })
  @IsString()
  @MaxLength(TEST_CHAT_MESSAGE_MAX, { message: `Messages are at most ${TEST_CHAT_MESSAGE_MAX} characters.` })
  content!: string;
}

@InputType({ description: "Who the test chat pretends to be: a lead with this name and form message." })
export class TestChatLeadInput {
  @Field(() => String, { description: "The lead's name, at most 120 characters." })
  @IsString()
  @MaxLength(LEAD_NAME_MAX)
  name!: string;

  @Field(() => String, { description: "The lead's form message, at most 4,000 characters.", nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LEAD_MESSAGE_MAX)
  message?: string | null;
}
