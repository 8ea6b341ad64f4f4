import { CreateWorkspaceForm } from "../features/workspaces/create-workspace-form.tsx";
import { Page } from "../platform/layout.tsx";

export function NewWorkspacePage() {
  return (
    <Page title="Create a workspace" narrow>
      <CreateWorkspaceForm />
    </Page>
  );
}
