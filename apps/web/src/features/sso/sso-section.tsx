/**
 * Single sign-on (issue 49), owners only: connect an OpenID Connect provider, claim e-mail
 * domains by DNS TXT record (the value shown once), verify them, and require SSO per domain.
 */
import "./sso.css";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PRESETS } from "@atrium/policies";
import { ssoConnectionForm, ssoDomainForm, type SsoConnectionForm, type SsoDomainForm } from "@atrium/validation";

import { type SsoSettingsQuery } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, CodeBlock, FormActions, Select, Switch, TextField } from "../../platform/ui/index.ts";
import { SaveStatus, SettingsSection, useSave } from "../settings/section.tsx";
import {
  AddSsoDomainDocument,
  ConnectSsoProviderDocument,
  RemoveSsoDomainDocument,
  SetSsoDomainRequiredDocument,
  SsoSettingsDocument,
  VerifySsoDomainDocument,
} from "./operations.ts";
import { TxtRecordBanner, type TxtRecord } from "./txt-record.tsx";

type Settings = SsoSettingsQuery["ssoSettings"];
type Domain = Settings["domains"][number];

const PROVIDER_FIELDS = ["issuerUrl", "clientId", "clientSecret", "defaultPreset"] as const;
const DOMAIN_FIELDS = ["domain"] as const;

function ProviderForm({ workspaceId, connection }: { workspaceId: string; connection: Settings["connection"] }) {
  const { t } = useTranslation("sso");
  // The presets' names are worded by the members namespace.
  const { t: tMembers } = useTranslation("members");
  const form = useSchemaForm(ssoConnectionForm, {
    issuerUrl: connection?.issuerUrl ?? "",
    clientId: connection?.clientId ?? "",
    clientSecret: "",
    defaultPreset: connection?.defaultPreset ?? "viewer",
  });
  const { errors } = form.formState;
  // The settings object has no id of its own: the query is read again rather than updated.
  const [connect, { loading }] = useMutation(ConnectSsoProviderDocument, {
    refetchQueries: [SsoSettingsDocument],
    awaitRefetchQueries: true,
  });
  const save = useSave();
  const onSubmit = async (input: SsoConnectionForm) => {
    save.reset();
    try {
      await connect({
        variables: {
          workspaceId,
          input: { ...input, clientSecret: input.clientSecret === "" ? null : input.clientSecret },
        },
      });
      form.setValue("clientSecret", "");
      save.succeed(t("provider.saved"));
    } catch (caught) {
      const problem = describeError(caught);
      save.fail(problem);
      // The API's verdict on a field (the issuer it could not reach) shows beside it.
      form.failed(problem, PROVIDER_FIELDS);
    }
  };
  const redirectUri = connection?.redirectUri ?? `${window.location.origin}/sso/callback`;
  return (
    <form
      className="form"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      noValidate
      aria-label={t("provider.formLabel")}
    >
      <TextField
        label={t("provider.issuerUrl")}
        hint={t("provider.issuerUrlHint")}
        error={errors.issuerUrl?.message}
        type="url"
        inputMode="url"
        autoComplete="off"
        {...form.register("issuerUrl", { setValueAs: trimmed })}
      />
      <TextField
        label={t("provider.clientId")}
        error={errors.clientId?.message}
        autoComplete="off"
        {...form.register("clientId", { setValueAs: trimmed })}
      />
      <TextField
        label={t("provider.clientSecret")}
        hint={
          connection
            ? t("provider.clientSecretStored", { masked: connection.clientSecretMasked })
            : t("provider.clientSecretNew")
        }
        error={errors.clientSecret?.message}
        type="password"
        autoComplete="new-password"
        {...form.register("clientSecret")}
      />
      <Select
        label={t("provider.defaultPreset")}
        hint={t("provider.defaultPresetHint")}
        error={errors.defaultPreset?.message}
        {...form.register("defaultPreset")}
      >
        {PRESETS.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {tMembers(`presets.${preset.id}.name`)}
          </option>
        ))}
      </Select>
      <div className="sso-redirect">
        <p className="muted">{t("provider.redirectIntro")}</p>
        <CodeBlock label={t("provider.redirectUri")}>{redirectUri}</CodeBlock>
        <CopyButton text={redirectUri} label={t("provider.copyRedirectUri")} />
      </div>
      <SaveStatus save={save} fieldsShown={PROVIDER_FIELDS} />
      <FormActions
        submitLabel={connection ? t("provider.save") : t("provider.connect")}
        pending={loading}
        pendingLabel={t("provider.checking")}
      />
    </form>
  );
}

