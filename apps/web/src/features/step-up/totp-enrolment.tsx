/** Setting up an authenticator app: a QR code beside the key, a first code, the recovery codes once. */
import { useMutation } from "@apollo/client/react";
import { type StepUpCodeForm, stepUpCodeForm } from "@atrium/validation";
import { Suspense, lazy, useState } from "react";
import { CopyButton } from "../../platform/copy-button.tsx";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { AccountSecurityDocument, ConfirmTotpDocument, EnrollTotpDocument } from "../account/operations.ts";

// The QR code's encoder loads when an enrolment starts, not with the pages that offer one.
const TotpQrCode = lazy(() => import("./totp-qr-code.tsx"));

export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  return (
    <div className="stack" data-testid="recovery-codes">
      <p>
        <strong>Save these recovery codes now.</strong> Each works once, instead of a code from your app, if you lose
        your phone. They will not be shown again.
      </p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="form__actions">
        <CopyButton text={codes.join("\n")} label="Copy codes" />
        <button type="button" className="button button--primary" onClick={onDone}>
          I saved them
        </button>
      </div>
    </div>
  );
}

export function TotpEnrolment({ onEnabled }: { onEnabled: (recoveryCodes: string[]) => void }) {
  const [enroll, { data, loading: starting }] = useMutation(EnrollTotpDocument);
  const [confirm, { loading: confirming }] = useMutation(ConfirmTotpDocument, { refetchQueries: [AccountSecurityDocument] });
  const [startError, setStartError] = useState<UserFacingError | undefined>(undefined);
  const form = useSchemaForm(stepUpCodeForm, { code: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const code = form.watch("code");
  const enrolment = data?.enrollTotp;

  const start = async () => {
    setStartError(undefined);
    try {
      await enroll();
    } catch (caught) {
      setStartError(describeError(caught));
    }
  };

  const onSubmit = async ({ code }: StepUpCodeForm) => {
    form.clearServerError();
    try {
      const result = await confirm({ variables: { code } });
      onEnabled(result.data?.confirmTotp ?? []);
    } catch (caught) {
      form.failed(describeError(caught, { BAD_USER_INPUT: "That code is not valid. Enter the 6 digits your app shows now." }), ["code"]);
    }
  };

  if (enrolment === undefined) {
    return (
      <div className="stack">
        <p>Use an authenticator app (1Password, Google Authenticator, Authy…) to get a 6-digit code when asked.</p>
        <ErrorBanner error={startError} />
        <div className="form__actions">
          <button type="button" className="button button--primary" disabled={starting} onClick={() => void start()}>
            Set up an authenticator app
          </button>
        </div>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      <p>Scan the QR code with your authenticator app. On this phone, open the link instead; or type the key by hand.</p>
      <div style={{ display: "flex", flexWrap: "wrap", gap: "1rem", alignItems: "flex-start" }}>
        <Suspense fallback={<div style={{ width: 184, height: 184 }} role="status" aria-label="Drawing the QR code…" />}>
          <TotpQrCode url={enrolment.otpauthUrl} />
        </Suspense>
        <div className="stack" style={{ flex: "1 1 14rem", minWidth: 0 }}>
          <p>
            Key: <code data-testid="totp-secret">{enrolment.secret}</code> <CopyButton text={enrolment.secret} label="Copy key" />
          </p>
          <p className="break-all">
            <a href={enrolment.otpauthUrl} data-testid="totp-otpauth-url">
              {enrolment.otpauthUrl}
            </a>
          </p>
        </div>
      </div>
      <Field label="Code from your app" error={errors.code?.message}>
        {(control) => <input {...control} inputMode="numeric" autoComplete="one-time-code" required {...form.register("code", { setValueAs: trimmed })} />}
      </Field>
      <ErrorBanner error={error} fieldsShown={["code"]} />
      <FormActions submitLabel="Turn on" pending={confirming} disabled={code.trim() === ""} />
    </form>
  );
}
