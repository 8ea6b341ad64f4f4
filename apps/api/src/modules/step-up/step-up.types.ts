import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";

@ObjectType("TotpEnrollment", {
  description: "A pending authenticator-app factor: add it to the app, then confirmTotp with a code.",
})
export class TotpEnrollment {
  @Field(() => String, { description: "Base32 secret (RFC 6238, SHA-1, 6 digits, 30 s)." }) secret!: string;
  @Field(() => String, { description: "otpauth:// URL for a QR code." }) otpauthUrl!: string;
}

@ObjectType("Passkey", { description: "A passkey (WebAuthn credential) of the signed-in user." })
export class PasskeyView {
  @Field(() => ID, { description: "The passkey's ID." }) id!: string;
  @Field(() => String, { description: "A name the user gave it (e.g. the device)." }) name!: string;
  @Field(() => GraphQLISODateTime, { description: "When it was added (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, {
    description: "When it last verified a session (ISO 8601, UTC); null when never.",
    nullable: true,
  })
  lastUsedAt!: Date | null;
}

@ObjectType("AccountSecurity", { description: "The signed-in user's second factors." })
export class AccountSecurity {
  @Field(() => Boolean, {
    description: "Whether step-up verification is switched on for this platform (STEP_UP_ENABLED).",
  })
  stepUpAvailable!: boolean;
  @Field(() => Boolean, { description: "True once an authenticator app (TOTP) has been confirmed." })
  totpEnabled!: boolean;
  @Field(() => Int, {
    description: "Unused one-time recovery codes (10 are issued when the authenticator app is confirmed).",
  })
  recoveryCodesLeft!: number;
  @Field(() => [PasskeyView], { description: "The user's passkeys, oldest first." }) passkeys!: PasskeyView[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When this session last passed a second factor." })
  stepUpVerifiedAt!: Date | null;
}

@ObjectType("Session", { description: "A signed-in device." })
export class SessionView {
  @Field(() => ID, { description: "The session's ID." }) id!: string;
  @Field(() => Boolean, { description: "This is the session making the request." }) current!: boolean;
  @Field(() => GraphQLISODateTime, { description: "When the session started (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "When the session was last active (ISO 8601, UTC)." })
  lastSeenAt!: Date;
  @Field(() => String, { description: "The IP address it signed in from; null when unknown.", nullable: true }) ip!:
    | string
    | null;
  @Field(() => String, { description: "The browser's User-Agent, as sent; null when none.", nullable: true })
  userAgent!: string | null;
}
