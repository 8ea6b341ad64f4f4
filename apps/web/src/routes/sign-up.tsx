import { SignUpForm } from "../features/auth/sign-up-form.tsx";
import { Page } from "../platform/page.tsx";

export function SignUpPage() {
  return (
    <Page title="Create your account" narrow>
      <SignUpForm />
    </Page>
  );
}
