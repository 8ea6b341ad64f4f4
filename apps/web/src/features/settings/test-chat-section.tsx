/**
 * Issue 56: a test chat with the agent, as a lead would have it — the opening message first, then
 * the agent's replies written by the same prompt and OpenAI card. Nothing is stored or sent.
 */
import { useMutation } from "@apollo/client/react";
import { TEST_CHAT_MAX_MESSAGES, testChatMessageBody, problemOf } from "@atrium/validation";
import { type FormEvent, useState } from "react";
import { type AgentSettingsFieldsFragment, type TestChatRole, type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { TestAgentChatDocument } from "./agent-operations.ts";
import { previewOpening } from "./opening-message-section.tsx";
import { SettingsSection } from "./section.tsx";

interface Turn {
  readonly role: TestChatRole;
  readonly content: string;
}

export function TestChatSection({ workspace, settings }: { workspace: WorkspaceSettingsFieldsFragment; settings: AgentSettingsFieldsFragment }) {
  const [leadName, setLeadName] = useState("Jane Doe");
  const [leadMessage, setLeadMessage] = useState("");
  const [turns, setTurns] = useState<readonly Turn[]>([]);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<UserFacingError | undefined>(undefined);
  const [send, { loading }] = useMutation(TestAgentChatDocument);
  const lead = { name: leadName.trim() || "Test lead", message: leadMessage.trim() || null };
  const opening = previewOpening(workspace, settings.openingMessageTemplate, lead) ?? "";
  const full = turns.length + 2 > TEST_CHAT_MAX_MESSAGES;

  const onSend = async (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    const why = problemOf(testChatMessageBody, text);
    setProblem(why);
    if (why !== undefined) return;
    const asked: Turn[] = [...turns, { role: "USER", content: text }];
    setTurns(asked);
    setDraft("");
    setError(undefined);
    try {
      const messages: Turn[] = [{ role: "ASSISTANT", content: opening }, ...asked];
      const result = await send({ variables: { workspaceId: workspace.id, messages, lead } });
      const reply = result.data?.testAgentChat;
      if (reply !== undefined) setTurns([...asked, { role: "ASSISTANT", content: reply }]);
    } catch (caught) {
      setError(describeError(caught));
      setTurns(turns);
      setDraft(text);
    }
  };

  return (
    <SettingsSection
      id="test-chat"
      title="Test chat"
      description={<p className="muted">Talk to the agent as a lead would: it answers with its persona, knowledge and the lead&apos;s form message. Nothing is stored and nothing is sent to WhatsApp or a phone.</p>}
    >
      <div className="form">
        <Field label="The lead's name">{(control) => <input {...control} type="text" value={leadName} maxLength={120} onChange={(event) => setLeadName(event.target.value)} />}</Field>
        <Field label="What the lead wrote in the form" hint="Optional. The agent is told this and does not ask for it again.">
          {(control) => <textarea {...control} rows={2} value={leadMessage} maxLength={4000} onChange={(event) => setLeadMessage(event.target.value)} />}
        </Field>
      </div>
      <ol className="test-chat" aria-label="Test conversation" aria-live="polite" data-testid="test-chat-log">
        <li className="test-chat__turn test-chat__turn--agent">
          <span className="muted small">Agent (opening message)</span>
          <p className="wrap">{opening}</p>
        </li>
        {turns.map((turn, index) => (
          <li key={index} className={turn.role === "USER" ? "test-chat__turn test-chat__turn--lead" : "test-chat__turn test-chat__turn--agent"}>
            <span className="muted small">{turn.role === "USER" ? "Lead" : "Agent"}</span>
            <p className="wrap">{turn.content}</p>
          </li>
        ))}
        {loading && <li className="muted">The agent is writing…</li>}
      </ol>
      <ErrorBanner error={error} />
      <form className="form" onSubmit={(event) => void onSend(event)} noValidate>
        <Field label="Your message, as the lead" error={problem} hint={full ? "The test chat is full: start over." : undefined}>
          {(control) => <textarea {...control} rows={2} value={draft} disabled={full} onChange={(event) => setDraft(event.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={loading || full}>
            {loading ? "Sending…" : "Send"}
          </button>
          <button
            type="button"
            className="button"
            disabled={loading || turns.length === 0}
            onClick={() => {
              setTurns([]);
              setError(undefined);
            }}
          >
            Start over
          </button>
        </div>
      </form>
    </SettingsSection>
  );
}
