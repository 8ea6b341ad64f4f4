import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";

@ObjectType("AuditCheckpoint", {
  description: "A point of the workspace's audit hash chain signed by the platform's Ed25519 key (issue 50).",
})
export class AuditCheckpointView {
  @Field(() => Int, { description: "The position (seq) of the last row the checkpoint covers." }) seq!: number;
  @Field(() => GraphQLISODateTime, { description: "When the checkpoint was signed (ISO 8601, UTC)." }) signedAt!: Date;
  @Field(() => String, { description: "The id (kid) of the key that signed it, as published at publicKeysUrl." })
  keyId!: string;
}

@ObjectType("AuditChainStatus", {
  description:
    "Where the workspace's tamper-evident audit log stands: its hash chain, the newest signed checkpoint and the rows after it (issue 50, decision 0053).",
})
export class AuditChainStatusView {
  @Field(() => Int, { description: "Rows in the chain (the head's seq minus the rows a retention cut removed)." })
  rows!: number;
  @Field(() => Int, { description: "The seq of the newest row (0 before the first)." }) headSeq!: number;
  @Field(() => AuditCheckpointView, {
    nullable: true,
    description: "The newest signed checkpoint: the chain is verified up to it; null before the first.",
  })
  verifiedThrough!: AuditCheckpointView | null;
  @Field(() => Int, {
    description: "Rows after the newest checkpoint, not yet signed (the next checkpoint signs them once they verify).",
  })
  unsignedRows!: number;
  @Field(() => String, {
    nullable: true,
    description:
      "What does not hold in the chain (the first edited, deleted, inserted or reordered row after the newest checkpoint, or a checkpoint that does not match); null when it verifies. While set, no checkpoint is signed.",
  })
  problem!: string | null;
  @Field(() => Boolean, {
    description:
      "False when the platform has no signing key (AUDIT_SIGNING_KEYS unset in production): no checkpoints are being signed.",
  })
  signing!: boolean;
  @Field(() => String, {
    description: "Where the platform's public keys are published (a JWKS), for `pnpm atrium audit verify --key`.",
  })
  publicKeysUrl!: string;
}
