/**
 * Single sign-on (issue 49, decision 0039): the provider form and the e-mail domain a workspace
 * claims, in the API's words. The API checks the same schemas on arrival.
 */
import * as z from "zod/mini";

export const SSO_MESSAGES = {
  issuerInvalid:
    "Enter the issuer URL, e.g. https://login.example.com (its discovery document is at /.well-known/openid-configuration).",
  issuerScheme: "The issuer URL must start with https:// (http:// only for a local test provider).",
  issuerCredentials: "Leave credentials out of the issuer URL.",
  issuerQuery: "An issuer URL has no query or fragment.",
  clientIdRequired: "Enter the client ID your provider gave Atrium.",
  clientIdLength: "Client IDs are at most 255 characters.",
  clientSecretLength: "Client secrets are at most 1000 characters.",
  domainInvalid: "Enter a domain such as example.com (no @, no https://).",
  presetRequired: "Choose the preset new members join with.",
} as const;

export const SSO_ISSUER_MAX = 500;

/** The first problem with an issuer URL (trimmed), short of fetching its discovery document. */
export function ssoIssuerProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (value.length === 0 || value.length > SSO_ISSUER_MAX) return SSO_MESSAGES.issuerInvalid;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return SSO_MESSAGES.issuerInvalid;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return SSO_MESSAGES.issuerScheme;
  if (url.username !== "" || url.password !== "") return SSO_MESSAGES.issuerCredentials;
  if (url.search !== "" || url.hash !== "") return SSO_MESSAGES.issuerQuery;
  return undefined;
}

export const ssoIssuerUrl = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = ssoIssuerProblem(value);
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: value });
  }),
);

export const ssoClientId = z
  .string()
  .check(z.trim(), z.minLength(1, SSO_MESSAGES.clientIdRequired), z.maxLength(255, SSO_MESSAGES.clientIdLength));

/** Left empty when the connection is edited: the stored secret stays. */
export const ssoClientSecret = z.string().check(z.maxLength(1000, SSO_MESSAGES.clientSecretLength));

const DOMAIN_RE = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A domain as stored: trimmed, lower-case, without a trailing dot. */
export function normaliseDomain(raw: string): string {
  return raw.trim().toLowerCase().replace(/\.$/, "");
}

export const ssoDomain = z.string().check(
  z.superRefine((value, ctx) => {
    if (!DOMAIN_RE.test(normaliseDomain(value)))
      ctx.issues.push({ code: "custom", message: SSO_MESSAGES.domainInvalid, input: value });
  }),
);

/** The owner's provider form. */
export const ssoConnectionForm = z.object({
  issuerUrl: ssoIssuerUrl,
  clientId: ssoClientId,
  clientSecret: ssoClientSecret,
  defaultPreset: z.string().check(z.minLength(1, SSO_MESSAGES.presetRequired)),
});
export type SsoConnectionForm = z.infer<typeof ssoConnectionForm>;

export const ssoDomainForm = z.object({ domain: ssoDomain });
export type SsoDomainForm = z.infer<typeof ssoDomainForm>;

/** The TXT record that proves a domain: its name, and the value's prefix (the token follows). */
export const ssoChallengeRecordName = (domain: string): string => `_atrium-challenge.${normaliseDomain(domain)}`;
