import { IsEmail, IsOptional, IsString, MaxLength, MinLength, Matches } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { MembershipView } from "../workspaces/workspaces.types.ts";

export enum GlobalRole {
  ADMIN = "ADMIN",
  USER = "USER",
}
registerEnumType(GlobalRole, { name: "GlobalRole", description: "Platform-wide role; independent of workspace policies." });

@ObjectType("User")
export class UserView {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean) emailVerified!: boolean;
  @Field(() => GlobalRole) globalRole!: GlobalRole;
  @Field(() => [MembershipView], { description: "Workspaces the user belongs to, with the role held in each." })
  memberships!: MembershipView[];
}

@ObjectType()
export class SignUpPayload {
  @Field(() => UserView) user!: UserView;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: "Short-lived access token for `Authorization: Bearer`." }) accessToken!: string;
  @Field(() => String, { description: "Opaque refresh token, rotated on every use (`refreshSession`)." }) refreshToken!: string;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
  @Field(() => UserView) user!: UserView;
}

@InputType()
export class SignUpInput {
  @Field(() => String)
  @IsEmail({}, { message: "Enter a valid e-mail address." })
  @MaxLength(254, { message: "E-mail addresses are at most 254 characters." })
  email!: string;

  @Field(() => String)
  @IsString()
  @MinLength(10, { message: "Use at least 10 characters." })
  @MaxLength(256, { message: "Passwords are at most 256 characters." })
  password!: string;

  @Field(() => String)
  @IsString()
  @Matches(/\S/, { message: "Enter your name." })
  @MaxLength(100, { message: "Names are at most 100 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "The token of an invitation link: admits in restricted registration modes and verifies the address." })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  invitationToken?: string | null;
}

@InputType()
export class SignInInput {
  @Field(() => String)
  @IsEmail({}, { message: "Enter a valid e-mail address." })
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @IsString()
  @MinLength(1, { message: "Enter your password." })
  @MaxLength(256)
  password!: string;
}
