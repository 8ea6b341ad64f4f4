/** Account → Security: the authenticator app, recovery codes and passkeys of the signed-in user (S7). */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link } from "react-router";
import * as z from "zod/mini";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { showServerFieldErrors, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Page } from "../../platform/page.tsx";
import { ThemePicker } from "../../platform/theme.tsx";
import { registerPasskeyInBrowser, passkeysSupported } from "../step-up/passkeys.ts";
import { RecoveryCodes, TotpEnrolment } from "../step-up/totp-enrolment.tsx";
import { AccountSecurityDocument, AddPasskeyDocument, DisableTotpDocument, PasskeyRegistrationOptionsDocument, RegenerateRecoveryCodesDocument, RemovePasskeyDocument } from "./operations.ts";
import { AccountDetailsSections, DeleteAccountSection } from "./account-settings.tsx";

export function AccountSecurityPage() {
  const { data, loading, error, refetch } = useQuery(AccountSecurityDocument, { fetchPolicy: "cache-and-network" });
  const [codes, setCodes] = useState<string[] | undefined>(undefined);
  const [problem, setProblem] = useState<UserFacingError | undefined>(undefined);
  const [disable, { loading: disabling }] = useMutation(DisableTotpDocument, { refetchQueries: [AccountSecurityDocument] });
  const [regenerate, { loading: regenerating }] = useMutation(RegenerateRecoveryCodesDocument, { refetchQueries: [AccountSecurityDocument] });
  const info = data?.accountSecurity;

  const run = async (action: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await action();
    } catch (caught) {
      setProblem(describeError(caught, { STEP_UP_REQUIRED: "Confirm it's you with your current second factor first." }));
    }
  };

  return (
    <Page title="Account security" narrow>
      <p>
        <Link to="/account/sessions">Your sessions (devices) →</Link>
      </p>
      {/* Password and e-mail address (issue 49). */}
      <AccountDetailsSections />
      {error !== undefined && info === undefined && <LoadError error={error} onRetry={() => void refetch()} />}
      {loading && info === undefined && <p role="status">Loading…</p>}
      {info !== undefined && (
        // One card per factor, spaced like the workspace settings' sections.
        <div className="settings">
          {!info.stepUpAvailable && (
            <div className="banner" role="note">
              Step-up verification is switched off on this platform, so workspaces cannot ask for it yet. You can still set up your factors.
            </div>
          )}
          <ErrorBanner error={problem} />
          <section className="card settings-section" aria-labelledby="totp-title" data-testid="account-totp">
            <h2 id="totp-title" className="settings-section__title">
              Authenticator app
            </h2>
            {codes !== undefined ? (
              <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} />
            ) : info.totpEnabled ? (
              <div className="stack">
                <p>
                  On. <strong>{info.recoveryCodesLeft}</strong> unused recovery code{info.recoveryCodesLeft === 1 ? "" : "s"} left.
                </p>
                <div className="form__actions">
                  <button
                    type="button"
                    className="button"
                    disabled={regenerating}
                    onClick={() => void run(async () => setCodes((await regenerate()).data?.regenerateRecoveryCodes ?? []))}
                  >
                    New recovery codes
                  </button>
                  <button type="button" className="button button--danger" disabled={disabling} onClick={() => void run(() => disable())}>
                    Turn off
                  </button>
                </div>
              </div>
            ) : (
              <TotpEnrolment onEnabled={(next) => setCodes(next)} />
            )}
          </section>
          <PasskeysSection passkeys={info.passkeys} onProblem={setProblem} />
          {info.stepUpVerifiedAt !== null && info.stepUpVerifiedAt !== undefined && (
            <p className="muted">This session last confirmed a second factor at {formatTime(info.stepUpVerifiedAt)}.</p>
          )}
        </div>
      )}
      {/* Appearance (decision 0040): here until the shell's user menu offers it too. */}
      <section className="card settings-section section" aria-labelledby="appearance-title" data-testid="account-appearance">
        <h2 id="appearance-title" className="settings-section__title">
          Appearance
        </h2>
        <ThemePicker />
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
const passkeyForm = z.object({ name: z.string().check(z.maxLength(PASSKEY_NAME_MAX, `Passkey names are at most ${PASSKEY_NAME_MAX} characters.`)) });
type PasskeyForm = z.output<typeof passkeyForm>;
const PASSKEY_FIELDS = ["name"] as const;

function PasskeysSection({
  passkeys,
  onProblem,
}: {
  passkeys: readonly { id: string; name: string; createdAt: string; lastUsedAt?: string | null }[];
  onProblem: (error: UserFacingError | undefined) => void;
}) {
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
          ? { code: "UNKNOWN", message: "The passkey request was cancelled or timed out. Try again.", fields: {} }
          : describeError(caught, { STEP_UP_REQUIRED: "Confirm it's you with your current second factor first." });
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
        Passkeys
      </h2>
      {passkeys.length === 0 ? (
        <p>No passkey yet. A passkey (your device's fingerprint, face or PIN, or a security key) confirms it's you with one touch.</p>
      ) : (
        <ul className="list">
          {passkeys.map((p) => (
            <li key={p.id} className="list__row">
              <span>
                <strong>{p.name}</strong> · added {formatTime(p.createdAt)}
                {p.lastUsedAt ? ` · last used ${formatTime(p.lastUsedAt)}` : ""}
              </span>
              <button type="button" className="button button--small button--danger" onClick={() => void remove({ variables: { id: p.id } }).catch((caught: unknown) => onProblem(describeError(caught)))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {supported ? (
        <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
          <Field label="Name (optional)" hint="To tell your passkeys apart, e.g. “Work laptop”." error={errors.name?.message}>
            {(control) => <input {...control} maxLength={PASSKEY_NAME_MAX} {...form.register("name", { setValueAs: trimmed })} />}
          </Field>
          <FormActions submitLabel="Add a passkey" pending={busy} />
        </form>
      ) : (
        <p className="muted">This browser does not support passkeys.</p>
      )}
    </section>
  );
}
