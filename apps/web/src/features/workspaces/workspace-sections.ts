/**
 * The sections of a workspace and who sees them. A section is listed only when the ability
 * allows its main action; the rules mirror the resolver guards of the API (SPEC M1, M2).
 */
import { type TFunction } from "i18next";

import { type AppAbility } from "@atrium/policies";

export type WorkspaceSectionPath =
  | "leads"
  | "contacts"
  | "conversations"
  | "review"
  | "bookings"
  | "campaigns"
  | "analytics"
  | "phone-numbers"
  | "webhooks"
  | "safety"
  | "usage"
  | "members"
  | "api-keys"
  | "settings"
  | "audit-log";

export interface WorkspaceSection {
  readonly path: WorkspaceSectionPath;
  /**
   * The English name (routes/ still reads it). What the shell shows is the workspaces
   * namespace's `sections.<path>` (`sectionLabel`), whose English equals this.
   */
  readonly label: string;
  readonly allowed: (ability: AppAbility) => boolean;
  /** The check behind `allowed`, in CASL names: what "Why can't I?" asks the API about. */
  readonly need: { readonly action: string; readonly subject: string };
}

export const WORKSPACE_SECTIONS: readonly WorkspaceSection[] = [
  {
    path: "leads",
    label: "Leads",
    allowed: (ability) => ability.can("read", "Lead"),
    need: { action: "read", subject: "Lead" },
  },
  {
    path: "contacts",
    label: "Contacts",
    allowed: (ability) => ability.can("read", "Contact"),
    need: { action: "read", subject: "Contact" },
  },
  // Issue 47: the inbox and the operator's console (/conversations/:id opens a conversation in it).
  {
    path: "conversations",
    label: "Inbox",
    allowed: (ability) => ability.can("read", "Conversation"),
    need: { action: "read", subject: "Conversation" },
  },
  {
    path: "review",
    label: "Review",
    allowed: (ability) => ability.can("read", "ReviewItem"),
    need: { action: "read", subject: "ReviewItem" },
  },
  // Bookings belong to leads (lead.read to see them, lead.manage to move or cancel them).
  {
    path: "bookings",
    label: "Bookings",
    allowed: (ability) => ability.can("read", "Lead"),
    need: { action: "read", subject: "Lead" },
  },
  {
    path: "campaigns",
    label: "Campaigns",
    allowed: (ability) => ability.can("read", "Campaign"),
    need: { action: "read", subject: "Campaign" },
  },
  // Analytics count leads (lead.read), like the API's guard.
  {
    path: "analytics",
    label: "Analytics",
    allowed: (ability) => ability.can("read", "Lead"),
    need: { action: "read", subject: "Lead" },
  },
  {
    path: "phone-numbers",
    label: "Phone numbers",
    allowed: (ability) => ability.can("read", "PhoneConfig"),
    need: { action: "read", subject: "PhoneConfig" },
  },
  {
    path: "webhooks",
    label: "Webhooks",
    allowed: (ability) => ability.can("read", "Webhook"),
    need: { action: "read", subject: "Webhook" },
  },
  // safety.manage grants create/read/update/delete; reading alone may come from a narrower grant.
  {
    path: "safety",
    label: "Safety rules",
    allowed: (ability) => ability.can("read", "SafetyRule") || ability.can("create", "SafetyRule"),
    need: { action: "read", subject: "SafetyRule" },
  },
  {
    path: "usage",
    label: "Usage and plan",
    allowed: (ability) => ability.can("read", "Billing"),
    need: { action: "read", subject: "Billing" },
  },
  {
    path: "members",
    label: "Members",
    allowed: (ability) => ability.can("read", "Member"),
    need: { action: "read", subject: "Member" },
  },
  {
    path: "api-keys",
    label: "API keys",
    // @atrium/policies never grants CASL's wildcard `manage`; `apikey.manage` grants `create`.
    allowed: (ability) => ability.can("manage", "ApiKey") || ability.can("create", "ApiKey"),
    need: { action: "create", subject: "ApiKey" },
  },
  {
    path: "settings",
    label: "Settings",
    allowed: (ability) => ability.can("update", "Workspace"),
    need: { action: "update", subject: "Workspace" },
  },
  {
    path: "audit-log",
    label: "Audit log",
    allowed: (ability) => ability.can("read", "AuditEvent"),
    need: { action: "read", subject: "AuditEvent" },
  },
];

/** A section's name in the current language. */
export function sectionLabel(path: WorkspaceSectionPath, t: TFunction<"workspaces">): string {
  return t(`sections.${path}`);
}

export function visibleSections(ability: AppAbility): WorkspaceSection[] {
  return WORKSPACE_SECTIONS.filter((section) => section.allowed(ability));
}

export function findSection(path: WorkspaceSectionPath): WorkspaceSection {
  const section = WORKSPACE_SECTIONS.find((candidate) => candidate.path === path);
  if (section === undefined) throw new Error(`Unknown workspace section ${path}`);
  return section;
}
