import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { UpdateAgentPersonaDocument } from "./operations.ts";
import {
  MAX_QUALIFICATION_QUESTIONS,
  addQuestion,
  moveQuestion,
  questionsToSave,
  removeQuestion,
  replaceQuestion,
} from "./questions.ts";
import { SaveStatus, SettingsSection, inputProblem, useSave } from "./section.tsx";

export const AGENT_TONES = ["FRIENDLY", "PROFESSIONAL", "CONCISE", "ENTHUSIASTIC"] as const;
export type AgentTone = (typeof AGENT_TONES)[number];

export const TONE_LABELS: Record<AgentTone, string> = {
  FRIENDLY: "Friendly",
  PROFESSIONAL: "Professional",
  CONCISE: "Concise",
  ENTHUSIASTIC: "Enthusiastic",
};

function toneOf(value: string | null | undefined): AgentTone {
  return AGENT_TONES.find((tone) => tone === value) ?? "FRIENDLY";
}

/** Field errors of the questions: `qualificationQuestions` itself, or one per position. */
function questionErrors(fields: Readonly<Record<string, string>>): { list?: string; byIndex: Record<number, string> } {
  const byIndex: Record<number, string> = {};
  let list: string | undefined;
  for (const [key, message] of Object.entries(fields)) {
    const match = /^qualificationQuestions(?:[.[](\d+)\]?)?$/.exec(key);
    if (match === null) continue;
    if (match[1] === undefined) list = message;
    else byIndex[Number(match[1])] = message;
  }
  return list === undefined ? { byIndex } : { list, byIndex };
}

/** SPEC W10: the agent's name, role, tone and ordered qualification questions. */
export function PersonaSection({ workspace, canUpdate }: { workspace: WorkspaceSettingsFieldsFragment; canUpdate: boolean }) {
  const [agentName, setAgentName] = useState(workspace.agentName ?? "");
  const [agentRole, setAgentRole] = useState(workspace.agentRole ?? "");
  const [tone, setTone] = useState<AgentTone>(toneOf(workspace.agentTone));
  const [questions, setQuestions] = useState<string[]>([...workspace.qualificationQuestions]);
  const [updatePersona] = useMutation(UpdateAgentPersonaDocument);
  const save = useSave();
  const fieldErrors = save.error?.fields ?? {};
  const { list: listError, byIndex } = questionErrors(fieldErrors);
  const shownFields = ["agentName", "agentRole", "tone", ...Object.keys(fieldErrors).filter((key) => key.startsWith("qualificationQuestions"))];

  const edit = (next: string[]) => {
    setQuestions(next);
    if (save.state.status === "saved") save.reset();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (agentName.trim() === "") problems["agentName"] = "Enter the agent's name.";
    if (agentRole.trim() === "") problems["agentRole"] = "Enter the agent's role.";
    if (Object.keys(problems).length > 0) {
      save.fail(inputProblem(problems));
      return;
    }
    const toSave = questionsToSave(questions);
    const saved = await save.run(
      () =>
        updatePersona({
          variables: {
            workspaceId: workspace.id,
            input: { agentName: agentName.trim(), agentRole: agentRole.trim(), tone, qualificationQuestions: toSave },
          },
        }),
      "Saved the agent persona.",
    );
    if (saved) setQuestions(toSave);
  };

  return (
    <SettingsSection
      id="persona"
      title="Agent persona"
      description={<p className="muted">Who the agent says it is, how it sounds, and what it asks every lead, in order.</p>}
    >
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <Field label="Agent name" error={fieldErrors["agentName"]}>
          {(control) => (
            <input {...control} type="text" value={agentName} disabled={!canUpdate} onChange={(event) => setAgentName(event.target.value)} />
          )}
        </Field>
        <Field label="Agent role" hint="For example: Sales assistant for Acme Plumbing." error={fieldErrors["agentRole"]}>
          {(control) => (
            <input {...control} type="text" value={agentRole} disabled={!canUpdate} onChange={(event) => setAgentRole(event.target.value)} />
          )}
        </Field>
        <Field label="Tone" error={fieldErrors["tone"]}>
          {(control) => (
            <select {...control} value={tone} disabled={!canUpdate} onChange={(event) => setTone(toneOf(event.target.value))}>
              {AGENT_TONES.map((value) => (
                <option key={value} value={value}>
                  {TONE_LABELS[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className={listError !== undefined ? "field field--invalid" : "field"} disabled={!canUpdate}>
          <legend>Qualification questions</legend>
          {questions.length === 0 && <p className="muted">No questions yet.</p>}
          <ol className="question-list" aria-label="Qualification questions">
            {questions.map((question, index) => (
              // Positions are the identity here: moving swaps texts, and inputs keep no state of their own.
              <li key={index} className="question-list__item">
                <Field label={`Question ${index + 1}`} error={byIndex[index]}>
                  {(control) => (
                    <input {...control} type="text" value={question} onChange={(event) => edit(replaceQuestion(questions, index, event.target.value))} />
                  )}
                </Field>
                <div className="question-list__actions">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Move question ${index + 1} up`}
                    disabled={index === 0}
                    onClick={() => edit(moveQuestion(questions, index, -1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Move question ${index + 1} down`}
                    disabled={index === questions.length - 1}
                    onClick={() => edit(moveQuestion(questions, index, 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Remove question ${index + 1}`}
                    onClick={() => edit(removeQuestion(questions, index))}
                  >
                    Remove
                  </button>
                </div>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="button button--small"
            disabled={questions.length >= MAX_QUALIFICATION_QUESTIONS}
            onClick={() => edit(addQuestion(questions))}
          >
            Add question
          </button>
          <p className="field__hint">
            Up to {MAX_QUALIFICATION_QUESTIONS} questions. Blank ones are dropped when saving.
          </p>
          {listError !== undefined && <p className="field__error">{listError}</p>}
        </fieldset>
        <SaveStatus save={save} fieldsShown={shownFields} />
        {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" label="Why can't I change this?" />}
        {canUpdate && (
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={save.saving}>
              {save.saving ? "Saving…" : "Save persona"}
            </button>
          </div>
        )}
      </form>
    </SettingsSection>
  );
}
