/**
 * Account → security (issue 49): the password, the e-mail address and deleting the account, on
 * the page the user menu's "Account and security" opens. Each change asks for the current
 * password; a workspace that requires step-up makes the API answer STEP_UP_REQUIRED, which the
 * app-wide step-up prompt handles before the change goes again. Rules: @atrium/validation
 * (account.ts); the new password's strength is the API's verdict (zxcvbn), shown beside the field.
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import {
  type ChangeEmailForm,
  type ChangePasswordForm,
  DELETE_ACCOUNT_PHRASE,
  type DeleteAccountForm,
  PASSWORD_MIN,
  changeEmailForm,
  changePasswordForm,
  deleteAccountForm,
} from "@atrium/validation";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { useMe } from "../../platform/session.tsx";
import { Dialog, FormActions } from "../../platform/ui/index.ts";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { ChangePasswordDocument, DeleteAccountDocument, RequestEmailChangeDocument, SoleOwnedWorkspacesDocument } from "./operations.ts";
import "./account.css";

const PASSWORD_FIELDS = ["currentPassword", "newPassword"] as const;
const EMAIL_FIELDS = ["newEmail", "currentPassword"] as const;
const DELETE_FIELDS = ["currentPassword", "confirmation"] as const;
/** STEP_UP_REQUIRED here comes from any workspace of the user, not the one on screen. */
const MESSAGES = { STEP_UP_REQUIRED: "A workspace you belong to asks you to confirm it's you with your second factor before changing your account." } as const;

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
      form.failed(describeError(caught, MESSAGES), PASSWORD_FIELDS);
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="password-title" data-testid="account-password">
      <h2 id="password-title" className="settings-section__title">
        Password
      </h2>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        {done && (
          <p className="banner" role="status">
            Password changed. Your other devices were signed out; this one stays signed in.
          </p>
        )}
        <ErrorBanner error={form.serverError} fieldsShown={PASSWORD_FIELDS} />
        <Field label="Current password" error={errors.currentPassword?.message}>
          {(control) => <input {...control} type="password" autoComplete="current-password" required {...form.register("currentPassword")} />}
        </Field>
        <Field label="New password" hint={`At least ${PASSWORD_MIN} characters, hard to guess.`} error={errors.newPassword?.message}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required {...form.register("newPassword")} />}
        </Field>
        <FormActions submitLabel="Change password" pending={loading} pendingLabel="Changing…" />
      </form>
    </section>
  );
}

function ChangeEmailSection() {
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
      form.failed(describeError(caught, MESSAGES), EMAIL_FIELDS);
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="email-title" data-testid="account-email">
      <h2 id="email-title" className="settings-section__title">
        E-mail address
      </h2>
      <p>
        You sign in with <strong>{me.email}</strong>.
      </p>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        {sentTo !== undefined && (
          <div className="banner" role="status">
            <p>
              We sent a link to <strong>{sentTo}</strong>. Open it within 24 hours to switch. Until then you keep signing in with {me.email}, which
              we'll tell about the change.
            </p>
            <DevMailboxLink email={sentTo} />
          </div>
        )}
        <ErrorBanner error={form.serverError} fieldsShown={EMAIL_FIELDS} />
        <Field label="New e-mail address" error={errors.newEmail?.message}>
          {(control) => <input {...control} type="email" autoComplete="email" required {...form.register("newEmail", { setValueAs: trimmed })} />}
        </Field>
        <Field label="Current password" error={errors.currentPassword?.message}>
          {(control) => <input {...control} type="password" autoComplete="current-password" required {...form.register("currentPassword")} />}
        </Field>
        <FormActions submitLabel="Send confirmation link" pending={loading} pendingLabel="Sending…" />
      </form>
    </section>
  );
}

/** Deleting the account: blocked (with the way out) while the user alone owns a workspace. */
export function DeleteAccountSection() {
  const { data, error } = useQuery(SoleOwnedWorkspacesDocument, { fetchPolicy: "cache-and-network" });
  const [open, setOpen] = useState(false);
  const sole = data?.soleOwnedWorkspaces ?? [];
  return (
    <section className="card settings-section section" aria-labelledby="delete-account-title" data-testid="account-delete">
      <h2 id="delete-account-title" className="settings-section__title">
        Delete account
      </h2>
      <p>
        Deleting your account removes you from every workspace, signs out every device, and removes your second factors and the API keys you
        created. Workspace audit logs keep an anonymous id in place of your name. This cannot be undone.
      </p>
      {error !== undefined && data === undefined && <ErrorBanner error={describeError(error)} />}
      {sole.length > 0 ? (
        <div className="banner" role="note">
          <p>You are the only owner of these workspaces. Transfer their ownership to another member, or delete them, first:</p>
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
          <button type="button" className="button button--danger" disabled={data === undefined} onClick={() => setOpen(true)}>
            Delete my account…
          </button>
        </div>
      )}
      {open && <DeleteAccountDialog onClose={() => setOpen(false)} />}
    </section>
  );
}

function DeleteAccountDialog({ onClose }: { onClose: () => void }) {
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
      form.failed(describeError(caught, MESSAGES), DELETE_FIELDS);
    }
  };

  return (
    <Dialog title="Delete your account?" onClose={onClose} description="Your memberships, sessions, second factors and API keys go. This cannot be undone.">
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={form.serverError} fieldsShown={DELETE_FIELDS} />
        <Field label="Current password" error={errors.currentPassword?.message}>
          {(control) => <input {...control} type="password" autoComplete="current-password" required {...form.register("currentPassword")} />}
        </Field>
        <Field label={`Type “${DELETE_ACCOUNT_PHRASE}” to confirm`} error={errors.confirmation?.message}>
          {(control) => <input {...control} type="text" autoComplete="off" required {...form.register("confirmation")} />}
        </Field>
        <FormActions submitLabel="Delete my account" variant="danger" pending={loading} pendingLabel="Deleting…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
