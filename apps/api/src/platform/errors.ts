// One error family with stable codes (the Contract's `extensions.code`), mapped to GraphQL in
// one place (platform/graphql/format-error.ts). Messages are safe to show to end users.
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  EMAIL_NOT_VERIFIED: "EMAIL_NOT_VERIFIED",
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const unauthenticated = (reason = "SIGN_IN_REQUIRED", message = "Sign in to continue.") =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, { reason });
export const forbidden = (message = "You do not have permission to do this.") => new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what = "Resource") => new AppError(ErrorCode.NOT_FOUND, `${what} not found.`);
export const badInput = (message: string, fields?: Record<string, string>) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, fields ? { fields } : {});
export const conflict = (message: string, fields?: Record<string, string>) =>
  new AppError(ErrorCode.CONFLICT, message, fields ? { fields } : {});
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RATE_LIMITED, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
