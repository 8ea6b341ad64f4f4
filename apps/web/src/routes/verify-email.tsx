import { VerifyEmail } from "../features/auth/verify-email.tsx";
import { Page } from "../platform/page.tsx";
import { useTranslation } from "react-i18next";

export function VerifyEmailPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.verifyEmail")} narrow>
      <VerifyEmail />
    </Page>
  );
}
