import { ArrayMaxSize, IsArray, IsEnum, IsString, Matches } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import { Connection } from "../../platform/graphql/connection.ts";
import { GlobalRole } from "../identity/identity.types.ts";

export enum RegistrationMode {
  OPEN = "OPEN",
  ALLOWED_DOMAINS = "ALLOWED_DOMAINS",
  INVITATION_ONLY = "INVITATION_ONLY",
  CLOSED = "CLOSED",
}
registerEnumType(RegistrationMode, {
  name: "RegistrationMode",
  description: "Who may sign up. Invitation links work in every mode but CLOSED.",
  valuesConfig: {
    ALLOWED_DOMAINS: { description: "Addresses of the listed e-mail domains may sign up." },
    CLOSED: { description: "Nobody may sign up, not even with an invitation." },
    INVITATION_ONLY: { description: "Only with an invitation link." },
    OPEN: { description: "Anyone may sign up." },
  },
});

@ObjectType("PlatformUser")
export class PlatformUserView {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
  @Field(() => GlobalRole) globalRole!: GlobalRole;
  @Field(() => Boolean) emailVerified!: boolean;
  @Field(() => Boolean) disabled!: boolean;
  @Field(() => Int) workspaceCount!: number;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

/**
 * The common connection shape (edges, pageInfo, totalCount). Its first shape's fields (nodes,
 * endCursor, hasNextPage) stay one more release, deprecated: they say what `edges` and `pageInfo` say.
 */
@ObjectType({ description: "A page of platform users (Relay Cursor Connections), newest first." })
export class PlatformUserConnection extends Connection(PlatformUserView, "PlatformUser") {
  @Field(() => [PlatformUserView], {
    description: "The page's users.",
    deprecationReason: "Use edges { node }. Removed in the next release.",
  })
  nodes!: PlatformUserView[];

  @Field(() => String, {
    nullable: true,
    description: "The last user's cursor.",
    deprecationReason: "Use pageInfo { endCursor }. Removed in the next release.",
  })
  endCursor!: string | null;

  @Field(() => Boolean, {
    description: "Whether there are users after this page.",
    deprecationReason: "Use pageInfo { hasNextPage }. Removed in the next release.",
  })
  hasNextPage!: boolean;
}

@ObjectType("RegistrationSettings", { description: "Who may sign up on the platform." })
export class RegistrationSettingsView {
  @Field(() => RegistrationMode, { description: "The registration mode." }) mode!: RegistrationMode;
  @Field(() => [String], { description: "The e-mail domains ALLOWED_DOMAINS admits (lower-case, e.g. example.com)." })
  allowedEmailDomains!: string[];
}

@InputType({ description: "The registration mode and its allowed domains." })
export class RegistrationSettingsInput {
  @Field(() => RegistrationMode, { description: "The registration mode." })
  @IsEnum(RegistrationMode)
  mode!: RegistrationMode;

  @Field(() => [String], {
    description: "At most 100 lower-case domains (e.g. example.com); used by ALLOWED_DOMAINS.",
    defaultValue: [],
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    each: true,
    message: "Each domain must look like example.com (lowercase).",
  })
  allowedEmailDomains!: string[];
}
