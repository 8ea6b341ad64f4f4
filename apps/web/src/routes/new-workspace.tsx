import { CreateWorkspaceForm } from "../features/workspaces/create-workspace-form.tsx";
import { Page } from "../platform/page.tsx";

export function NewWorkspacePage() {
  return (
    <Page title="Create a workspace" narrow>
      <CreateWorkspaceForm />
    </Page>
  );
}
