/**
 * The second step of signing in to an account with an authenticator app (issue 56): after the
 * right password the API answers with a short-lived challenge instead of a session; this form
 * sends it with a 6-digit code from the app or, after "Use a recovery code", one of the recovery
 * codes. A wrong code shows beside the field; an expired challenge (5 minutes, 5 codes) sends the
 * person back to the password.
 */
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { normaliseRecoveryCode, normaliseTotpCode, signInRecoveryForm, signInTotpForm } from "@atrium/validation";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions, Input } from "../../platform/ui/index.ts";
import { CompleteSignInDocument } from "./operations.ts";

type Method = "app" | "recovery";

const FIELDS = ["code"] as const;

export function SecondFactorForm({
  challenge,
  onSignedIn,
  onRestart,
}: {
  readonly challenge: string;
  readonly onSignedIn: () => Promise<void> | void;
  /** Back to the password: `message` says why (the challenge expired), undefined when the person chose to. */
  readonly onRestart: (message?: string) => void;
}) {
  const [method, setMethod] = useState<Method>("app");
  // One form per method (a fresh one on switching): their rules and normalising differ.
  return (
    <CodeForm
      key={method}
      method={method}
      challenge={challenge}
      onSignedIn={onSignedIn}
      onRestart={onRestart}
      onSwitch={() => setMethod(method === "app" ? "recovery" : "app")}
    />
  );
}

function CodeForm({
  method,
  challenge,
  onSignedIn,
  onRestart,
  onSwitch,
}: {
  readonly method: Method;
  readonly challenge: string;
  readonly onSignedIn: () => Promise<void> | void;
  readonly onRestart: (message?: string) => void;
  readonly onSwitch: () => void;
}) {
  const { t } = useTranslation("auth");
  // The texts of each method: secondFactor.app.* and secondFactor.recovery.* (namespace "auth").
  const copy = {
    intro: t(`secondFactor.${method}.intro`),
    label: t(`secondFactor.${method}.label`),
    hint: t(`secondFactor.${method}.hint`),
    wrong: t(`secondFactor.${method}.wrong`),
    other: t(`secondFactor.${method}.other`),
  };
  const form = useSchemaForm(method === "app" ? signInTotpForm : signInRecoveryForm, { code: "" });
  const { errors } = form.formState;
  const [complete, { loading }] = useMutation(CompleteSignInDocument);
  const normalise = method === "app" ? normaliseTotpCode : normaliseRecoveryCode;

  const onSubmit = async ({ code }: { code: string }) => {
    form.clearServerError();
    try {
      await complete({ variables: { challenge, code: normalise(code) } });
      await onSignedIn();
    } catch (caught) {
      const error = describeError(caught, { BAD_USER_INPUT: copy.wrong });
      // The challenge is over (expired, used, out of attempts): only the password starts again.
      if (error.code === "UNAUTHENTICATED") {
        onRestart(t("secondFactor.expired"));
        return;
      }
      form.failed(error, FIELDS);
    }
  };

  return (
    <form
      className="form"
      aria-labelledby="second-factor-title"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      noValidate
      data-testid="second-factor-form"
    >
      <h2 id="second-factor-title">{t("secondFactor.title")}</h2>
      <p>{copy.intro}</p>
      <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
      <Field label={copy.label} hint={copy.hint} error={errors.code?.message}>
        {(control) =>
          method === "app" ? (
            <Input
              {...control}
              inputMode="numeric"
              autoComplete="one-time-code"
              autoFocus
              required
              maxLength={7}
              {...form.register("code")}
            />
          ) : (
            <Input
              {...control}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              autoFocus
              required
              maxLength={16}
              {...form.register("code")}
            />
          )
        }
      </Field>
      <FormActions submitLabel={t("secondFactor.submit")} pending={loading} pendingLabel={t("secondFactor.pending")} />
      <div className="form__actions">
        <Button variant="ghost" onClick={onSwitch}>
          {copy.other}
        </Button>
        <Button variant="ghost" onClick={() => onRestart()}>
          {t("secondFactor.startOver")}
        </Button>
      </div>
    </form>
  );
}
