import { type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { WhyCantI } from "../features/access/why-cant-i.tsx";
import { findSection, type WorkspaceSectionPath } from "../features/workspaces/workspace-sections.ts";
import { useCurrentWorkspace, type CurrentWorkspace } from "../features/workspaces/workspace-shell.tsx";
import { useAbility } from "../platform/ability.tsx";
import { Page } from "../platform/page.tsx";

/**
 * Opening a section's URL directly does not bypass the navigation rule: without the ability
 * the page says so (and the API would refuse the data anyway).
 */
function SectionGate({
  path,
  children,
}: {
  path: WorkspaceSectionPath;
  children: (workspace: CurrentWorkspace) => ReactNode;
}) {
  const { t } = useTranslation("common");
  const workspace = useCurrentWorkspace();
  const ability = useAbility();
  const section = findSection(path);
  if (!section.allowed(ability)) {
    return (
      <Page title={t(`sections.${path}`)}>
        <p role="alert">{t("sectionGate.noAccess", { section: t(`sections.${path}`).toLowerCase() })}</p>
        <WhyCantI workspaceId={workspace.id} action={section.need.action} subject={section.need.subject} />
      </Page>
    );
  }
  return children(workspace);
}

/** What a workspace page shows once its gate lets the person in. */
export type SectionContent = (
  workspace: CurrentWorkspace,
  params: Readonly<Partial<Record<string, string>>>,
) => ReactNode;

export interface SectionRouteProps {
  /** The section whose rule gates the page (a lead's page is behind the leads' gate). */
  readonly path: WorkspaceSectionPath;
  /** The page's heading: the section's name, a page title of the common namespace, or none (the content has its own). */
  readonly title: "section" | "pages.whatsAppTemplates" | null;
  readonly content: SectionContent;
}

/**
 * One page of a workspace: a section's list (/w/:slug/leads), a record (/w/:slug/leads/:id), the
 * inbox, a page of the settings. Each page's code is its own chunk, loaded beside this module by
 * routes/router.tsx (`sectionRoute`), so the leads page neither parses nor runs the inbox's code.
 */
export function SectionRoute({ path, title, content }: SectionRouteProps) {
  const { t } = useTranslation("common");
  const params = useParams();
  return (
    <SectionGate path={path}>
      {(workspace) => {
        const body = content(workspace, params);
        if (title === null) return body;
        return <Page title={title === "section" ? t(`sections.${path}`) : t(title)}>{body}</Page>;
      }}
    </SectionGate>
  );
}
