import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useEffect, useState } from "react";
import { type RegistrationMode } from "../../gql/graphql.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import {
  REGISTRATION_MODES,
  REGISTRATION_MODE_EXPLANATIONS,
  REGISTRATION_MODE_LABELS,
  isPlausibleDomain,
  normaliseDomains,
} from "../registration/registration-modes.ts";
import { AdminRegistrationSettingsDocument, UpdateRegistrationSettingsDocument } from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";

/** Who may sign up (SPEC M9): mode and, for ALLOWED_DOMAINS, the domain list. */
export function RegistrationSettingsForm() {
  const { data, error: loadError, refetch } = useQuery(AdminRegistrationSettingsDocument, { fetchPolicy: "network-only" });
  const [mode, setMode] = useState<RegistrationMode>("OPEN");
  const [domainsText, setDomainsText] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [saved, setSaved] = useState(false);
  const [update, { loading }] = useMutation(UpdateRegistrationSettingsDocument);
  const settings = data?.registrationSettings;

  useEffect(() => {
    if (settings === undefined) return;
    setMode(settings.mode);
    setDomainsText(settings.allowedEmailDomains.join("\n"));
  }, [settings]);

  if (settings === undefined) {
    if (loadError !== undefined) {
      return (
        <LoadError error={loadError} onRetry={refetch} />
      );
    }
    return <p className="page-status">Loading…</p>;
  }

  const domains = normaliseDomains(domainsText);
  const badDomains = domains.filter((domain) => !isPlausibleDomain(domain));
  const domainProblem =
    badDomains.length > 0
      ? `Not a domain: ${badDomains.join(", ")}`
      : mode === "ALLOWED_DOMAINS" && domains.length === 0
        ? "List at least one domain, or choose another mode."
        : undefined;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    if (domainProblem !== undefined) return;
    try {
      await update({ variables: { input: { mode, allowedEmailDomains: domains } } });
      setSaved(true);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)}>
      <ErrorBanner error={error} fieldsShown={["mode", "allowedEmailDomains"]} />
      {saved && (
        <div className="banner banner--success" role="status">
          Registration settings saved.
        </div>
      )}
      <fieldset className="field">
        <legend>Who can create an account</legend>
        {REGISTRATION_MODES.map((value) => (
          <label key={value} className="choice">
            <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
            <span>
              <strong>{REGISTRATION_MODE_LABELS[value]}</strong> — {REGISTRATION_MODE_EXPLANATIONS[value]}
            </span>
          </label>
        ))}
        <p className="note">Invitation links keep working in every mode except Closed.</p>
      </fieldset>
      <Field
        label="Allowed email domains"
        hint={
          mode === "ALLOWED_DOMAINS"
            ? "One per line (or separated by commas), e.g. acme.com."
            : "Used only in the “Allowed email domains” mode; kept for when you switch to it."
        }
        error={error?.fields["allowedEmailDomains"] ?? domainProblem}
      >
        {(control) => (
          <textarea {...control} rows={4} spellCheck={false} value={domainsText} onChange={(e) => setDomainsText(e.target.value)} />
        )}
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
