/** Setting up an authenticator app: a QR code beside the key, a first code, the recovery codes once. */
import { useMutation } from "@apollo/client/react";
import { lazy, Suspense, useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import { stepUpCodeForm, type StepUpCodeForm } from "@atrium/validation";

import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions, TextField } from "../../platform/ui/index.ts";
import { AccountSecurityDocument, ConfirmTotpDocument, EnrollTotpDocument } from "../account/operations.ts";

/** The form's one field (the API names it when it refuses a code). */
const FIELDS = ["code"] as const;

// The QR code's encoder loads when an enrolment starts, not with the pages that offer one.
const TotpQrCode = lazy(() => import("./totp-qr-code.tsx"));

export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const { t } = useTranslation("step-up");
  return (
    <div className="stack" data-testid="recovery-codes">
      <p>
        <Trans ns="step-up" i18nKey="recovery.save" components={{ strong: <strong /> }} />
      </p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="form__actions">
        <CopyButton text={codes.join("\n")} label={t("recovery.copy")} />
        <Button variant="primary" onClick={onDone}>
          {t("recovery.saved")}
        </Button>
      </div>
    </div>
  );
}

export function TotpEnrolment({ onEnabled }: { onEnabled: (recoveryCodes: string[]) => void }) {
  const { t } = useTranslation("step-up");
  const [enroll, { data, loading: starting }] = useMutation(EnrollTotpDocument);
  const [confirm, { loading: confirming }] = useMutation(ConfirmTotpDocument, {
    refetchQueries: [AccountSecurityDocument],
  });
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
      form.failed(describeError(caught, { BAD_USER_INPUT: t("totp.wrongCode") }), FIELDS);
    }
  };

  if (enrolment === undefined) {
    return (
      <div className="stack">
        <p>{t("totp.intro")}</p>
        <ErrorBanner error={startError} />
        <div className="form__actions">
          <Button variant="primary" disabled={starting} onClick={() => void start()}>
            {t("totp.start")}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      <p>{t("totp.scan")}</p>
      <div style={{ display: "flex", flexWrap: "wrap", gap: "1rem", alignItems: "flex-start" }}>
        <Suspense fallback={<div style={{ width: 184, height: 184 }} role="status" aria-label={t("totp.drawing")} />}>
          <TotpQrCode url={enrolment.otpauthUrl} />
        </Suspense>
        <div className="stack" style={{ flex: "1 1 14rem", minWidth: 0 }}>
          <p>
            {t("totp.key")} <code data-testid="totp-secret">{enrolment.secret}</code>{" "}
            <CopyButton text={enrolment.secret} label={t("totp.copyKey")} />
          </p>
          <p className="break-all">
            <a href={enrolment.otpauthUrl} data-testid="totp-otpauth-url">
              {enrolment.otpauthUrl}
            </a>
          </p>
        </div>
      </div>
      <TextField
        label={t("totp.code")}
        error={errors.code?.message}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        {...form.register("code", { setValueAs: trimmed })}
      />
      <ErrorBanner error={error} fieldsShown={FIELDS} />
      <FormActions submitLabel={t("totp.turnOn")} pending={confirming} disabled={code.trim() === ""} />
    </form>
  );
}
