// Persisted documents for integrators (issue 51): GraphQL documents a workspace registers so that
// its API keys may send only the document's SHA-256 — and keys held to persisted operations may
// run them.
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";

import {
  PERSISTED_DOCUMENT_MAX,
  PERSISTED_DOCUMENT_NAME_MAX,
  PERSISTED_DOCUMENTS_PER_WORKSPACE,
} from "@atrium/validation";

@ObjectType("PersistedDocument", {
  description: `A GraphQL document registered by the workspace (at most ${PERSISTED_DOCUMENTS_PER_WORKSPACE}). Its API keys run it by sending \`{"documentId": "<id>"}\` (or APQ's \`extensions.persistedQuery.sha256Hash\`) instead of the text.`,
})
export class PersistedDocumentView {
  @Field(() => ID, {
    description:
      "The SHA-256 of the document's exact text, 64 lowercase hexadecimal digits: what a request sends as `documentId`.",
  })
  id!: string;
  @Field(() => String, { description: "The name given at registration, unique in the workspace." }) name!: string;
  @Field(() => String, { description: "The document's text, exactly as registered." }) document!: string;
  @Field(() => [String], {
    description: "The names of the document's operations (an anonymous operation is not listed).",
  })
  operationNames!: string[];
  @Field(() => GraphQLISODateTime, { description: "When it was registered (ISO 8601)." }) createdAt!: Date;
}

@InputType({ description: "A GraphQL document to register for the workspace's API keys." })
export class RegisterPersistedDocumentInput {
  @Field(() => String, {
    description: `A name unique in the workspace: 1–${PERSISTED_DOCUMENT_NAME_MAX} letters, digits, '.', '_' or '-', starting with a letter or digit.`,
  })
  name!: string;
  @Field(() => String, {
    description: `The document's text (at most ${PERSISTED_DOCUMENT_MAX} characters): queries and mutations valid against this schema; subscriptions are not persisted. Stored exactly as sent — the id is the SHA-256 of this text, so send the same bytes you hash.`,
  })
  document!: string;
}
