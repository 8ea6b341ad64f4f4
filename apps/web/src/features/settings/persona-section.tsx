import { useMutation } from "@apollo/client/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { AGENT_TONES, agentPersonaForm, problemOf, qualificationQuestion, type AgentTone } from "@atrium/validation";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions, Select, TextField } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { UpdateAgentPersonaDocument } from "./operations.ts";
import {
  addQuestion,
  MAX_QUALIFICATION_QUESTIONS,
  moveQuestion,
  questionsToSave,
  removeQuestion,
  replaceQuestion,
} from "./questions.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

export { AGENT_TONES, type AgentTone };

/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";
/** The move buttons' arrows (their names are their aria-labels). */
const UP = "↑";
const DOWN = "↓";

function toneOf(value: string | null | undefined): AgentTone {
  return AGENT_TONES.find((tone) => tone === value) ?? "FRIENDLY";
}

/**
 * The shared persona form, but with the questions as edited: blank ones are dropped when saving
 * (questionsToSave), so only the others must pass the shared rule, each at its own position.
 */
const schema = z.object({
  ...agentPersonaForm.shape,
  qualificationQuestions: z.array(z.string()).check(
    z.superRefine((questions, ctx) => {
      questions.forEach((question, index) => {
        const problem = question.trim() === "" ? undefined : problemOf(qualificationQuestion, question.trim());
        if (problem !== undefined)
          ctx.issues.push({ code: "custom", message: problem, input: question, path: [index] });
      });
    }),
  ),
});
type Values = z.output<typeof schema>;
const FIELDS = ["agentName", "agentRole", "tone"] as const;

/**
 * The server's field keys for the questions — `qualificationQuestions` itself, or one position as
 * `qualificationQuestions.2` / `qualificationQuestions[2]` — as this form's: the list, or a position.
 */
function questionKey(key: string): "qualificationQuestions" | `qualificationQuestions.${number}` | undefined {
  const match = /^qualificationQuestions(?:[.[](\d+)\]?)?$/.exec(key);
  if (match === null) return undefined;
  return match[1] === undefined ? "qualificationQuestions" : `qualificationQuestions.${Number(match[1])}`;
}

/** SPEC W10: the agent's name, role, tone and ordered qualification questions. */
export function PersonaSection({
  workspace,
  canUpdate,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const form = useSchemaForm(schema, {
    agentName: workspace.agentName ?? "",
    agentRole: workspace.agentRole ?? "",
    tone: toneOf(workspace.agentTone),
    qualificationQuestions: [...workspace.qualificationQuestions],
  });
  const { errors } = form.formState;
  const questions = form.watch("qualificationQuestions");
  const [updatePersona] = useMutation(UpdateAgentPersonaDocument);
  const save = useSave();
  const serverFields = save.error?.fields ?? {};
  const shownFields = [...FIELDS, ...Object.keys(serverFields).filter((key) => questionKey(key) !== undefined)];
  const listError = errors.qualificationQuestions?.message ?? errors.qualificationQuestions?.root?.message;

  // The server's verdict on a field shows where the form's own would.
  const { error } = save;
  const { setError } = form;
  useEffect(() => {
    if (error === undefined) return;
    for (const key of Object.keys(error.fields)) {
      const name = FIELDS.find((field) => field === key) ?? questionKey(key);
      const message = serverFieldMessage(error, key);
      if (name !== undefined && message !== undefined) setError(name, { type: "server", message });
    }
  }, [error, setError]);

  const edit = (next: string[]) => {
    form.setValue("qualificationQuestions", next, { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
    if (save.state.status === "saved") save.reset();
  };

  const onSubmit = async ({ agentName, agentRole, tone, qualificationQuestions }: Values) => {
    const toSave = questionsToSave(qualificationQuestions);
    const saved = await save.run(
      () =>
        updatePersona({
          variables: {
            workspaceId: workspace.id,
            input: { agentName, agentRole, tone, qualificationQuestions: toSave },
          },
        }),
      t("persona.saved"),
    );
    if (saved) form.setValue("qualificationQuestions", toSave);
  };

  return (
    <SettingsSection
      id="persona"
      title={t("persona.title")}
      description={<p className="muted">{t("persona.description")}</p>}
    >
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <TextField
          label={t("persona.nameLabel")}
          error={errors.agentName?.message}
          type="text"
          disabled={!canUpdate}
          {...form.register("agentName", { setValueAs: trimmed })}
        />
        <TextField
          label={t("persona.roleLabel")}
          hint={t("persona.roleHint")}
          error={errors.agentRole?.message}
          type="text"
          disabled={!canUpdate}
          {...form.register("agentRole", { setValueAs: trimmed })}
        />
        <Select
          label={t("persona.toneLabel")}
          error={errors.tone?.message}
          disabled={!canUpdate}
          {...form.register("tone")}
        >
          {AGENT_TONES.map((value) => (
            <option key={value} value={value}>
              {t(`persona.tones.${value}`)}
            </option>
          ))}
        </Select>
        <fieldset className={listError !== undefined ? "field field--invalid" : "field"} disabled={!canUpdate}>
          <legend>{t("persona.questionsLegend")}</legend>
          {questions.length === 0 && <p className="muted">{t("persona.noQuestions")}</p>}
          <ol className="question-list" aria-label={t("persona.questionsLegend")}>
            {questions.map((question, index) => (
              // Positions are the identity here: moving swaps texts, and inputs keep no state of their own.
              <li key={index} className="question-list__item">
                <TextField
                  label={t("persona.question", { number: index + 1 })}
                  error={errors.qualificationQuestions?.[index]?.message}
                  type="text"
                  value={question}
                  onChange={(event) => edit(replaceQuestion(questions, index, event.target.value))}
                />
                <div className="question-list__actions">
                  <Button
                    size="small"
                    aria-label={t("persona.moveUp", { number: index + 1 })}
                    disabled={index === 0}
                    onClick={() => edit(moveQuestion(questions, index, -1))}
                  >
                    {UP}
                  </Button>
                  <Button
                    size="small"
                    aria-label={t("persona.moveDown", { number: index + 1 })}
                    disabled={index === questions.length - 1}
                    onClick={() => edit(moveQuestion(questions, index, 1))}
                  >
                    {DOWN}
                  </Button>
                  <Button
                    size="small"
                    aria-label={t("persona.remove", { number: index + 1 })}
                    onClick={() => edit(removeQuestion(questions, index))}
                  >
                    {t("persona.removeButton")}
                  </Button>
                </div>
              </li>
            ))}
          </ol>
          <Button
            disabled={questions.length >= MAX_QUALIFICATION_QUESTIONS}
            onClick={() => edit(addQuestion(questions))}
          >
            {t("persona.addQuestion")}
          </Button>
          <p className="field__hint">{t("persona.questionsHint", { max: MAX_QUALIFICATION_QUESTIONS })}</p>
          {listError !== undefined && <p className="field__error">{listError}</p>}
        </fieldset>
        <SaveStatus save={save} fieldsShown={shownFields} />
        {!canUpdate && (
          <WhyCantI workspaceId={workspace.id} action="update" subject={WORKSPACE} label={t("whyCantChange")} />
        )}
        {canUpdate && (
          <FormActions submitLabel={t("persona.submit")} pending={save.saving} pendingLabel={t("saving")} />
        )}
      </form>
    </SettingsSection>
  );
}
