/**
 * Issue 56: a test chat with the agent, as a lead would have it — the opening message first, then
 * the agent's replies written by the same prompt and OpenAI card. Nothing is stored or sent.
 */
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { problemOf, TEST_CHAT_MAX_MESSAGES, testChatMessageBody } from "@atrium/validation";

import {
  type AgentSettingsFieldsFragment,
  type TestChatRole,
  type WorkspaceSettingsFieldsFragment,
} from "../../gql/graphql.ts";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { Button, TextField } from "../../platform/ui/index.ts";
import { TestAgentChatDocument } from "./agent-operations.ts";
import { previewOpening } from "./opening-message-section.tsx";
import { SettingsSection } from "./section.tsx";

interface Turn {
  readonly role: TestChatRole;
  readonly content: string;
}

export function TestChatSection({
  workspace,
  settings,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  settings: AgentSettingsFieldsFragment;
}) {
  const { t } = useTranslation("settings");
  const [leadName, setLeadName] = useState(() => t("sample.name"));
  const [leadMessage, setLeadMessage] = useState("");
  const [turns, setTurns] = useState<readonly Turn[]>([]);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<UserFacingError | undefined>(undefined);
  const [send, { loading }] = useMutation(TestAgentChatDocument);
  const lead = { name: leadName.trim() || t("testChat.defaultLead"), message: leadMessage.trim() || null };
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
      title={t("testChat.title")}
      description={<p className="muted">{t("testChat.description")}</p>}
    >
      <div className="form">
        <TextField
          label={t("testChat.leadName")}
          type="text"
          value={leadName}
          maxLength={120}
          onChange={(event) => setLeadName(event.target.value)}
        />
        <Field label={t("testChat.leadMessage")} hint={t("testChat.leadMessageHint")}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={leadMessage}
              maxLength={4000}
              onChange={(event) => setLeadMessage(event.target.value)}
            />
          )}
        </Field>
      </div>
      <ol className="test-chat" aria-label={t("testChat.logLabel")} aria-live="polite" data-testid="test-chat-log">
        <li className="test-chat__turn test-chat__turn--agent">
          <span className="muted small">{t("testChat.agentOpening")}</span>
          <p className="wrap">{opening}</p>
        </li>
        {turns.map((turn, index) => (
          <li
            key={index}
            className={
              turn.role === "USER" ? "test-chat__turn test-chat__turn--lead" : "test-chat__turn test-chat__turn--agent"
            }
          >
            <span className="muted small">{turn.role === "USER" ? t("testChat.lead") : t("testChat.agent")}</span>
            <p className="wrap">{turn.content}</p>
          </li>
        ))}
        {loading && <li className="muted">{t("testChat.writing")}</li>}
      </ol>
      <ErrorBanner error={error} />
      <form className="form" onSubmit={(event) => void onSend(event)} noValidate>
        <Field label={t("testChat.yourMessage")} error={problem} hint={full ? t("testChat.full") : undefined}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={draft}
              disabled={full}
              onChange={(event) => setDraft(event.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={loading || full}>
            {loading ? t("testChat.sending") : t("testChat.send")}
          </Button>
          <Button
            disabled={loading || turns.length === 0}
            onClick={() => {
              setTurns([]);
              setError(undefined);
            }}
          >
            {t("testChat.startOver")}
          </Button>
        </div>
      </form>
    </SettingsSection>
  );
}
