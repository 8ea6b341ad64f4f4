import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsOptional, IsString, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";

import { PRESETS } from "@atrium/policies";
import { emailAddress } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";
import { MembershipRole } from "../workspaces/workspaces.types.ts";

@ObjectType("MemberUser", { description: "A member's account, as teammates see it: ID, name and e-mail." })
export class MemberUserView {
  @Field(() => ID, { description: "The user's ID." }) id!: string;
  @Field(() => String, { description: "The user's e-mail address." }) email!: string;
  @Field(() => String, { description: "The user's name." }) name!: string;
}

@ObjectType("Member", { description: "A member of the workspace: the user, their role and policies." })
export class MemberView {
  @Field(() => ID, { description: "The membership's ID (not the user's; see user.id)." }) id!: string;
  @Field(() => MemberUserView, { description: "The member's account." }) user!: MemberUserView;
  @Field(() => MembershipRole, { description: "The member's role in this workspace." }) role!: MembershipRole;
  @Field(() => [String], { description: "Stored policies (OWNER and ADMIN hold every policy regardless)." })
  policies!: string[];
  @Field(() => [String], {
    description: "What the member can actually do: role defaults and stored policies, filtered by role.",
  })
  effectivePolicies!: string[];
  @Field(() => GraphQLISODateTime, { description: "When they joined (ISO 8601, UTC)." }) createdAt!: Date;
}

export enum InvitationStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
}

@ObjectType("Invitation", { description: "An invitation to join the workspace, sent by e-mail." })
export class InvitationView {
  @Field(() => ID, { description: "The invitation's ID." }) id!: string;
  @Field(() => String, { description: "The invited address; only an account with this address can accept." })
  email!: string;
  @Field(() => MembershipRole, { description: "The role the member will have." }) role!: MembershipRole;
  @Field(() => [String], { description: "Policy keys the member will hold." }) policies!: string[];
  @Field(() => String, { description: "PENDING, ACCEPTED, REVOKED or EXPIRED." }) status!: InvitationStatus;
  @Field(() => GraphQLISODateTime, {
    description: "When the link stops working (ISO 8601, UTC): 7 days after it was (re)sent.",
  })
  expiresAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "When it was sent (ISO 8601, UTC)." }) createdAt!: Date;
}

@ObjectType({ description: "What an invitation link is for, shown on the accept page." })
export class InvitationPreview {
  @Field(() => String, { description: "The inviting workspace's name." }) workspaceName!: string;
  @Field(() => String, { description: "The inviting workspace's slug." }) workspaceSlug!: string;
  @Field(() => String, { description: "The invited address." }) email!: string;
  @Field(() => MembershipRole, { description: "The role the invitee will have." }) role!: MembershipRole;
  @Field(() => GraphQLISODateTime, { description: "When the link stops working (ISO 8601, UTC)." }) expiresAt!: Date;
}

@ObjectType("RolePreset", {
  description: "A named set of role and policies for inviting members (viewer, agent, operator, supervisor, admin).",
})
export class RolePresetView {
  @Field(() => String, { description: "The preset's id, as InviteMemberInput.preset takes it." }) id!: string;
  @Field(() => String, { description: "The preset's display name." }) name!: string;
  @Field(() => String, { description: "What a member with this preset can do." }) description!: string;
  @Field(() => MembershipRole, { description: "The role it gives." }) role!: MembershipRole;
  @Field(() => [String], { description: "The policy keys it grants." }) policies!: string[];
}

const PRESET_IDS = PRESETS.map((p) => p.id);

@InputType({ description: "Who to invite, with which role and policies." })
export class InviteMemberInput {
  @Field(() => String, { description: "The address to invite, at most 254 characters." })
  @Conforms(emailAddress)
  email!: string;

  @Field(() => MembershipRole, { nullable: true, description: "Defaults to the preset's role, else AGENT." })
  @IsOptional()
  @IsEnum(MembershipRole)
  role?: MembershipRole | null;

  @Field(() => [String], {
    nullable: true,
    description: "Policy keys (AGENT). Combined with the preset's when both are given.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  policies?: string[] | null;

  @Field(() => String, { nullable: true, description: `A named preset: ${PRESET_IDS.join(", ")}.` })
  @IsOptional()
  @IsIn(PRESET_IDS, { message: `Unknown preset; use one of ${PRESET_IDS.join(", ")}.` })
  preset?: string | null;
}

@InputType({ description: "A member's new role and/or policies; a field left out stays as it is." })
export class UpdateMemberInput {
  @Field(() => MembershipRole, { description: "The new role.", nullable: true })
  @IsOptional()
  @IsEnum(MembershipRole)
  role?: MembershipRole | null;

  @Field(() => [String], {
    description: "Policy keys to store (replacing the current ones), at most 50.",
    nullable: true,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  policies?: string[] | null;
}
