/**
 * Issue 56, voice workspaces: what to set up in Vapi — the server URL its assistant calls (tool
 * calls, status, end-of-call reports; authenticated by the Vapi card's server secret), the tools it
 * must define, and the variables each call starts with (the persona, knowledge and opening line).
 */
import { Trans, useTranslation } from "react-i18next";

import { type AgentSettingsFieldsFragment } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { SettingsSection } from "./section.tsx";

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The variable to put in the assistant's system prompt (template syntax, not words). */
const INSTRUCTIONS_VARIABLE = "{{instructions}}";

export function VoiceSetupSection({ settings }: { settings: AgentSettingsFieldsFragment }) {
  const { t } = useTranslation("settings");
  if (settings.vapiServerUrl == null) return null;
  return (
    <SettingsSection
      id="vapi-setup"
      title={t("voiceSetup.title")}
      description={<p className="muted">{t("voiceSetup.description")}</p>}
    >
      <div className="share">
        <span className="share__label">{t("voiceSetup.serverUrl")}</span>
        <code className="share__url" data-testid="vapi-server-url">
          {settings.vapiServerUrl}
        </code>
        <CopyButton text={settings.vapiServerUrl} label={t("copyUrl")} />
      </div>
      <h3>{t("voiceSetup.toolsTitle")}</h3>
      <ul className="link-list" aria-label={t("voiceSetup.toolsLabel")}>
        {settings.vapiTools.map((tool) => (
          <li key={tool.name}>
            <code>{tool.name}</code> <span className="muted">{tool.description}</span>
            <details>
              <summary>{t("voiceSetup.arguments")}</summary>
              <pre className="wrap">{prettyJson(tool.parameters)}</pre>
            </details>
          </li>
        ))}
      </ul>
      <h3>{t("voiceSetup.startTitle")}</h3>
      <p className="muted">
        <Trans
          ns="settings"
          i18nKey="voiceSetup.startDescription"
          components={{ variable: <code>{INSTRUCTIONS_VARIABLE}</code> }}
        />
      </p>
      <p>
        {settings.vapiVariables.map((name) => (
          <code key={name} className="tag">{`{{${name}}}`}</code>
        ))}
      </p>
    </SettingsSection>
  );
}
