import { useApolloClient, useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { sessionEndMessage } from "../../platform/session-end.ts";
import { safeNextPath } from "../../platform/session.tsx";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { SignInDocument } from "./operations.ts";
import { ResendVerificationButton } from "./resend-verification-button.tsx";

/** Sign-in never says whether the email exists: wrong email and wrong password read the same. */
const SIGN_IN_MESSAGES = {
  UNAUTHENTICATED: "Email or password is incorrect.",
  EMAIL_NOT_VERIFIED: "Your email address is not verified yet. Open the link we emailed you, or send a new one.",
} as const;

export function SignInForm() {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // An invitation page passes the invited address along.
  const [email, setEmail] = useState(() => params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [signIn, { loading }] = useMutation(SignInDocument);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    try {
      await signIn({ variables: { input: { email: email.trim(), password } } });
      // Nothing cached before sign-in may survive it (it belonged to no one, or to someone else).
      await client.clearStore();
      void navigate(safeNextPath(params.get("next")), { replace: true });
    } catch (caught) {
      setError(describeError(caught, SIGN_IN_MESSAGES));
    }
  };

  const fields = error?.fields ?? {};
  // Why the previous session ended (e.g. the production idle timeout), until the user signs in.
  const ended = error === undefined ? sessionEndMessage(params.get("reason")) : undefined;
  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)}>
      {ended !== undefined && (
        <div className="banner banner--notice" role="alert" data-testid="session-ended">
          {ended}
        </div>
      )}
      <ErrorBanner error={error} fieldsShown={["email", "password"]} />
      {error?.code === "EMAIL_NOT_VERIFIED" && (
        <>
          <ResendVerificationButton email={email.trim()} />
          <DevMailboxLink email={email.trim()} />
        </>
      )}
      <Field label="Email" error={fields["email"]}>
        {(control) => (
          <input {...control} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label="Password" error={fields["password"]}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? "Signing in…" : "Sign in"}
        </button>
      </div>
      <p className="muted">
        New to Atrium? <Link to="/signup">Create an account</Link>
      </p>
    </form>
  );
}
