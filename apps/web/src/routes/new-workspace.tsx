import { CreateWorkspaceForm } from "../features/workspaces/create-workspace-form.tsx";
import { Page } from "../platform/page.tsx";
import { useTranslation } from "react-i18next";

export function NewWorkspacePage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.newWorkspace")} narrow>
      <CreateWorkspaceForm />
    </Page>
  );
}
