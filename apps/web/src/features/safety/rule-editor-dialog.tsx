/**
 * Add or edit a safety rule: checked as the API checks it (@atrium/validation's safetyRuleForm,
 * the pattern's problem as it is typed), tried on a sample before it is saved, and the API's own
 * verdict — a field refused, a name taken — shown beside the field it is about.
 */
import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { Controller } from "react-hook-form";
import { useTranslation } from "react-i18next";

import { SAFETY_PATTERN_MAX, SAFETY_RULE_NAME_MAX, safetyPatternProblem, safetyRuleForm } from "@atrium/validation";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, Checkbox, Dialog, FormActions, Radio, Switch, TextField } from "../../platform/ui/index.ts";
import { CreateSafetyRuleDocument, UpdateSafetyRuleDocument } from "./operations.ts";
import { PhraseInput } from "./phrase-input.tsx";
import {
  ACTIONS,
  blankRule,
  formFromRule,
  formFromTemplate,
  RULE_FIELDS,
  ruleInput,
  SCOPES,
  type RuleFormValues,
  type SafetyRule,
  type SafetyTemplate,
} from "./rule-form.ts";
import { TryIt } from "./try-it.tsx";

interface RuleEditorDialogProps {
  readonly workspaceId: string;
  /** The rule to edit; absent: a new rule. */
  readonly rule?: SafetyRule;
  /** A new rule's starting point: blank, or a template picked on the page. */
  readonly template?: SafetyTemplate;
  /** Offered at the top of a new rule's form; one click fills the form. */
  readonly templates: readonly SafetyTemplate[];
  readonly onClose: () => void;
  readonly onSaved: (rule: SafetyRule, created: boolean) => void;
}

