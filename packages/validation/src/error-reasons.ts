/**
 * Every `reason` the API puts beside an error code (GraphQL `extensions.reason`, REST `reason`,
 * a WebSocket close frame's reason), with its code, when it happens and what the client should do
 * (issue 51). The one list: the API's error constructors take an `ErrorReason`, so a new reason
 * does not compile until it is documented here; docs/api/errors.md is generated from it
 * (`pnpm --filter @atrium/validation docs:errors`) and the web playground shows it.
 */
import { ErrorCode } from "./error-codes.ts";

export interface ErrorReasonDoc {
  /** The error code the reason comes with (`extensions.code`, REST `error`). */
  readonly code: ErrorCode;
  /** When the API answers with it. */
  readonly when: string;
  /** What the client (or the person using it) should do. */
  readonly whatToDo: string;
}

export const ERROR_REASONS = {
  // --- UNAUTHENTICATED: who is calling ------------------------------------------------------------
  SIGN_IN_REQUIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The request carries no session and no API key, for an operation that needs one (introspection included).",
    whatToDo: "Sign in (signIn, or the web app's cookies) or send an API key: Authorization: Bearer atr_….",
  },
  TOKEN_EXPIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The access token has expired (over WebSocket: close code 4419 with this reason).",
    whatToDo: "Call refreshSession, then retry the request (or reconnect) with the new token.",
  },
  TOKEN_INVALID: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The access token (or the /metrics token) is malformed, forged or signed with another secret.",
    whatToDo: "Sign in again for a new token; for /metrics, send the configured METRICS_TOKEN.",
  },
  TOKEN_REQUIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "GET /metrics without a bearer token while METRICS_TOKEN is set.",
    whatToDo: "Send `Authorization: Bearer` followed by the METRICS_TOKEN value.",
  },
  SESSION_REVOKED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The session behind the token has ended (signed out, or revoked from another device or by an account change).",
    whatToDo: "Sign in again.",
  },
  CSRF_TOKEN_INVALID: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "A request authenticated by the session cookie lacks the x-csrf-token header matching the atrium_csrf cookie.",
    whatToDo: "Send the atrium_csrf cookie's value in the x-csrf-token header (the web app does this for you).",
  },
  API_KEY_REQUIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "An API-key-only operation (e.g. submitLead) was called without any credentials.",
    whatToDo: "Send an API key of the workspace: Authorization: Bearer atr_….",
  },
  API_KEY_INVALID: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The API key is unknown, its secret does not match, or it belongs to another environment.",
    whatToDo: "Check the key you send; create a new one if it was lost.",
  },
  API_KEY_REVOKED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The API key was revoked.",
    whatToDo: "Create a new API key (createApiKey) and use it instead.",
  },
  API_KEY_EXPIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The API key has passed its expiresAt.",
    whatToDo: "Create a new API key (createApiKey) and use it instead.",
  },
  API_KEY_CREATOR_GONE: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The member who created the API key no longer has an account.",
    whatToDo: "Ask a current member with apikey.manage to create a new key.",
  },
  INVALID_CREDENTIALS: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "Sign-in with a wrong e-mail or password, or an account that is disabled or no longer verified.",
    whatToDo: "Check the e-mail and password and try again, or ask for a password reset (requestPasswordReset).",
  },
  SECOND_FACTOR_REQUIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "signIn with the right password for an account with an authenticator app; `extensions.challenge` is included.",
    whatToDo: "Call completeSignIn with the challenge and a 6-digit code (or a recovery code) within 5 minutes.",
  },
  SIGN_IN_CHALLENGE_EXPIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "completeSignIn with a challenge that has expired (5 minutes), was already used, or had too many wrong codes.",
    whatToDo: "Sign in again with the password for a new challenge.",
  },
  REFRESH_TOKEN_INVALID: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "refreshSession with a refresh token that is unknown, expired or belongs to an ended session.",
    whatToDo: "Sign in again.",
  },
  REFRESH_TOKEN_REUSED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "A refresh token that was already rotated is presented again: the session is ended in case it was stolen.",
    whatToDo: "Sign in again; use each refresh token once and keep only the newest.",
  },
  IDLE_TIMEOUT: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "The session was idle for more than 15 minutes while using a production workspace, and has been ended.",
    whatToDo: "Sign in again.",
  },
  SSO_REQUIRED: {
    code: ErrorCode.UNAUTHENTICATED,
    when: "Password sign-in for an address whose domain requires single sign-on.",
    whatToDo: "Sign in with SSO (signInMethod tells which addresses must).",
  },

  // --- FORBIDDEN -----------------------------------------------------------------------------------
  REGISTRATION_CLOSED: {
    code: ErrorCode.FORBIDDEN,
    when: "signUp while the platform's registration mode is CLOSED.",
    whatToDo: "Ask the platform administrator for an account; nothing else works while registration is closed.",
  },
  REGISTRATION_INVITATION_ONLY: {
    code: ErrorCode.FORBIDDEN,
    when: "signUp without an invitation token while registration is INVITATION_ONLY.",
    whatToDo: "Sign up through the link in your invitation.",
  },
  REGISTRATION_DOMAIN_NOT_ALLOWED: {
    code: ErrorCode.FORBIDDEN,
    when: "signUp with an address outside the allowed domains while registration is ALLOWED_DOMAINS.",
    whatToDo: "Use an address of an allowed domain, or ask for an invitation.",
  },
  INVITATION_FOR_ANOTHER_ACCOUNT: {
    code: ErrorCode.FORBIDDEN,
    when: "acceptInvitation by a signed-in user whose e-mail is not the invited one.",
    whatToDo: "Sign in with the invited address, then accept again.",
  },
  SIGNED_IN_ONLY: {
    code: ErrorCode.FORBIDDEN,
    when: "An API key subscribes to something that belongs to a signed-in member (their notifications).",
    whatToDo: "Subscribe with a signed-in member's session instead of an API key.",
  },
  LOOPBACK_ONLY: {
    code: ErrorCode.FORBIDDEN,
    when: "GET /dev/mailbox from another machine than the API's (development only).",
    whatToDo: "Call it from the machine the API runs on.",
  },
  ORIGIN_NOT_ALLOWED: {
    code: ErrorCode.FORBIDDEN,
    when: "A WebSocket connection from a browser Origin that is not the web app's (close code 4403).",
    whatToDo:
      'Connect from the web app\'s origin, or send `connectionParams.authorization: "Bearer <token>"` instead of cookies.',
  },

  // --- BAD_USER_INPUT: the request or its input ---------------------------------------------------
  PASSWORD_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "verifyEmail without a password on an account's first verification when the account has none yet; the link stays usable.",
    whatToDo: "Call verifyEmail again with the same token and a password.",
  },
  WEAK_PASSWORD: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A new password that is too easy to guess; `extensions.feedback` holds a warning and suggestions.",
    whatToDo: "Show the feedback and ask for a stronger password; a reset link stays usable.",
  },
  WRONG_PASSWORD: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "changePassword, requestEmailChange or deleteAccount with a current password that is not the account's.",
    whatToDo: "Ask for the current password again (the field named in `extensions.fields`).",
  },
  INVALID_LINK: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A password-reset or e-mail-change token that is unknown, already used or expired.",
    whatToDo: "Ask for a new link (requestPasswordReset or requestEmailChange).",
  },
  INVITATION_USED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "acceptInvitation with an invitation that was already accepted.",
    whatToDo: "Sign in: the membership already exists; ask for a new invitation if it was someone else.",
  },
  INVITATION_REVOKED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "acceptInvitation with an invitation the workspace revoked.",
    whatToDo: "Ask the workspace for a new invitation.",
  },
  INVITATION_EXPIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "acceptInvitation with an invitation older than 7 days.",
    whatToDo: "Ask the workspace to resend it (resendInvitation).",
  },
  CONFIRMATION_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "changeEnvironment without confirm: true while the move has compliance warnings.",
    whatToDo: "Show previewEnvironmentChange's warnings, then call again with confirm: true.",
  },
  TEST_CHAT_UNAVAILABLE: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "testAgentChat on a server where the integrations or providers are not set up.",
    whatToDo: "Nothing in the request: the test chat is not available on this server.",
  },
  OPENAI_NOT_CONFIGURED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "testAgentChat before the workspace's OpenAI card is saved.",
    whatToDo: "Connect OpenAI in Settings → Integrations (setIntegration), then try again.",
  },
  PROVIDER_REFUSED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "OpenAI refused the test chat's request (e.g. an invalid key or model); the message gives OpenAI's answer.",
    whatToDo: "Fix the OpenAI card (key, model) and try again.",
  },
  CONTACT_OPTED_OUT: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A message or campaign test to a contact who opted out of WhatsApp messages (and has not written since).",
    whatToDo: "Do not message this contact until they write again.",
  },
  WHATSAPP_WINDOW_CLOSED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A free-text WhatsApp reply more than 24 hours after the contact's last message.",
    whatToDo: "Send an approved template instead (sendTemplateMessage).",
  },
  ENCRYPTION_KEY_MISSING: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "Saving a secret (integration, webhook, SSO) on a server without INTEGRATIONS_ENCRYPTION_KEY.",
    whatToDo: "Ask the platform operator to set INTEGRATIONS_ENCRYPTION_KEY; nothing can be saved until then.",
  },
  WRONG_CHANNEL: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "setIntegration with a provider for the other channel (Twilio on a voice workspace, Vapi on a WhatsApp one).",
    whatToDo: "Configure the provider that matches the workspace's channel.",
  },
  SSO_NOT_CONNECTED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "Adding an SSO domain before an identity provider is connected.",
    whatToDo: "Connect the provider first (connectSsoProvider or connectPlatformSsoProvider).",
  },
  DOMAIN_NOT_VERIFIED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "Requiring single sign-on for a domain that is not verified yet.",
    whatToDo: "Publish the TXT record and verify the domain first (verifySsoDomain).",
  },
  PROVIDER_UNREACHABLE: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "Connecting an SSO provider whose discovery document (`<issuer>/.well-known/openid-configuration`) cannot be read.",
    whatToDo: "Check the issuer URL and that the provider is reachable from the server, then try again.",
  },
  FIRST_AND_LAST: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A connection was asked for both `first` and `last`.",
    whatToDo: "Page forwards with first/after, or backwards with last/before.",
  },
  MIXED_DIRECTIONS: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A connection was given a cursor for the other direction: `after` with `last` or `before`, or `before` with `first`.",
    whatToDo: "Forwards: first + pageInfo.endCursor as after. Backwards: last + pageInfo.startCursor as before.",
  },
  CURSOR_ORDER_MISMATCH: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "`after` is a cursor made under another orderBy than the request's.",
    whatToDo: "Ask for the first page again (no `after`) with the new order.",
  },
  COST_LIMIT: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The operation's estimated cost is over the server's limit; `extensions.cost` and `extensions.limit` give both.",
    whatToDo: "Ask for smaller pages (first) or fewer nested fields.",
  },
  MAX_TOKENS: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The GraphQL document has more tokens than the server accepts.",
    whatToDo: "Send a smaller document: fewer fields, fragments or aliases.",
  },
  GRAPHQL_PARSE_FAILED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The GraphQL document is not valid GraphQL syntax.",
    whatToDo: "Fix the document's syntax (the message says where).",
  },
  GRAPHQL_VALIDATION_FAILED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The document does not match the schema (unknown field, wrong argument type…), or asks for an operation type the API lacks.",
    whatToDo: "Fix the document against schema.graphql (the message names the problem).",
  },
  BAD_REQUEST: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The HTTP request is malformed for GraphQL: no query, a bad persisted-query extension, wrong variables shape.",
    whatToDo: "Send a POST with JSON {query, variables, operationName}, or a valid persisted-query hash.",
  },
  UNKNOWN_OPERATION_NAME: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "operationName names no operation of the document.",
    whatToDo: "Send the name of one of the document's operations.",
  },
  OPERATION_NAME_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The document holds several operations and operationName is missing.",
    whatToDo: "Name the operation to run in operationName.",
  },
  SUBSCRIPTION_OVER_HTTP: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A subscription sent over HTTP.",
    whatToDo: "Subscribe over WebSocket at /graphql with the graphql-ws protocol.",
  },
  SUBSCRIPTIONS_ONLY: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A query or mutation sent over the WebSocket.",
    whatToDo: "Send queries and mutations over HTTP (POST /graphql).",
  },
  TOO_MANY_SUBSCRIPTIONS: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "A WebSocket connection already runs the maximum number of subscriptions.",
    whatToDo: "Complete a subscription before starting another, or open another connection.",
  },
  CTP_INVALID_JSON_BODY: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "REST or GraphQL over HTTP: the request body is not valid JSON.",
    whatToDo: "Send a valid JSON body.",
  },
  CTP_EMPTY_JSON_BODY: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The request says Content-Type: application/json but has an empty body.",
    whatToDo: "Send a JSON body, or leave out the content type.",
  },
  CTP_BODY_TOO_LARGE: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The request body is over the server's size limit (HTTP 413).",
    whatToDo: "Send a smaller body (e.g. split a contact import).",
  },
  CTP_INVALID_MEDIA_TYPE: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The request's content type is not accepted by this endpoint (HTTP 415).",
    whatToDo: "Send application/json (or the type the endpoint documents).",
  },
  CTP_INVALID_CONTENT_LENGTH: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The Content-Length header does not match the body.",
    whatToDo: "Let the HTTP client set Content-Length.",
  },
  CTP_INVALID_TYPE: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The Content-Type header is malformed.",
    whatToDo: "Send a well-formed Content-Type, e.g. application/json.",
  },
  CTP_EMPTY_TYPE: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The Content-Type header is empty.",
    whatToDo: "Send a Content-Type, e.g. application/json.",
  },
  BAD_URL: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The request URL cannot be decoded.",
    whatToDo: "Percent-encode the URL correctly.",
  },
  ASYNC_CONSTRAINT: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "The server could not route the request (a routing constraint failed).",
    whatToDo: "Check the method, path and host of the request.",
  },

  INVALID_DOCUMENT: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "registerPersistedDocument: the document is empty, does not parse, holds no operation or something other than operations and fragments, is not valid against the schema, or its name breaks the naming rule (`fields` names which).",
    whatToDo:
      "Fix the document (run it once in the playground to see the schema's own errors) or the name, and register it again.",
  },
  SUBSCRIPTION_NOT_PERSISTED: {
    code: ErrorCode.BAD_USER_INPUT,
    when: "registerPersistedDocument was given a subscription: only queries and mutations are persisted.",
    whatToDo: "Send subscriptions over WebSocket with their text; register the queries and mutations.",
  },

  // --- CONFLICT ------------------------------------------------------------------------------------
  CONCURRENT_UPDATE: {
    code: ErrorCode.CONFLICT,
    when: "Another change to the same data happened at the same time (a unique value taken, a referenced row removed, a serialization failure).",
    whatToDo: "Reload the data and try again.",
  },
  ACCESS_CHANGED: {
    code: ErrorCode.CONFLICT,
    when: "The caller's role, policies or membership changed while the request ran.",
    whatToDo: "Retry the request; it runs with the new access.",
  },
  SOLE_OWNER: {
    code: ErrorCode.CONFLICT,
    when: "deleteAccount while the user is the only owner of workspaces; `extensions.workspaces` lists them.",
    whatToDo: "Transfer ownership of (or delete) each listed workspace, then try again.",
  },
  IMPORT_PLAN_CHANGED: {
    code: ErrorCode.CONFLICT,
    when: "importContacts with an expectedPlanId while the contacts changed since that preview; nothing was imported.",
    whatToDo: "Run the preview (dryRun) again, review it, and import with its new planId.",
  },
  IMPORT_CHUNK_DIFFERS: {
    code: ErrorCode.CONFLICT,
    when: "importContacts with an importId and chunk number already committed with other rows or another conflict mode; nothing was imported.",
    whatToDo: "Send each chunk of a file with the rows it was first sent with; start another file with a new importId.",
  },
  PROVIDER_ERROR: {
    code: ErrorCode.CONFLICT,
    when: "Cal.com did not accept a booking change (cancel, reschedule); the message gives Cal.com's answer.",
    whatToDo: "Fix what Cal.com reports (e.g. a slot no longer free) and try again.",
  },
  DOMAIN_CLAIMED_BY_WORKSPACE: {
    code: ErrorCode.CONFLICT,
    when: "The platform claims an SSO domain a workspace has verified for itself.",
    whatToDo: "Ask that workspace's owner to remove the domain first.",
  },
  DOMAIN_CLAIMED_BY_PLATFORM: {
    code: ErrorCode.CONFLICT,
    when: "A workspace claims an SSO domain the platform has verified.",
    whatToDo: "Ask the platform administrator to remove the domain first.",
  },

  DOCUMENT_ALREADY_REGISTERED: {
    code: ErrorCode.CONFLICT,
    when: "registerPersistedDocument: the workspace registered the same text (the same SHA-256) under another name.",
    whatToDo:
      "Use the existing document's id (persistedDocuments lists it), or delete it first to register it under the new name.",
  },
  DOCUMENT_LIMIT_REACHED: {
    code: ErrorCode.CONFLICT,
    when: "registerPersistedDocument: the workspace holds the most persisted documents it may (200).",
    whatToDo: "Delete documents no integration uses any more (deletePersistedDocument), then register again.",
  },

  // --- STEP_UP_REQUIRED ----------------------------------------------------------------------------
  FACTOR_CHANGE: {
    code: ErrorCode.STEP_UP_REQUIRED,
    when: "Changing second factors (authenticator app, recovery codes, passkeys) without a recent second-factor verification.",
    whatToDo: "Verify with the current second factor (verifyStepUp or verifyPasskeyStepUp), then retry.",
  },
  ACCOUNT_CHANGE: {
    code: ErrorCode.STEP_UP_REQUIRED,
    when: "Changing the password or e-mail while a workspace of the user requires step-up and no recent verification exists.",
    whatToDo: "Verify with a second factor (verifyStepUp or verifyPasskeyStepUp), then retry.",
  },

  // --- RATE_LIMITED --------------------------------------------------------------------------------
  TOO_MANY_CONNECTIONS: {
    code: ErrorCode.RATE_LIMITED,
    when: "Too many WebSocket connections for one user, API key or IP address (close code 4429).",
    whatToDo: "Close unused connections; run several subscriptions over one connection.",
  },

  // --- PERSISTED_QUERY_NOT_FOUND -------------------------------------------------------------------
  PERSISTED_ONLY: {
    code: ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    when: "An API key limited to persisted operations sends a document that is neither in the platform manifest nor (over HTTP) registered by its workspace; over WebSocket only the platform manifest's subscriptions are admitted.",
    whatToDo:
      "Send a persisted operation's id (`documentId` or APQ's hash), register the document (registerPersistedDocument), or use a key without persistedOnly.",
  },

  // --- SERVICE_UNAVAILABLE: retry later ------------------------------------------------------------
  DEADLINE_EXCEEDED: {
    code: ErrorCode.SERVICE_UNAVAILABLE,
    when: "The request ran past its deadline and was stopped (its transaction rolled back); Retry-After is set.",
    whatToDo: "Retry after `retryAfterSeconds`; ask for less (smaller pages) if it keeps happening.",
  },
  PROVIDER_UNAVAILABLE: {
    code: ErrorCode.SERVICE_UNAVAILABLE,
    when: "OpenAI did not answer the test chat (timeout, outage, rate limit).",
    whatToDo: "Retry after `retryAfterSeconds`.",
  },
  LIVE_BACKLOG: {
    code: ErrorCode.SERVICE_UNAVAILABLE,
    when: "A subscription fell too far behind its events and was ended.",
    whatToDo: "Subscribe again and refetch the data it covers.",
  },
  LIVE_INTERRUPTED: {
    code: ErrorCode.SERVICE_UNAVAILABLE,
    when: "The live event stream had a gap (e.g. the server's database listener reconnected); events may have been missed.",
    whatToDo: "Subscribe again and refetch the data it covers.",
  },
} as const satisfies Record<string, ErrorReasonDoc>;

export type ErrorReason = keyof typeof ERROR_REASONS;

/** Every reason, grouped by code in the Contract's code order, then in the list's order. */
export const ERROR_REASON_LIST: readonly (ErrorReasonDoc & { reason: ErrorReason })[] = Object.freeze(
  Object.values(ErrorCode).flatMap((code) =>
    (Object.entries(ERROR_REASONS) as [ErrorReason, ErrorReasonDoc][])
      .filter(([, doc]) => doc.code === code)
      .map(([reason, doc]) => ({ reason, ...doc })),
  ),
);

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === "string" && Object.hasOwn(ERROR_REASONS, value);
}
