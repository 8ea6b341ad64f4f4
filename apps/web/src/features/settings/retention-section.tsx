import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation } from "@apollo/client/react";
import { type FormEvent, type ReactNode, useState } from "react";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { RetentionPreviewDocument, SetRetentionDocument } from "./operations.ts";
import {
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
  RETENTION_PRESETS,
  type RetentionChoice,
  describeRetention,
  retentionDaysFromForm,
  retentionFormValue,
} from "./retention.ts";
import { SaveStatus, SettingsSection, inputProblem, useSave } from "./section.tsx";

const CHOICES: readonly { value: RetentionChoice; label: string }[] = [
  ...RETENTION_PRESETS.map((days) => ({ value: String(days) as RetentionChoice, label: `${days} days` })),
  { value: "custom", label: "Custom" },
  { value: "forever", label: "Forever" },
];

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
  const initial = retentionFormValue(workspace.retentionDays);
  const [choice, setChoice] = useState<RetentionChoice>(initial.choice);
  const [customDays, setCustomDays] = useState(initial.customDays);
  const [setRetention] = useMutation(SetRetentionDocument, { refetchQueries: [RetentionPreviewDocument] });
  const save = useSave();
  const fieldErrors = save.error?.fields ?? {};

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = retentionDaysFromForm({ choice, customDays });
    if (!result.ok) {
      save.fail(inputProblem({ days: result.problem }));
      return;
    }
    await save.run(
      () => setRetention({ variables: { workspaceId: workspace.id, days: result.days } }),
      result.days === null ? "Saved. Leads and transcripts are kept forever." : `Saved. Leads and transcripts older than ${result.days} days are deleted nightly.`,
    );
  };

  return (
    <SettingsSection
      id="retention"
      title="Data retention"
      description={
        <p className="muted">
          Leads and transcripts (conversations and messages) older than this, and the webhook delivery log&apos;s settled
          deliveries, are deleted every night at 03:00 UTC, and the deletion is recorded in the audit log. Currently: <strong data-testid="retention-current">{describeRetention(workspace.retentionDays)}</strong>.
        </p>
      }
    >
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <fieldset className="field" disabled={!canUpdate}>
          <legend>Keep leads and transcripts for</legend>
          <div className="choice-row">
            {CHOICES.map((option) => (
              <label key={option.value} className="choice choice--inline">
                <input
                  type="radio"
                  name="retention"
                  value={option.value}
                  checked={choice === option.value}
                  onChange={() => {
                    setChoice(option.value);
                    save.reset();
                  }}
                />
                <span>{option.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {choice === "custom" && (
          <Field label="Days" hint={`From ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS}.`} error={fieldErrors["days"]}>
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={RETENTION_MIN_DAYS}
                max={RETENTION_MAX_DAYS}
                step={1}
                value={customDays}
                disabled={!canUpdate}
                onChange={(event) => setCustomDays(event.target.value)}
              />
            )}
          </Field>
        )}
        {choice === "forever" && <p className="note">Forever turns the nightly deletion off.</p>}
        <SaveStatus save={save} fieldsShown={choice === "custom" ? ["days"] : []} />
        {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" label="Why can't I change this?" />}
        {canUpdate && (
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={save.saving}>
              {save.saving ? "Saving…" : "Save retention"}
            </button>
          </div>
        )}
      </form>
      {preview}
    </SettingsSection>
  );
}
