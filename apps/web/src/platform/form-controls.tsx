/** Labelled form fields and the error banner shared by every form of the app. */
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { type UserFacingError } from "./errors.ts";
import { translateProblem } from "./problems.ts";
import { Icon } from "./ui/icon.tsx";

interface FieldProps {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  /** Renders the control with the ids that tie it to its label, hint and error. */
  readonly children: (control: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}

export function Field({ label, hint, error: problem, children }: FieldProps) {
  const id = useId();
  // A validation message (the schema's, the API's) in the page's language, whoever passed it.
  const error = problem === undefined ? undefined : translateProblem(problem);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // The hint until there is an error, then only the error: both at once read as two instructions
  // ("At least 10 characters." beside "Use at least 10 characters."), and the error says it better.
  const showHint = hint !== undefined && error === undefined;
  const describedBy = showHint ? hintId : error !== undefined ? errorId : "";
  return (
    <div className={error !== undefined ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy !== "" ? { "aria-describedby": describedBy } : {}),
        ...(error !== undefined ? { "aria-invalid": true } : {}),
      })}
      {showHint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="field__error" id={errorId}>
          <Icon name="error" />
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The error of a form submission. `fieldsShown` lists the fields the form renders errors
 * beside; when every field error is among them, the banner points there instead of repeating
 * the first one.
 */
export function ErrorBanner({
  error,
  fieldsShown = [],
}: {
  error: UserFacingError | undefined;
  fieldsShown?: readonly string[];
}) {
  const { t } = useTranslation("common");
  if (error === undefined) return null;
  const fieldKeys = Object.keys(error.fields);
  const allBesideFields = fieldKeys.length > 0 && fieldKeys.every((key) => fieldsShown.includes(key));
  return (
    <div className="banner banner--error" role="alert" data-error-code={error.code}>
      <Icon name="error" className="banner__icon" />
      {allBesideFields ? t("form.correctFields") : translateProblem(error.message)}
    </div>
  );
}
