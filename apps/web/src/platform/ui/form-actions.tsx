/**
 * The button row that ends a form: the submit button (primary, or danger for a destructive
 * action), then Cancel when the form can be left without saving. While the form is sending the
 * submit button is disabled and may say what is happening ("Saving…"), so a second click cannot
 * send it twice. Used by every dialog's form and the pages' forms; a row of unrelated buttons
 * (a pager, "Copy codes") is not a form's actions and keeps its own markup.
 */
import { type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "./button.tsx";

interface FormActionsProps {
  /** The submit button's text, e.g. "Save changes". */
  readonly submitLabel: string;
  /** The form is being sent: the submit button is disabled (and shows `pendingLabel`). */
  readonly pending?: boolean;
  /** The submit button's text while pending, e.g. "Saving…" (default: `submitLabel`). */
  readonly pendingLabel?: string;
  /** Submitting is not possible yet (e.g. nothing typed, a confirmation not typed). */
  readonly disabled?: boolean;
  /** `"danger"`: the action destroys or cannot be undone (the danger colour, not the accent). */
  readonly variant?: "danger";
  /**
   * When set, the primary button is a plain button that calls this instead of submitting a
   * `<form>` (a step of a dialog that is not a form, e.g. "Import 12 rows").
   */
  readonly onSubmit?: () => void;
  /** Shows a Cancel button (type="button") that calls this. */
  readonly onCancel?: () => void;
  /** The Cancel button's text (default "Cancel"; e.g. "Keep it" when "Cancel" is the action). */
  readonly cancelLabel?: string;
  /** After the buttons, e.g. a "Why can't I?" link. */
  readonly children?: ReactNode;
}

export function FormActions({
  submitLabel,
  pending = false,
  pendingLabel,
  disabled = false,
  variant,
  onSubmit,
  onCancel,
  cancelLabel,
  children,
}: FormActionsProps) {
  const { t } = useTranslation("common");
  return (
    <div className="form__actions">
      <Button
        type={onSubmit === undefined ? "submit" : "button"}
        variant={variant ?? "primary"}
        disabled={pending || disabled}
        onClick={onSubmit}
      >
        {pending && pendingLabel !== undefined ? pendingLabel : submitLabel}
      </Button>
      {onCancel !== undefined && <Button onClick={onCancel}>{cancelLabel ?? t("actions.cancel")}</Button>}
      {children}
    </div>
  );
}
