/**
 * What the command palette and the navigation shortcuts offer (issue 48): the pages the viewer
 * may open — the workspace's sections by its ability, the account pages, platform admin for
 * admins — and the common actions, each to the page with its existing UI.
 */
import { type TFunction } from "i18next";

import { type AppAbility } from "@atrium/policies";

import { sectionLabel, visibleSections, type WorkspaceSectionPath } from "./workspace-sections.ts";

export interface ShellPage {
  readonly id: string;
  /** In the current language. */
  readonly label: string;
  readonly to: string;
  /** The group's id; shown as the workspaces namespace's `palette.groups.<group>`. */
  readonly group: "Workspace" | "Account" | "Atrium";
  readonly section?: WorkspaceSectionPath;
}

export interface ShellAction {
  readonly id: string;
  /** In the current language. */
  readonly label: string;
  readonly to: string;
  /**
   * The page's own button that opens the form for it (clicked once the page shows it), by its
   * English text; a button reading the action's (translated) label is clicked too.
   */
  readonly opens: RegExp;
}

/** Navigation sequences: "g" then the letter; only for sections the viewer may open. */
export const SECTION_KEYS: Readonly<Partial<Record<WorkspaceSectionPath | "overview", string>>> = {
  overview: "h",
  leads: "l",
  contacts: "c",
  conversations: "i",
  review: "r",
  bookings: "b",
  campaigns: "m",
  analytics: "a",
  members: "u",
  settings: "s",
};

export function shellPages(
  slug: string | undefined,
  ability: AppAbility,
  admin: boolean,
  t: TFunction<"workspaces">,
): ShellPage[] {
  const pages: ShellPage[] = [];
  if (slug !== undefined) {
    pages.push({ id: "overview", label: t("pages.overview"), to: `/w/${slug}`, group: "Workspace" });
    for (const section of visibleSections(ability))
      pages.push({
        id: section.path,
        label: sectionLabel(section.path, t),
        to: `/w/${slug}/${section.path}`,
        group: "Workspace",
        section: section.path,
      });
  }
  pages.push(
    { id: "workspaces", label: t("pages.workspaces"), to: "/", group: "Atrium" },
    { id: "new-workspace", label: t("pages.newWorkspace"), to: "/workspaces/new", group: "Atrium" },
    {
      id: "playground",
      label: t("pages.playground"),
      to: slug === undefined ? "/playground" : `/playground?workspace=${encodeURIComponent(slug)}`,
      group: "Atrium",
    },
    { id: "security", label: t("pages.security"), to: "/account/security", group: "Account" },
    { id: "sessions", label: t("pages.sessions"), to: "/account/sessions", group: "Account" },
  );
  if (admin) pages.push({ id: "admin", label: t("pages.admin"), to: "/admin/users", group: "Atrium" });
  return pages;
}

export function shellActions(slug: string | undefined, ability: AppAbility, t: TFunction<"workspaces">): ShellAction[] {
  if (slug === undefined) return [];
  const actions: ShellAction[] = [];
  if (ability.can("create", "Campaign"))
    actions.push({
      id: "new-campaign",
      label: t("actions.newCampaign"),
      to: `/w/${slug}/campaigns`,
      opens: /^(New campaign|Write the first campaign)$/,
    });
  if (ability.can("create", "Invitation"))
    actions.push({
      id: "invite-member",
      label: t("actions.inviteMember"),
      to: `/w/${slug}/members`,
      opens: /^Invite member$/,
    });
  if (ability.can("manage", "ApiKey") || ability.can("create", "ApiKey"))
    actions.push({
      id: "create-api-key",
      label: t("actions.createApiKey"),
      to: `/w/${slug}/api-keys`,
      opens: /^Create (an |your first )?API key$/,
    });
  return actions;
}
