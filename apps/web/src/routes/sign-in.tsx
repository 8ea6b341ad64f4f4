import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { SignInForm } from "../features/auth/sign-in-form.tsx";
import { Page } from "../platform/page.tsx";

export function SignInPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.signIn")} narrow>
      <SignInForm />
      <p className="muted">
        <Link to="/forgot-password">{t("pages.forgotPassword")}</Link>
      </p>
    </Page>
  );
}
