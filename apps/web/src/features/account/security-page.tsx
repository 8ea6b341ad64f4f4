/** Account → Security: the authenticator app, recovery codes and passkeys of the signed-in user (S7). */
import { useMutation, useQuery } from "@apollo/client/react";
import i18n from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import * as z from "zod/mini";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { showServerFieldErrors, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LanguagePicker } from "../../platform/language.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { Page } from "../../platform/page.tsx";
import { ThemePicker } from "../../platform/theme.tsx";
import { Button, FormActions, TextField } from "../../platform/ui/index.ts";
import { passkeysSupported, registerPasskeyInBrowser } from "../step-up/passkeys.ts";
import { RecoveryCodes, TotpEnrolment } from "../step-up/totp-enrolment.tsx";
import { AccountDetailsSections, DeleteAccountSection } from "./account-settings.tsx";
import {
  AccountSecurityDocument,
  AddPasskeyDocument,
  DisableTotpDocument,
  PasskeyRegistrationOptionsDocument,
  RegenerateRecoveryCodesDocument,
  RemovePasskeyDocument,
} from "./operations.ts";

/** STEP_UP_REQUIRED while changing a factor: the current one confirms first (read when an error is shown). */
const stepUpFirst = () => ({ STEP_UP_REQUIRED: i18n.t("security.stepUpFirst", { ns: "account" }) });

export function AccountSecurityPage() {
  const { t } = useTranslation("account");
  const { data, loading, error, refetch } = useQuery(AccountSecurityDocument, { fetchPolicy: "cache-and-network" });
  const [codes, setCodes] = useState<string[] | undefined>(undefined);
  const [problem, setProblem] = useState<UserFacingError | undefined>(undefined);
  const [disable, { loading: disabling }] = useMutation(DisableTotpDocument, {
    refetchQueries: [AccountSecurityDocument],
  });
  const [regenerate, { loading: regenerating }] = useMutation(RegenerateRecoveryCodesDocument, {
    refetchQueries: [AccountSecurityDocument],
  });
  const info = data?.accountSecurity;

  const run = async (action: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await action();
    } catch (caught) {
      setProblem(describeError(caught, stepUpFirst()));
    }
  };

  return (
    <Page title={t("security.title")} narrow>
      <p>
        <Link to="/account/sessions">{t("security.sessionsLink")}</Link>
      </p>
      {/* Password and e-mail address (issue 49). */}
      <AccountDetailsSections />
      {error !== undefined && info === undefined && <LoadError error={error} onRetry={() => void refetch()} />}
      {loading && info === undefined && <p role="status">{t("session.loading", { ns: "common" })}</p>}
      {info !== undefined && (
        // One card per factor, spaced like the workspace settings' sections.
        <div className="settings">
          {!info.stepUpAvailable && (
            <div className="banner" role="note">
              {t("security.stepUpOff")}
            </div>
          )}
          <ErrorBanner error={problem} />
          <section className="card settings-section" aria-labelledby="totp-title" data-testid="account-totp">
            <h2 id="totp-title" className="settings-section__title">
              {t("security.totpTitle")}
            </h2>
            {codes !== undefined ? (
              <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} />
            ) : info.totpEnabled ? (
              <div className="stack">
                <p>
                  <Trans
                    ns="account"
                    i18nKey="security.totpOn"
                    count={info.recoveryCodesLeft}
                    components={{ strong: <strong /> }}
                  />
                </p>
                <div className="form__actions">
                  <Button
                    disabled={regenerating}
                    onClick={() =>
                      void run(async () => setCodes((await regenerate()).data?.regenerateRecoveryCodes ?? []))
                    }
                  >
                    {t("security.newCodes")}
                  </Button>
                  <Button variant="danger" disabled={disabling} onClick={() => void run(() => disable())}>
                    {t("security.turnOff")}
                  </Button>
                </div>
              </div>
            ) : (
              <TotpEnrolment onEnabled={(next) => setCodes(next)} />
            )}
          </section>
          <PasskeysSection passkeys={info.passkeys} onProblem={setProblem} />
          {info.stepUpVerifiedAt !== null && info.stepUpVerifiedAt !== undefined && (
            <p className="muted">{t("security.lastConfirmed", { time: formatTime(info.stepUpVerifiedAt) })}</p>
          )}
        </div>
      )}
      {/* Appearance (decision 0040): here until the shell's user menu offers it too. */}
      <section
        className="card settings-section section"
        aria-labelledby="appearance-title"
        data-testid="account-appearance"
      >
        <h2 id="appearance-title" className="settings-section__title">
          {t("security.appearance")}
        </h2>
        <ThemePicker />
        <LanguagePicker />
      </section>
      <DeleteAccountSection />
    </Page>
  );
}

