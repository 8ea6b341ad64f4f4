import { useTranslation } from "react-i18next";

import { VerifyEmail } from "../features/auth/verify-email.tsx";
import { Page } from "../platform/page.tsx";

export function VerifyEmailPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.verifyEmail")} narrow>
      <VerifyEmail />
    </Page>
  );
}
