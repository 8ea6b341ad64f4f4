/**
 * Add or edit a WhatsApp template: checked as the API checks it (@atrium/validation's
 * messageTemplateForm), one select per {{n}} placeholder of the pasted text, and the text as a
 * sample contact would read it, updated as it is typed.
 */
import { useMutation } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { messageTemplateForm, TEMPLATE_BODY_MAX, TEMPLATE_NAME_MAX } from "@atrium/validation";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Dialog, FormActions, SelectInput, Switch, TextField } from "../../platform/ui/index.ts";
import {
  blankTemplate,
  FIELD_OPTIONS,
  formFromTemplate,
  previewTemplateBody,
  sampleValues,
  TEMPLATE_FORM_FIELDS,
  templateFieldLabel,
  templateInput,
  variablesFor,
  type MessageTemplate,
  type TemplateFormValues,
} from "./template-form.ts";
import { CreateMessageTemplateDocument, UpdateMessageTemplateDocument } from "./template-operations.ts";

interface TemplateEditorDialogProps {
  readonly workspaceId: string;
  /** For the preview: the business and the agent's names as the recipient would read them. */
  readonly business: string;
  readonly agentName: string | null;
  /** The template to edit; absent: a new one. */
  readonly template?: MessageTemplate;
  /** Another template is the opening message now (switching this one on replaces it). */
  readonly openingTemplateName?: string;
  readonly onClose: () => void;
  readonly onSaved: (template: MessageTemplate, created: boolean) => void;
}

/** Placeholders as Twilio writes them (syntax, not words). */
const PLACEHOLDER = "{{n}}";
const PLACEHOLDERS = "{{1}}, {{2}}…";

export function TemplateEditorDialog({
  workspaceId,
  business,
  agentName,
  template,
  openingTemplateName,
  onClose,
  onSaved,
}: TemplateEditorDialogProps) {
  const { t } = useTranslation("settings");
  const form = useSchemaForm(
    messageTemplateForm,
    template !== undefined ? formFromTemplate(template) : blankTemplate(),
  );
  const { errors } = form.formState;
  const [useForOpening, setUseForOpening] = useState(template?.useForOpening ?? false);
  const [create, created] = useMutation(CreateMessageTemplateDocument);
  const [update, updated] = useMutation(UpdateMessageTemplateDocument);
  const body = form.watch("body");
  const variables = form.watch("variables");

  // One variable per placeholder of the text: pasting or editing the text adds or drops selects.
  useEffect(() => {
    const current = form.getValues("variables");
    const next = variablesFor(body, current);
    if (next.length !== current.length || next.some((v, i) => v !== current[i]))
      form.setValue("variables", next, { shouldValidate: form.formState.isSubmitted });
  }, [body, form]);

  const onSubmit = async (values: TemplateFormValues) => {
    form.clearServerError();
    const input = templateInput(values, useForOpening);
    try {
      if (template === undefined) {
        const result = await create({ variables: { workspaceId, input } });
        if (result.data) onSaved(result.data.createMessageTemplate, true);
      } else {
        const result = await update({ variables: { workspaceId, id: template.id, input } });
        if (result.data) onSaved(result.data.updateMessageTemplate, false);
      }
    } catch (caught) {
      const error = describeError(caught);
      // CONFLICT is the name (unique per workspace): said beside it, like a refused field.
      form.failed(
        error.code === "CONFLICT" ? { ...error, fields: { name: error.message } } : error,
        TEMPLATE_FORM_FIELDS,
      );
      if (error.code === "CONFLICT") form.setFocus("name");
    }
  };

  const variablesError = errors.variables?.message ?? errors.variables?.root?.message;
  const preview = previewTemplateBody(body, variables, sampleValues(business, agentName));
  return (
    <Dialog
      title={
        template === undefined ? t("templateEditor.addTitle") : t("templateEditor.editTitle", { name: template.name })
      }
      onClose={onClose}
    >
      <form className="form template-editor" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={form.serverError} fieldsShown={TEMPLATE_FORM_FIELDS} />
        <TextField
          label={t("templateEditor.nameLabel")}
          hint={t("templateEditor.nameHint", { max: TEMPLATE_NAME_MAX })}
          error={errors.name?.message}
          type="text"
          autoComplete="off"
          {...form.register("name", { setValueAs: trimmed })}
        />
        <TextField
          label={t("templateEditor.sidLabel")}
          hint={t("templateEditor.sidHint")}
          error={errors.contentSid?.message}
          type="text"
          className="template-editor__sid"
          autoComplete="off"
          spellCheck={false}
          placeholder={t("templateEditor.sidPlaceholder")}
          {...form.register("contentSid", { setValueAs: trimmed })}
        />
        <Field
          label={t("templateEditor.bodyLabel")}
          hint={t("templateEditor.bodyHint", { placeholders: PLACEHOLDERS, max: TEMPLATE_BODY_MAX })}
          error={errors.body?.message}
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              placeholder={t("templateEditor.bodyPlaceholder", { first: "{{1}}", second: "{{2}}" })}
              {...form.register("body")}
            />
          )}
        </Field>
        <fieldset
          className={
            variablesError !== undefined
              ? "field field--invalid template-editor__variables"
              : "field template-editor__variables"
          }
          data-testid="template-variables"
        >
          <legend>{t("templateEditor.variables")}</legend>
          {variables.length === 0 ? (
            <p className="field__hint">{t("templateEditor.noPlaceholders", { placeholder: PLACEHOLDER })}</p>
          ) : (
            variables.map((_, i) => (
              <Field
                key={i}
                label={t("templateEditor.filledWith", { placeholder: `{{${i + 1}}}` })}
                error={errors.variables?.[i]?.message}
              >
                {(control) => (
                  <SelectInput {...control} {...form.register(`variables.${i}`)}>
                    {FIELD_OPTIONS.map((option) => (
                      <option key={option} value={option}>
                        {templateFieldLabel(option)}
                      </option>
                    ))}
                  </SelectInput>
                )}
              </Field>
            ))
          )}
          {variablesError !== undefined && <p className="field__error">{variablesError}</p>}
        </fieldset>
        <div className="template-editor__preview" aria-live="polite">
          <p className="template-editor__preview-title">
            {t("templateEditor.previewTitle", { name: t("sample.name") })}
          </p>
          <p className="template-editor__bubble" data-testid="template-preview">
            {preview.trim() === "" ? <span className="muted">{t("templateEditor.previewEmpty")}</span> : preview}
          </p>
        </div>
        <div className="field">
          <Switch checked={useForOpening} onCheckedChange={setUseForOpening}>
            {t("templateEditor.useForOpening")}
          </Switch>
          <p className="field__hint">
            {useForOpening
              ? openingTemplateName !== undefined
                ? t("templateEditor.openingReplaces", { name: openingTemplateName })
                : t("templateEditor.openingOn")
              : t("templateEditor.openingOff")}
          </p>
        </div>
        <FormActions
          submitLabel={template === undefined ? t("templateEditor.submitAdd") : t("templateEditor.submitSave")}
          pending={created.loading || updated.loading}
          pendingLabel={t("saving")}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
