import { useTranslation } from "react-i18next";

import { AcceptInvitation } from "../features/invitations/accept-invitation.tsx";
import { Page } from "../platform/page.tsx";

export function AcceptInvitationPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.acceptInvitation")} narrow>
      <AcceptInvitation />
    </Page>
  );
}
