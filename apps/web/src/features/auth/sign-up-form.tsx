import { useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { SignUpDocument } from "./operations.ts";
import { ResendVerificationButton } from "./resend-verification-button.tsx";

/** Self-service sign-up (SPEC M9): the account works once the emailed link is opened. */
export function SignUpForm() {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [sentTo, setSentTo] = useState<string>();
  const [signUp, { loading }] = useMutation(SignUpDocument);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    try {
      await signUp({ variables: { input: { name: name.trim(), email: email.trim(), password } } });
      setSentTo(email.trim());
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  if (sentTo !== undefined) {
    return (
      <div className="confirmation" role="status">
        <h2>Check your email</h2>
        <p>
          We sent a verification link to <strong>{sentTo}</strong>. Open it to activate your account, then{" "}
          <Link to="/signin">sign in</Link>.
        </p>
        <DevMailboxLink email={sentTo} />
        <ResendVerificationButton email={sentTo} />
      </div>
    );
  }

  const fields = error?.fields ?? {};
  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)}>
      <ErrorBanner error={error} fieldsShown={["name", "email", "password"]} />
      <Field label="Name" error={fields["name"]}>
        {(control) => (
          <input {...control} type="text" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <Field label="Email" error={fields["email"]}>
        {(control) => (
          <input {...control} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label="Password" hint="At least 10 characters." error={fields["password"]}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? "Creating account…" : "Create account"}
        </button>
      </div>
      <p className="muted">
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </form>
  );
}
