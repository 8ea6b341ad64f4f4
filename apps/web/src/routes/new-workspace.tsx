import { useTranslation } from "react-i18next";

import { CreateWorkspaceForm } from "../features/workspaces/create-workspace-form.tsx";
import { Page } from "../platform/page.tsx";

export function NewWorkspacePage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.newWorkspace")} narrow>
      <CreateWorkspaceForm />
    </Page>
  );
}
