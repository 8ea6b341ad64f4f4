import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Page } from "../platform/page.tsx";

export function NotFoundPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.notFound")}>
      <p>{t("pages.notFoundText")}</p>
      <Link to="/">{t("pages.notFoundLink")}</Link>
    </Page>
  );
}
