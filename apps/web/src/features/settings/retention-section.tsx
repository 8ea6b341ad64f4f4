import { useMutation } from "@apollo/client/react";
import { useEffect, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { showServerFieldErrors, useSchemaForm } from "../../platform/forms.ts";
import { FormActions, Radio, TextField } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { RetentionPreviewDocument, SetRetentionDocument } from "./operations.ts";
import {
  describeRetention,
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
  RETENTION_PRESETS,
  retentionDaysFromForm,
  retentionForm,
  retentionFormValue,
  type RetentionChoice,
  type RetentionForm,
} from "./retention.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

/** The form's field the API names in its errors (`{ retentionDays: "out of range" }`). */
const FIELDS = ["retentionDays"] as const;

/** The radios, in order: the presets (a number of days), then custom and forever. */
const CHOICES: readonly RetentionChoice[] = [
  ...RETENTION_PRESETS.map((days) => String(days) as RetentionChoice),
  "custom",
  "forever",
];

/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";

/** SPEC W6: how long leads and transcripts are kept. `preview` shows what the next sweep deletes. */
export function RetentionSection({
  workspace,
  canUpdate,
  preview,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  canUpdate: boolean;
  preview?: ReactNode;
}) {
  const { t } = useTranslation("settings");
  const initial = retentionFormValue(workspace.retentionDays);
  const form = useSchemaForm(retentionForm, { retention: initial.choice, retentionDays: initial.customDays });
  const { errors } = form.formState;
  const choice = form.watch("retention");
  const [setRetention] = useMutation(SetRetentionDocument, { refetchQueries: [RetentionPreviewDocument] });
  const save = useSave();

  // The server's verdict on the days shows where the form's own would.
  const { error } = save;
  const { setError } = form;
  useEffect(() => {
    if (error !== undefined) showServerFieldErrors({ setError }, error, FIELDS);
  }, [error, setError]);

  const onSubmit = async ({ retention, retentionDays }: RetentionForm) => {
    const result = retentionDaysFromForm({ choice: retention, customDays: retentionDays });
    if (!result.ok) {
      // The schema has refused these already; kept so that nothing unchecked is ever sent.
      form.setError("retentionDays", { type: "validate", message: result.problem });
      return;
    }
    await save.run(
      () => setRetention({ variables: { workspaceId: workspace.id, days: result.days } }),
      result.days === null ? t("retention.savedForever") : t("retention.saved", { count: result.days }),
    );
  };

  return (
    <SettingsSection
      id="retention"
      title={t("retention.title")}
      description={
        <p className="muted">
          <Trans
            ns="settings"
            i18nKey="retention.description"
            components={{
              current: <strong data-testid="retention-current">{describeRetention(workspace.retentionDays)}</strong>,
            }}
          />
        </p>
      }
    >
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <fieldset className="field" disabled={!canUpdate}>
          <legend>{t("retention.legend")}</legend>
          <div className="choice-row">
            {CHOICES.map((option) => (
              <label key={option} className="choice choice--inline">
                <Radio
                  value={option}
                  {...form.register("retention", {
                    onChange: () => {
                      // Another choice starts afresh: no banner, no days error from the last attempt.
                      form.clearErrors("retentionDays");
                      save.reset();
                    },
                  })}
                />
                <span>
                  {option === "custom"
                    ? t("retention.custom")
                    : option === "forever"
                      ? t("retention.forever")
                      : t("retention.days", { count: Number(option) })}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {choice === "custom" && (
          <TextField
            label={t("retention.daysLabel")}
            hint={t("retention.daysHint", { min: RETENTION_MIN_DAYS, max: RETENTION_MAX_DAYS })}
            error={errors.retentionDays?.message}
            type="number"
            inputMode="numeric"
            min={RETENTION_MIN_DAYS}
            max={RETENTION_MAX_DAYS}
            step={1}
            disabled={!canUpdate}
            {...form.register("retentionDays")}
          />
        )}
        {choice === "forever" && <p className="note">{t("retention.foreverNote")}</p>}
        <SaveStatus save={save} fieldsShown={choice === "custom" ? FIELDS : []} />
        {!canUpdate && (
          <WhyCantI workspaceId={workspace.id} action="update" subject={WORKSPACE} label={t("whyCantChange")} />
        )}
        {canUpdate && (
          <FormActions submitLabel={t("retention.submit")} pending={save.saving} pendingLabel={t("saving")} />
        )}
      </form>
      {preview}
    </SettingsSection>
  );
}
