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

/** What each code means for a client: the HTTP status it comes with, when, and what to do (docs/api/errors.md). */
export const ERROR_CODE_DOCS: Readonly<
  Record<ErrorCode, { readonly status: number; readonly when: string; readonly whatToDo: string }>
> = Object.freeze({
  UNAUTHENTICATED: {
    status: 401,
    when: "The request does not say who is calling, or its credentials (token, session, API key) are not valid any more.",
    whatToDo: "Sign in or refresh the session, or send a valid API key; the reason says which case it is.",
  },
  FORBIDDEN: {
    status: 403,
    when: "The caller is known but may not do this: a policy or an API key's scope is missing, or a platform rule refuses it.",
    whatToDo:
      "Do not retry as is. Ask a workspace owner for the policy (explainAccess says which), or use a key with the scope.",
  },
  NOT_FOUND: {
    status: 404,
    when: "The thing named does not exist — or belongs to a workspace the caller cannot see (the two are not told apart).",
    whatToDo: "Check the ID and the workspace; reload lists, it may have been deleted meanwhile.",
  },
  BAD_USER_INPUT: {
    status: 400,
    when: "The request or its input is not acceptable: a field's value, a page size, a cursor, a document; `fields` names the input fields at fault.",
    whatToDo:
      "Fix the input (show each `fields` entry next to its field) and send it again; retrying unchanged fails the same way.",
  },
  CONFLICT: {
    status: 409,
    when: "The change collides with the current state: a taken name or address, a lost race with another change, a state that no longer allows it.",
    whatToDo: "Read the current state again and decide; CONCURRENT_UPDATE may simply be retried.",
  },
  RATE_LIMITED: {
    status: 429,
    when: "Too many requests or attempts in the current window (per API key, per address, per account).",
    whatToDo:
      "Wait `retryAfterSeconds` (the Retry-After header) before trying again; the RateLimit fields on every API-key answer say how much is left.",
  },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    when: "The account has not verified its e-mail address yet.",
    whatToDo: "Follow the link in the verification e-mail (resendVerification sends a new one).",
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 400,
    when: "A request named a persisted document the server does not know, or a key held to persisted operations sent one it may not run.",
    whatToDo:
      "For automatic persisted queries, send the document with its hash once; otherwise register it (registerPersistedDocument) or send a known id.",
  },
  STEP_UP_REQUIRED: {
    status: 403,
    when: "The workspace asks for a recent second factor from this session before this operation.",
    whatToDo: "Verify with verifyStepUp (or a passkey), then send the same request again.",
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    when: "Something the request needs is away for a moment: the database restarting, a provider not answering, a deadline passed.",
    whatToDo: "Retry after `retryAfterSeconds` (Retry-After); nothing was changed.",
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    when: "An unexpected fault on the server; the message is masked and the fault logged with the request id.",
    whatToDo: "Retry later; if it persists, report the x-request-id of the answer.",
  },
});
