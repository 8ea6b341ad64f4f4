// Persisted documents for integrators (issue 51): a workspace (apikey.manage) registers named
// GraphQL documents, stored exactly as sent and named by the SHA-256 of that text. Its API keys
// may then send only the id; keys held to persisted operations may run these and the platform
// manifest's documents (server.ts: `persistedDocumentFor`).
import { Kind, OperationTypeNode, parse, specifiedRules, validate, type GraphQLSchema } from "graphql";

import type { Db } from "@atrium/db";
import {
  PERSISTED_DOCUMENT_MAX,
  PERSISTED_DOCUMENT_NAME_MAX,
  PERSISTED_DOCUMENT_NAME_PATTERN,
  PERSISTED_DOCUMENTS_PER_WORKSPACE,
  type ErrorReason,
} from "@atrium/validation";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import { AppError, conflict, ErrorCode, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { persistedDocumentsRepository as repo } from "./persisted-documents.repository.ts";
import type { PersistedDocumentView, RegisterPersistedDocumentInput } from "./persisted-documents.types.ts";

const SHA256_RE = /^[0-9a-f]{64}$/;

/** A unique violation on insert: another registration committed first. */
class RegisteredMeanwhile extends Error {}

type Row = { sha256: string; name: string; body: string; operationNames: string[]; createdAt: Date };
const toView = (d: Row): PersistedDocumentView => ({
  id: d.sha256,
  name: d.name,
  document: d.body,
  operationNames: d.operationNames,
  createdAt: d.createdAt,
});

const invalid = (message: string, field: "name" | "document", reason: ErrorReason = "INVALID_DOCUMENT") =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { reason, fields: { [field]: message } });

/** The document's operation names, or a typed refusal saying what is wrong with it. */
export function checkDocument(text: string, schema: GraphQLSchema, maxTokens: number): string[] {
  if (text.trim() === "") throw invalid("The document is empty.", "document");
  if (text.length > PERSISTED_DOCUMENT_MAX)
    throw invalid(`The document is longer than ${PERSISTED_DOCUMENT_MAX} characters.`, "document");
  let ast;
  try {
    // The server's own token limit: a registered document runs under it like any other.
    ast = parse(text, { maxTokens });
  } catch (err) {
    throw invalid(`The document does not parse: ${(err as Error).message}`, "document");
  }
  const names: string[] = [];
  for (const definition of ast.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) continue;
    if (definition.kind !== Kind.OPERATION_DEFINITION)
      throw invalid("A persisted document holds operations and fragments only (no type definitions).", "document");
    if (definition.operation === OperationTypeNode.SUBSCRIPTION)
      throw invalid(
        "Subscriptions are not persisted: send them over WebSocket with their text.",
        "document",
        "SUBSCRIPTION_NOT_PERSISTED",
      );
    if (definition.name) names.push(definition.name.value);
  }
  if (ast.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION))
    throw invalid("The document holds no operation.", "document");
  const errors = validate(schema, ast, specifiedRules);
  if (errors.length > 0)
    throw invalid(
      `The document is not valid against the schema: ${errors
        .slice(0, 3)
        .map((e) => e.message)
        .join(" ")}`,
      "document",
    );
  return names;
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === "") throw invalid("Name the document.", "name");
  if (name.length > PERSISTED_DOCUMENT_NAME_MAX)
    throw invalid(`The name is longer than ${PERSISTED_DOCUMENT_NAME_MAX} characters.`, "name");
  if (!PERSISTED_DOCUMENT_NAME_PATTERN.test(name))
    throw invalid("Use letters, digits, '.', '_' and '-' in the name, starting with a letter or digit.", "name");
  return name;
}

export function createPersistedDocumentsService({ db, maxTokens }: { db: Db; maxTokens: number }) {
  return {
    list(access: WorkspaceAccess): Promise<PersistedDocumentView[]> {
      return inWorkspace(db, access, async (tx) => (await repo.list(tx, access.workspaceId)).map(toView));
    },

    register(
      access: WorkspaceAccess,
      input: RegisterPersistedDocumentInput,
      schema: GraphQLSchema,
      actor: Actor,
    ): Promise<PersistedDocumentView> {
      const name = checkName(input.name);
      const operationNames = checkDocument(input.document, schema, maxTokens);
      const sha256 = sha256Hex(input.document);
      const attempt = () =>
        inWorkspace(db, access, async (tx) => {
          const existing = await repo.find(tx, access.workspaceId, sha256);
          if (existing) {
            if (existing.name === name) return toView(existing);
            throw new AppError(ErrorCode.CONFLICT, `This document is registered already, as "${existing.name}".`, {
              reason: "DOCUMENT_ALREADY_REGISTERED",
              fields: { document: "is registered already" },
            });
          }
          if ((await repo.count(tx, access.workspaceId)) >= PERSISTED_DOCUMENTS_PER_WORKSPACE) {
            throw new AppError(
              ErrorCode.CONFLICT,
              `A workspace holds at most ${PERSISTED_DOCUMENTS_PER_WORKSPACE} persisted documents. Delete one first.`,
              { reason: "DOCUMENT_LIMIT_REACHED" },
            );
          }
          const row = await repo
            .create(tx, { workspaceId: access.workspaceId, sha256, name, body: input.document, operationNames })
            .catch((err: unknown) => {
              // A concurrent registration won: the same text under the same name is that document
              // (the caller's retry), anything else a conflict, read again to say which.
              if (isUniqueViolation(err)) throw new RegisteredMeanwhile();
              throw err;
            });
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "persisted_document.registered",
            actorMembershipId: access.membershipId,
            targetType: "PersistedDocument",
            targetId: sha256,
            data: { name, operationNames },
          });
          return toView(row);
        });
      // Lost a race: once more, now that the winner's row is there (idempotent, or the right CONFLICT).
      return attempt().catch((err: unknown) => {
        if (!(err instanceof RegisteredMeanwhile)) throw err;
        return attempt().catch((again: unknown) => {
          throw again instanceof RegisteredMeanwhile
            ? conflict("A document with this name exists already.", { name: "is taken" })
            : again;
        });
      });
    },

    remove(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      const sha256 = id.replace(/^sha256:/, "").toLowerCase();
      if (!SHA256_RE.test(sha256)) return Promise.reject(notFound("Persisted document"));
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.find(tx, access.workspaceId, sha256);
        if (!row || !(await repo.remove(tx, access.workspaceId, sha256))) throw notFound("Persisted document");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "persisted_document.deleted",
          actorMembershipId: access.membershipId,
          targetType: "PersistedDocument",
          targetId: sha256,
          data: { name: row.name },
        });
        return true;
      });
    },

    /** The text of the workspace's document with this hash (for a request that sends only the id), or undefined. */
    body(access: WorkspaceAccess, hash: string): Promise<string | undefined> {
      const sha256 = hash.toLowerCase();
      if (!SHA256_RE.test(sha256)) return Promise.resolve(undefined);
      return inWorkspace(db, access, (tx) => repo.body(tx, access.workspaceId, sha256));
    },
  };
}

export type PersistedDocumentsService = ReturnType<typeof createPersistedDocumentsService>;
