import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

import { type DeletedWorkspaceState } from "../features/settings/danger-zone.tsx";
import { WorkspaceList } from "../features/workspaces/workspace-list.tsx";
import { Page } from "../platform/page.tsx";

function deletedWorkspace(state: unknown): string | undefined {
  const name = (state as Partial<DeletedWorkspaceState> | null)?.deletedWorkspace;
  return typeof name === "string" ? name : undefined;
}

export function WorkspacesPage() {
  const { t } = useTranslation("common");
  const deleted = deletedWorkspace(useLocation().state);
  return (
    <Page title={t("pages.workspaces")}>
      {deleted !== undefined && (
        <div className="banner banner--success" role="status" data-testid="workspace-deleted">
          {t("pages.workspaceDeleted", { name: deleted })}
        </div>
      )}
      <p>
        <Link to="/workspaces/new">{t("pages.newWorkspace")}</Link>
      </p>
      <WorkspaceList />
    </Page>
  );
}
