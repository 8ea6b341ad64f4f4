/**
 * Single sign-on for the whole platform (issue 49, decision 0039 addendum), platform admins only:
 * connect one OpenID Connect provider, claim e-mail domains by DNS TXT record (the value shown
 * once), verify them, and require SSO per domain. The same settings shapes as a workspace's
 * (fragments SsoSettingsFields / SsoDomainFields of features/sso) and the same form rules
 * (@atrium/validation); a domain a workspace verified is refused by the API.
 */
import "../sso/sso.css";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import * as z from "zod/mini";

import { ssoClientId, ssoClientSecret, ssoDomainForm, ssoIssuerUrl, type SsoDomainForm } from "@atrium/validation";

import { type SsoSettingsFieldsFragment } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError, errorReason, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Page } from "../../platform/page.tsx";
import { Button, CodeBlock, ConfirmDialog, FormActions, Switch, TextField } from "../../platform/ui/index.ts";
import { SaveStatus, useSave } from "../settings/section.tsx";
import { TxtRecordBanner, type TxtRecord } from "../sso/txt-record.tsx";
import {
  AddPlatformSsoDomainDocument,
  ConnectPlatformSsoProviderDocument,
  DisconnectPlatformSsoProviderDocument,
  PlatformSsoSettingsDocument,
  RemovePlatformSsoDomainDocument,
  SetPlatformSsoDomainRequiredDocument,
  VerifyPlatformSsoDomainDocument,
} from "./platform-sso-operations.ts";

type Settings = SsoSettingsFieldsFragment;
type Domain = Settings["domains"][number];

/** The workspace form's rules without the preset: nobody joins a workspace through the platform's provider. */
const platformConnectionForm = z.object({
  issuerUrl: ssoIssuerUrl,
  clientId: ssoClientId,
  clientSecret: ssoClientSecret,
});
type PlatformConnectionForm = z.infer<typeof platformConnectionForm>;
const PROVIDER_FIELDS = ["issuerUrl", "clientId", "clientSecret"] as const;
const DOMAIN_FIELDS = ["domain"] as const;

/** The API's reasons this page has its own words for (the server's sentence otherwise). */
const REASONS = [
  "PROVIDER_UNREACHABLE",
  "DOMAIN_CLAIMED_BY_WORKSPACE",
  "SSO_NOT_CONNECTED",
  "DOMAIN_NOT_VERIFIED",
] as const;
type Reason = (typeof REASONS)[number];
const isReason = (value: string | undefined): value is Reason => REASONS.some((reason) => reason === value);

function useDescribe(): (caught: unknown) => UserFacingError {
  const { t } = useTranslation("platformSso");
  return (caught) => {
    const problem = describeError(caught);
    const reason = errorReason(caught);
    return isReason(reason) ? { ...problem, message: t(`errors.${reason}`) } : problem;
  };
}

/** The admin navigation's link to this page. */
export function PlatformSsoNavLink() {
  const { t } = useTranslation("platformSso");
  return <NavLink to="/admin/sso">{t("nav")}</NavLink>;
}

