/** Issue 56: the agent's opening message, business knowledge, test chat and (voice) Vapi setup. */
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { AgentSettingsDocument } from "./agent-operations.ts";
import { KnowledgeSection } from "./knowledge-section.tsx";
import { OpeningMessageSection } from "./opening-message-section.tsx";
import { TestChatSection } from "./test-chat-section.tsx";
import { VoiceSetupSection } from "./voice-setup-section.tsx";

/** Shown to those who may change the settings (the query needs it); each section saves alone. */
export function AgentSettingsSections({ workspace }: { workspace: WorkspaceSettingsFieldsFragment }) {
  const { t } = useTranslation("settings");
  const { data, error, refetch } = useQuery(AgentSettingsDocument, { variables: { workspaceId: workspace.id } });
  if (data === undefined) {
    return error !== undefined ? (
      <LoadError error={error} onRetry={refetch} />
    ) : (
      <p className="muted">{t("agentSettings.loading")}</p>
    );
  }
  const settings = data.agentSettings;
  return (
    <>
      <OpeningMessageSection
        key={`opening-${settings.openingMessageTemplate}`}
        workspace={workspace}
        settings={settings}
        canUpdate
      />
      <KnowledgeSection workspaceId={workspace.id} settings={settings} canUpdate />
      <TestChatSection workspace={workspace} settings={settings} />
      <VoiceSetupSection settings={settings} />
    </>
  );
}
