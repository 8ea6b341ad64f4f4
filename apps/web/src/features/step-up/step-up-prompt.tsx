/**
 * The step-up prompt (S7): mounted once; opens when an operation answers STEP_UP_REQUIRED, asks
 * for a code from the authenticator app, a recovery code or a passkey — or, for a user with no
 * factor yet, offers to set one up right there — and then lets the operation go again.
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { stepUpCodeForm, type StepUpCodeForm } from "@atrium/validation";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions, TextField } from "../../platform/ui/index.ts";
import {
  AccountSecurityDocument,
  PasskeyStepUpOptionsDocument,
  VerifyPasskeyStepUpDocument,
  VerifyStepUpDocument,
} from "../account/operations.ts";
import { signWithPasskey } from "./passkeys.ts";
import { registerStepUpHandler, type StepUpDetail } from "./step-up-gate.ts";
import { RecoveryCodes, TotpEnrolment } from "./totp-enrolment.tsx";

/** The form's one field (the API names it when it refuses a code). */
const FIELDS = ["code"] as const;

// The prompt is mounted before sign-in (main.tsx); its dialog's code (Radix Dialog) loads when it
// first opens, not with the sign-in page.
const Dialog = lazy(() => import("../../platform/ui/dialog.tsx").then((m) => ({ default: m.Dialog })));

interface Asking {
  readonly detail: StepUpDetail;
  readonly resolve: (verified: boolean) => void;
}

export function StepUpPrompt() {
  const [asking, setAsking] = useState<Asking | undefined>(undefined);
  useEffect(
    () =>
      registerStepUpHandler(
        (detail) =>
          new Promise<boolean>((resolve) => {
            setAsking({ detail, resolve });
          }),
      ),
    [],
  );
  if (asking === undefined) return null;
  const finish = (verified: boolean) => {
    asking.resolve(verified);
    setAsking(undefined);
  };
  return (
    <Suspense>
      <StepUpDialog detail={asking.detail} onDone={finish} />
    </Suspense>
  );
}

function StepUpDialog({ detail, onDone }: { detail: StepUpDetail; onDone: (verified: boolean) => void }) {
  const { t } = useTranslation("step-up");
  const client = useApolloClient();
  const security = useQuery(AccountSecurityDocument, { fetchPolicy: "network-only" });
  const [verifyCode, { loading: verifying }] = useMutation(VerifyStepUpDocument);
  const [passkeyOptions] = useMutation(PasskeyStepUpOptionsDocument);
  const [verifyPasskey] = useMutation(VerifyPasskeyStepUpDocument);
  const form = useSchemaForm(stepUpCodeForm, { code: "" });
  const code = form.watch("code");
  // The passkey's failure; a code's is the form's (beside the field when the API names it).
  const [passkeyError, setPasskeyError] = useState<UserFacingError | undefined>(undefined);
  const error = passkeyError ?? form.serverError;
  const [busyPasskey, setBusyPasskey] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>(undefined);

  const info = security.data?.accountSecurity;
  const hasFactor = info !== undefined && (info.totpEnabled || info.passkeys.length > 0);
  const lifetime =
    detail.lifetimeMinutes !== undefined ? ` ${t("prompt.lasts", { count: detail.lifetimeMinutes })}` : "";

  const verified = () => {
    void client.refetchQueries({ include: [AccountSecurityDocument] });
    onDone(true);
  };

  const onSubmit = async ({ code }: StepUpCodeForm) => {
    setPasskeyError(undefined);
    form.clearServerError();
    try {
      await verifyCode({ variables: { code } });
      verified();
    } catch (caught) {
      form.failed(describeError(caught, { BAD_USER_INPUT: t("prompt.wrongCode") }), FIELDS);
    }
  };

  const withPasskey = async () => {
    setPasskeyError(undefined);
    form.clearServerError();
    setBusyPasskey(true);
    try {
      const options = await passkeyOptions();
      const answer = await signWithPasskey(options.data?.passkeyStepUpOptions ?? "{}");
      await verifyPasskey({ variables: { response: answer } });
      verified();
    } catch (caught) {
      setPasskeyError(
        caught instanceof Error && caught.name === "NotAllowedError"
          ? { code: "UNKNOWN", message: t("passkeyCancelled"), fields: {} }
          : describeError(caught),
      );
    } finally {
      setBusyPasskey(false);
    }
  };

  return (
    <Dialog title={t("prompt.title")} onClose={() => onDone(false)}>
      <div className="stack" data-testid="step-up-dialog">
        {recoveryCodes !== undefined ? (
          <RecoveryCodes codes={recoveryCodes} onDone={verified} />
        ) : security.loading ? (
          <p role="status">{t("session.loading", { ns: "common" })}</p>
        ) : !hasFactor ? (
          <>
            <p>
              {t("prompt.setUp")}
              {lifetime}
            </p>
            <TotpEnrolment onEnabled={(codes) => setRecoveryCodes(codes)} />
          </>
        ) : (
          <>
            <p>
              {t("prompt.ask")}
              {lifetime}
            </p>
            {info.passkeys.length > 0 && (
              <div className="form__actions">
                <Button variant="primary" disabled={busyPasskey} onClick={() => void withPasskey()}>
                  {t("prompt.passkey")}
                </Button>
              </div>
            )}
            {info.totpEnabled && (
              <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
                <TextField
                  label={t("prompt.code")}
                  error={form.formState.errors.code?.message}
                  autoComplete="one-time-code"
                  autoFocus
                  required
                  {...form.register("code", { setValueAs: trimmed })}
                />
                <FormActions submitLabel={t("prompt.verify")} pending={verifying} disabled={code.trim() === ""} />
              </form>
            )}
          </>
        )}
        <ErrorBanner error={error} fieldsShown={FIELDS} />
        <div className="form__actions">
          <Button variant="ghost" onClick={() => onDone(false)}>
            {t("actions.cancel", { ns: "common" })}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
