/**
 * /reset-password?token= (issue 49): the new password, typed twice. The API checks its strength
 * (zxcvbn) and answers WEAK_PASSWORD with advice, shown beside the field; the link stays usable
 * until a password is accepted. Afterwards every device is signed out, this one included: the
 * person signs in with the new password.
 */
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { PASSWORD_MIN, resetPasswordForm, type ResetPasswordForm } from "@atrium/validation";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { Page } from "../../platform/page.tsx";
import { FormActions, TextField } from "../../platform/ui/index.ts";
import { ResetPasswordDocument } from "./operations.ts";

const FIELDS = ["password", "confirmPassword"] as const;

export function ResetPasswordPage() {
  const { t } = useTranslation("account");
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
        setLinkError({ ...error, message: t("reset.invalid") });
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
        <Trans ns="account" i18nKey="reset.noToken" components={{ anchor: <Link to="/forgot-password" /> }} />
      </p>
    );
  } else if (state === "done") {
    body = (
      <div className="confirmation stack" role="status">
        <p>{t("reset.done")}</p>
        <Link className="button button--primary" to="/signin">
          {t("reset.signIn")}
        </Link>
      </div>
    );
  } else if (state === "invalid") {
    body = (
      <>
        <ErrorBanner error={linkError} />
        <p>
          <Link to="/forgot-password">{t("reset.newLink")}</Link>
        </p>
      </>
    );
  } else {
    body = (
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <p>{t("reset.intro")}</p>
        <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
        <TextField
          label={t("newPassword")}
          hint={t("newPasswordHint", { min: PASSWORD_MIN })}
          error={errors.password?.message}
          type="password"
          autoComplete="new-password"
          required
          {...form.register("password")}
        />
        <TextField
          label={t("reset.again")}
          error={errors.confirmPassword?.message}
          type="password"
          autoComplete="new-password"
          required
          {...form.register("confirmPassword")}
        />
        <FormActions submitLabel={t("reset.submit")} pending={loading} pendingLabel={t("reset.pending")} />
      </form>
    );
  }
  return (
    <Page title={t("reset.title")} narrow>
      {body}
    </Page>
  );
}
