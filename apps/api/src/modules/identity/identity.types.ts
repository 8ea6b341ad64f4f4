import { IsOptional, IsString, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";

import { currentPassword, emailAddress, newPassword, personName } from "@atrium/validation";

import { Conforms } from "../../platform/validation.ts";
import { MembershipView } from "../workspaces/workspaces.types.ts";

export enum GlobalRole {
  ADMIN = "ADMIN",
  USER = "USER",
}
registerEnumType(GlobalRole, {
  name: "GlobalRole",
  description: "Platform-wide role; independent of workspace policies.",
  valuesConfig: {
    ADMIN: {
      description: "A platform administrator: manages users, plans, registration and the platform's single sign-on.",
    },
    USER: { description: "A regular user." },
  },
});

@ObjectType("User", { description: "A user account." })
export class UserView {
  @Field(() => ID, { description: "The user's ID." }) id!: string;
  @Field(() => String, { description: "The account's e-mail address (lower-case)." }) email!: string;
  @Field(() => String, { description: "The person's name: 1–100 characters." }) name!: string;
  @Field(() => Boolean, { description: "True once the address was proven by a link mailed to it." })
  emailVerified!: boolean;
  @Field(() => GlobalRole, { description: "The platform-wide role." }) globalRole!: GlobalRole;
  @Field(() => [MembershipView], { description: "Workspaces the user belongs to, with the role held in each." })
  memberships!: MembershipView[];
}

@ObjectType({ description: "The account just created (not yet verified)." })
export class SignUpPayload {
  @Field(() => UserView, { description: "The new user." }) user!: UserView;
}

@ObjectType({ description: "The result of a successful sign-in: the user and when the access token expires." })
export class AuthPayload {
  @Field(() => String, { description: "Short-lived access token for `Authorization: Bearer`." }) accessToken!: string;
  @Field(() => String, { description: "Opaque refresh token, rotated on every use (`refreshSession`)." })
  refreshToken!: string;
  @Field(() => GraphQLISODateTime, {
    description: "When the access token expires (ISO 8601, UTC); refresh the session before then.",
  })
  expiresAt!: Date;
  @Field(() => UserView, { description: "The signed-in user." }) user!: UserView;
}

@ObjectType("EmailVerificationResult", { description: "A verified address, and the session it started." })
export class EmailVerificationResult {
  @Field(() => AuthPayload, {
    nullable: true,
    description:
      "The new session (an account's first verification signs in); null when the address was verified already, or the account needs its second factor — sign in then.",
  })
  session!: AuthPayload | null;
}

// Field rules and messages: @atrium/validation (the web's sign-up and sign-in forms use the same).
@InputType({ description: "A new account's details." })
export class SignUpInput {
  @Field(() => String, {
    description: "The e-mail address, at most 254 characters; a verification link is mailed to it.",
  })
  @Conforms(emailAddress)
  email!: string;

  @Field(() => String, {
    description: "The password: 10–256 characters, and not too guessable (WEAK_PASSWORD otherwise).",
  })
  @Conforms(newPassword)
  password!: string;

  @Field(() => String, { description: "The person's name: 1–100 characters, not blank." })
  @Conforms(personName)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "The token of an invitation link: admits in restricted registration modes and verifies the address.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  invitationToken?: string | null;
}

@InputType({ description: "An e-mail address and password." })
export class SignInInput {
  @Field(() => String, { description: "The account's e-mail address, at most 254 characters." })
  @Conforms(emailAddress)
  email!: string;

  @Field(() => String, { description: "The account's password, at most 256 characters." })
  @Conforms(currentPassword)
  password!: string;
}
