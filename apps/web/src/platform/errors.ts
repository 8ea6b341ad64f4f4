/**
 * Turns anything Apollo (or fetch) throws into what the user should read. The API's error
 * codes are the Contract (SPEC "Contract"); every one of them has a sentence here, and an
 * unknown code or a network failure gets a generic one — never a raw server message for
 * codes whose message is not meant for users.
 */
import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client/errors";
import i18n from "i18next";

// The Contract's codes: @atrium/validation's list, the one the API raises.
import { isErrorCode, type ErrorCode } from "@atrium/validation";

import enCommon from "../i18n/locales/en/common.json" with { type: "json" };
import { translateProblem, translateProblems } from "./problems.ts";

export interface UserFacingError {
  /** The Contract code, or "NETWORK" when the server could not be reached or answered garbage. */
  readonly code: ErrorCode | "NETWORK" | "UNKNOWN";
  readonly message: string;
  /** Per-field messages from BAD_USER_INPUT (`extensions.fields`), keyed by input field name. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Every code's sentence, in the page's language (namespace "common", `errors.<CODE>`). */
function defaultMessage(code: UserFacingError["code"]): string {
  return i18n.t(`errors.${code}`, { ns: "common" });
}

/**
 * Codes whose server message is written for the user (which field, what is wrong, what is
 * taken); for the others the server message may be technical, so ours is shown instead.
 */
const SERVER_MESSAGE_CODES: ReadonlySet<UserFacingError["code"]> = new Set(["BAD_USER_INPUT", "CONFLICT"]);

/** UNAUTHENTICATED with reason IDLE_TIMEOUT: a production workspace ended an idle session (SPEC W7). Shown translated (`idleTimeoutMessage()`); this is its English text. */
export const IDLE_TIMEOUT_MESSAGE = enCommon.errors.idleTimeout;

/** The idle-timeout sentence in the page's language. */
export function idleTimeoutMessage(): string {
  return i18n.t("errors.idleTimeout", { ns: "common" });
}

export type MessageOverrides = Partial<Record<UserFacingError["code"], string>>;

function readFields(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(value)) {
    // Accept both `slug` and `input.slug`: forms know their fields by the input's own names.
    if (typeof message === "string" && message !== "") fields[key.replace(/^input\./, "")] = message;
  }
  return fields;
}

interface FormattedError {
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

function isFormattedError(value: unknown): value is FormattedError {
  return typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string";
}

/**
 * The GraphQL errors carried by `error`: those Apollo parsed, or — when the server answered a
 * non-2xx status with a plain `application/json` body — those in the body it kept.
 */
function graphQLErrorsOf(error: unknown): readonly FormattedError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  if (ServerError.is(error)) {
    try {
      const body: unknown = JSON.parse(error.bodyText);
      const errors = typeof body === "object" && body !== null ? (body as { errors?: unknown }).errors : undefined;
      if (Array.isArray(errors)) return errors.filter(isFormattedError);
    } catch {
      // Not JSON: fall through to the status code.
    }
  }
  return [];
}

function codeFromStatus(error: unknown): ErrorCode | undefined {
  if (!ServerError.is(error)) return undefined;
  if (error.statusCode === 401) return "UNAUTHENTICATED";
  if (error.statusCode === 403) return "FORBIDDEN";
  if (error.statusCode === 429) return "RATE_LIMITED";
  if (error.statusCode === 503) return "SERVICE_UNAVAILABLE";
  if (error.statusCode >= 500) return "INTERNAL_SERVER_ERROR";
  return undefined;
}

/** The Contract code of the first GraphQL error (or of the HTTP status), if any. */
export function errorCode(error: unknown): ErrorCode | undefined {
  const code = graphQLErrorsOf(error)[0]?.extensions?.["code"];
  return isErrorCode(code) ? code : codeFromStatus(error);
}

/** One `extensions` entry of the first GraphQL error (e.g. STEP_UP_REQUIRED's lifetimeMinutes). */
export function errorExtension(error: unknown, key: string): unknown {
  return graphQLErrorsOf(error)[0]?.extensions?.[key];
}

/**
 * The finer reason of the first GraphQL error (`extensions.reason`), e.g. INVITATION_EXPIRED
 * under BAD_USER_INPUT or REGISTRATION_CLOSED under FORBIDDEN, for pages that explain it.
 */
export function errorReason(error: unknown): string | undefined {
  const reason = graphQLErrorsOf(error)[0]?.extensions?.["reason"];
  return typeof reason === "string" && reason !== "" ? reason : undefined;
}

/**
 * Describes an error for the user. `overrides` lets a form say something more precise than
 * the default for a code (e.g. sign-in: UNAUTHENTICATED means wrong email or password).
 */
export function describeError(error: unknown, overrides: MessageOverrides = {}): UserFacingError {
  const first = graphQLErrorsOf(error)[0];
  const known = errorCode(error);
  if (first !== undefined || known !== undefined) {
    const code: UserFacingError["code"] = known ?? "UNKNOWN";
    // BAD_USER_INPUT's sentences are @atrium/validation's English: shown in the page's language.
    const fields = code === "BAD_USER_INPUT" ? translateProblems(readFields(first?.extensions?.["fields"])) : {};
    const serverMessage = first?.message.trim() ?? "";
    const idle = code === "UNAUTHENTICATED" && first?.extensions?.["reason"] === "IDLE_TIMEOUT";
    const message =
      overrides[code] ??
      (idle ? idleTimeoutMessage() : undefined) ??
      (SERVER_MESSAGE_CODES.has(code) && serverMessage !== "" ? translateProblem(serverMessage) : defaultMessage(code));
    return { code, message, fields };
  }
  if (ServerError.is(error) || ServerParseError.is(error) || error instanceof TypeError) {
    return { code: "NETWORK", message: overrides.NETWORK ?? defaultMessage("NETWORK"), fields: {} };
  }
  return { code: "UNKNOWN", message: overrides.UNKNOWN ?? defaultMessage("UNKNOWN"), fields: {} };
}
