/**
 * /forgot-password (issue 49): asks for the address and always answers the same way — the API
 * never says whether an account has it (decision 0038). The link in the mail opens
 * /reset-password and works once, for 30 minutes.
 */
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";

import { forgotPasswordForm, type ForgotPasswordForm } from "@atrium/validation";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Page } from "../../platform/page.tsx";
import { FormActions, TextField } from "../../platform/ui/index.ts";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { RequestPasswordResetDocument } from "./operations.ts";

const FIELDS = ["email"] as const;

export function ForgotPasswordPage() {
  const { t } = useTranslation("account");
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
      form.failed(describeError(caught, { RATE_LIMITED: t("forgot.rateLimited") }), FIELDS);
    }
  };

  return (
    <Page title={t("forgot.title")} narrow>
      {sentTo !== undefined ? (
        <div className="confirmation stack" role="status">
          <p>
            <Trans ns="account" i18nKey="forgot.sent" values={{ email: sentTo }} components={{ strong: <strong /> }} />
          </p>
          <p className="muted">{t("forgot.noMail")}</p>
          <DevMailboxLink email={sentTo} />
          <p>
            <Link to="/signin">{t("forgot.back")}</Link>
          </p>
        </div>
      ) : (
        <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
          <p>{t("forgot.intro")}</p>
          <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
          <TextField
            label={t("forgot.email")}
            error={errors.email?.message}
            type="email"
            autoComplete="email"
            required
            {...form.register("email", { setValueAs: trimmed })}
          />
          <FormActions submitLabel={t("forgot.submit")} pending={loading} pendingLabel={t("sending")} />
          <p className="muted">
            <Trans ns="account" i18nKey="forgot.remembered" components={{ anchor: <Link to="/signin" /> }} />
          </p>
        </form>
      )}
    </Page>
  );
}
