/**
 * Native `<select>`s. `Select` is a labelled one, wired like `TextField` (label, hint, error through
 * the kit's `Field`); `SelectInput` is the bare one for a control the page labels itself. Options
 * are children (`<option>`), and the ref goes to the `<select>` for react-hook-form's `register()`.
 */
import { forwardRef, type ReactNode, type SelectHTMLAttributes } from "react";

import { Field } from "../form-controls.tsx";

type NativeSelectProps = SelectHTMLAttributes<HTMLSelectElement>;

export const SelectInput = forwardRef<HTMLSelectElement, NativeSelectProps>(function SelectInput(props, ref) {
  return <select ref={ref} {...props} />;
});

export interface SelectProps extends Omit<NativeSelectProps, "id" | "aria-describedby" | "aria-invalid"> {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly children: ReactNode;
}

export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  { label, hint, error, children, ...select },
  ref,
) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <select ref={ref} {...control} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
});
