/**
 * Registration modes (SPEC M9), for the admin page and the sign-up page. The modes' names and
 * explanations are the admin page's texts ("admin" namespace, `registration.modes.*`); the
 * sign-up refusals are this folder's ("registration" namespace).
 */
import i18n from "i18next";

import { type RegistrationMode } from "../../gql/graphql.ts";

/** The registration namespace's texts, in the language current when called. */
const t = i18n.getFixedT(null, "registration");

export const REGISTRATION_MODES: readonly RegistrationMode[] = ["OPEN", "ALLOWED_DOMAINS", "INVITATION_ONLY", "CLOSED"];

/** What the sign-up page does. */
export type SignUpAvailability = "form" | "form-domains" | "needs-invitation" | "closed";

export function signUpAvailability(mode: RegistrationMode | undefined, hasInvitation: boolean): SignUpAvailability {
  switch (mode) {
    case "CLOSED":
      return "closed";
    case "INVITATION_ONLY":
      return hasInvitation ? "form" : "needs-invitation";
    case "ALLOWED_DOMAINS":
      return hasInvitation ? "form" : "form-domains";
    default:
      // OPEN, or not known yet: show the form; the API decides on submit.
      return "form";
  }
}

/** Sign-up refusals, by `extensions.reason`: each read in the page's language when it is looked up. */
export const REGISTRATION_REFUSALS: Readonly<Record<string, string>> = {
  get REGISTRATION_CLOSED() {
    return t("refusals.REGISTRATION_CLOSED");
  },
  get REGISTRATION_INVITATION_ONLY() {
    return t("refusals.REGISTRATION_INVITATION_ONLY");
  },
  get REGISTRATION_DOMAIN_NOT_ALLOWED() {
    return t("refusals.REGISTRATION_DOMAIN_NOT_ALLOWED");
  },
};

export function normaliseDomains(text: string): string[] {
  const domains = text
    .split(/[\s,;]+/)
    .map((domain) => domain.trim().toLowerCase().replace(/^@/, ""))
    .filter((domain) => domain !== "");
  return [...new Set(domains)];
}

/** A plausible domain: labels of letters, digits and inner hyphens, at least one dot. */
export function isPlausibleDomain(domain: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain);
}
