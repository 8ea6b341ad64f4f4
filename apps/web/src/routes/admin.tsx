import { AdminUsers } from "../features/admin/admin-users.tsx";
import { RegistrationSettingsForm } from "../features/admin/registration-settings.tsx";
import { AdminPlans } from "../features/usage/admin-plans.tsx";
import { Page } from "../platform/page.tsx";

export function AdminUsersPage() {
  return (
    <Page title="Users">
      <AdminUsers />
    </Page>
  );
}

export function AdminRegistrationPage() {
  return (
    <Page title="Registration">
      <RegistrationSettingsForm />
    </Page>
  );
}

export function AdminPlansPage() {
  return (
    <Page title="Plans">
      <AdminPlans />
    </Page>
  );
}
