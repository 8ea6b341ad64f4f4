/** The read-only and placeholder sections of the settings page. */
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { PublicFormLink } from "../leads/public-form-link.tsx";
import { AuthDiagnosticsDocument } from "./operations.ts";
import { SettingsSection } from "./section.tsx";

/** SPEC W5: the public form to share, and the UUID support asks for. */
export function ShareSection({ workspace }: { workspace: WorkspaceSettingsFieldsFragment }) {
  const { t } = useTranslation("settings");
  return (
    <SettingsSection id="public-form" title={t("share.title")}>
      <PublicFormLink slug={workspace.slug} />
      <div className="share">
        <span className="share__label">{t("share.idLabel")}</span>
        <code className="share__url" data-testid="workspace-uuid">
          {workspace.id}
        </code>
        <CopyButton text={workspace.id} label={t("share.copyId")} />
      </div>
    </SettingsSection>
  );
}

/** The CASL subject of API keys. */
const API_KEY = "ApiKey";

export function ApiKeysLink({
  workspaceId,
  slug,
  canManage,
}: {
  workspaceId: string;
  slug: string;
  canManage: boolean;
}) {
  const { t } = useTranslation("settings");
  return (
    <SettingsSection id="api-keys" title={t("apiKeys.title")}>
      <p className="muted">{t("apiKeys.description")}</p>
      {canManage ? (
        <Link to={`/w/${slug}/api-keys`}>{t("apiKeys.manage")}</Link>
      ) : (
        <>
          <p className="muted">{t("apiKeys.noPermission")}</p>
          <WhyCantI workspaceId={workspaceId} action="create" subject={API_KEY} />
        </>
      )}
    </SettingsSection>
  );
}

/**
 * SPEC W12, WhatsApp workspaces only: the URL Twilio must call when a message comes in. Twilio
 * signs every request with the card's auth token; the URL names this workspace.
 */
export function TwilioWebhookSection({ url }: { url: string }) {
  const { t } = useTranslation("settings");
  return (
    <SettingsSection
      id="twilio-webhook"
      title={t("twilioWebhook.title")}
      description={<p className="muted">{t("twilioWebhook.description")}</p>}
    >
      <div className="share">
        <span className="share__label">{t("twilioWebhook.urlLabel")}</span>
        <code className="share__url" data-testid="twilio-webhook-url">
          {url}
        </code>
        <CopyButton text={url} label={t("copyUrl")} />
      </div>
    </SettingsSection>
  );
}

function Presence({ label, configured, testId }: { label: string; configured: boolean; testId: string }) {
  const { t } = useTranslation("settings");
  return (
    <div className="diagnostic">
      <dt>{label}</dt>
      <dd data-testid={testId}>
        <span className={configured ? "badge" : "badge badge--warning"}>
          {configured ? t("authDiagnostics.configured") : t("authDiagnostics.notConfigured")}
        </span>
      </dd>
    </div>
  );
}

/** SPEC W8: whether the platform's secrets are present — never their values. Read-only. */
/** The diagnostics' test ids (names, not words). */
const SIGNING_SECRET_ID = "diagnostic-signing-secret";
const INTEGRATIONS_KEY_ID = "diagnostic-integrations-key";

export function AuthDiagnosticsSection({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("settings");
  const { data, error, refetch } = useQuery(AuthDiagnosticsDocument, { variables: { workspaceId } });
  const diagnostics = data?.authDiagnostics;
  return (
    <SettingsSection
      id="auth-diagnostics"
      title={t("authDiagnostics.title")}
      description={<p className="muted">{t("authDiagnostics.description")}</p>}
    >
      {diagnostics === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} small />
        ) : (
          <p className="page-status">{t("authDiagnostics.checking")}</p>
        )
      ) : (
        <dl className="diagnostics">
          <Presence
            label={t("authDiagnostics.signingSecret")}
            configured={diagnostics.signingSecretConfigured}
            testId={SIGNING_SECRET_ID}
          />
          <Presence
            label={t("authDiagnostics.integrationsKey")}
            configured={diagnostics.integrationsKeyConfigured}
            testId={INTEGRATIONS_KEY_ID}
          />
        </dl>
      )}
    </SettingsSection>
  );
}

export function MembersLink({ slug }: { slug: string }) {
  const { t } = useTranslation("settings");
  return (
    <SettingsSection id="members" title={t("members.title")}>
      <p className="muted">{t("members.description")}</p>
      <Link to={`/w/${slug}/members`}>{t("members.manage")}</Link>
    </SettingsSection>
  );
}
