/**
 * /reset-password?token= (issue 49): the new password, typed twice. The API checks its strength
 * (zxcvbn) and answers WEAK_PASSWORD with advice, shown beside the field; the link stays usable
 * until a password is accepted. Afterwards every device is signed out, this one included: the
 * person signs in with the new password.
 */
import { useMutation } from "@apollo/client/react";
import { PASSWORD_MIN, type ResetPasswordForm, resetPasswordForm } from "@atrium/validation";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { Page } from "../../platform/page.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { ResetPasswordDocument } from "./operations.ts";

const FIELDS = ["password", "confirmPassword"] as const;
const INVALID_LINK = "This reset link is invalid, already used or expired. Ask for a new one.";

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [reset, { loading }] = useMutation(ResetPasswordDocument);
  const form = useSchemaForm(resetPasswordForm, { password: "", confirmPassword: "" });
  const { errors } = form.formState;
  const [state, setState] = useState<"form" | "done" | "invalid">("form");
  const [linkError, setLinkError] = useState<UserFacingError>();

  const onSubmit = async ({ password }: ResetPasswordForm) => {
    form.clearServerError();
    try {
      await reset({ variables: { token, password } });
      setState("done");
    } catch (caught) {
      const error = describeError(caught);
      if (error.code === "BAD_USER_INPUT" && error.fields["token"] !== undefined) {
        setLinkError({ ...error, message: INVALID_LINK });
        setState("invalid");
        return;
      }
      form.failed(error, FIELDS);
    }
  };

  let body;
  if (token === "") {
    body = (
      <p role="alert">
        This link has no reset token. Open the link from the e-mail exactly as it was sent, or <Link to="/forgot-password">ask for a new one</Link>.
      </p>
    );
  } else if (state === "done") {
    body = (
      <div className="confirmation stack" role="status">
        <p>Your password was changed, and every device that was signed in has been signed out. We've sent you a notice by e-mail.</p>
        <Link className="button button--primary" to="/signin">
          Sign in with your new password
        </Link>
      </div>
    );
  } else if (state === "invalid") {
    body = (
      <>
        <ErrorBanner error={linkError} />
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </>
    );
  } else {
    body = (
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <p>Choose a new password. A few unusual words make a strong one that is easy to remember.</p>
        <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
        <Field label="New password" hint={`At least ${PASSWORD_MIN} characters, hard to guess.`} error={errors.password?.message}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required {...form.register("password")} />}
        </Field>
        <Field label="New password again" error={errors.confirmPassword?.message}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required {...form.register("confirmPassword")} />}
        </Field>
        <FormActions submitLabel="Set new password" pending={loading} pendingLabel="Saving…" />
      </form>
    );
  }
  return (
    <Page title="Choose a new password" narrow>
      {body}
    </Page>
  );
}
