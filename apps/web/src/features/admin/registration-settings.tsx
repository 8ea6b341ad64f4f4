import { useMutation, useQuery } from "@apollo/client/react";
import i18next from "i18next";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { type RegistrationMode } from "../../gql/graphql.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { formatNumber } from "../../platform/format.ts";
import { useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { FormActions, Radio } from "../../platform/ui/index.ts";
import { isPlausibleDomain, normaliseDomains, REGISTRATION_MODES } from "../registration/registration-modes.ts";
import { AdminRegistrationSettingsDocument, UpdateRegistrationSettingsDocument } from "./operations.ts";

/**
 * The form's rules are its own (decision 0020, "Later"): RegistrationSettingsInput takes at most
 * 100 domains, each like example.com in lower case ("Each domain must look like example.com
 * (lowercase)."), and the service wants one for ALLOWED_DOMAINS ("List at least one allowed
 * domain.") — the same rules, in other words. The form sends the domains normalised (lower case, no
 * "@", no repeats) and checks them so; fields are named like the API's error keys.
 */
const MAX_DOMAINS = 100;
/** Read when the form is checked, in the current language. */
const DOMAIN_MESSAGES = {
  notADomain: (domains: readonly string[]) =>
    i18next.t("registration.notADomain", { ns: "admin", domains: domains.join(", ") }),
  tooMany: () => i18next.t("registration.tooMany", { ns: "admin", max: formatNumber(MAX_DOMAINS) }),
  required: () => i18next.t("registration.required", { ns: "admin" }),
} as const;

/** Each mode's words: `registration.modes.<key>.label` and `.explanation` in the "admin" namespace. */
const MODE_KEYS = {
  OPEN: "open",
  ALLOWED_DOMAINS: "allowedDomains",
  INVITATION_ONLY: "invitationOnly",
  CLOSED: "closed",
} as const satisfies Record<RegistrationMode, string>;

const registrationForm = z
  .object({
    mode: z.custom<RegistrationMode>((value) => REGISTRATION_MODES.includes(value)),
    // As typed: one per line (or separated by commas).
    allowedEmailDomains: z.string(),
  })
  .check(
    z.superRefine((value, ctx) => {
      const domains = normaliseDomains(value.allowedEmailDomains);
      const badDomains = domains.filter((domain) => !isPlausibleDomain(domain));
      const problem =
        badDomains.length > 0
          ? DOMAIN_MESSAGES.notADomain(badDomains)
          : domains.length > MAX_DOMAINS
            ? DOMAIN_MESSAGES.tooMany()
            : value.mode === "ALLOWED_DOMAINS" && domains.length === 0
              ? DOMAIN_MESSAGES.required()
              : undefined;
      if (problem !== undefined)
        ctx.issues.push({
          code: "custom",
          message: problem,
          input: value.allowedEmailDomains,
          path: ["allowedEmailDomains"],
        });
    }),
  );
type RegistrationForm = z.output<typeof registrationForm>;
const FIELDS = ["mode", "allowedEmailDomains"] as const;

/** Who may sign up (SPEC M9): mode and, for ALLOWED_DOMAINS, the domain list. */
export function RegistrationSettingsForm() {
  const { t } = useTranslation("admin");
  const {
    data,
    error: loadError,
    refetch,
  } = useQuery(AdminRegistrationSettingsDocument, { fetchPolicy: "network-only" });
  const form = useSchemaForm(registrationForm, { mode: "OPEN", allowedEmailDomains: "" });
  const { errors } = form.formState;
  const mode = form.watch("mode");
  const [saved, setSaved] = useState(false);
  const [update, { loading }] = useMutation(UpdateRegistrationSettingsDocument);
  const settings = data?.registrationSettings;

  const { reset } = form;
  useEffect(() => {
    if (settings === undefined) return;
    reset({ mode: settings.mode, allowedEmailDomains: settings.allowedEmailDomains.join("\n") });
  }, [settings, reset]);

  if (settings === undefined) {
    if (loadError !== undefined) {
      return <LoadError error={loadError} onRetry={refetch} />;
    }
    return <p className="page-status">{t("registration.loading")}</p>;
  }

  const onSubmit = async ({ mode, allowedEmailDomains }: RegistrationForm) => {
    try {
      await update({ variables: { input: { mode, allowedEmailDomains: normaliseDomains(allowedEmailDomains) } } });
      setSaved(true);
    } catch (caught) {
      form.failed(describeError(caught), FIELDS);
    }
  };

  return (
    <form
      className="form"
      onSubmit={(event) => {
        // A new attempt: the last outcome goes, whether or not the form lets this one through.
        form.clearServerError();
        setSaved(false);
        void form.handleSubmit(onSubmit)(event);
      }}
      noValidate
    >
      <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
      {saved && (
        <div className="banner banner--success" role="status">
          {t("registration.saved")}
        </div>
      )}
      <fieldset
        className={errors.mode !== undefined ? "field field--invalid" : "field"}
        aria-describedby={errors.mode !== undefined ? "registration-mode-error" : undefined}
      >
        <legend>{t("registration.legend")}</legend>
        {REGISTRATION_MODES.map((value) => (
          <label key={value} className="choice">
            <Radio value={value} {...form.register("mode")} />
            <span>
              <strong>{t(`registration.modes.${MODE_KEYS[value]}.label`)}</strong> —{" "}
              {t(`registration.modes.${MODE_KEYS[value]}.explanation`)}
            </span>
          </label>
        ))}
        <p className="note">{t("registration.invitationNote")}</p>
        {errors.mode !== undefined && (
          <p className="field__error" id="registration-mode-error">
            {errors.mode.message}
          </p>
        )}
      </fieldset>
      <Field
        label={t("registration.domainsLabel")}
        hint={mode === "ALLOWED_DOMAINS" ? t("registration.domainsHint") : t("registration.domainsHintOtherMode")}
        error={errors.allowedEmailDomains?.message}
      >
        {(control) => <textarea {...control} rows={4} spellCheck={false} {...form.register("allowedEmailDomains")} />}
      </Field>
      <FormActions submitLabel={t("registration.save")} pending={loading} pendingLabel={t("registration.saving")} />
    </form>
  );
}