/**
 * A passkey's name: optional (the API calls it "Passkey"), sent trimmed, at most 80 characters. The
 * rule is the form's own (decision 0020, "Later"): the API checks it in the addPasskey resolver,
 * with the same sentence but a token (`{ name: "too long" }`), not on an input class.
 */
const PASSKEY_NAME_MAX = 80;
const passkeyForm = z.object({
  name: z.string().check(
    z.maxLength(PASSKEY_NAME_MAX, {
      error: () => i18n.t("passkeys.nameTooLong", { ns: "account", max: PASSKEY_NAME_MAX }),
    }),
  ),
});
type PasskeyForm = z.output<typeof passkeyForm>;
const PASSKEY_FIELDS = ["name"] as const;

function PasskeysSection({
  passkeys,
  onProblem,
}: {
  passkeys: readonly { id: string; name: string; createdAt: string; lastUsedAt?: string | null }[];
  onProblem: (error: UserFacingError | undefined) => void;
}) {
  const { t } = useTranslation("account");
  const form = useSchemaForm(passkeyForm, { name: "" });
  const { errors } = form.formState;
  const [busy, setBusy] = useState(false);
  const [options] = useMutation(PasskeyRegistrationOptionsDocument);
  const [add] = useMutation(AddPasskeyDocument, { refetchQueries: [AccountSecurityDocument] });
  const [remove] = useMutation(RemovePasskeyDocument, { refetchQueries: [AccountSecurityDocument] });
  const supported = passkeysSupported();

  const onSubmit = async ({ name }: PasskeyForm) => {
    onProblem(undefined);
    setBusy(true);
    try {
      const opts = await options();
      const response = await registerPasskeyInBrowser(opts.data?.passkeyRegistrationOptions ?? "{}");
      await add({ variables: { response, name: name === "" ? null : name } });
      form.reset({ name: "" });
    } catch (caught) {
      const error: UserFacingError =
        caught instanceof Error && caught.name === "NotAllowedError"
          ? { code: "UNKNOWN", message: t("passkeyCancelled", { ns: "step-up" }), fields: {} }
          : describeError(caught, stepUpFirst());
      onProblem(error);
      // The API's verdict on the name (`{ name: "too long" }`) also shows beside the field.
      showServerFieldErrors(form, error, PASSKEY_FIELDS);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="passkeys-title" data-testid="account-passkeys">
      <h2 id="passkeys-title" className="settings-section__title">
        {t("passkeys.title")}
      </h2>
      {passkeys.length === 0 ? (
        <p>{t("passkeys.none")}</p>
      ) : (
        <ul className="list">
          {passkeys.map((p) => (
            <li key={p.id} className="list__row">
              <span>
                <Trans
                  ns="account"
                  i18nKey={p.lastUsedAt ? "passkeys.addedUsed" : "passkeys.added"}
                  values={{ name: p.name, added: formatTime(p.createdAt), lastUsed: formatTime(p.lastUsedAt) }}
                  components={{ strong: <strong /> }}
                />
              </span>
              <Button
                variant="danger"
                size="small"
                onClick={() =>
                  void remove({ variables: { id: p.id } }).catch((caught: unknown) => onProblem(describeError(caught)))
                }
              >
                {t("passkeys.remove")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {supported ? (
        <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
          <TextField
            label={t("passkeys.name")}
            hint={t("passkeys.nameHint")}
            error={errors.name?.message}
            maxLength={PASSKEY_NAME_MAX}
            {...form.register("name", { setValueAs: trimmed })}
          />
          <FormActions submitLabel={t("passkeys.add")} pending={busy} />
        </form>
      ) : (
        <p className="muted">{t("passkeys.unsupported")}</p>
      )}
    </section>
  );
}
