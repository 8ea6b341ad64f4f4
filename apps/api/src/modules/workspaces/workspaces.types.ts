import { IsEnum, IsOptional, IsString, MaxLength } from "class-validator";
import { Extensions, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { workspaceDescription, workspaceName } from "@atrium/validation";

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
registerEnumType(Channel, {
  name: "Channel",
  description: "Chosen at creation; never changes.",
  valuesConfig: {
    VOICE: { description: "Phone calls through Vapi." },
    WHATSAPP: { description: "WhatsApp messages through Twilio." },
  },
});
registerEnumType(Environment, {
  description: "A workspace's environment: development, staging or production (W7); production adds compliance rules.",
  name: "Environment",
  valuesConfig: {
    DEVELOPMENT: { description: "For building and testing; the default." },
    PRODUCTION: { description: "Live traffic with real leads." },
    STAGING: { description: "Pre-production checks." },
  },
});
registerEnumType(MembershipRole, {
  description: "A member's role in a workspace.",
  name: "MembershipRole",
  valuesConfig: {
    ADMIN: { description: "Holds every policy; manages members except owners." },
    AGENT: {
      description:
        "Holds the agent defaults (lead.read, contact.read, conversation.read, message.send, conversation.manage) and the policies granted to it.",
    },
    OWNER: { description: "Holds every policy; the only role that can delete the workspace or change an owner." },
  },
});

@ObjectType("Workspace", { description: "A workspace: one business's leads, conversations, members and settings." })
export class WorkspaceView {
  @Field(() => ID, { description: "The workspace's ID." }) id!: string;
  @Field(() => String, {
    description: "The workspace's URL name: 3–48 lower-case letters, digits and single hyphens; unique.",
  })
  slug!: string;
  @Field(() => String, { description: "The workspace's name: 1–80 characters." }) name!: string;
  @Field(() => String, {
    description: "What the workspace is for, at most 500 characters; null when none.",
    nullable: true,
  })
  description!: string | null;
  @Field(() => Channel, { description: "WhatsApp or voice; chosen at creation, never changes." }) channel!: Channel;
  @Field(() => Environment, { description: "Development, staging or production." }) environment!: Environment;
  @Field(() => Boolean, { description: "Kill switch: true while nothing is sent (leads still arrive)." })
  agentPaused!: boolean;
  @Field(() => Int, { nullable: true, description: "Days leads and transcripts are kept; null = forever." })
  retentionDays!: number | null;
  @Field(() => GraphQLISODateTime, { description: "When the workspace was created (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => String, { nullable: true, description: "Agent persona (W10): the agent's name." }) agentName!:
    | string
    | null;
  @Field(() => String, {
    description: "Agent persona: what the agent does, at most 200 characters; null when unset.",
    nullable: true,
  })
  agentRole!: string | null;
  @Field(() => String, { description: "Agent persona: the tone the agent writes in; null when unset.", nullable: true })
  agentTone!: string | null;
  @Field(() => [String], { description: "Ordered qualification questions the agent asks." })
  qualificationQuestions!: string[];
  @Field(() => Boolean, {
    description:
      "S7: members need a recent second factor (TOTP, recovery code or passkey) for this workspace's operations, when the platform enables step-up.",
  })
  requireStepUp!: boolean;
  @Field(() => Int, { description: "How long a step-up verification lasts here, in minutes." })
  stepUpLifetimeMinutes!: number;
  @Field(() => MembershipRole, { description: "The caller's role here." }) myRole!: MembershipRole;
  @Field(() => [String], { description: "The caller's effective policies here (catalog keys)." }) myPolicies!: string[];
  @Field(() => String, {
    description: "The caller's packed CASL rules here (JSON); the web app rebuilds the same ability from it.",
  })
  permissions!: string;
}

@ObjectType("Membership", {
  description: "One of the signed-in user's workspaces, with their role and policies in it.",
})
export class MembershipView {
  @Field(() => MembershipRole, { description: "The user's role in this workspace." }) role!: MembershipRole;
  @Field(() => [String], { description: "The user's stored policy keys in this workspace." }) policies!: string[];
  /** Your own membership's workspace: every member reads its own workspace (the baseline grant). */
  @Field(() => WorkspaceView, { description: "The workspace." })
  @Extensions({ reads: "read:Workspace" })
  workspace!: WorkspaceView;
}

@InputType({ description: "A new workspace." })
export class CreateWorkspaceInput {
  @Field(() => String, { description: "The workspace's name: 1–80 characters, not blank." })
  @Conforms(workspaceName)
  name!: string;

  // A boundary cap only: the slug is checked (workspaceSlug) once trimmed, and an empty one means
  // "derive it from the name".
  @Field(() => String, { nullable: true, description: "Derived from the name when omitted." })
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: "Slugs are at most 48 characters." })
  slug?: string | null;

  @Field(() => String, { description: "What the workspace is for, at most 500 characters.", nullable: true })
  @IsOptional()
  @Conforms(workspaceDescription)
  description?: string | null;

  @Field(() => Channel, { description: "WhatsApp or voice; never changes afterwards." })
  @IsEnum(Channel)
  channel!: Channel;

  @Field(() => Environment, { nullable: true, description: "Defaults to DEVELOPMENT." })
  @IsOptional()
  @IsEnum(Environment)
  environment?: Environment | null;
}
