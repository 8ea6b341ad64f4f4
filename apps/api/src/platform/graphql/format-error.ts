// The one place errors become GraphQL errors. Known errors keep their Contract code and a safe
// message; anything else is logged with the request id and masked.
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";

import { AppError, databaseUnavailable, ErrorCode, lostRace, type ErrorReason } from "../errors.ts";

const PASS_THROUGH = new Set<string>(Object.values(ErrorCode));
/** Extensions our own errors carry that are safe (and useful) to show clients. */
const SAFE_EXTENSIONS = new Set(["reason", "fields", "retryAfterSeconds"]);

/** graphql-js's uncoded request-level errors that are always the client's mistake (messages of graphql 16). */
const GRAPHQL_JS_CLIENT_ERRORS = [
  /^Too many errors processing variables, error limit reached\. Execution aborted\.$/,
  /^Schema is not configured to execute \w+ operation\.$/,
];

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

  // A validation rule's refusal carries its AppError as the original error (the cost limit's).
  const fromRule =
    error instanceof GraphQLError && error.originalError instanceof AppError ? error.originalError : null;
  const known =
    original instanceof AppError ? original : (fromRule ?? lostRace(original) ?? databaseUnavailable(original));
  if (known) {
    return { ...base, message: known.message, extensions: { ...known.extensions, code: known.code } };
  }
  const code = formatted.extensions?.code;
  // type-graphql's ArgumentValidationError (class-validator on inputs).
  const validationErrors = formatted.extensions?.validationErrors as ValidationErrorLike[] | undefined;
  if (Array.isArray(validationErrors)) {
    const fields = flattenValidation(
      validationErrors.flatMap((e) => (e.property === "input" && e.children ? e.children : [e])),
    );
    const first = Object.values(fields)[0];
    return { ...base, message: first ?? "Invalid input.", extensions: { code: ErrorCode.BAD_USER_INPUT, fields } };
  }
  if (code === "GRAPHQL_PARSE_FAILED" || code === "GRAPHQL_VALIDATION_FAILED" || code === "BAD_REQUEST") {
    return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code satisfies ErrorReason } };
  }
  if (typeof code === "string" && PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const ext = formatted.extensions ?? {};
    const safe = Object.fromEntries(Object.entries(ext).filter(([k]) => SAFE_EXTENSIONS.has(k)));
    return {
      ...base,
      message: formatted.message.replace(/^Context creation failed: /, ""),
      extensions: { ...safe, code },
    };
  }
  if (code === "PERSISTED_QUERY_NOT_FOUND" || code === "PERSISTED_QUERY_NOT_SUPPORTED") {
    return { ...base, extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND } };
  }
  // graphql-js's own refusals of a request that carry no code: past 50 invalid variable values it
  // stops and adds one last error of its own (the others are BAD_USER_INPUT already); an
  // operation type without a root type (requestRulesPlugin refuses it first). Never a resolver's
  // error: no path, nothing behind it.
  if (
    error instanceof GraphQLError &&
    !error.originalError &&
    !error.path &&
    error.extensions.code === undefined &&
    GRAPHQL_JS_CLIENT_ERRORS.some((re) => re.test(error.message))
  ) {
    return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  // Apollo's own refusals of a malformed request (persisted-query version or hash, …) carry a 4xx
  // status but no code: they are the client's mistake.
  if (error instanceof GraphQLError && !error.originalError && error.extensions.code === undefined) {
    const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: "BAD_REQUEST" satisfies ErrorReason } };
    }
  }
  log(original);
  return {
    message: "Internal server error.",
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
