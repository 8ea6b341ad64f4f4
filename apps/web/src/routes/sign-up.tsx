import { useTranslation } from "react-i18next";

import { SignUpForm } from "../features/auth/sign-up-form.tsx";
import { Page } from "../platform/page.tsx";

export function SignUpPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.signUp")} narrow>
      <SignUpForm />
    </Page>
  );
}
