// One error family with stable codes (the Contract's `extensions.code`), mapped to GraphQL in
// one place (platform/graphql/format-error.ts). Messages are safe to show to end users. The codes
// themselves are @atrium/validation's, the list the web app reads too.
import { ERROR_CODE_DOCS, ErrorCode, isErrorCode, type ErrorReason } from "@atrium/validation";

export { ErrorCode, type ErrorReason };

/**
 * What an error carries beside its code. `reason` is typed from @atrium/validation's
 * ERROR_REASONS: a reason that is not documented there (docs/api/errors.md) does not compile.
 */
export interface ErrorExtensions {
  reason?: ErrorReason;
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: ErrorExtensions = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const unauthenticated = (reason: ErrorReason = "SIGN_IN_REQUIRED", message = "Sign in to continue.") =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, { reason });
export const forbidden = (message = "You do not have permission to do this.") =>
  new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what = "Resource") => new AppError(ErrorCode.NOT_FOUND, `${what} not found.`);
export const badInput = (message: string, fields?: Record<string, string>) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, fields ? { fields } : {});
export const conflict = (message: string, fields?: Record<string, string>) =>
  new AppError(ErrorCode.CONFLICT, message, fields ? { fields } : {});
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RATE_LIMITED, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
    retryAfterSeconds,
  });

/** The HTTP status that goes with a code, wherever an error decides the status (REST, request-level GraphQL errors): the documented one (ERROR_CODE_DOCS, docs/api/errors.md); 400 for a code outside the list. */
export function httpStatusFor(code: string): number {
  return isErrorCode(code) ? ERROR_CODE_DOCS[code].status : 400;
}

const MODEL_NAMES: Record<string, string> = {
  Membership: "Member",
  ApiKey: "API key",
  Invitation: "Invitation",
  Workspace: "Workspace",
};

/**
 * Database failures that are the client's lost race, not a server fault, as the error the client
 * should see (null for anything else). Applied centrally to GraphQL and REST errors, so a service
 * that loses a race answers NOT_FOUND / CONFLICT without special code in every mutation:
 * - P2025: the row to update/delete was removed meanwhile (e.g. ten concurrent removeMember);
 * - P2002: a concurrent insert took a unique value first;
 * - P2003: a row this change refers to was removed meanwhile;
 * - P2034 / SQLSTATE 40001 / 40P01: serialization failure or deadlock between concurrent changes.
 */
export function lostRace(err: unknown): AppError | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (err.name === "PrismaClientKnownRequestError" || typeof code === "string") {
    if (code === "P2025") {
      const model = (err as { meta?: { modelName?: unknown } }).meta?.modelName;
      return notFound(typeof model === "string" ? (MODEL_NAMES[model] ?? model) : "Resource");
    }
    if (code === "P2002")
      return new AppError(
        ErrorCode.CONFLICT,
        "Something with the same unique value was created at the same time. Reload and try again.",
        { reason: "CONCURRENT_UPDATE" },
      );
    if (code === "P2003")
      return new AppError(
        ErrorCode.CONFLICT,
        "Something this change refers to was changed or removed meanwhile. Reload and try again.",
        { reason: "CONCURRENT_UPDATE" },
      );
    if (code === "P2034")
      return new AppError(ErrorCode.CONFLICT, "Another change to the same data happened at the same time. Try again.", {
        reason: "CONCURRENT_UPDATE",
      });
  }
  const sqlState = postgresErrorOf(err)?.code;
  // The same races behind a raw statement (P2010): the server's SQLSTATE.
  if (sqlState === "23505")
    return new AppError(
      ErrorCode.CONFLICT,
      "Something with the same unique value was created at the same time. Reload and try again.",
      { reason: "CONCURRENT_UPDATE" },
    );
  if (sqlState === "23503")
    return new AppError(
      ErrorCode.CONFLICT,
      "Something this change refers to was changed or removed meanwhile. Reload and try again.",
      { reason: "CONCURRENT_UPDATE" },
    );
  if (sqlState === "40P01" || sqlState === "40001") {
    return new AppError(ErrorCode.CONFLICT, "Another change to the same data happened at the same time. Try again.", {
      reason: "CONCURRENT_UPDATE",
    });
  }
  return null;
}

/**
 * A unique constraint refused the write: Prisma's P2002, or the server's 23505 behind a raw
 * statement's P2010 (a write in plain SQL). Someone else holds that value.
 */
export const isUniqueViolation = (err: unknown): boolean =>
  err instanceof Error && ((err as { code?: unknown }).code === "P2002" || postgresErrorOf(err)?.code === "23505");

