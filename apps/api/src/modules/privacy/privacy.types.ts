// GraphQL shapes of data-subject requests (SPEC Contract part 3, issue 50).
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum DataSubjectRequestKind {
  EXPORT = "EXPORT",
  ERASE = "ERASE",
}
registerEnumType(DataSubjectRequestKind, {
  name: "DataSubjectRequestKind",
  description: "What a data-subject request does.",
  valuesConfig: {
    ERASE: {
      description:
        "Deletes everything the workspace holds about the person (and at the providers), leaving only a keyed hash.",
    },
    EXPORT: { description: "One zip of everything the workspace holds about the person, downloadable for 7 days." },
  },
});

export enum DataSubjectRequestStatus {
  PENDING = "PENDING",
  RUNNING = "RUNNING",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
}
registerEnumType(DataSubjectRequestStatus, {
  name: "DataSubjectRequestStatus",
  description: "Where a data-subject request is.",
  valuesConfig: {
    COMPLETED: { description: "Done." },
    FAILED: { description: "Gave up after its retries; error says why." },
    PENDING: { description: "Queued." },
    RUNNING: { description: "Running (processed/total show how far)." },
  },
});

@InputType("DataSubjectRequestInput", { description: "The person (by e-mail and/or phone) and what to do." })
export class DataSubjectRequestInput {
  @Field(() => DataSubjectRequestKind, { description: "EXPORT or ERASE." }) kind!: DataSubjectRequestKind;
  @Field(() => String, { description: "The person's e-mail (matched case-insensitively).", nullable: true }) email?:
    | string
    | null;
  @Field(() => String, { description: "The person's phone, with its country code (matched in E.164).", nullable: true })
  phone?: string | null;
}

@ObjectType("DataSubjectRequestEntityCount", {
  description: "How many rows of one entity an export found or an erasure deleted.",
})
export class DataSubjectRequestEntityCount {
  @Field(() => String, {
    description:
      "The entity (contacts, leads, messages…, or provider_twilio/provider_vapi/provider_calcom for deletions pushed to providers).",
  })
  entity!: string;
  @Field(() => Int, { description: "Rows found or deleted." }) count!: number;
}

@ObjectType("DataSubjectRequest", {
  description:
    "An export or erasure of one person's data (issue 50). The person's address is not shown: it is kept only while the request runs.",
})
export class DataSubjectRequestView {
  @Field(() => ID, { description: "The request's ID." }) id!: string;
  @Field(() => DataSubjectRequestKind, { description: "EXPORT or ERASE." }) kind!: DataSubjectRequestKind;
  @Field(() => DataSubjectRequestStatus, { description: "Where it is." }) status!: DataSubjectRequestStatus;
  @Field(() => Int, { description: "Steps done so far." }) processed!: number;
  @Field(() => Int, { description: "Steps in all (0 until the job has counted them)." }) total!: number;
  @Field(() => [DataSubjectRequestEntityCount], {
    description: "Rows found (export) or deleted (erasure), per entity.",
  })
  counts!: DataSubjectRequestEntityCount[];
  @Field(() => String, {
    description:
      "A completed export's signed download link, valid until downloadExpiresAt (for a signed-in member holding privacy.manage); null otherwise.",
    nullable: true,
  })
  downloadUrl!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When the download link stops working.", nullable: true })
  downloadExpiresAt!: Date | null;
  @Field(() => String, { description: "Why the last attempt failed; null when none did.", nullable: true }) error!:
    | string
    | null;
  @Field(() => GraphQLISODateTime, { description: "When it was made (ISO 8601, UTC)." }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "When it completed.", nullable: true }) completedAt!: Date | null;
}

@ObjectType("PlatformDataSubjectRequest", {
  description:
    "One workspace's request made by a platform-wide data-subject request (follow it in the workspace with dataSubjectRequest).",
})
export class PlatformDataSubjectRequestView {
  @Field(() => ID, { description: "The workspace holding the person." }) workspaceId!: string;
  @Field(() => ID, { description: "The request made in that workspace." }) id!: string;
  @Field(() => DataSubjectRequestKind, { description: "EXPORT or ERASE." }) kind!: DataSubjectRequestKind;
  @Field(() => DataSubjectRequestStatus, { description: "Where it is (PENDING when made)." })
  status!: DataSubjectRequestStatus;
}
