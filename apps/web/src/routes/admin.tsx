import { useTranslation } from "react-i18next";

import { AdminUsers } from "../features/admin/admin-users.tsx";
import { RegistrationSettingsForm } from "../features/admin/registration-settings.tsx";
import { AdminPlans } from "../features/usage/admin-plans.tsx";
import { Page } from "../platform/page.tsx";

export function AdminUsersPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.adminUsers")}>
      <AdminUsers />
    </Page>
  );
}

export function AdminRegistrationPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.adminRegistration")}>
      <RegistrationSettingsForm />
    </Page>
  );
}

export function AdminPlansPage() {
  const { t } = useTranslation("common");
  return (
    <Page title={t("pages.adminPlans")}>
      <AdminPlans />
    </Page>
  );
}
