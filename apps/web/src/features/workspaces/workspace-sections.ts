/**
 * The sections of a workspace and who sees them. A section is listed only when the ability
 * allows its main action; the rules mirror the resolver guards of the API (SPEC M1, M2).
 */
import { type AppAbility } from "@atrium/policies";

export type WorkspaceSectionPath = "leads" | "conversations" | "bookings" | "members" | "api-keys" | "settings" | "audit-log";

export interface WorkspaceSection {
  readonly path: WorkspaceSectionPath;
  readonly label: string;
  readonly allowed: (ability: AppAbility) => boolean;
}

export const WORKSPACE_SECTIONS: readonly WorkspaceSection[] = [
  { path: "leads", label: "Leads", allowed: (ability) => ability.can("read", "Lead") },
  { path: "conversations", label: "Conversations", allowed: (ability) => ability.can("read", "Conversation") },
  // Bookings belong to leads (lead.read to see them, lead.manage to move or cancel them).
  { path: "bookings", label: "Bookings", allowed: (ability) => ability.can("read", "Lead") },
  { path: "members", label: "Members", allowed: (ability) => ability.can("read", "Member") },
  {
    path: "api-keys",
    label: "API keys",
    // @atrium/policies never grants CASL's wildcard `manage`; `apikey.manage` grants `create`.
    allowed: (ability) => ability.can("manage", "ApiKey") || ability.can("create", "ApiKey"),
  },
  { path: "settings", label: "Settings", allowed: (ability) => ability.can("update", "Workspace") },
  { path: "audit-log", label: "Audit log", allowed: (ability) => ability.can("read", "AuditEvent") },
];

export function visibleSections(ability: AppAbility): WorkspaceSection[] {
  return WORKSPACE_SECTIONS.filter((section) => section.allowed(ability));
}

export function findSection(path: WorkspaceSectionPath): WorkspaceSection {
  const section = WORKSPACE_SECTIONS.find((candidate) => candidate.path === path);
  if (section === undefined) throw new Error(`Unknown workspace section ${path}`);
  return section;
}