function ProviderForm({ connection }: { connection: Settings["connection"] }) {
  const { t } = useTranslation("platformSso");
  const describe = useDescribe();
  const form = useSchemaForm(platformConnectionForm, {
    issuerUrl: connection?.issuerUrl ?? "",
    clientId: connection?.clientId ?? "",
    clientSecret: "",
  });
  const { errors } = form.formState;
  const [connect, { loading }] = useMutation(ConnectPlatformSsoProviderDocument, {
    refetchQueries: [PlatformSsoSettingsDocument],
    awaitRefetchQueries: true,
  });
  const [disconnect] = useMutation(DisconnectPlatformSsoProviderDocument, {
    refetchQueries: [PlatformSsoSettingsDocument],
    awaitRefetchQueries: true,
  });
  const [confirming, setConfirming] = useState(false);
  const save = useSave();
  const onSubmit = async (input: PlatformConnectionForm) => {
    save.reset();
    try {
      await connect({
        variables: { input: { ...input, clientSecret: input.clientSecret === "" ? null : input.clientSecret } },
      });
      form.setValue("clientSecret", "");
      save.succeed(t("provider.saved"));
    } catch (caught) {
      const problem = describe(caught);
      save.fail(problem);
      form.failed(problem, PROVIDER_FIELDS);
    }
  };
  const redirectUri = connection?.redirectUri ?? `${window.location.origin}/sso/callback`;
  return (
    <>
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
      {connection !== null && (
        <div className="form__actions">
          <Button variant="ghost" onClick={() => setConfirming(true)}>
            {t("provider.disconnect")}
          </Button>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("provider.disconnectTitle")}
          confirmLabel={t("provider.disconnectConfirm")}
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await disconnect();
            setConfirming(false);
          }}
        >
          <p>{t("provider.disconnectBody")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function AddDomainForm() {
  const { t } = useTranslation("platformSso");
  const describe = useDescribe();
  const form = useSchemaForm(ssoDomainForm, { domain: "" });
  const { errors } = form.formState;
  const [add, { loading }] = useMutation(AddPlatformSsoDomainDocument, {
    refetchQueries: [PlatformSsoSettingsDocument],
  });
  const [record, setRecord] = useState<TxtRecord>();
  const onSubmit = async ({ domain }: SsoDomainForm) => {
    form.clearServerError();
    try {
      const result = await add({ variables: { domain } });
      const added = result.data?.addPlatformSsoDomain;
      if (added) setRecord({ domain: added.domain.domain, name: added.recordName, value: added.recordValue });
      form.reset({ domain: "" });
    } catch (caught) {
      form.failed(describe(caught), DOMAIN_FIELDS);
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
      {record !== undefined && <TxtRecordBanner record={record} testId="platform-sso-txt-record" />}
    </>
  );
}

function DomainRow({ domain }: { domain: Domain }) {
  const { t } = useTranslation("platformSso");
  const describe = useDescribe();
  const [verify, { loading: verifying }] = useMutation(VerifyPlatformSsoDomainDocument);
  const [setRequired] = useMutation(SetPlatformSsoDomainRequiredDocument);
  const [remove, { loading: removing }] = useMutation(RemovePlatformSsoDomainDocument, {
    refetchQueries: [PlatformSsoSettingsDocument],
  });
  const [result, setResult] = useState<{ verified: boolean; message: string }>();
  const save = useSave();
  return (
    <li className="sso-domain" data-testid={`platform-sso-domain-${domain.domain}`}>
      <div className="sso-domain__head">
        <strong>{domain.domain}</strong>{" "}
        <span className="badge">{domain.verified ? t("domains.verified") : t("domains.notVerified")}</span>
      </div>
      {!domain.verified && <p className="muted">{t("domains.recordAt", { name: domain.recordName })}</p>}
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
              () => setRequired({ variables: { id: domain.id, required } }),
              required
                ? t("domains.requiredOn", { domain: domain.domain })
                : t("domains.requiredOff", { domain: domain.domain }),
            )
          }
        >
          {t("domains.require")}
        </Switch>
      )}
      <SaveStatus save={save} />
      <div className="form__actions">
        {!domain.verified && (
          <Button
            disabled={verifying}
            onClick={() =>
              void verify({ variables: { id: domain.id } }).then(
                (r) => r.data && setResult(r.data.verifyPlatformSsoDomain),
                (caught: unknown) => setResult({ verified: false, message: describe(caught).message }),
              )
            }
          >
            {verifying ? t("domains.verifying") : t("domains.verify", { domain: domain.domain })}
          </Button>
        )}
        <Button
          variant="ghost"
          disabled={removing}
          aria-label={t("domains.removeLabel", { domain: domain.domain })}
          onClick={() => void remove({ variables: { id: domain.id } })}
        >
          {t("domains.remove")}
        </Button>
      </div>
    </li>
  );
}

/** The platform's provider and its domains. */
export function PlatformSso() {
  const { t } = useTranslation("platformSso");
  const { data, error } = useQuery(PlatformSsoSettingsDocument, { fetchPolicy: "network-only" });
  const settings = data?.platformSsoSettings;
  return (
    <div className="stack">
      <p className="muted">{t("page.description")}</p>
      {error !== undefined && <ErrorBanner error={describeError(error)} />}
      {settings === undefined ? (
        error === undefined && <p className="page-status">{t("page.loading")}</p>
      ) : (
        <>
          <ProviderForm connection={settings.connection} />
          {settings.connection === null ? (
            <p className="muted">{t("domains.connectFirst")}</p>
          ) : (
            <>
              <h3>{t("domains.title")}</h3>
              {settings.domains.length === 0 ? (
                <p className="muted">{t("domains.empty")}</p>
              ) : (
                <ul className="sso-domains">
                  {settings.domains.map((domain) => (
                    <DomainRow key={domain.id} domain={domain} />
                  ))}
                </ul>
              )}
              <AddDomainForm />
            </>
          )}
        </>
      )}
    </div>
  );
}

/** /admin/sso */
export function AdminPlatformSsoPage() {
  const { t } = useTranslation("platformSso");
  return (
    <Page title={t("page.title")}>
      <PlatformSso />
    </Page>
  );
}
