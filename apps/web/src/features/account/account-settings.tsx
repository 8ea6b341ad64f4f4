/**
 * Account → security (issue 49): the password, the e-mail address and deleting the account, on
 * the page the user menu's "Account and security" opens. Each change asks for the current
 * password; a workspace that requires step-up makes the API answer STEP_UP_REQUIRED, which the
 * app-wide step-up prompt handles before the change goes again. Rules: @atrium/validation
 * (account.ts); the new password's strength is the API's verdict (zxcvbn), shown beside the field.
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import i18n from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import {
  changeEmailForm,
  changePasswordForm,
  DELETE_ACCOUNT_PHRASE,
  deleteAccountForm,
  PASSWORD_MIN,
  type ChangeEmailForm,
  type ChangePasswordForm,
  type DeleteAccountForm,
} from "@atrium/validation";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { useMe } from "../../platform/session.tsx";
import { Button, Dialog, FormActions, TextField } from "../../platform/ui/index.ts";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import {
  ChangePasswordDocument,
  DeleteAccountDocument,
  RequestEmailChangeDocument,
  SoleOwnedWorkspacesDocument,
} from "./operations.ts";

import "./account.css";

const PASSWORD_FIELDS = ["currentPassword", "newPassword"] as const;
const EMAIL_FIELDS = ["newEmail", "currentPassword"] as const;
const DELETE_FIELDS = ["currentPassword", "confirmation"] as const;
/** STEP_UP_REQUIRED here comes from any workspace of the user, not the one on screen (read when an error is shown). */
const messages = () => ({ STEP_UP_REQUIRED: i18n.t("stepUpForAccount", { ns: "account" }) });

/** Password and e-mail address: what a person changes about their sign-in. */
export function AccountDetailsSections() {
  return (
    <div className="settings account-details">
      <ChangePasswordSection />
      <ChangeEmailSection />
    </div>
  );
}

