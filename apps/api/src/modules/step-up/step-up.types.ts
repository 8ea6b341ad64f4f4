import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";

@ObjectType("TotpEnrollment", { description: "A pending authenticator-app factor: add it to the app, then confirmTotp with a code." })
export class TotpEnrollment {
  @Field(() => String, { description: "Base32 secret (RFC 6238, SHA-1, 6 digits, 30 s)." }) secret!: string;
  @Field(() => String, { description: "otpauth:// URL for a QR code." }) otpauthUrl!: string;
}

@ObjectType("Passkey")
export class PasskeyView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
}

@ObjectType("AccountSecurity", { description: "The signed-in user's second factors." })
export class AccountSecurity {
  @Field(() => Boolean, { description: "Whether step-up verification is switched on for this platform (STEP_UP_ENABLED)." }) stepUpAvailable!: boolean;
  @Field(() => Boolean) totpEnabled!: boolean;
  @Field(() => Int) recoveryCodesLeft!: number;
  @Field(() => [PasskeyView]) passkeys!: PasskeyView[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When this session last passed a second factor." }) stepUpVerifiedAt!: Date | null;
}

@ObjectType("Session", { description: "A signed-in device." })
export class SessionView {
  @Field(() => ID) id!: string;
  @Field(() => Boolean, { description: "This is the session making the request." }) current!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) lastSeenAt!: Date;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
}
