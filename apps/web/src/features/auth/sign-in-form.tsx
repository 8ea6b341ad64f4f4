import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";

import { signInForm, type SignInForm as SignInValues } from "@atrium/validation";

import { describeError, errorCode, errorExtension, errorReason } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { sessionEndMessage } from "../../platform/session-end.ts";
import { safeNextPath } from "../../platform/session.tsx";
import { FormActions, TextField } from "../../platform/ui/index.ts";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { SSO_REQUIRED_REASON, SsoSignInEntry } from "../sso/sso-sign-in.tsx";
import { SignInDocument } from "./operations.ts";
import { ResendVerificationButton } from "./resend-verification-button.tsx";
import { SecondFactorForm } from "./second-factor-form.tsx";

const FIELDS = ["email", "password"] as const;

/** The challenge of a right password on an account with an authenticator app (UNAUTHENTICATED, SECOND_FACTOR_REQUIRED). */
function secondFactorChallenge(error: unknown): string | undefined {
  if (errorCode(error) !== "UNAUTHENTICATED" || errorReason(error) !== "SECOND_FACTOR_REQUIRED") return undefined;
  const challenge = errorExtension(error, "challenge");
  return typeof challenge === "string" && challenge !== "" ? challenge : undefined;
}

export function SignInForm() {
  const { t } = useTranslation("auth");
  const client = useApolloClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // An invitation page passes the invited address along.
  const form = useSchemaForm(signInForm, { email: params.get("email") ?? "", password: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const email = form.watch("email").trim();
  const [signIn, { loading }] = useMutation(SignInDocument);
  // Set when the password was right and the account wants its authenticator app too.
  const [challenge, setChallenge] = useState<string | undefined>(undefined);
  // Why the second step sent the person back to the password (it expired).
  const [restartNotice, setRestartNotice] = useState<string | undefined>(undefined);
  // The last password sign-in was refused: this address's domain requires single sign-on.
  const [ssoRequired, setSsoRequired] = useState(false);

  const signedIn = async () => {
    // Nothing cached before sign-in may survive it (it belonged to no one, or to someone else).
    await client.clearStore();
    void navigate(safeNextPath(params.get("next")), { replace: true });
  };

  const onSubmit = async (input: SignInValues) => {
    form.clearServerError();
    setRestartNotice(undefined);
    setSsoRequired(false);
    try {
      await signIn({ variables: { input } });
      await signedIn();
    } catch (caught) {
      const next = secondFactorChallenge(caught);
      if (next !== undefined) {
        setChallenge(next);
        return;
      }
      // Issue 49: the address's domain requires single sign-on (the API's own sentence says so).
      if (errorReason(caught) === SSO_REQUIRED_REASON) {
        setSsoRequired(true);
        form.failed(describeError(caught, { UNAUTHENTICATED: t("signIn.ssoRequired") }), FIELDS);
        return;
      }
      // Sign-in never says whether the email exists: wrong email and wrong password read the same.
      form.failed(
        describeError(caught, {
          UNAUTHENTICATED: t("signIn.wrongCredentials"),
          EMAIL_NOT_VERIFIED: t("signIn.notVerified"),
        }),
        FIELDS,
      );
    }
  };

  if (challenge !== undefined) {
    return (
      <SecondFactorForm
        challenge={challenge}
        onSignedIn={signedIn}
        onRestart={(message) => {
          setChallenge(undefined);
          setRestartNotice(message);
          form.setValue("password", "");
        }}
      />
    );
  }

  // Why the previous session ended (e.g. the production idle timeout), until the user signs in.
  const ended = error === undefined ? (restartNotice ?? sessionEndMessage(params.get("reason"))) : undefined;
  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      {ended !== undefined && (
        <div className="banner banner--notice" role="alert" data-testid="session-ended">
          {ended}
        </div>
      )}
      <ErrorBanner error={error} fieldsShown={FIELDS} />
      {error?.code === "EMAIL_NOT_VERIFIED" && (
        <>
          <ResendVerificationButton email={email} />
          <DevMailboxLink email={email} />
        </>
      )}
      <TextField
        label={t("signIn.email")}
        error={errors.email?.message}
        type="email"
        autoComplete="email"
        required
        {...form.register("email", { setValueAs: trimmed })}
      />
      <TextField
        label={t("signIn.password")}
        error={errors.password?.message}
        type="password"
        autoComplete="current-password"
        required
        {...form.register("password")}
      />
      <FormActions submitLabel={t("signIn.submit")} pending={loading} pendingLabel={t("signIn.pending")} />
      <SsoSignInEntry email={email} required={ssoRequired} />
      <p className="muted">
        <Trans ns="auth" i18nKey="signIn.newToAtrium" components={{ anchor: <Link to="/signup" /> }} />
      </p>
    </form>
  );
}
