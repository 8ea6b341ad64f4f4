/**
 * Webhook endpoints (A5): the URL rule the endpoint form checks, in the API's words. The API's
 * input checks only the length (`webhookUrlLength`); the service checks the rest after trimming
 * (and, in production, that the host resolves to a public address), answering with the same
 * sentences: so the form refuses early what the API would refuse anyway.
 */
import * as z from "zod/mini";

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_URL_MESSAGES = {
  tooLong: `At most ${WEBHOOK_URL_MAX} characters.`,
  invalid: "Enter a full URL, e.g. https://example.com/webhooks.",
  scheme: "The URL must start with https:// or http://.",
  credentials: "Leave credentials out of the URL; verify the signature instead.",
} as const;
export const WEBHOOK_EVENTS_MESSAGES = { none: "Choose at least one event." } as const;

/** What CreateWebhookEndpointInput / UpdateWebhookEndpointInput check on arrival. */
export const webhookUrlLength = z.string().check(z.maxLength(WEBHOOK_URL_MAX, WEBHOOK_URL_MESSAGES.tooLong));

/** The first problem with a webhook URL as the service judges it (trimmed), short of resolving its host. */
export function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return WEBHOOK_URL_MESSAGES.invalid;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return WEBHOOK_URL_MESSAGES.scheme;
  if (url.username !== "" || url.password !== "") return WEBHOOK_URL_MESSAGES.credentials;
  return undefined;
}

/** A webhook endpoint's URL: at most 2000 characters, a full http(s) URL without credentials. */
export const webhookUrl = webhookUrlLength.check(
  z.superRefine((value, ctx) => {
    if (value.length > WEBHOOK_URL_MAX) return;
    const problem = webhookUrlProblem(value);
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: value });
  }),
);

/** The events an endpoint subscribes to: at least one (the list is offered by the form). */
export const webhookEvents = z.array(z.string()).check(z.minLength(1, WEBHOOK_EVENTS_MESSAGES.none));
