/**
 * Issue 56: the opening message a new lead receives, written as a template over a fixed set of
 * variables, with a live preview built by the same renderer the API uses (@atrium/validation), so
 * what is shown is what a lead gets.
 */
import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation } from "@apollo/client/react";
import { OPENING_MESSAGE_MAX, openingMessageTemplate, openingMessageTemplateProblem, openingMessageValues, renderOpeningMessage } from "@atrium/validation";
import { useEffect } from "react";
import * as z from "zod/mini";
import { type AgentSettingsFieldsFragment, type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, useSchemaForm } from "../../platform/forms.ts";
import { FormActions } from "../../platform/ui/index.ts";
import { UpdateAgentKnowledgeDocument } from "./agent-operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const schema = z.object({ openingMessageTemplate });

/** The opening message for a pretend lead, or null while the template has a problem. */
export function previewOpening(workspace: WorkspaceSettingsFieldsFragment, template: string, lead: { name: string; message: string | null }): string | null {
  if (openingMessageTemplateProblem(template) !== undefined) return null;
  return renderOpeningMessage(
    template,
    openingMessageValues({ leadName: lead.name, leadMessage: lead.message, businessName: workspace.name, agentName: workspace.agentName ?? null, agentRole: workspace.agentRole ?? null, firstQuestion: workspace.qualificationQuestions[0] ?? null }),
  );
}

export function OpeningMessageSection({ workspace, settings, canUpdate }: { workspace: WorkspaceSettingsFieldsFragment; settings: AgentSettingsFieldsFragment; canUpdate: boolean }) {
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
      const result = await update({ variables: { workspaceId: workspace.id, input: { openingMessageTemplate: value } } });
      const saved = result.data?.updateAgentKnowledge.openingMessageTemplate;
      if (saved !== undefined) form.reset({ openingMessageTemplate: saved });
    }, done);

  const insert = (name: string) => {
    const current = form.getValues("openingMessageTemplate");
    form.setValue("openingMessageTemplate", `${current}${current.endsWith(" ") || current === "" ? "" : " "}{{${name}}}`, { shouldDirty: true, shouldValidate: true });
  };

  const withMessage = previewOpening(workspace, template, { name: "Jane Doe", message: "I'd like a check-up next Tuesday." });
  const withoutMessage = previewOpening(workspace, template, { name: "Jane Doe", message: null });

  return (
    <SettingsSection
      id="opening-message"
      title="Opening message"
      description={
        <p className="muted">
          The first message a new lead receives (the first line of a call in a voice workspace). Variables are filled in for each lead;
          {" {{#lead.message}}…{{/lead.message}} "}keeps its text only when the lead wrote a message, {"{{^lead.message}}…{{/lead.message}}"} only when they did not.
        </p>
      }
    >
      <form className="form" onSubmit={(event) => void form.handleSubmit(({ openingMessageTemplate: value }) => saveTemplate(value, "Saved the opening message."))(event)} noValidate>
        <Field label="Opening message template" hint={`At most ${OPENING_MESSAGE_MAX} characters.${settings.openingMessageIsDefault ? " This is the default." : ""}`} error={form.formState.errors.openingMessageTemplate?.message}>
          {(control) => <textarea {...control} rows={4} spellCheck disabled={!canUpdate} {...form.register("openingMessageTemplate")} />}
        </Field>
        <div className="field">
          <p className="field__label" id="opening-variables-title">
            Variables
          </p>
          <ul className="link-list" aria-labelledby="opening-variables-title">
            {settings.templateVariables.map((variable) => (
              <li key={variable.name}>
                <code>{`{{${variable.name}}}`}</code> <span className="muted">{variable.description}</span>{" "}
                {canUpdate && (
                  <button type="button" className="button button--small" aria-label={`Insert {{${variable.name}}}`} onClick={() => insert(variable.name)}>
                    Insert
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
        <section className="opening-preview" aria-labelledby="opening-preview-title" data-testid="opening-preview">
          <h3 id="opening-preview-title">Preview</h3>
          {withMessage === null || withoutMessage === null ? (
            <p className="muted">Fix the template to see the preview.</p>
          ) : (
            <dl className="details">
              <dt>To Jane, who wrote &ldquo;I&apos;d like a check-up next Tuesday.&rdquo;</dt>
              <dd className="wrap" data-testid="opening-preview-with-message">{withMessage}</dd>
              <dt>To Jane, who wrote nothing</dt>
              <dd className="wrap" data-testid="opening-preview-without-message">{withoutMessage}</dd>
            </dl>
          )}
        </section>
        <SaveStatus save={save} fieldsShown={["openingMessageTemplate"]} />
        {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" label="Why can't I change this?" />}
        {canUpdate && (
          <>
            <FormActions submitLabel="Save opening message" pending={save.saving} pendingLabel="Saving…" />
            {!settings.openingMessageIsDefault && (
              <button type="button" className="button" disabled={save.saving} onClick={() => void saveTemplate(null, "The opening message is the default again.")}>
                Reset to the default
              </button>
            )}
          </>
        )}
      </form>
    </SettingsSection>
  );
}
