import { AdminUsers } from "../features/admin/admin-users.tsx";
import { RegistrationSettingsForm } from "../features/admin/registration-settings.tsx";
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
