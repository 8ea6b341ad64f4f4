import { Link, useLocation } from "react-router";
import { type DeletedWorkspaceState } from "../features/settings/danger-zone.tsx";
import { WorkspaceList } from "../features/workspaces/workspace-list.tsx";
import { Page } from "../platform/page.tsx";

function deletedWorkspace(state: unknown): string | undefined {
  const name = (state as Partial<DeletedWorkspaceState> | null)?.deletedWorkspace;
  return typeof name === "string" ? name : undefined;
}

export function WorkspacesPage() {
  const deleted = deletedWorkspace(useLocation().state);
  return (
    <Page title="Your workspaces">
      {deleted !== undefined && (
        <div className="banner banner--success" role="status" data-testid="workspace-deleted">
          The workspace {deleted} was deleted.
        </div>
      )}
      <p>
        <Link to="/workspaces/new">Create a workspace</Link>
      </p>
      <WorkspaceList />
    </Page>
  );
}
