import { Link } from "react-router";
import { SignInForm } from "../features/auth/sign-in-form.tsx";
import { Page } from "../platform/page.tsx";

export function SignInPage() {
  return (
    <Page title="Sign in" narrow>
      <SignInForm />
      <p className="muted">
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
    </Page>
  );
}