/** A foreign key refused the write (Prisma's P2003, or the server's 23503 behind a raw statement): another row still points at this one. */
export const isFkViolation = (err: unknown): boolean =>
  err instanceof Error && ((err as { code?: unknown }).code === "P2003" || postgresErrorOf(err)?.code === "23503");

/**
 * The PostgreSQL error behind a failed query or commit, as Prisma's pg adapter reports it
 * (`DriverAdapterError.cause`, or a known request error's `meta.driverAdapterError.cause`):
 * its SQLSTATE and DETAIL. Null when the failure did not come from the server.
 */
export function postgresErrorOf(err: unknown): { code: string; detail?: string } | null {
  for (const layer of errorChain(err)) {
    const e = layer as { originalCode?: unknown; kind?: unknown; code?: unknown; detail?: unknown };
    const code =
      typeof e.originalCode === "string"
        ? e.originalCode
        : e.kind === "postgres" && typeof e.code === "string"
          ? e.code
          : undefined;
    if (code !== undefined) return { code, ...(typeof e.detail === "string" ? { detail: e.detail } : {}) };
  }
  return null;
}

/**
 * An error and what it wraps, outermost first: `cause`, or where Prisma puts the driver's error
 * (`meta.driverAdapterError`). At most five layers.
 */
function* errorChain(err: unknown): Generator<object> {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    yield current;
    const e = current as { cause?: unknown; meta?: { driverAdapterError?: unknown }; originalError?: unknown };
    // originalError: a GraphQLError around what a request-level hook threw (a plugin's check).
    current = e.cause ?? e.meta?.driverAdapterError ?? e.originalError;
  }
}

/** A request that ran past its deadline: 503 SERVICE_UNAVAILABLE, reason DEADLINE_EXCEEDED, Retry-After. */
export function deadlineExceededError(): AppError {
  return new AppError(
    ErrorCode.SERVICE_UNAVAILABLE,
    "The request took too long and was stopped. Try again in a few seconds.",
    { reason: "DEADLINE_EXCEEDED", retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );
}

/** Seconds a client is told to wait when the database is unavailable (Retry-After). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

const UNAVAILABLE_CODES = new Set([
  // Prisma: can't reach the server, timed out, connection closed.
  "P1001",
  "P1002",
  "P1017",
  // Node sockets.
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  // PostgreSQL: shutting down / starting up / crash recovery; connection exceptions (class 08).
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  // PostgreSQL: too many connections (every instance reconnecting at once after a restart).
  "53300",
]);
/** Prisma's driver adapter's kinds of a connection-level failure (`DriverAdapterError.cause.kind`). */
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Server has closed the connection|connection terminated unexpectedly|terminating connection|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|Can't reach database server|timeout exceeded when trying to connect|too many clients already|Client has encountered a connection error|connect (?:ECONNREFUSED|ENOENT)/i;

/**
 * A failure because the database is unreachable right now (its server restarting after a crash,
 * a failover) as the error clients should see: SERVICE_UNAVAILABLE, HTTP 503 with Retry-After —
 * retryable, and not an INTERNAL_SERVER_ERROR. Null for anything else. Looks through `cause`.
 */
export function databaseUnavailable(err: unknown): AppError | null {
  for (const layer of errorChain(err)) {
    const e = layer as {
      code?: unknown;
      originalCode?: unknown;
      message?: unknown;
      meta?: { code?: unknown };
      kind?: unknown;
    };
    // meta.code: the SQLSTATE of a raw query's failure (P2010).
    const codes = [e.code, e.originalCode, e.meta?.code].filter((c): c is string => typeof c === "string");
    // The request's deadline (per-route deadlines): the statement cancelled by statement_timeout,
    // the transaction timed out, or work not started. Retryable; the transaction was rolled back.
    if (codes.some((c) => c === "57014" || c === "P2028" || c === "DEADLINE_EXCEEDED")) return deadlineExceededError();
    // ENOENT from connect(): the server's Unix socket is gone (a DATABASE_URL with ?host=/run/postgresql, server stopped).
    const socketGone = codes.includes("ENOENT") && (layer as { syscall?: unknown }).syscall === "connect";
    const unavailable =
      socketGone ||
      codes.some((c) => UNAVAILABLE_CODES.has(c)) ||
      (typeof e.kind === "string" && UNAVAILABLE_KINDS.has(e.kind)) ||
      (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message));
    if (unavailable) {
      return new AppError(
        ErrorCode.SERVICE_UNAVAILABLE,
        "The service is briefly unavailable. Try again in a few seconds.",
        { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
      );
    }
  }
  return null;
}
