import { Link } from "react-router";
import { WorkspaceList } from "../features/workspaces/workspace-list.tsx";
import { Page } from "../platform/page.tsx";

export function WorkspacesPage() {
  return (
    <Page title="Your workspaces">
      <p>
        <Link to="/workspaces/new">Create a workspace</Link>
      </p>
      <WorkspaceList />
    </Page>
  );
}
