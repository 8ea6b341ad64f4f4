/** Registration modes (SPEC M9): what each means, for the admin page and the sign-up page. */
import { type RegistrationMode } from "../../gql/graphql.ts";

export const REGISTRATION_MODES: readonly RegistrationMode[] = ["OPEN", "ALLOWED_DOMAINS", "INVITATION_ONLY", "CLOSED"];

export const REGISTRATION_MODE_LABELS: Record<RegistrationMode, string> = {
  OPEN: "Open",
  ALLOWED_DOMAINS: "Allowed email domains",
  INVITATION_ONLY: "Invitation only",
  CLOSED: "Closed",
};

/** For platform admins choosing a mode. */
export const REGISTRATION_MODE_EXPLANATIONS: Record<RegistrationMode, string> = {
  OPEN: "Anyone can create an account with a verified email address.",
  ALLOWED_DOMAINS:
    "Only addresses at the domains listed below can sign up by themselves. Anyone holding an invitation link can still create an account.",
  INVITATION_ONLY: "Nobody can sign up by themselves; an account can only be created from an invitation link.",
  CLOSED: "Nobody can create an account, not even from an invitation link. Existing accounts keep working.",
};

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

/** Sign-up refusals, by `extensions.reason`. */
export const REGISTRATION_REFUSALS: Readonly<Record<string, string>> = {
  REGISTRATION_CLOSED: "Registration is closed on this server. Ask an administrator for help.",
  REGISTRATION_INVITATION_ONLY:
    "Accounts can only be created from an invitation. Open the invitation link you were emailed, or ask a workspace owner to invite you.",
  REGISTRATION_DOMAIN_NOT_ALLOWED:
    "Addresses at this email domain can't sign up by themselves here. Use your work address, or ask a workspace owner to invite you.",
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
