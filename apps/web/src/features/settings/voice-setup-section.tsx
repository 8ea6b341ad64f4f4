/**
 * Issue 56, voice workspaces: what to set up in Vapi — the server URL its assistant calls (tool
 * calls, status, end-of-call reports; authenticated by the Vapi card's server secret), the tools it
 * must define, and the variables each call starts with (the persona, knowledge and opening line).
 */
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

export function VoiceSetupSection({ settings }: { settings: AgentSettingsFieldsFragment }) {
  if (settings.vapiServerUrl == null) return null;
  return (
    <SettingsSection
      id="vapi-setup"
      title="Vapi assistant setup"
      description={
        <p className="muted">
          In the Vapi dashboard, set your assistant&apos;s server URL to this address and its server secret to the one on the Vapi card
          (Integrations). Atrium answers the tool calls below and stores each call&apos;s transcript.
        </p>
      }
    >
      <div className="share">
        <span className="share__label">Server URL</span>
        <code className="share__url" data-testid="vapi-server-url">
          {settings.vapiServerUrl}
        </code>
        <CopyButton text={settings.vapiServerUrl} label="Copy URL" />
      </div>
      <h3>Tools the assistant must define</h3>
      <ul className="link-list" aria-label="Vapi tools">
        {settings.vapiTools.map((tool) => (
          <li key={tool.name}>
            <code>{tool.name}</code> <span className="muted">{tool.description}</span>
            <details>
              <summary>Arguments (JSON Schema)</summary>
              <pre className="wrap">{prettyJson(tool.parameters)}</pre>
            </details>
          </li>
        ))}
      </ul>
      <h3>What each call starts with</h3>
      <p className="muted">
        Atrium sends the opening message as the call&apos;s first message, and these variables; put <code>{"{{instructions}}"}</code> in the
        assistant&apos;s system prompt so it gets the persona, the business knowledge and what the lead wrote in the form.
      </p>
      <p>
        {settings.vapiVariables.map((name) => (
          <code key={name} className="tag">{`{{${name}}}`}</code>
        ))}
      </p>
    </SettingsSection>
  );
}
