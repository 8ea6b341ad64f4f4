/**
 * Issue 56: the opening message a new lead receives, written as a template over a fixed set of
 * variables, with a live preview built by the same renderer the API uses (@atrium/validation), so
 * what is shown is what a lead gets.
 */
import { useMutation } from "@apollo/client/react";
import { useEffect } from "react";
import { Trans, useTranslation } from "react-i18next";
import * as z from "zod/mini";

import {
  OPENING_MESSAGE_MAX,
  openingMessageTemplate,
  openingMessageTemplateProblem,
  openingMessageValues,
  renderOpeningMessage,
} from "@atrium/validation";

import { type AgentSettingsFieldsFragment, type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { UpdateAgentKnowledgeDocument } from "./agent-operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const schema = z.object({ openingMessageTemplate });
/** The form's field the API names in its errors. */
const FIELDS = ["openingMessageTemplate"] as const;
/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";
/** The section blocks of the template syntax, shown as written (not words to translate). */
const IF_MESSAGE = "{{#lead.message}}…{{/lead.message}}";
const UNLESS_MESSAGE = "{{^lead.message}}…{{/lead.message}}";

/** The opening message for a pretend lead, or null while the template has a problem. */
export function previewOpening(
  workspace: WorkspaceSettingsFieldsFragment,
  template: string,
  lead: { name: string; message: string | null },
): string | null {
  if (openingMessageTemplateProblem(template) !== undefined) return null;
  return renderOpeningMessage(
    template,
    openingMessageValues({
      leadName: lead.name,
      leadMessage: lead.message,
      businessName: workspace.name,
      agentName: workspace.agentName ?? null,
      agentRole: workspace.agentRole ?? null,
      firstQuestion: workspace.qualificationQuestions[0] ?? null,
    }),
  );
}

export function OpeningMessageSection({
  workspace,
  settings,
  canUpdate,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  settings: AgentSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const form = useSchemaForm(schema, { openingMessageTemplate: settings.openingMessageTemplate });
  const [update] = useMutation(UpdateAgentKnowledgeDocument);
  const save = useSave();
  const template = form.watch("openingMessageTemplate");
  const { error } = save;
  const { setError } = form;
  useEffect(() => {
    const message = serverFieldMessage(error, "openingMessageTemplate");
    if (message !== undefined) setError("openingMessageTemplate", { type: "server", message });
  }, [error, setError]);

  const saveTemplate = (value: string | null, done: string) =>
    save.run(async () => {
      const result = await update({
        variables: { workspaceId: workspace.id, input: { openingMessageTemplate: value } },
      });
      const saved = result.data?.updateAgentKnowledge.openingMessageTemplate;
      if (saved !== undefined) form.reset({ openingMessageTemplate: saved });
    }, done);

  const insert = (name: string) => {
    const current = form.getValues("openingMessageTemplate");
    form.setValue(
      "openingMessageTemplate",
      `${current}${current.endsWith(" ") || current === "" ? "" : " "}{{${name}}}`,
      { shouldDirty: true, shouldValidate: true },
    );
  };

  const sampleName = t("sample.name");
  const sampleMessage = t("sample.message");
  const withMessage = previewOpening(workspace, template, { name: sampleName, message: sampleMessage });
  const withoutMessage = previewOpening(workspace, template, { name: sampleName, message: null });

  return (
    <SettingsSection
      id="opening-message"
      title={t("openingMessage.title")}
      description={
        <p className="muted">
          <Trans
            ns="settings"
            i18nKey="openingMessage.description"
            values={{ ifMessage: IF_MESSAGE, unlessMessage: UNLESS_MESSAGE }}
          />
        </p>
      }
    >
      <form
        className="form"
        onSubmit={(event) =>
          void form.handleSubmit(({ openingMessageTemplate: value }) => saveTemplate(value, t("openingMessage.saved")))(
            event,
          )
        }
        noValidate
      >
        <Field
          label={t("openingMessage.templateLabel")}
          hint={
            settings.openingMessageIsDefault
              ? t("openingMessage.templateHintDefault", { max: OPENING_MESSAGE_MAX })
              : t("openingMessage.templateHint", { max: OPENING_MESSAGE_MAX })
          }
          error={form.formState.errors.openingMessageTemplate?.message}
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              spellCheck
              disabled={!canUpdate}
              {...form.register("openingMessageTemplate")}
            />
          )}
        </Field>
        <div className="field">
          <p className="field__label" id="opening-variables-title">
            {t("openingMessage.variables")}
          </p>
          <ul className="link-list" aria-labelledby="opening-variables-title">
            {settings.templateVariables.map((variable) => (
              <li key={variable.name}>
                <code>{`{{${variable.name}}}`}</code> <span className="muted">{variable.description}</span>{" "}
                {canUpdate && (
                  <Button
                    size="small"
                    aria-label={t("openingMessage.insertLabel", { variable: `{{${variable.name}}}` })}
                    onClick={() => insert(variable.name)}
                  >
                    {t("openingMessage.insert")}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </div>
        <section className="opening-preview" aria-labelledby="opening-preview-title" data-testid="opening-preview">
          <h3 id="opening-preview-title">{t("openingMessage.preview")}</h3>
          {withMessage === null || withoutMessage === null ? (
            <p className="muted">{t("openingMessage.fixToPreview")}</p>
          ) : (
            <dl className="details">
              <dt>{t("openingMessage.toJaneWithMessage", { message: sampleMessage })}</dt>
              <dd className="wrap" data-testid="opening-preview-with-message">
                {withMessage}
              </dd>
              <dt>{t("openingMessage.toJaneWithoutMessage")}</dt>
              <dd className="wrap" data-testid="opening-preview-without-message">
                {withoutMessage}
              </dd>
            </dl>
          )}
        </section>
        <SaveStatus save={save} fieldsShown={FIELDS} />
        {!canUpdate && (
          <WhyCantI workspaceId={workspace.id} action="update" subject={WORKSPACE} label={t("whyCantChange")} />
        )}
        {canUpdate && (
          <>
            <FormActions submitLabel={t("openingMessage.submit")} pending={save.saving} pendingLabel={t("saving")} />
            {!settings.openingMessageIsDefault && (
              <Button disabled={save.saving} onClick={() => void saveTemplate(null, t("openingMessage.resetDone"))}>
                {t("openingMessage.reset")}
              </Button>
            )}
          </>
        )}
      </form>
    </SettingsSection>
  );
}
