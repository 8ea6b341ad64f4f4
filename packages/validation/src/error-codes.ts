/**
 * The Contract's error codes (SPEC "Contract": `extensions.code` of a GraphQL error, `error` of a
 * REST one). The one list: the API raises them (apps/api/src/platform/errors.ts) and the web app
 * explains them (apps/web/src/platform/errors.ts).
 */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  EMAIL_NOT_VERIFIED: "EMAIL_NOT_VERIFIED",
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  /** S7: this workspace wants a recent second factor from this session (verifyStepUp lifts it). */
  STEP_UP_REQUIRED: "STEP_UP_REQUIRED",
  /** The database is unreachable for a moment (restarting, failing over): retry after a pause. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every code, in the Contract's order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.freeze(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
