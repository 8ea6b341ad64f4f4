import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsOptional, IsString, MaxLength } from "class-validator";
import { PRESETS } from "@atrium/policies";
import { emailAddress } from "@atrium/validation";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";
import { MembershipRole } from "../workspaces/workspaces.types.ts";

@ObjectType("MemberUser")
export class MemberUserView {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
}

@ObjectType("Member")
export class MemberView {
  @Field(() => ID) id!: string;
  @Field(() => MemberUserView) user!: MemberUserView;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => [String], { description: "Stored policies (OWNER and ADMIN hold every policy regardless)." }) policies!: string[];
  @Field(() => [String], { description: "What the member can actually do: role defaults and stored policies, filtered by role." })
  effectivePolicies!: string[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

export enum InvitationStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
}

@ObjectType("Invitation")
export class InvitationView {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => [String]) policies!: string[];
  @Field(() => String) status!: InvitationStatus;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class InvitationPreview {
  @Field(() => String) workspaceName!: string;
  @Field(() => String) workspaceSlug!: string;
  @Field(() => String) email!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
}

@ObjectType("RolePreset")
export class RolePresetView {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => [String]) policies!: string[];
}

const PRESET_IDS = PRESETS.map((p) => p.id);

@InputType()
export class InviteMemberInput {
  @Field(() => String)
  @Conforms(emailAddress)
  email!: string;

  @Field(() => MembershipRole, { nullable: true, description: "Defaults to the preset's role, else AGENT." })
  @IsOptional()
  @IsEnum(MembershipRole)
  role?: MembershipRole | null;

  @Field(() => [String], { nullable: true, description: "Policy keys (AGENT). Combined with the preset's when both are given." })
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

@InputType()
export class UpdateMemberInput {
  @Field(() => MembershipRole, { nullable: true })
  @IsOptional()
  @IsEnum(MembershipRole)
  role?: MembershipRole | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  policies?: string[] | null;
}