export function RuleEditorDialog({ workspaceId, rule, template, templates, onClose, onSaved }: RuleEditorDialogProps) {
  const { t } = useTranslation("safety");
  const initial =
    rule !== undefined ? formFromRule(rule) : template !== undefined ? formFromTemplate(template) : blankRule();
  const form = useSchemaForm(safetyRuleForm, initial);
  const { errors } = form.formState;
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [templateKey, setTemplateKey] = useState<string | null>(rule?.template ?? template?.key ?? null);
  const [phraseProblem, setPhraseProblem] = useState<string>();
  const [create, created] = useMutation(CreateSafetyRuleDocument);
  const [update, updated] = useMutation(UpdateSafetyRuleDocument);
  const values = form.watch();
  const pattern = values.pattern ?? "";
  // Said as it is typed: the API refuses the same patterns with the same sentence.
  const patternProblem = pattern.trim() === "" ? undefined : safetyPatternProblem(pattern.trim());
  const actionHintId = useId();

  const applyTemplate = (picked: SafetyTemplate) => {
    form.reset(formFromTemplate(picked));
    form.clearServerError();
    setPhraseProblem(undefined);
    setTemplateKey(picked.key);
  };

  const onSubmit = async (parsed: RuleFormValues) => {
    form.clearServerError();
    const input = ruleInput(parsed, { enabled, template: templateKey });
    try {
      if (rule === undefined) {
        const result = await create({ variables: { workspaceId, input } });
        if (result.data) onSaved(result.data.createSafetyRule, true);
      } else {
        const result = await update({ variables: { workspaceId, id: rule.id, input } });
        if (result.data) onSaved(result.data.updateSafetyRule, false);
      }
    } catch (caught) {
      const error = describeError(caught);
      // CONFLICT is the name (unique per workspace): said beside it, like a refused field.
      form.failed(error.code === "CONFLICT" ? { ...error, fields: { name: error.message } } : error, RULE_FIELDS);
      if (error.code === "CONFLICT") form.setFocus("name");
    }
  };

  return (
    <Dialog
      title={rule === undefined ? t("editor.addTitle") : t("editor.editTitle", { name: rule.name })}
      onClose={onClose}
    >
      <form className="form rule-editor" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        {rule === undefined && templates.length > 0 && (
          <details className="rule-templates" open={template === undefined && templateKey === null}>
            <summary>{t("editor.startFromTemplate")}</summary>
            <ul className="rule-templates__list">
              {templates.map((option) => (
                <li key={option.key}>
                  <Button
                    variant="bare"
                    className="rule-template"
                    aria-pressed={templateKey === option.key}
                    onClick={() => applyTemplate(option)}
                  >
                    <span className="rule-template__name">{option.name}</span>
                    <span className="rule-template__description">{option.description}</span>
                  </Button>
                </li>
              ))}
            </ul>
          </details>
        )}
        {rule === undefined && templateKey !== null && (
          <p className="note" role="status">
            {t("editor.filledFromTemplate", {
              name: templates.find((option) => option.key === templateKey)?.name ?? templateKey,
            })}
          </p>
        )}
        <ErrorBanner error={form.serverError} fieldsShown={RULE_FIELDS} />
        <TextField
          label={t("editor.nameLabel")}
          hint={t("editor.nameHint", { max: SAFETY_RULE_NAME_MAX })}
          error={errors.name?.message}
          type="text"
          autoComplete="off"
          {...form.register("name", { setValueAs: trimmed })}
        />
        <Controller
          control={form.control}
          name="phrases"
          render={({ field }) => (
            <Field
              label={t("editor.phrasesLabel")}
              hint={t("editor.phrasesHint")}
              error={phraseProblem ?? errors.phrases?.message}
            >
              {(control) => (
                <PhraseInput
                  control={control}
                  phrases={field.value}
                  inputRef={field.ref}
                  onBlur={field.onBlur}
                  onProblem={setPhraseProblem}
                  onChange={(phrases) =>
                    form.setValue("phrases", phrases, { shouldValidate: form.formState.isSubmitted, shouldDirty: true })
                  }
                />
              )}
            </Field>
          )}
        />
        <TextField
          label={t("editor.patternLabel")}
          hint={t("editor.patternHint", { max: SAFETY_PATTERN_MAX })}
          error={patternProblem ?? errors.pattern?.message}
          type="text"
          className="rule-editor__pattern"
          autoComplete="off"
          spellCheck={false}
          placeholder={t("editor.patternPlaceholder")}
          {...form.register("pattern")}
        />
        <fieldset
          className={errors.appliesTo !== undefined ? "field field--invalid" : "field"}
          aria-describedby={errors.appliesTo !== undefined ? "rule-scope-error" : undefined}
        >
          <legend>{t("editor.appliesToLegend")}</legend>
          {SCOPES.map((scope) => (
            <label key={scope} className="choice">
              <Checkbox value={scope} {...form.register("appliesTo")} />
              <span>
                {t(`scopes.${scope}.label`)} <span className="muted small">{t(`scopes.${scope}.hint`)}</span>
              </span>
            </label>
          ))}
          {errors.appliesTo !== undefined && (
            <p className="field__error" id="rule-scope-error">
              {errors.appliesTo.message}
            </p>
          )}
        </fieldset>
        <fieldset className={errors.action !== undefined ? "field field--invalid" : "field"}>
          <legend>{t("editor.actionLegend")}</legend>
          {ACTIONS.map((action) => (
            <label key={action} className="choice">
              <Radio value={action} aria-describedby={`${actionHintId}-${action}`} {...form.register("action")} />
              <span>
                <strong>{t(`actions.${action}.label`)}</strong>{" "}
                <span className="muted small" id={`${actionHintId}-${action}`}>
                  {t(`actions.${action}.explanation`)}
                </span>
              </span>
            </label>
          ))}
          {errors.action !== undefined && <p className="field__error">{errors.action.message}</p>}
        </fieldset>
        <div className="field">
          <Switch checked={enabled} onCheckedChange={setEnabled}>
            {t("editor.enabled")}
          </Switch>
          <p className="field__hint">{enabled ? t("editor.enabledHint") : t("editor.disabledHint")}</p>
        </div>
        <TryIt values={values} />
        <FormActions
          submitLabel={rule === undefined ? t("editor.submitAdd") : t("editor.submitSave")}
          pending={created.loading || updated.loading}
          pendingLabel={t("editor.saving")}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