function ChangePasswordSection() {
  const { t } = useTranslation("account");
  const [change, { loading }] = useMutation(ChangePasswordDocument);
  const form = useSchemaForm(changePasswordForm, { currentPassword: "", newPassword: "" });
  const { errors } = form.formState;
  const [done, setDone] = useState(false);

  const onSubmit = async (values: ChangePasswordForm) => {
    form.clearServerError();
    setDone(false);
    try {
      await change({ variables: values });
      form.reset({ currentPassword: "", newPassword: "" });
      setDone(true);
    } catch (caught) {
      form.failed(describeError(caught, messages()), PASSWORD_FIELDS);
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="password-title" data-testid="account-password">
      <h2 id="password-title" className="settings-section__title">
        {t("password.title")}
      </h2>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        {done && (
          <p className="banner" role="status">
            {t("password.changed")}
          </p>
        )}
        <ErrorBanner error={form.serverError} fieldsShown={PASSWORD_FIELDS} />
        <TextField
          label={t("currentPassword")}
          error={errors.currentPassword?.message}
          type="password"
          autoComplete="current-password"
          required
          {...form.register("currentPassword")}
        />
        <TextField
          label={t("newPassword")}
          hint={t("newPasswordHint", { min: PASSWORD_MIN })}
          error={errors.newPassword?.message}
          type="password"
          autoComplete="new-password"
          required
          {...form.register("newPassword")}
        />
        <FormActions submitLabel={t("password.submit")} pending={loading} pendingLabel={t("password.pending")} />
      </form>
    </section>
  );
}

function ChangeEmailSection() {
  const { t } = useTranslation("account");
  const me = useMe();
  const [request, { loading }] = useMutation(RequestEmailChangeDocument);
  const form = useSchemaForm(changeEmailForm, { newEmail: "", currentPassword: "" });
  const { errors } = form.formState;
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);

  const onSubmit = async (values: ChangeEmailForm) => {
    form.clearServerError();
    setSentTo(undefined);
    try {
      await request({ variables: values });
      form.reset({ newEmail: "", currentPassword: "" });
      setSentTo(values.newEmail);
    } catch (caught) {
      form.failed(describeError(caught, messages()), EMAIL_FIELDS);
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="email-title" data-testid="account-email">
      <h2 id="email-title" className="settings-section__title">
        {t("email.title")}
      </h2>
      <p>
        <Trans ns="account" i18nKey="email.current" values={{ email: me.email }} components={{ strong: <strong /> }} />
      </p>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        {sentTo !== undefined && (
          <div className="banner" role="status">
            <p>
              <Trans
                ns="account"
                i18nKey="email.sent"
                values={{ newEmail: sentTo, email: me.email }}
                components={{ strong: <strong /> }}
              />
            </p>
            <DevMailboxLink email={sentTo} />
          </div>
        )}
        <ErrorBanner error={form.serverError} fieldsShown={EMAIL_FIELDS} />
        <TextField
          label={t("email.newEmail")}
          error={errors.newEmail?.message}
          type="email"
          autoComplete="email"
          required
          {...form.register("newEmail", { setValueAs: trimmed })}
        />
        <TextField
          label={t("currentPassword")}
          error={errors.currentPassword?.message}
          type="password"
          autoComplete="current-password"
          required
          {...form.register("currentPassword")}
        />
        <FormActions submitLabel={t("email.submit")} pending={loading} pendingLabel={t("sending")} />
      </form>
    </section>
  );
}

/** Deleting the account: blocked (with the way out) while the user alone owns a workspace. */
export function DeleteAccountSection() {
  const { t } = useTranslation("account");
  const { data, error } = useQuery(SoleOwnedWorkspacesDocument, { fetchPolicy: "cache-and-network" });
  const [open, setOpen] = useState(false);
  const sole = data?.soleOwnedWorkspaces ?? [];
  return (
    <section
      className="card settings-section section"
      aria-labelledby="delete-account-title"
      data-testid="account-delete"
    >
      <h2 id="delete-account-title" className="settings-section__title">
        {t("delete.title")}
      </h2>
      <p>{t("delete.intro")}</p>
      {error !== undefined && data === undefined && <ErrorBanner error={describeError(error)} />}
      {sole.length > 0 ? (
        <div className="banner" role="note">
          <p>{t("delete.soleOwner")}</p>
          <ul>
            {sole.map((w) => (
              <li key={w.id}>
                <Link to={`/w/${w.slug}/members`}>{w.name}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="form__actions">
          <Button variant="danger" disabled={data === undefined} onClick={() => setOpen(true)}>
            {t("delete.open")}
          </Button>
        </div>
      )}
      {open && <DeleteAccountDialog onClose={() => setOpen(false)} />}
    </section>
  );
}

function DeleteAccountDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation("account");
  const client = useApolloClient();
  const navigate = useNavigate();
  const [remove, { loading }] = useMutation(DeleteAccountDocument, { refetchQueries: [SoleOwnedWorkspacesDocument] });
  const form = useSchemaForm(deleteAccountForm, { currentPassword: "", confirmation: "" });
  const { errors } = form.formState;

  const onSubmit = async ({ currentPassword }: DeleteAccountForm) => {
    form.clearServerError();
    try {
      await remove({ variables: { currentPassword } });
      await client.clearStore();
      void navigate("/signin", { replace: true });
    } catch (caught) {
      form.failed(describeError(caught, messages()), DELETE_FIELDS);
    }
  };

  return (
    <Dialog title={t("delete.dialogTitle")} onClose={onClose} description={t("delete.dialogDescription")}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={form.serverError} fieldsShown={DELETE_FIELDS} />
        <TextField
          label={t("currentPassword")}
          error={errors.currentPassword?.message}
          type="password"
          autoComplete="current-password"
          required
          {...form.register("currentPassword")}
        />
        <TextField
          label={t("delete.confirm", { phrase: DELETE_ACCOUNT_PHRASE })}
          error={errors.confirmation?.message}
          type="text"
          autoComplete="off"
          required
          {...form.register("confirmation")}
        />
        <FormActions
          submitLabel={t("delete.submit")}
          variant="danger"
          pending={loading}
          pendingLabel={t("delete.pending")}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