function AddDomainForm({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("sso");
  const form = useSchemaForm(ssoDomainForm, { domain: "" });
  const { errors } = form.formState;
  const [add, { loading }] = useMutation(AddSsoDomainDocument, { refetchQueries: [SsoSettingsDocument] });
  const [record, setRecord] = useState<TxtRecord>();
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
      <form
        className="form"
        onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
        noValidate
        aria-label={t("addDomain.formLabel")}
      >
        <ErrorBanner error={form.serverError} fieldsShown={DOMAIN_FIELDS} />
        <TextField
          label={t("addDomain.label")}
          hint={t("addDomain.hint")}
          error={errors.domain?.message}
          autoComplete="off"
          {...form.register("domain", { setValueAs: trimmed })}
        />
        <FormActions submitLabel={t("addDomain.submit")} pending={loading} pendingLabel={t("addDomain.adding")} />
      </form>
      {record !== undefined && <TxtRecordBanner record={record} testId="sso-txt-record" />}
    </>
  );
}

function DomainRow({ workspaceId, domain }: { workspaceId: string; domain: Domain }) {
  const { t } = useTranslation("sso");
  const [verify, { loading: verifying }] = useMutation(VerifySsoDomainDocument);
  const [setRequired] = useMutation(SetSsoDomainRequiredDocument);
  const [remove, { loading: removing }] = useMutation(RemoveSsoDomainDocument, {
    refetchQueries: [SsoSettingsDocument],
  });
  const [result, setResult] = useState<{ verified: boolean; message: string }>();
  const save = useSave();
  return (
    <li className="sso-domain" data-testid={`sso-domain-${domain.domain}`}>
      <div className="sso-domain__head">
        <strong>{domain.domain}</strong>{" "}
        <span className={domain.verified ? "badge" : "badge"}>
          {domain.verified ? t("domain.verified") : t("domain.notVerified")}
        </span>
      </div>
      {!domain.verified && <p className="muted">{t("domain.txtAt", { name: domain.recordName })}</p>}
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
              required
                ? t("domain.requiredOn", { domain: domain.domain })
                : t("domain.requiredOff", { domain: domain.domain }),
            )
          }
        >
          {t("domain.requireSso")}
        </Switch>
      )}
      <SaveStatus save={save} />
      <div className="form__actions">
        {!domain.verified && (
          <Button
            disabled={verifying}
            onClick={() =>
              void verify({ variables: { workspaceId, id: domain.id } }).then(
                (r) => r.data && setResult(r.data.verifySsoDomain),
                (caught: unknown) => setResult({ verified: false, message: describeError(caught).message }),
              )
            }
          >
            {verifying ? t("domain.checking") : t("domain.verify", { domain: domain.domain })}
          </Button>
        )}
        <Button
          variant="ghost"
          disabled={removing}
          onClick={() => void remove({ variables: { workspaceId, id: domain.id } })}
        >
          {t("domain.remove")}
        </Button>
      </div>
    </li>
  );
}

export function SsoSection({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("sso");
  const { data, error } = useQuery(SsoSettingsDocument, { variables: { workspaceId } });
  const settings = data?.ssoSettings;
  return (
    <SettingsSection
      id="sso"
      title={t("section.title")}
      description={<p className="muted">{t("section.description")}</p>}
    >
      {error !== undefined && <ErrorBanner error={describeError(error)} />}
      {settings === undefined ? (
        error === undefined && <p className="page-status">{t("section.loading")}</p>
      ) : (
        <>
          <ProviderForm workspaceId={workspaceId} connection={settings.connection} />
          {settings.connection === null ? (
            <p className="muted">{t("section.connectFirst")}</p>
          ) : (
            <>
              <h3>{t("section.domains")}</h3>
              {settings.domains.length === 0 ? (
                <p className="muted">{t("section.noDomain")}</p>
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
