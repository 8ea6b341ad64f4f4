/**
 * /forgot-password (issue 49): asks for the address and always answers the same way — the API
 * never says whether an account has it (decision 0038). The link in the mail opens
 * /reset-password and works once, for 30 minutes.
 */
import { useMutation } from "@apollo/client/react";
import { type ForgotPasswordForm, forgotPasswordForm } from "@atrium/validation";
import { useState } from "react";
import { Link } from "react-router";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Page } from "../../platform/page.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { RequestPasswordResetDocument } from "./operations.ts";

const FIELDS = ["email"] as const;

export function ForgotPasswordPage() {
  const [request, { loading }] = useMutation(RequestPasswordResetDocument);
  const form = useSchemaForm(forgotPasswordForm, { email: "" });
  const { errors } = form.formState;
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);

  const onSubmit = async ({ email }: ForgotPasswordForm) => {
    form.clearServerError();
    try {
      await request({ variables: { email } });
      setSentTo(email);
    } catch (caught) {
      form.failed(describeError(caught, { RATE_LIMITED: "Too many reset requests. Wait a few minutes, then try again." }), FIELDS);
    }
  };

  return (
    <Page title="Reset your password" narrow>
      {sentTo !== undefined ? (
        <div className="confirmation stack" role="status">
          <p>
            If an account uses <strong>{sentTo}</strong>, we have sent it a link to choose a new password. The link works once, for 30
            minutes.
          </p>
          <p className="muted">No mail? Check your spam folder, or make sure you typed the address you signed up with.</p>
          <DevMailboxLink email={sentTo} />
          <p>
            <Link to="/signin">Back to sign in</Link>
          </p>
        </div>
      ) : (
        <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
          <p>Enter the e-mail address of your account. We'll send you a link to choose a new password.</p>
          <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
          <Field label="Email" error={errors.email?.message}>
            {(control) => <input {...control} type="email" autoComplete="email" required {...form.register("email", { setValueAs: trimmed })} />}
          </Field>
          <FormActions submitLabel="Send reset link" pending={loading} pendingLabel="Sending…" />
          <p className="muted">
            Remembered it? <Link to="/signin">Sign in</Link>
          </p>
        </form>
      )}
    </Page>
  );
}
