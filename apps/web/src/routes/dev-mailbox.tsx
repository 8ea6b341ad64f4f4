import { useTranslation } from "react-i18next";

import { DevMailboxView } from "../features/dev-mailbox/dev-mailbox-view.tsx";
import { Page } from "../platform/page.tsx";

export function DevMailboxPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.devMailbox")}>
      <p className="muted">{t("pages.devMailboxIntro")}</p>
      <DevMailboxView />
    </Page>
  );
}
