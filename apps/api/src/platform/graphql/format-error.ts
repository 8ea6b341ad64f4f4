// The one place errors become GraphQL errors. Known errors keep their Contract code and a safe
// message; anything else is logged with the request id and masked.
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { AppError, ErrorCode } from "../errors.ts";

const PASS_THROUGH = new Set<string>(Object.values(ErrorCode));
/** Extensions our own errors carry that are safe (and useful) to show clients. */
const SAFE_EXTENSIONS = new Set(["reason", "fields", "retryAfterSeconds"]);

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function flattenValidation(errors: ValidationErrorLike[], prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const key = prefix ? `${prefix}.${e.property}` : e.property;
    const first = e.constraints ? Object.values(e.constraints)[0] : undefined;
    if (first) out[key] = first;
    if (e.children?.length) Object.assign(out, flattenValidation(e.children, key));
  }
  return out;
}

export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (err: unknown) => void,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { ...original.extensions, code: original.code } };
  }
  const code = formatted.extensions?.code;
  // type-graphql's ArgumentValidationError (class-validator on inputs).
  const validationErrors = formatted.extensions?.validationErrors as ValidationErrorLike[] | undefined;
  if (Array.isArray(validationErrors)) {
    const fields = flattenValidation(validationErrors.flatMap((e) => (e.property === "input" && e.children ? e.children : [e])));
    const first = Object.values(fields)[0];
    return { ...base, message: first ?? "Invalid input.", extensions: { code: ErrorCode.BAD_USER_INPUT, fields } };
  }
  if (code === "GRAPHQL_PARSE_FAILED" || code === "GRAPHQL_VALIDATION_FAILED" || code === "BAD_REQUEST") {
    return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code } };
  }
  if (typeof code === "string" && PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const ext = formatted.extensions ?? {};
    const safe = Object.fromEntries(Object.entries(ext).filter(([k]) => SAFE_EXTENSIONS.has(k)));
    return { ...base, message: formatted.message.replace(/^Context creation failed: /, ""), extensions: { ...safe, code } };
  }
  if (code === "PERSISTED_QUERY_NOT_FOUND" || code === "PERSISTED_QUERY_NOT_SUPPORTED") {
    return { ...base, extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND } };
  }
  // Deadlocks and serialization failures between concurrent changes: safe to retry.
  // A row referenced by the change vanished concurrently (e.g. the actor left mid-request).
  if ((original as { code?: unknown } | undefined)?.code === "P2003") {
    return { ...base, message: "Something this change refers to was changed or removed meanwhile. Reload and try again.", extensions: { code: ErrorCode.CONFLICT, reason: "CONCURRENT_UPDATE" } };
  }
  const cause = (original as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  if (cause && (cause.originalCode === "40P01" || cause.originalCode === "40001")) {
    return { ...base, message: "Another change to the same data happened at the same time. Try again.", extensions: { code: ErrorCode.CONFLICT, reason: "CONCURRENT_UPDATE" } };
  }
  log(original);
  return { message: "Internal server error.", path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
