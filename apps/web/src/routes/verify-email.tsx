import { VerifyEmail } from "../features/auth/verify-email.tsx";
import { Page } from "../platform/page.tsx";

export function VerifyEmailPage() {
  return (
    <Page title="Verify your email" narrow>
      <VerifyEmail />
    </Page>
  );
}
