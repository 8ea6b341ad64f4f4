/**
 * Text inputs. `TextField` is a labelled input: label, input, hint and error tied together by the
 * kit's `Field` (`aria-describedby` names the hint, or the error once there is one; `aria-invalid`
 * while there is an error). Every other prop goes to the `<input>`, and its ref too, so
 * react-hook-form's `register()` spreads onto it directly. `Input` is the bare, styled input for a
 * control whose label the page lays out itself (a search box in a toolbar, a row of filters):
 * it must still be named, by a `<label htmlFor>` or `aria-label`.
 * `Checkbox` and `Radio` are inputs of those types, for a `<label className="choice">` around them.
 */
import { forwardRef, type InputHTMLAttributes, type ReactNode } from "react";

import { Field } from "../form-controls.tsx";

type InputProps = InputHTMLAttributes<HTMLInputElement>;

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input(props, ref) {
  return <input ref={ref} {...props} />;
});

export const Checkbox = forwardRef<HTMLInputElement, Omit<InputProps, "type">>(function Checkbox(props, ref) {
  return <input ref={ref} type="checkbox" {...props} />;
});

export const Radio = forwardRef<HTMLInputElement, Omit<InputProps, "type">>(function Radio(props, ref) {
  return <input ref={ref} type="radio" {...props} />;
});

export interface TextFieldProps extends Omit<InputProps, "id" | "aria-describedby" | "aria-invalid"> {
  readonly label: string;
  readonly hint?: ReactNode;
  /** A validation message (a problem key or text); translated by `Field`. */
  readonly error?: string | undefined;
}

export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, hint, error, ...input },
  ref,
) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => <input ref={ref} {...control} {...input} />}
    </Field>
  );
});
