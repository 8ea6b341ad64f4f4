/**
 * The personal data and secrets this worker's scenarios used, for the redaction check over the
 * server's log after the run (log-scan.ts, global-setup.ts). Collected three ways:
 * - helpers and scenarios name what they hold (`rememberSecrets`: the test users, provider tokens);
 * - every page's requests (`watchForSecrets`): the string values of credential and personal fields in a GraphQL
 *   request's variables or a JSON / form body (what the suite typed into the product);
 * - every page's GraphQL answers: API key and webhook secrets, access and refresh tokens; and the
 *   session cookies of each browser context when its scenario ends.
 */
import type { BrowserContext, Request, Response } from "playwright-core";

const known = new Set<string>();

/** Field names whose string values are personal data or secrets. */
const SENSITIVE_FIELD =
  /^(?:email|emails|password|currentPassword|newPassword|phone|phones|token|refreshToken|accessToken|authToken|apiKey|secret|serverSecret|privateKey)$/i;
/** A `name` is a person's in an object that also holds an e-mail address or a phone number. */
const PERSON = /^(?:email|emails|phone|phones)$/i;
/** The same in an answer: the secrets the product hands out. */
const SECRET_IN_ANSWER = /"(?:secret|accessToken|refreshToken|token)"\s*:\s*"([^"]{8,})"/g;
const SESSION_COOKIE = /^atrium_(?:at|rt)$/;

export function rememberSecrets(...values: readonly (string | undefined)[]): void {
  for (const value of values) if (value) known.add(value);
}

/** Everything remembered so far (the worker's record, at its end). */
export function rememberedSecrets(): string[] {
  return [...known];
}

function collect(value: unknown, sensitive: boolean): void {
  if (typeof value === "string") {
    if (sensitive) known.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, sensitive);
    return;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    const person = entries.some(([key]) => PERSON.test(key));
    for (const [key, item] of entries) collect(item, SENSITIVE_FIELD.test(key) || (person && key === "name"));
  }
}

function fromRequest(request: Request): void {
  const body = request.postData();
  if (!body) return;
  const type = request.headers()["content-type"] ?? "";
  try {
    if (type.includes("application/json")) collect(JSON.parse(body), false);
    else if (type.includes("application/x-www-form-urlencoded"))
      collect(Object.fromEntries(new URLSearchParams(body)), false);
  } catch {
    // Not JSON after all: nothing to take from it.
  }
}

async function fromResponse(response: Response): Promise<void> {
  if (!new URL(response.url()).pathname.startsWith("/graphql")) return;
  const text = await response.text().catch(() => "");
  for (const match of text.matchAll(SECRET_IN_ANSWER)) if (match[1]) known.add(match[1]);
}

/** Collects from every request and GraphQL answer of every page of `context`. */
export function watchForSecrets(context: BrowserContext): void {
  context.on("request", fromRequest);
  context.on("response", (response) => void fromResponse(response));
}

/** The session cookies of a browser context (before it closes). */
export async function rememberSessionCookies(context: BrowserContext): Promise<void> {
  for (const cookie of await context.cookies().catch(() => []))
    if (SESSION_COOKIE.test(cookie.name)) known.add(cookie.value);
}
