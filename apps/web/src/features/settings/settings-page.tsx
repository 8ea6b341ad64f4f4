import { useQuery } from "@apollo/client/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";

import { useAbility } from "../../platform/ability.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { IntegrationsSection } from "../integrations/integrations-section.tsx";
import { SsoSection } from "../sso/sso-section.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { AgentSettingsSections } from "./agent-settings.tsx";
import { AgentStatusSection } from "./agent-status-section.tsx";
import { DangerZone } from "./danger-zone.tsx";
import { EnvironmentSection } from "./environment-section.tsx";
import {
  ApiKeysLink,
  AuthDiagnosticsSection,
  MembersLink,
  ShareSection,
  TwilioWebhookSection,
} from "./info-sections.tsx";
import { WorkspaceSettingsDocument } from "./operations.ts";
import { PersonaSection } from "./persona-section.tsx";
import { PrivacySection } from "./privacy-section.tsx";
import { RenameSection } from "./rename-section.tsx";
import { RetentionPreview } from "./retention-preview.tsx";
import { RetentionSection } from "./retention-section.tsx";
import { SecuritySection } from "./security-section.tsx";
import { SettingsIndex } from "./settings-index.tsx";
import { WhatsAppTemplatesLink } from "./whatsapp-templates-page.tsx";

/**
 * /w/:slug/settings (SPEC W11), top to bottom: agent status, rename, public form URL,
 * integrations, data retention, API keys, the Twilio sandbox webhook and WhatsApp templates (WhatsApp only),
 * authentication diagnostics; then persona, environment and members; the danger zone last.
 * Each section saves on its own. Controls the ability does not allow are not shown. A side index
 * (a disclosure above the sections on narrow screens) links to every section shown.
 */
export function SettingsPage({ workspace: current }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("settings");
  const ability = useAbility();
  const sections = useRef<HTMLDivElement>(null);
  const { data, error, refetch } = useQuery(WorkspaceSettingsDocument, { variables: { slug: current.slug } });
  const workspace = data?.workspace;
  if (workspace === undefined) {
    if (error !== undefined) {
      return <LoadError error={error} onRetry={refetch} />;
    }
    return <p className="page-status">{t("page.loading")}</p>;
  }

  const canUpdate = ability.can("update", "Workspace");
  const canDelete = ability.can("delete", "Workspace");
  const canManageKeys = ability.can("manage", "ApiKey") || ability.can("create", "ApiKey");

  return (
    <div className="settings-layout">
      <div className="settings" ref={sections}>
        <AgentStatusSection workspace={workspace} canUpdate={canUpdate} />
        <RenameSection workspace={workspace} canUpdate={canUpdate} />
        <ShareSection workspace={workspace} />
        {ability.can("read", "Integration") && (
          <IntegrationsSection workspaceId={workspace.id} canManage={ability.can("update", "Integration")} />
        )}
        <RetentionSection
          workspace={workspace}
          canUpdate={canUpdate}
          preview={<RetentionPreview workspaceId={workspace.id} />}
        />
        <ApiKeysLink workspaceId={workspace.id} slug={workspace.slug} canManage={canManageKeys} />
        {workspace.twilioWebhookUrl != null && <TwilioWebhookSection url={workspace.twilioWebhookUrl} />}
        {workspace.channel === "WHATSAPP" && <WhatsAppTemplatesLink slug={workspace.slug} />}
        <AuthDiagnosticsSection workspaceId={workspace.id} />
        <SecuritySection workspace={workspace} canUpdate={canUpdate} />
        {ability.can("read", "SingleSignOn") && <SsoSection workspaceId={workspace.id} />}
        {ability.can("read", "DataSubjectRequest") && <PrivacySection workspaceId={workspace.id} />}
        <PersonaSection workspace={workspace} canUpdate={canUpdate} />
        {canUpdate && <AgentSettingsSections workspace={workspace} />}
        <EnvironmentSection workspace={workspace} canUpdate={canUpdate} />
        {ability.can("read", "Member") && <MembersLink slug={workspace.slug} />}
        {canDelete && <DangerZone workspace={workspace} />}
      </div>
      <SettingsIndex sections={sections} />
    </div>
  );
}
