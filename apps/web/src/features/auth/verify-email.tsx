import { useApolloClient, useMutation } from "@apollo/client/react";
import { PASSWORD_MIN, newPassword } from "@atrium/validation";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import * as z from "zod/mini";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { FormActions } from "../../platform/ui/index.ts";
import { VerifyEmailAndSignInDocument } from "./operations.ts";

const INVALID_LINK = "This verification link is invalid or has expired. Sign in to request a new one.";
const verifyEmailForm = z.object({ password: newPassword });
const FIELDS = ["password"] as const;

/**
 * /verify-email?token= — finishes signing up. Whoever opens the link holds the mailbox, but
 * whoever signed up with the address may not have: so the password is entered here (the one
 * chosen at sign-up, or a new one) and the API sets it with the verification (decision 0024).
 * The token is spent only when that succeeds, so a wrong entry can be corrected. Having proved
 * the mailbox and set the password, the person is signed in (issue 56): no second form to fill.
 * An account that still needs its second factor (or a link of an address verified already) is
 * sent to sign in instead.
 */
export function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const client = useApolloClient();
  const [verifyEmail, { loading }] = useMutation(VerifyEmailAndSignInDocument);
  const form = useSchemaForm(verifyEmailForm, { password: "" });
  const { errors } = form.formState;
  const [state, setState] = useState<"form" | "signed-in" | "verified" | "invalid">("form");
  const [linkError, setLinkError] = useState<UserFacingError>();

  const onSubmit = async ({ password }: z.output<typeof verifyEmailForm>) => {
    form.clearServerError();
    try {
      const { data } = await verifyEmail({ variables: { token, password } });
      const result = data?.verifyEmailAndSignIn;
      if (result === undefined) {
        setLinkError({ code: "BAD_USER_INPUT", message: INVALID_LINK, fields: {} });
        setState("invalid");
        return;
      }
      if (result.session != null) {
        // Nothing cached while signed out may survive the sign-in (the shell reads `me` again).
        await client.clearStore();
        setState("signed-in");
        return;
      }
      setState("verified");
    } catch (caught) {
      const error = describeError(caught);
      // The link itself is refused (used, expired, unknown): the form cannot help.
      if ((error.code === "BAD_USER_INPUT" && error.fields["token"] !== undefined) || error.code === "NOT_FOUND") {
        setLinkError({ ...error, message: INVALID_LINK });
        setState("invalid");
        return;
      }
      form.failed(error, FIELDS);
    }
  };

  if (token === "") {
    return <p role="alert">This link has no verification token. Open the link from the email exactly as it was sent.</p>;
  }
  if (state === "signed-in") {
    return (
      <div className="confirmation" role="status">
        <p>Your email address is verified. You're signed in.</p>
        <Link className="button button--primary" to="/">
          Continue to Atrium
        </Link>
      </div>
    );
  }
  if (state === "verified") {
    return (
      <div className="confirmation" role="status">
        <p>Your email address is verified.</p>
        <Link className="button button--primary" to="/signin">
          Sign in
        </Link>
      </div>
    );
  }
  if (state === "invalid") {
    return (
      <>
        <ErrorBanner error={linkError} />
        <p>
          <Link to="/signin">Go to sign in</Link>
        </p>
      </>
    );
  }
  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      <p>
        Enter your password to finish: the one you chose when you signed up, or a new one. If someone else signed up with your
        address, this password replaces theirs.
      </p>
      <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
      <Field label="Password" hint={`At least ${PASSWORD_MIN} characters.`} error={errors.password?.message}>
        {(control) => <input {...control} type="password" autoComplete="new-password" required {...form.register("password")} />}
      </Field>
      <FormActions submitLabel="Verify email" pending={loading} pendingLabel="Verifying…" />
    </form>
  );
}
