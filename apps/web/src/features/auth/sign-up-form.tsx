import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";

import { PASSWORD_MIN, signUpForm, type SignUpForm as SignUpValues } from "@atrium/validation";

import { describeError, errorReason } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { signInPath } from "../../platform/session.tsx";
import { FormActions, TextField } from "../../platform/ui/index.ts";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { acceptInvitationPath } from "../invitations/accept-invitation.tsx";
import { describeInvitationError } from "../invitations/invitation-errors.ts";
import { InvitationPreviewDocument } from "../invitations/operations.ts";
import { REGISTRATION_REFUSALS, signUpAvailability } from "../registration/registration-modes.ts";
import { RegistrationModeDocument, SignInDocument, SignUpDocument } from "./operations.ts";
import { ResendVerificationButton } from "./resend-verification-button.tsx";

const FIELDS = ["name", "email", "password"] as const;

/**
 * Self-service sign-up (SPEC M9): the account works once the emailed link is opened. From an
 * invitation (`?invitation=<token>`) the invited address is filled in and the token sent along:
 * the API then creates the account already verified, so we sign in and return to the
 * invitation to accept it.
 */
export function SignUpForm() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const invitationToken = params.get("invitation") ?? "";
  const client = useApolloClient();
  const navigate = useNavigate();
  const registration = useQuery(RegistrationModeDocument, { fetchPolicy: "network-only" });
  const preview = useQuery(InvitationPreviewDocument, {
    variables: { token: invitationToken },
    skip: invitationToken === "",
  });
  const invitedEmail = preview.data?.invitation.email;
  const form = useSchemaForm(signUpForm, { name: "", email: "", password: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const [sentTo, setSentTo] = useState<string>();
  const [createdFor, setCreatedFor] = useState<string>();
  const [signUp, { loading }] = useMutation(SignUpDocument);
  const [signIn, signingIn] = useMutation(SignInDocument);
  const withInvitation = invitationToken !== "" && invitedEmail !== undefined;
  const { setValue } = form;

  // The invited address is the account's: filled in, and not editable.
  useEffect(() => {
    if (invitedEmail !== undefined) setValue("email", invitedEmail.trim());
  }, [invitedEmail, setValue]);

  const onSubmit = async ({ name, email, password }: SignUpValues) => {
    form.clearServerError();
    try {
      const { data } = await signUp({
        variables: {
          input: { name, email, password, ...(withInvitation ? { invitationToken } : {}) },
        },
      });
      if (!withInvitation || data?.signUp.user.emailVerified !== true) {
        setSentTo(email);
        return;
      }
      // The invitation proved the address: sign straight in and go back to accept it.
      try {
        await signIn({ variables: { input: { email, password } } });
        await client.clearStore();
        void navigate(acceptInvitationPath(invitationToken), { replace: true });
      } catch {
        // E.g. the address already had an account (with another password): sign in by hand.
        setCreatedFor(email);
      }
    } catch (caught) {
      const reason = errorReason(caught);
      const refusal = reason !== undefined ? REGISTRATION_REFUSALS[reason] : undefined;
      form.failed(
        refusal !== undefined ? { code: "FORBIDDEN", message: refusal, fields: {} } : describeError(caught),
        FIELDS,
      );
    }
  };

  if (createdFor !== undefined) {
    return (
      <div className="confirmation" role="status">
        <p>
          <Trans
            ns="auth"
            i18nKey="signUp.signInToAccept"
            values={{ email: createdFor }}
            components={{ strong: <strong /> }}
          />
        </p>
        <Link
          className="button button--primary"
          to={`${signInPath(acceptInvitationPath(invitationToken))}&email=${encodeURIComponent(createdFor)}`}
        >
          {t("signUp.signIn")}
        </Link>
      </div>
    );
  }

  if (sentTo !== undefined) {
    return (
      <div className="confirmation" role="status">
        <h2>{t("signUp.checkEmail")}</h2>
        <p>
          <Trans
            ns="auth"
            i18nKey="signUp.sent"
            values={{ email: sentTo }}
            components={{ strong: <strong />, anchor: <Link to="/signin" /> }}
          />
        </p>
        <DevMailboxLink email={sentTo} />
        <ResendVerificationButton email={sentTo} />
      </div>
    );
  }

  if (invitationToken !== "" && preview.error !== undefined) {
    const problem = describeInvitationError(preview.error);
    return (
      <>
        <div
          className="banner banner--error"
          role="alert"
          data-error-code={problem.code}
          data-invitation-problem={problem.problem}
        >
          {problem.message}
        </div>
        <p className="muted">
          <Trans ns="auth" i18nKey="signUp.withoutInvitation" components={{ anchor: <Link to="/signup" /> }} />
        </p>
      </>
    );
  }
  if ((invitationToken !== "" && preview.loading) || (registration.loading && registration.data === undefined)) {
    return <p className="page-status">{t("signUp.loading")}</p>;
  }

  const availability = signUpAvailability(registration.data?.registrationSettings.mode, withInvitation);
  if (availability === "closed") {
    return (
      <div className="note" role="status" data-registration-mode="CLOSED">
        <p>
          <Trans
            ns="auth"
            i18nKey={withInvitation ? "signUp.closedInvitation" : "signUp.closed"}
            components={{ strong: <strong />, anchor: <Link to="/signin" /> }}
          />
        </p>
      </div>
    );
  }
  if (availability === "needs-invitation") {
    return (
      <div className="note" role="status" data-registration-mode="INVITATION_ONLY">
        <p>
          <Trans
            ns="auth"
            i18nKey="signUp.invitationOnly"
            components={{ strong: <strong />, anchor: <Link to="/signin" /> }}
          />
        </p>
      </div>
    );
  }

  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      {withInvitation && preview.data !== undefined && (
        <p className="note" data-testid="signup-invitation">
          <Trans
            ns="auth"
            i18nKey="signUp.joining"
            values={{ workspace: preview.data.invitation.workspaceName }}
            components={{ strong: <strong /> }}
          />
        </p>
      )}
      {availability === "form-domains" && (
        <p className="note" data-registration-mode="ALLOWED_DOMAINS">
          {t("signUp.domains")}
        </p>
      )}
      <ErrorBanner error={error} fieldsShown={FIELDS} />
      <TextField
        label={t("signUp.name")}
        error={errors.name?.message}
        type="text"
        autoComplete="name"
        required
        {...form.register("name", { setValueAs: trimmed })}
      />
      <TextField
        label={t("signUp.email")}
        error={errors.email?.message}
        hint={withInvitation ? t("signUp.invitedAddress") : undefined}
        type="email"
        autoComplete="email"
        required
        readOnly={withInvitation}
        {...form.register("email", { setValueAs: trimmed })}
      />
      <TextField
        label={t("signUp.password")}
        hint={t("signUp.passwordHint", { min: PASSWORD_MIN })}
        error={errors.password?.message}
        type="password"
        autoComplete="new-password"
        required
        {...form.register("password")}
      />
      <FormActions
        submitLabel={t("signUp.submit")}
        pending={loading || signingIn.loading}
        pendingLabel={loading ? t("signUp.creating") : t("signUp.signingIn")}
      />
      <p className="muted">
        <Trans
          ns="auth"
          i18nKey="signUp.haveAccount"
          components={{
            anchor: <Link to={withInvitation ? signInPath(acceptInvitationPath(invitationToken)) : "/signin"} />,
          }}
        />
      </p>
    </form>
  );
}
