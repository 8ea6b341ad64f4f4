/** Resolve a review item: what came of it (a usual outcome, or one written out) and an optional note. */
import { useMutation } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { Dialog, FormActions, Select, TextField } from "../../platform/ui/index.ts";
import { ResolveReviewItemDocument } from "./operations.ts";
import {
  COMMON_OUTCOMES,
  defaultOutcome,
  OTHER_OUTCOME,
  OUTCOME_KEYS,
  resolveForm,
  resolveVariables,
  REVIEW_NOTE_MAX,
  REVIEW_OUTCOME_MAX,
  type ResolveFormValues,
} from "./resolve-form.ts";
import { type ReviewItem } from "./review-queue.ts";

/** resolveReviewItem's arguments by the form's fields: the API's `outcome` is the written-out one here. */
const RESOLVE_FIELDS = ["custom", "note"] as const;

interface ResolveDialogProps {
  readonly workspaceId: string;
  readonly item: ReviewItem;
  readonly onClose: () => void;
  /** The item as the API answered it (resolved). */
  readonly onResolved: (item: ReviewItem) => void;
  /** A CONFLICT: someone else holds or resolved it. The dialog closes; the page says so. */
  readonly onConflict: (error: unknown) => void;
}

export function ResolveDialog({ workspaceId, item, onClose, onResolved, onConflict }: ResolveDialogProps) {
  const { t } = useTranslation("review");
  const form = useSchemaForm(resolveForm, { preset: defaultOutcome(item.reason), custom: "", note: "" });
  const { errors } = form.formState;
  const preset = form.watch("preset");
  const note = form.watch("note");
  const [resolve, { loading }] = useMutation(ResolveReviewItemDocument);

  const onSubmit = async (values: ResolveFormValues) => {
    form.clearServerError();
    try {
      const result = await resolve({ variables: { workspaceId, id: item.id, ...resolveVariables(values) } });
      if (result.data) onResolved(result.data.resolveReviewItem);
    } catch (caught) {
      const error = describeError(caught);
      if (error.code === "CONFLICT") {
        onConflict(caught);
        return;
      }
      // The API names the outcome `outcome`; here it is the written-out field.
      const outcome = error.fields["outcome"];
      form.failed(
        outcome === undefined ? error : { ...error, fields: { ...error.fields, custom: outcome } },
        values.preset === OTHER_OUTCOME ? RESOLVE_FIELDS : ["note"],
      );
    }
  };

  return (
    <Dialog
      title={t("resolve.title")}
      onClose={onClose}
      description={item.status === "OPEN" ? t("resolve.descriptionOpen", { summary: item.summary }) : item.summary}
    >
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={form.serverError} fieldsShown={RESOLVE_FIELDS} />
        <Select label={t("resolve.outcomeLabel")} error={errors.preset?.message} {...form.register("preset")}>
          {COMMON_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {t(`resolve.outcomes.${OUTCOME_KEYS[outcome]}`)}
            </option>
          ))}
          <option value={OTHER_OUTCOME}>{t("resolve.other")}</option>
        </Select>
        {preset === OTHER_OUTCOME && (
          <TextField
            label={t("resolve.customLabel")}
            hint={t("resolve.customHint", { max: REVIEW_OUTCOME_MAX })}
            error={errors.custom?.message}
            type="text"
            autoComplete="off"
            autoFocus
            {...form.register("custom")}
          />
        )}
        <Field
          label={t("resolve.noteLabel")}
          hint={t("resolve.noteHint", { length: note.length, max: REVIEW_NOTE_MAX })}
          error={errors.note?.message}
        >
          {(control) => <textarea {...control} rows={4} {...form.register("note")} />}
        </Field>
        <FormActions
          submitLabel={t("resolve.submit")}
          pending={loading}
          pendingLabel={t("resolve.pending")}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
