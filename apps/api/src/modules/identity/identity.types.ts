import { currentPassword, emailAddress, newPassword, personName } from "@atrium/validation";
import { IsOptional, IsString, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Conforms } from "../../platform/validation.ts";
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

@ObjectType("EmailVerificationResult", { description: "A verified address, and the session it started." })
export class EmailVerificationResult {
  @Field(() => AuthPayload, {
    nullable: true,
    description: "The new session (an account's first verification signs in); null when the address was verified already, or the account needs its second factor — sign in then.",
  })
  session!: AuthPayload | null;
}

// Field rules and messages: @atrium/validation (the web's sign-up and sign-in forms use the same).
@InputType()
export class SignUpInput {
  @Field(() => String)
  @Conforms(emailAddress)
  email!: string;

  @Field(() => String)
  @Conforms(newPassword)
  password!: string;

  @Field(() => String)
  @Conforms(personName)
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
  @Conforms(emailAddress)
  email!: string;

  @Field(() => String)
  @Conforms(currentPassword)
  password!: string;
}
