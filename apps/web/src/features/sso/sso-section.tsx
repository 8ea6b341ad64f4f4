/**
 * Single sign-on (issue 49), owners only: connect an OpenID Connect provider, claim e-mail
 * domains by DNS TXT record (the value shown once), verify them, and require SSO per domain.
 */
import "./sso.css";
import { useMutation, useQuery } from "@apollo/client/react";
import { PRESETS } from "@atrium/policies";
import { type SsoConnectionForm, type SsoDomainForm, ssoConnectionForm, ssoDomainForm } from "@atrium/validation";
import { useState } from "react";
import { type SsoSettingsQuery } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { CodeBlock, FormActions, Switch } from "../../platform/ui/index.ts";
import { SaveStatus, SettingsSection, useSave } from "../settings/section.tsx";
import { AddSsoDomainDocument, ConnectSsoProviderDocument, RemoveSsoDomainDocument, SetSsoDomainRequiredDocument, SsoSettingsDocument, VerifySsoDomainDocument } from "./operations.ts";

type Settings = SsoSettingsQuery["ssoSettings"];
type Domain = Settings["domains"][number];

const PROVIDER_FIELDS = ["issuerUrl", "clientId", "clientSecret", "defaultPreset"] as const;

function ProviderForm({ workspaceId, connection }: { workspaceId: string; connection: Settings["connection"] }) {
  const form = useSchemaForm(ssoConnectionForm, {
    issuerUrl: connection?.issuerUrl ?? "",
    clientId: connection?.clientId ?? "",
    clientSecret: "",
    defaultPreset: connection?.defaultPreset ?? "viewer",
  });
  const { errors } = form.formState;
  // The settings object has no id of its own: the query is read again rather than updated.
  const [connect, { loading }] = useMutation(ConnectSsoProviderDocument, { refetchQueries: [SsoSettingsDocument], awaitRefetchQueries: true });
  const save = useSave();
  const onSubmit = async (input: SsoConnectionForm) => {
    save.reset();
    try {
      await connect({ variables: { workspaceId, input: { ...input, clientSecret: input.clientSecret === "" ? null : input.clientSecret } } });
      form.setValue("clientSecret", "");
      save.succeed("Saved. Atrium read the provider's discovery document.");
    } catch (caught) {
      const problem = describeError(caught);
      save.fail(problem);
      // The API's verdict on a field (the issuer it could not reach) shows beside it.
      form.failed(problem, PROVIDER_FIELDS);
    }
  };
  const redirectUri = connection?.redirectUri ?? `${window.location.origin}/sso/callback`;
  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Identity provider">
      <Field label="Issuer URL" hint="Atrium reads its discovery document (/.well-known/openid-configuration)." error={errors.issuerUrl?.message}>
        {(control) => <input {...control} type="url" inputMode="url" autoComplete="off" {...form.register("issuerUrl", { setValueAs: trimmed })} />}
      </Field>
      <Field label="Client ID" error={errors.clientId?.message}>
        {(control) => <input {...control} autoComplete="off" {...form.register("clientId", { setValueAs: trimmed })} />}
      </Field>
      <Field label="Client secret" hint={connection ? `Stored: ${connection.clientSecretMasked}. Leave empty to keep it.` : "Stored encrypted; never shown again."} error={errors.clientSecret?.message}>
        {(control) => <input {...control} type="password" autoComplete="new-password" {...form.register("clientSecret")} />}
      </Field>
      <Field label="New members join as" hint="Applies to people who sign in with SSO for the first time." error={errors.defaultPreset?.message}>
        {(control) => (
          <select {...control} {...form.register("defaultPreset")}>
            {PRESETS.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="sso-redirect">
        <p className="muted">Register this redirect URI with your provider:</p>
        <CodeBlock label="Redirect URI">{redirectUri}</CodeBlock>
        <CopyButton text={redirectUri} label="Copy redirect URI" />
      </div>
      <SaveStatus save={save} fieldsShown={PROVIDER_FIELDS} />
      <FormActions submitLabel={connection ? "Save provider" : "Connect provider"} pending={loading} pendingLabel="Checking the provider…" />
    </form>
  );
}

function AddDomainForm({ workspaceId }: { workspaceId: string }) {
  const form = useSchemaForm(ssoDomainForm, { domain: "" });
  const { errors } = form.formState;
  const [add, { loading }] = useMutation(AddSsoDomainDocument, { refetchQueries: [SsoSettingsDocument] });
  const [record, setRecord] = useState<{ domain: string; name: string; value: string }>();
  const onSubmit = async ({ domain }: SsoDomainForm) => {
    form.clearServerError();
    try {
      const result = await add({ variables: { workspaceId, domain } });
      const added = result.data?.addSsoDomain;
      if (added) setRecord({ domain: added.domain.domain, name: added.recordName, value: added.recordValue });
      form.reset({ domain: "" });
    } catch (caught) {
      form.failed(describeError(caught), ["domain"]);
    }
  };
  return (
    <>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="Add a domain">
        <ErrorBanner error={form.serverError} fieldsShown={["domain"]} />
        <Field label="E-mail domain" hint="For example example.com: people with addresses there sign in with your provider." error={errors.domain?.message}>
          {(control) => <input {...control} autoComplete="off" {...form.register("domain", { setValueAs: trimmed })} />}
        </Field>
        <FormActions submitLabel="Add domain" pending={loading} pendingLabel="Adding…" />
      </form>
      {record !== undefined && (
        <div className="banner banner--notice" role="status" data-testid="sso-txt-record">
          <p>
            Add this TXT record to {record.domain}'s DNS, then press Verify. <strong>The value is shown only now</strong>: copy it before you leave.
          </p>
          <p className="muted">Name</p>
          <CodeBlock label="TXT record name">{record.name}</CodeBlock>
          <CopyButton text={record.name} label="Copy name" />
          <p className="muted">Value</p>
          <CodeBlock label="TXT record value">{record.value}</CodeBlock>
          <CopyButton text={record.value} label="Copy value" />
        </div>
      )}
    </>
  );
}

function DomainRow({ workspaceId, domain }: { workspaceId: string; domain: Domain }) {
  const [verify, { loading: verifying }] = useMutation(VerifySsoDomainDocument);
  const [setRequired] = useMutation(SetSsoDomainRequiredDocument);
  const [remove, { loading: removing }] = useMutation(RemoveSsoDomainDocument, { refetchQueries: [SsoSettingsDocument] });
  const [result, setResult] = useState<{ verified: boolean; message: string }>();
  const save = useSave();
  return (
    <li className="sso-domain" data-testid={`sso-domain-${domain.domain}`}>
      <div className="sso-domain__head">
        <strong>{domain.domain}</strong> <span className={domain.verified ? "badge" : "badge"}>{domain.verified ? "Verified" : "Not verified"}</span>
      </div>
      {!domain.verified && <p className="muted">TXT record at {domain.recordName}</p>}
      {result !== undefined && (
        <div className={result.verified ? "banner banner--success" : "banner banner--error"} role="status">
          {result.message}
        </div>
      )}
      {domain.verified && (
        <Switch
          checked={domain.requireSso}
          onCheckedChange={(required) =>
            void save.run(
              () => setRequired({ variables: { workspaceId, id: domain.id, required } }),
              required ? `Password sign-in is now refused for ${domain.domain} addresses (you keep a break-glass password sign-in).` : `People at ${domain.domain} may use passwords again.`,
            )
          }
        >
          Require SSO for this domain
        </Switch>
      )}
      <SaveStatus save={save} />
      <div className="form__actions">
        {!domain.verified && (
          <button
            type="button"
            className="button"
            disabled={verifying}
            onClick={() =>
              void verify({ variables: { workspaceId, id: domain.id } }).then(
                (r) => r.data && setResult(r.data.verifySsoDomain),
                (caught: unknown) => setResult({ verified: false, message: describeError(caught).message }),
              )
            }
          >
            {verifying ? "Checking DNS…" : `Verify ${domain.domain}`}
          </button>
        )}
        <button type="button" className="button button--quiet" disabled={removing} onClick={() => void remove({ variables: { workspaceId, id: domain.id } })}>
          Remove
        </button>
      </div>
    </li>
  );
}

export function SsoSection({ workspaceId }: { workspaceId: string }) {
  const { data, error } = useQuery(SsoSettingsDocument, { variables: { workspaceId } });
  const settings = data?.ssoSettings;
  return (
    <SettingsSection
      id="sso"
      title="Single sign-on"
      description={<p className="muted">Let people sign in with your organisation's OpenID Connect provider (Okta, Entra ID, Google Workspace, Keycloak…). Only the owner sees this.</p>}
    >
      {error !== undefined && <ErrorBanner error={describeError(error)} />}
      {settings === undefined ? (
        error === undefined && <p className="page-status">Loading…</p>
      ) : (
        <>
          <ProviderForm workspaceId={workspaceId} connection={settings.connection} />
          {settings.connection === null ? (
            <p className="muted">Connect your provider first; then add the e-mail domains it signs people in for.</p>
          ) : (
            <>
              <h3>Domains</h3>
              {settings.domains.length === 0 ? (
                <p className="muted">No domain yet. Add your company's e-mail domain and prove it with a DNS record.</p>
              ) : (
                <ul className="sso-domains">
                  {settings.domains.map((domain) => (
                    <DomainRow key={domain.id} workspaceId={workspaceId} domain={domain} />
                  ))}
                </ul>
              )}
              <AddDomainForm workspaceId={workspaceId} />
            </>
          )}
        </>
      )}
    </SettingsSection>
  );
}
