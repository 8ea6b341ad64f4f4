import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import * as z from "zod/mini";

import { newPassword, PASSWORD_MIN } from "@atrium/validation";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { FormActions, TextField } from "../../platform/ui/index.ts";
import { VerifyEmailAndSignInDocument } from "./operations.ts";

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
  const { t } = useTranslation("auth");
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
        setLinkError({ code: "BAD_USER_INPUT", message: t("verify.invalidLink"), fields: {} });
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
        setLinkError({ ...error, message: t("verify.invalidLink") });
        setState("invalid");
        return;
      }
      form.failed(error, FIELDS);
    }
  };

  if (token === "") {
    return <p role="alert">{t("verify.noToken")}</p>;
  }
  if (state === "signed-in") {
    return (
      <div className="confirmation" role="status">
        <p>{t("verify.signedIn")}</p>
        <Link className="button button--primary" to="/">
          {t("verify.continue")}
        </Link>
      </div>
    );
  }
  if (state === "verified") {
    return (
      <div className="confirmation" role="status">
        <p>{t("verify.verified")}</p>
        <Link className="button button--primary" to="/signin">
          {t("verify.signIn")}
        </Link>
      </div>
    );
  }
  if (state === "invalid") {
    return (
      <>
        <ErrorBanner error={linkError} />
        <p>
          <Link to="/signin">{t("verify.goToSignIn")}</Link>
        </p>
      </>
    );
  }
  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      <p>{t("verify.intro")}</p>
      <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
      <TextField
        label={t("verify.password")}
        hint={t("verify.passwordHint", { min: PASSWORD_MIN })}
        error={errors.password?.message}
        type="password"
        autoComplete="new-password"
        required
        {...form.register("password")}
      />
      <FormActions submitLabel={t("verify.submit")} pending={loading} pendingLabel={t("verify.pending")} />
    </form>
  );
}
